import fc from 'fast-check';
import { encode } from '../../../../src/codec/openflow/codec.js';
import { BadInstruction, BadMatch, BadRequest, ErrType } from '../../../../src/codec/openflow/errors.js';
import type { Instruction } from '../../../../src/codec/openflow/instructions.js';
import type { Match } from '../../../../src/codec/openflow/oxm.js';
import { GroupModFailed } from '../../../../src/codec/openflow/group-mod.js';
import {
  MultipartFlags,
  MultipartType,
  OFPTT_ALL,
  mergeMultipartReplies,
  type FlowStats,
  type MultipartReplyBody,
  type MultipartReplyMessage,
  type MultipartRequestBody,
  type MultipartRequestMessage,
  type PortStats,
} from '../../../../src/codec/openflow/multipart.js';
import type { Port } from '../../../../src/codec/openflow/port.js';
import { TableFeaturesFailed, type TableFeatures } from '../../../../src/codec/openflow/table-features.js';
import { ofpPrint } from '../../../support/ofp-print.js';
import { arbU16 as u16a, arbU32 as u32a, arbU64 as u64a, arbU8 as u8a, decodeError, decodeOrDecodeError, encodeError, itOvs, msg, msgRoundTrip as roundTrip, u16, u32, u64, zeros } from './msg-helpers.js';

const REQUEST = 18;
const REPLY = 19;
const ANY = 0xffffffff;
const OFPG_ALL = 0xfffffffc;

/** A multipart message: type/flags/pad prefix then `body`. */
const mp = (type: number, mpType: number, body: number[], flags = 0): Uint8Array => msg(type, [...u16(mpType), ...u16(flags), ...zeros(4), ...body]);

const req = (body: MultipartRequestBody, flags = 0): MultipartRequestMessage => ({ type: 'MULTIPART_REQUEST', xid: 0x12345678, flags, body });
const rep = (body: MultipartReplyBody, flags = 0, xid = 0x12345678): MultipartReplyMessage => ({ type: 'MULTIPART_REPLY', xid, flags, body });

const expectErr = (bytes: Uint8Array, errType: number, errCode: number): void => {
  const e = decodeError(bytes);
  expect([e.errType, e.errCode]).toEqual([errType, errCode]);
};
const expectBadLen = (bytes: Uint8Array): void => expectErr(bytes, ErrType.BAD_REQUEST, BadRequest.BAD_LEN);

// ---------------------------------------------------------------------------------------------------
// Fixtures

const webMatch: Match = [
  { field: 'eth_type', value: 0x0800 },
  { field: 'ip_proto', value: 6 },
  { field: 'tcp_dst', value: 80 },
];
const webMatchBytes = [...u16(1), ...u16(21), 0x80, 0x00, 0x0a, 2, 0x08, 0x00, 0x80, 0x00, 0x14, 1, 6, 0x80, 0x00, 0x1c, 2, 0, 80, 0, 0, 0];
const outputTo2: Instruction[] = [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] }];
const outputTo2Bytes = [...u16(4), ...u16(24), ...zeros(4), ...u16(0), ...u16(16), ...u32(2), ...u16(0), ...zeros(6)];

const webFlow: FlowStats = {
  tableId: 0,
  durationSec: 5,
  durationNsec: 500000000,
  priority: 100,
  idleTimeout: 10,
  hardTimeout: 0,
  flags: 1,
  cookie: 0xabn,
  packetCount: 7n,
  byteCount: 700n,
  match: webMatch,
  instructions: outputTo2,
};
const webFlowBytes = [
  ...u16(96), 0, 0, ...u32(5), ...u32(500000000), ...u16(100), ...u16(10), ...u16(0), ...u16(1), ...zeros(4),
  ...u64(0xabn), ...u64(7n), ...u64(700n), ...webMatchBytes, ...outputTo2Bytes,
];

const port1: Port = {
  portNo: 1,
  hwAddr: '00:11:22:33:44:55',
  name: 'eth1',
  config: 0,
  state: 4,
  curr: 0x2820,
  advertised: 0,
  supported: 0,
  peer: 0,
  currSpeed: 10000000,
  maxSpeed: 0,
};

const portStats: PortStats = {
  portNo: 1,
  rxPackets: 1n,
  txPackets: 2n,
  rxBytes: 3n,
  txBytes: 4n,
  rxDropped: 5n,
  txDropped: 6n,
  rxErrors: 7n,
  txErrors: 8n,
  rxFrameErr: 9n,
  rxOverErr: 10n,
  rxCrcErr: 11n,
  collisions: 12n,
  durationSec: 13,
  durationNsec: 14,
};

/** A table with every property OVS requires (it rejects table features missing any of them). */
const table0: TableFeatures = {
  tableId: 0,
  name: 'classifier',
  metadataMatch: 0xffffffffffffffffn,
  metadataWrite: 0xffffffffffffffffn,
  config: 3,
  maxEntries: 1000000,
  properties: [
    { type: 'instructions', instructionIds: [{ type: 'goto_table' }, { type: 'apply_actions' }] },
    { type: 'next_tables', tableIds: [1, 2] },
    { type: 'write_actions', actionIds: [{ type: 'output' }, { type: 'group' }] },
    { type: 'apply_actions', actionIds: [{ type: 'output' }] },
    { type: 'match', oxmIds: [{ field: 'in_port', hasMask: false, length: 4 }, { field: 'eth_dst', hasMask: true, length: 12 }] },
    { type: 'wildcards', oxmIds: [{ field: 'eth_dst', hasMask: false, length: 6 }] },
    { type: 'write_setfield', oxmIds: [{ field: 'vlan_vid', hasMask: false, length: 2 }] },
    { type: 'apply_setfield', oxmIds: [{ field: 'vlan_vid', hasMask: false, length: 2 }] },
  ],
};

// ---------------------------------------------------------------------------------------------------

describe('MULTIPART_REQUEST', () => {
  it('encodes each empty-bodied request as just the 8-byte multipart prefix', () => {
    for (const kind of ['DESC', 'TABLE', 'GROUP_DESC', 'GROUP_FEATURES', 'METER_FEATURES', 'PORT_DESC'] as const) {
      roundTrip(req({ kind }), mp(REQUEST, MultipartType[kind], []));
    }
    roundTrip(req({ kind: 'DESC' }, MultipartFlags.REQ_MORE), mp(REQUEST, 0, [], 1));
  });

  it('encodes FLOW and AGGREGATE requests per ofp_flow_stats_request', () => {
    const flow = req({ kind: 'FLOW', tableId: OFPTT_ALL, outPort: ANY, outGroup: ANY, cookie: 0x10n, cookieMask: 0xffn, match: webMatch });
    roundTrip(flow, mp(REQUEST, 1, [0xff, 0, 0, 0, ...u32(ANY), ...u32(ANY), ...zeros(4), ...u64(0x10n), ...u64(0xffn), ...webMatchBytes]));
    const agg = req({ kind: 'AGGREGATE', tableId: 1, outPort: 2, outGroup: ANY, cookie: 0n, cookieMask: 0n, match: [] });
    roundTrip(agg, mp(REQUEST, 2, [1, 0, 0, 0, ...u32(2), ...u32(ANY), ...zeros(4), ...u64(0n), ...u64(0n), ...u16(1), ...u16(4), ...zeros(4)]));
  });

  it('encodes the fixed 8-byte request bodies', () => {
    roundTrip(req({ kind: 'PORT_STATS', portNo: ANY }), mp(REQUEST, 4, [...u32(ANY), ...zeros(4)]));
    roundTrip(req({ kind: 'QUEUE', portNo: 1, queueId: ANY }), mp(REQUEST, 5, [...u32(1), ...u32(ANY)]));
    roundTrip(req({ kind: 'GROUP', groupId: OFPG_ALL }), mp(REQUEST, 6, [...u32(OFPG_ALL), ...zeros(4)]));
    roundTrip(req({ kind: 'METER', meterId: 5 }), mp(REQUEST, 9, [...u32(5), ...zeros(4)]));
    roundTrip(req({ kind: 'METER_CONFIG', meterId: ANY }), mp(REQUEST, 10, [...u32(ANY), ...zeros(4)]));
  });

  it('round-trips EXPERIMENTER and an empty TABLE_FEATURES request', () => {
    roundTrip(req({ kind: 'EXPERIMENTER', experimenter: 0x2320, expType: 1, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }), mp(REQUEST, 0xffff, [...u32(0x2320), ...u32(1), 1, 2, 3, 4, 5, 6, 7, 8]));
    roundTrip(req({ kind: 'TABLE_FEATURES', tables: [] }), mp(REQUEST, 12, []));
    const bytes = roundTrip(req({ kind: 'TABLE_FEATURES', tables: [table0, { ...table0, tableId: 1, name: 't1', properties: [] }] }));
    expect(bytes[16 + 2]).toBe(0); // first table's table_id, right after its 2-byte length
  });

  itOvs('is read by ovs-ofctl as intended', () => {
    const p = (body: MultipartRequestBody): string => ofpPrint(encode(req(body)));
    expect(p({ kind: 'DESC' })).toContain('OFPST_DESC request (OF1.3) (xid=0x12345678)');
    expect(p({ kind: 'FLOW', tableId: OFPTT_ALL, outPort: ANY, outGroup: ANY, cookie: 0n, cookieMask: 0n, match: [{ field: 'in_port', value: 3 }] })).toContain(
      'OFPST_FLOW request (OF1.3) (xid=0x12345678): in_port=3',
    );
    expect(p({ kind: 'FLOW', tableId: 2, outPort: 7, outGroup: ANY, cookie: 0n, cookieMask: 0n, match: webMatch })).toMatch(/OFPST_FLOW request .* table=2 out_port=7 tcp,tp_dst=80/);
    expect(p({ kind: 'AGGREGATE', tableId: 1, outPort: 2, outGroup: ANY, cookie: 0n, cookieMask: 0n, match: [] })).toContain('OFPST_AGGREGATE request (OF1.3) (xid=0x12345678): table=1 out_port=2');
    expect(p({ kind: 'TABLE' })).toContain('OFPST_TABLE request (OF1.3)');
    expect(p({ kind: 'PORT_STATS', portNo: ANY })).toContain('OFPST_PORT request (OF1.3) (xid=0x12345678): port_no=ANY');
    expect(p({ kind: 'PORT_STATS', portNo: 3 })).toContain('port_no=3');
    expect(p({ kind: 'QUEUE', portNo: 1, queueId: ANY })).toContain('OFPST_QUEUE request (OF1.3) (xid=0x12345678): port=1 queue=ALL');
    expect(p({ kind: 'GROUP', groupId: OFPG_ALL })).toContain('OFPST_GROUP request (OF1.3) (xid=0x12345678): group_id=ALL');
    expect(p({ kind: 'GROUP', groupId: 12 })).toContain('group_id=12');
    expect(p({ kind: 'GROUP_DESC' })).toContain('OFPST_GROUP_DESC request (OF1.3)');
    expect(p({ kind: 'GROUP_FEATURES' })).toContain('OFPST_GROUP_FEATURES request (OF1.3)');
    expect(p({ kind: 'METER', meterId: 5 })).toContain('OFPST_METER request (OF1.3) (xid=0x12345678): meter=5');
    expect(p({ kind: 'METER_CONFIG', meterId: ANY })).toContain('OFPST_METER_CONFIG request (OF1.3) (xid=0x12345678): meter=all');
    expect(p({ kind: 'METER_FEATURES' })).toContain('OFPST_METER_FEATURES request (OF1.3)');
    expect(p({ kind: 'PORT_DESC' })).toContain('OFPST_PORT_DESC request (OF1.3)');
    expect(p({ kind: 'TABLE_FEATURES', tables: [] })).toContain('OFPST_TABLE_FEATURES request (OF1.3)');
    const tf = p({ kind: 'TABLE_FEATURES', tables: [table0] });
    expect(tf).toContain('OFPST_TABLE_FEATURES request (OF1.3) (xid=0x12345678)');
    expect(tf).toContain('table 0 ("classifier")');
  });

  describe('malformed input', () => {
    it('rejects an unknown multipart type with BAD_REQUEST/BAD_MULTIPART', () => {
      expectErr(mp(REQUEST, 14, []), ErrType.BAD_REQUEST, BadRequest.BAD_MULTIPART);
      expectErr(mp(REQUEST, 0xfffe, []), ErrType.BAD_REQUEST, BadRequest.BAD_MULTIPART);
    });
    it('rejects a truncated multipart prefix', () => {
      expectBadLen(msg(REQUEST, [0, 0, 0, 0]));
    });
    it('rejects a body on requests that must be empty', () => {
      for (const t of [0, 3, 7, 8, 11, 13]) expectBadLen(mp(REQUEST, t, zeros(8)));
    });
    it('rejects short or long fixed-size bodies', () => {
      for (const t of [4, 5, 6, 9, 10]) {
        expectBadLen(mp(REQUEST, t, zeros(4)));
        expectBadLen(mp(REQUEST, t, zeros(16)));
      }
      expectBadLen(mp(REQUEST, 0xffff, zeros(4)));
    });
    it('rejects a truncated flow stats request and reports match problems as BAD_MATCH', () => {
      expectBadLen(mp(REQUEST, 1, zeros(20)));
      expectErr(mp(REQUEST, 1, [...zeros(32), ...u16(1), ...u16(40), ...zeros(4)]), ErrType.BAD_MATCH, BadMatch.BAD_LEN);
      expectErr(mp(REQUEST, 1, [...zeros(32), ...u16(0), ...u16(4), ...zeros(4)]), ErrType.BAD_MATCH, BadMatch.BAD_TYPE);
    });
  });

  it('validates values on encode, naming the path', () => {
    expect(encodeError(req({ kind: 'DESC' }, 0x10000)).path).toBe('flags');
    expect(encodeError(req({ kind: 'NOPE' } as unknown as MultipartRequestBody)).path).toBe('body.kind');
    expect(encodeError(req({ kind: 'PORT_STATS', portNo: -1 })).path).toBe('body.portNo');
    expect(encodeError(req({ kind: 'FLOW', tableId: 256, outPort: ANY, outGroup: ANY, cookie: 0n, cookieMask: 0n, match: [] })).path).toBe('body.tableId');
    expect(encodeError(req({ kind: 'FLOW', tableId: 0, outPort: ANY, outGroup: ANY, cookie: 1 as unknown as bigint, cookieMask: 0n, match: [] })).path).toBe('body.cookie');
    expect(encodeError(req({ kind: 'FLOW', tableId: 0, outPort: ANY, outGroup: ANY, cookie: 0n, cookieMask: 0n, match: [{ field: 'tcp_dst', value: 80 }] })).path).toMatch(/^body\.match/);
    expect(encodeError(req({ kind: 'EXPERIMENTER', experimenter: 1, expType: 1, data: [1] as unknown as Uint8Array })).path).toBe('body.data');
  });
});

describe('MULTIPART_REPLY', () => {
  it('DESC: fixed 1056-byte ofp_desc of NUL-padded strings', () => {
    const m = rep({ kind: 'DESC', mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch', swDesc: '3.1.0', serialNum: 'None', dpDesc: 'br0' });
    const bytes = roundTrip(m);
    expect(bytes.length).toBe(16 + 1056);
    expect(Array.from(bytes.subarray(16, 28))).toEqual(Array.from('Nicira, Inc.', (c) => c.charCodeAt(0)));
    expect(bytes[16 + 768]).toBe('N'.charCodeAt(0));
    expect(bytes[16 + 800]).toBe('b'.charCodeAt(0));
  });

  it('FLOW: ofp_flow_stats entries with match and instructions', () => {
    roundTrip(rep({ kind: 'FLOW', stats: [webFlow] }, MultipartFlags.REPLY_MORE), mp(REPLY, 1, webFlowBytes, 1));
    roundTrip(rep({ kind: 'FLOW', stats: [] }));
    roundTrip(
      rep({
        kind: 'FLOW',
        stats: [
          webFlow,
          { ...webFlow, tableId: 3, match: [], instructions: [], cookie: 0xffffffffffffffffn, packetCount: 0n, byteCount: 2n ** 63n },
          { ...webFlow, match: [{ field: 'in_port', value: 1 }], instructions: [{ type: 'goto_table', tableId: 1 }] },
        ],
      }),
    );
  });

  it('AGGREGATE, TABLE, PORT_STATS, QUEUE: fixed-size records', () => {
    roundTrip(rep({ kind: 'AGGREGATE', packetCount: 10n, byteCount: 1000n, flowCount: 3 }), mp(REPLY, 2, [...u64(10n), ...u64(1000n), ...u32(3), ...zeros(4)]));
    roundTrip(
      rep({ kind: 'TABLE', stats: [{ tableId: 0, activeCount: 4, lookupCount: 100n, matchedCount: 90n }, { tableId: 1, activeCount: 0, lookupCount: 0n, matchedCount: 0n }] }),
      mp(REPLY, 3, [0, 0, 0, 0, ...u32(4), ...u64(100n), ...u64(90n), 1, 0, 0, 0, ...u32(0), ...u64(0n), ...u64(0n)]),
    );
    const counters = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n].flatMap(u64);
    roundTrip(rep({ kind: 'PORT_STATS', stats: [portStats] }), mp(REPLY, 4, [...u32(1), ...zeros(4), ...counters, ...u32(13), ...u32(14)]));
    roundTrip(
      rep({ kind: 'QUEUE', stats: [{ portNo: 1, queueId: 2, txBytes: 3n, txPackets: 4n, txErrors: 5n, durationSec: 6, durationNsec: 7 }] }),
      mp(REPLY, 5, [...u32(1), ...u32(2), ...u64(3n), ...u64(4n), ...u64(5n), ...u32(6), ...u32(7)]),
    );
  });

  it('GROUP, GROUP_DESC, GROUP_FEATURES', () => {
    roundTrip(
      rep({ kind: 'GROUP', stats: [{ groupId: 1, refCount: 2, packetCount: 3n, byteCount: 4n, durationSec: 5, durationNsec: 6, bucketStats: [{ packetCount: 7n, byteCount: 8n }] }] }),
      mp(REPLY, 6, [...u16(56), 0, 0, ...u32(1), ...u32(2), ...zeros(4), ...u64(3n), ...u64(4n), ...u32(5), ...u32(6), ...u64(7n), ...u64(8n)]),
    );
    roundTrip(
      rep({
        kind: 'GROUP_DESC',
        groups: [
          { groupType: 1, groupId: 7, buckets: [{ weight: 10, watchPort: ANY, watchGroup: ANY, actions: [{ type: 'output', port: 2, maxLen: 0 }] }] },
          { groupType: 0, groupId: 8, buckets: [] },
        ],
      }),
      mp(REPLY, 7, [
        ...u16(40), 1, 0, ...u32(7), ...u16(32), ...u16(10), ...u32(ANY), ...u32(ANY), ...zeros(4), ...u16(0), ...u16(16), ...u32(2), ...u16(0), ...zeros(6),
        ...u16(8), 0, 0, ...u32(8),
      ]),
    );
    roundTrip(
      rep({ kind: 'GROUP_FEATURES', types: 15, capabilities: 3, maxGroups: [1, 2, 3, 4], actions: [1, 1, 1, 0x1001] }),
      mp(REPLY, 8, [...u32(15), ...u32(3), ...u32(1), ...u32(2), ...u32(3), ...u32(4), ...u32(1), ...u32(1), ...u32(1), ...u32(0x1001)]),
    );
  });

  it('METER, METER_CONFIG, METER_FEATURES', () => {
    roundTrip(
      rep({ kind: 'METER', stats: [{ meterId: 5, flowCount: 2, packetInCount: 3n, byteInCount: 4n, durationSec: 5, durationNsec: 6, bandStats: [{ packetBandCount: 7n, byteBandCount: 8n }] }] }),
      mp(REPLY, 9, [...u32(5), ...u16(56), ...zeros(6), ...u32(2), ...u64(3n), ...u64(4n), ...u32(5), ...u32(6), ...u64(7n), ...u64(8n)]),
    );
    roundTrip(
      rep({ kind: 'METER_CONFIG', entries: [{ flags: 1, meterId: 5, bands: [{ type: 'drop', rate: 100, burstSize: 0 }] }, { flags: 2, meterId: 6, bands: [] }] }),
      mp(REPLY, 10, [...u16(24), ...u16(1), ...u32(5), ...u16(1), ...u16(16), ...u32(100), ...u32(0), ...zeros(4), ...u16(8), ...u16(2), ...u32(6)]),
    );
    roundTrip(
      rep({ kind: 'METER_FEATURES', maxMeter: 100, bandTypes: 6, capabilities: 15, maxBands: 4, maxColor: 1 }),
      mp(REPLY, 11, [...u32(100), ...u32(6), ...u32(15), 4, 1, 0, 0]),
    );
  });

  it('PORT_DESC, TABLE_FEATURES, EXPERIMENTER', () => {
    const bytes = roundTrip(rep({ kind: 'PORT_DESC', ports: [port1, { ...port1, portNo: 0xfffffffe, name: 'br0', hwAddr: 'aa:bb:cc:dd:ee:ff' }] }));
    expect(bytes.length).toBe(16 + 128);
    roundTrip(rep({ kind: 'PORT_DESC', ports: [] }));
    roundTrip(rep({ kind: 'TABLE_FEATURES', tables: [] }));
    roundTrip(rep({ kind: 'TABLE_FEATURES', tables: [table0, { ...table0, tableId: 1, name: 'acl' }] }, MultipartFlags.REPLY_MORE));
    roundTrip(rep({ kind: 'EXPERIMENTER', experimenter: 0x2320, expType: 7, data: new Uint8Array(0) }), mp(REPLY, 0xffff, [...u32(0x2320), ...u32(7)]));
  });

  itOvs('is read by ovs-ofctl as intended', () => {
    const p = (body: MultipartReplyBody, flags = 0): string => ofpPrint(encode(rep(body, flags)));
    const desc = p({ kind: 'DESC', mfrDesc: 'Nicira', hwDesc: 'hw', swDesc: '3.1.0', serialNum: 'None', dpDesc: 'br0' });
    expect(desc).toContain('OFPST_DESC reply (OF1.3) (xid=0x12345678)');
    expect(desc).toMatch(/Manufacturer: Nicira\s+Hardware: hw\s+Software: 3\.1\.0\s+Serial Num: None\s+DP Description: br0/);

    const flow = p({ kind: 'FLOW', stats: [webFlow] }, MultipartFlags.REPLY_MORE);
    expect(flow).toContain('OFPST_FLOW reply (OF1.3) (xid=0x12345678): flags=[more]');
    expect(flow).toContain(
      'cookie=0xab, duration=5.500s, table=0, n_packets=7, n_bytes=700, idle_timeout=10, send_flow_rem priority=100,tcp,tp_dst=80 actions=output:2',
    );
    expect(p({ kind: 'FLOW', stats: [{ ...webFlow, tableId: 2, match: [{ field: 'in_port', value: 1 }], instructions: [{ type: 'goto_table', tableId: 3 }] }] })).toMatch(
      /table=2, .*priority=100,in_port=1 actions=goto_table:3/,
    );

    expect(p({ kind: 'AGGREGATE', packetCount: 10n, byteCount: 1000n, flowCount: 3 })).toContain('OFPST_AGGREGATE reply (OF1.3) (xid=0x12345678): packet_count=10 byte_count=1000 flow_count=3');
    expect(p({ kind: 'TABLE', stats: [{ tableId: 0, activeCount: 4, lookupCount: 100n, matchedCount: 90n }] })).toMatch(/OFPST_TABLE reply \(OF1\.3\)[\s\S]*table 0:\s+active=4, lookup=100, matched=90/);

    const ps = p({ kind: 'PORT_STATS', stats: [portStats] });
    expect(ps).toContain('OFPST_PORT reply (OF1.3) (xid=0x12345678): 1 ports');
    expect(ps).toContain('port  1: rx pkts=1, bytes=3, drop=5, errs=7, frame=9, over=10, crc=11');
    expect(ps).toContain('tx pkts=2, bytes=4, drop=6, errs=8, coll=12');
    expect(ps).toContain('duration=13.000000014s');

    expect(p({ kind: 'QUEUE', stats: [{ portNo: 1, queueId: 2, txBytes: 3n, txPackets: 4n, txErrors: 5n, durationSec: 6, durationNsec: 7 }] })).toContain(
      'port 1 queue 2: bytes=3, pkts=4, errors=5, duration=6.000000007s',
    );
    expect(
      p({ kind: 'GROUP', stats: [{ groupId: 1, refCount: 2, packetCount: 3n, byteCount: 4n, durationSec: 5, durationNsec: 6, bucketStats: [{ packetCount: 7n, byteCount: 8n }, { packetCount: 9n, byteCount: 10n }] }] }),
    ).toContain('group_id=1,duration=5.000000006s,ref_count=2,packet_count=3,byte_count=4,bucket0:packet_count=7,byte_count=8,bucket1:packet_count=9,byte_count=10');
    expect(
      p({ kind: 'GROUP_DESC', groups: [{ groupType: 1, groupId: 7, buckets: [{ weight: 10, watchPort: ANY, watchGroup: ANY, actions: [{ type: 'output', port: 2, maxLen: 0 }] }] }] }),
    ).toContain('group_id=7,type=select,bucket=weight:10,actions=output:2');
    const gf = p({ kind: 'GROUP_FEATURES', types: 15, capabilities: 3, maxGroups: [1, 2, 3, 4], actions: [1, 1, 1, 1] });
    expect(gf).toMatch(/Types:\s+0xf/);
    expect(gf).toMatch(/Capabilities:\s+0x3/);
    expect(gf).toMatch(/fast failover group:\s+max_groups=0x4\s+actions: output/);

    expect(p({ kind: 'METER', stats: [{ meterId: 5, flowCount: 2, packetInCount: 3n, byteInCount: 4n, durationSec: 5, durationNsec: 6, bandStats: [{ packetBandCount: 7n, byteBandCount: 8n }] }] })).toMatch(
      /meter:5 flow_count:2 packet_in_count:3 byte_in_count:4 duration:5\.000000006s bands:\s+0: packet_count:7 byte_count:8/,
    );
    expect(p({ kind: 'METER_CONFIG', entries: [{ flags: 1, meterId: 5, bands: [{ type: 'dscp_remark', rate: 100, burstSize: 0, precLevel: 2 }] }] })).toMatch(
      /meter=5 kbps bands=\s+type=dscp_remark rate=100 prec_level=2/,
    );
    expect(p({ kind: 'METER_FEATURES', maxMeter: 100, bandTypes: 6, capabilities: 15, maxBands: 4, maxColor: 0 })).toMatch(
      /max_meter:100 max_bands:4 max_color:0\s+band_types: drop dscp_remark\s+capabilities: kbps pktps burst stats/,
    );
    const pd = p({ kind: 'PORT_DESC', ports: [port1] });
    expect(pd).toContain('OFPST_PORT_DESC reply (OF1.3) (xid=0x12345678)');
    expect(pd).toContain('1(eth1): addr:00:11:22:33:44:55');
    expect(pd).toMatch(/state:\s+LIVE/);
    expect(pd).toContain('speed: 10000 Mbps now');
    // (OVS rejects an empty TABLE_FEATURES reply body as BAD_LEN; the spec does not, so the codec accepts it.)
    const tf = p({ kind: 'TABLE_FEATURES', tables: [table0] });
    expect(tf).toContain('OFPST_TABLE_FEATURES reply (OF1.3) (xid=0x12345678)');
    expect(tf).toContain('table 0 ("classifier")');
    expect(tf).toContain('max_entries=1000000');
    expect(tf).toContain('next tables: 1-2');
    expect(tf).toMatch(/instructions: apply_actions goto_table/);
    expect(tf).toMatch(/Write-Actions features:\s+actions: output group/);
    expect(tf).toMatch(/must exact match: in_port/);
  });

  describe('malformed input', () => {
    it('rejects an unknown multipart type with BAD_REQUEST/BAD_MULTIPART', () => {
      expectErr(mp(REPLY, 14, []), ErrType.BAD_REQUEST, BadRequest.BAD_MULTIPART);
      expectErr(mp(REPLY, 0x8000, zeros(8)), ErrType.BAD_REQUEST, BadRequest.BAD_MULTIPART);
    });
    it('rejects truncated single-record bodies', () => {
      expectBadLen(mp(REPLY, 0, zeros(1055)));
      expectBadLen(mp(REPLY, 2, zeros(16)));
      expectBadLen(mp(REPLY, 8, zeros(36)));
      expectBadLen(mp(REPLY, 11, zeros(8)));
      expectBadLen(mp(REPLY, 0xffff, zeros(6)));
    });
    it('rejects fixed-size record arrays that are not a whole number of records', () => {
      expectBadLen(mp(REPLY, 3, zeros(25)));
      expectBadLen(mp(REPLY, 4, zeros(111)));
      expectBadLen(mp(REPLY, 5, zeros(48)));
      expectBadLen(mp(REPLY, 13, zeros(65)));
    });
    it('rejects flow stats entries with a length of 0, below 48, or past the end', () => {
      for (const len of [0, 40, 200]) expectBadLen(mp(REPLY, 1, [...u16(len), ...webFlowBytes.slice(2)]));
      expectBadLen(mp(REPLY, 1, webFlowBytes.slice(0, 30)));
    });
    it('reports match and instruction problems inside flow stats with their own error types', () => {
      const badMatch = webFlowBytes.slice();
      badMatch[48 + 3] = 60; // ofp_match.length past the entry
      expectErr(mp(REPLY, 1, badMatch), ErrType.BAD_MATCH, BadMatch.BAD_LEN);
      const badInst = webFlowBytes.slice();
      badInst[72 + 3] = 40; // instruction length past the entry
      expectErr(mp(REPLY, 1, badInst), ErrType.BAD_INSTRUCTION, BadInstruction.BAD_LEN);
    });
    it('rejects bad group stats, group desc, meter stats and meter config lengths', () => {
      const groupStats = (len: number, extra = 0): Uint8Array => mp(REPLY, 6, [...u16(len), ...zeros(38 + extra)]);
      expectBadLen(groupStats(0));
      expectBadLen(groupStats(32));
      expectBadLen(groupStats(48, 8)); // 8 bytes of bucket stats: not a multiple of 16
      expectBadLen(groupStats(56)); // past the end
      const meterStats = (len: number, extra = 0): Uint8Array => mp(REPLY, 9, [...u32(1), ...u16(len), ...zeros(34 + extra)]);
      expectBadLen(meterStats(0));
      expectBadLen(meterStats(24));
      expectBadLen(meterStats(48, 8));
      expectBadLen(mp(REPLY, 7, [...u16(0), 0, 0, ...u32(1)]));
      expectBadLen(mp(REPLY, 7, [...u16(4), 0, 0, ...u32(1)]));
      expectBadLen(mp(REPLY, 10, [...u16(0), ...u16(0), ...u32(1)]));
      expectBadLen(mp(REPLY, 10, [...u16(16), ...u16(0), ...u32(1)]));
    });
    it('reports table features problems with TABLE_FEATURES_FAILED codes', () => {
      for (const t of [REQUEST, REPLY]) {
        expectErr(mp(t, 12, [...u16(32), ...zeros(30)]), ErrType.TABLE_FEATURES_FAILED, TableFeaturesFailed.BAD_LEN);
        expectErr(mp(t, 12, [...u16(0), ...zeros(62)]), ErrType.TABLE_FEATURES_FAILED, TableFeaturesFailed.BAD_LEN);
      }
    });
    it('reports bucket and band problems with the GROUP_MOD / METER_MOD codes', () => {
      expectErr(mp(REPLY, 7, [...u16(16), 0, 0, ...u32(1), ...u16(8), ...zeros(6)]), ErrType.GROUP_MOD_FAILED, GroupModFailed.BAD_BUCKET);
      expectErr(mp(REPLY, 10, [...u16(24), ...u16(0), ...u32(1), ...u16(9), ...u16(16), ...zeros(12)]), ErrType.METER_MOD_FAILED, 8);
    });
  });

  it('validates values on encode, naming the path', () => {
    expect(encodeError(rep({ kind: 'DESC', mfrDesc: 'x'.repeat(256), hwDesc: '', swDesc: '', serialNum: '', dpDesc: '' })).path).toBe('body.mfrDesc');
    expect(encodeError(rep({ kind: 'DESC', mfrDesc: '', hwDesc: '', swDesc: '', serialNum: 'x'.repeat(32), dpDesc: '' })).path).toBe('body.serialNum');
    expect(encodeError(rep({ kind: 'DESC', mfrDesc: '', hwDesc: 'a\u0100', swDesc: '', serialNum: '', dpDesc: '' })).path).toBe('body.hwDesc');
    expect(encodeError(rep({ kind: 'FLOW', stats: [webFlow, { ...webFlow, packetCount: -1n }] })).path).toBe('body.stats[1].packetCount');
    expect(encodeError(rep({ kind: 'FLOW', stats: [{ ...webFlow, priority: 65536 }] })).path).toBe('body.stats[0].priority');
    expect(encodeError(rep({ kind: 'FLOW', stats: [{ ...webFlow, instructions: [{ type: 'goto_table', tableId: 256 }] }] })).path).toMatch(/^body\.stats\[0\]\.instructions\[0\]/);
    expect(encodeError(rep({ kind: 'TABLE', stats: [{ tableId: 0, activeCount: 0, lookupCount: 0n, matchedCount: 2n ** 64n }] })).path).toBe('body.stats[0].matchedCount');
    expect(encodeError(rep({ kind: 'PORT_STATS', stats: [{ ...portStats, rxCrcErr: 5 as unknown as bigint }] })).path).toBe('body.stats[0].rxCrcErr');
    expect(encodeError(rep({ kind: 'GROUP_FEATURES', types: 0, capabilities: 0, maxGroups: [1, 2, 3] as unknown as [number, number, number, number], actions: [0, 0, 0, 0] })).path).toBe(
      'body.maxGroups',
    );
    expect(encodeError(rep({ kind: 'GROUP_DESC', groups: [{ groupType: 0, groupId: 1, buckets: [{ weight: -1, watchPort: 0, watchGroup: 0, actions: [] }] }] })).path).toBe(
      'body.groups[0].buckets[0].weight',
    );
    expect(encodeError(rep({ kind: 'METER_CONFIG', entries: [{ flags: 0, meterId: 1, bands: [{ type: 'drop', rate: -1, burstSize: 0 }] }] })).path).toBe('body.entries[0].bands[0].rate');
    expect(encodeError(rep({ kind: 'PORT_DESC', ports: [port1, { ...port1, name: 'x'.repeat(16) }] })).path).toBe('body.ports[1].name');
    expect(encodeError(rep({ kind: 'TABLE_FEATURES', tables: [table0, { ...table0, maxEntries: -1 }] })).path).toBe('body.tables[1].maxEntries');
    expect(encodeError(req({ kind: 'TABLE_FEATURES', tables: 5 as unknown as TableFeatures[] })).path).toBe('body.tables');
    expect(encodeError(rep({ kind: 'METER_FEATURES', maxMeter: 0, bandTypes: 0, capabilities: 0, maxBands: 256, maxColor: 0 })).path).toBe('body.maxBands');
  });
});

describe('mergeMultipartReplies', () => {
  it('concatenates the arrays of a REPLY_MORE sequence', () => {
    const a = { ...webFlow, cookie: 1n };
    const b = { ...webFlow, cookie: 2n };
    const c = { ...webFlow, cookie: 3n };
    const merged = mergeMultipartReplies([
      rep({ kind: 'FLOW', stats: [a, b] }, MultipartFlags.REPLY_MORE, 9),
      rep({ kind: 'FLOW', stats: [] }, MultipartFlags.REPLY_MORE, 9),
      rep({ kind: 'FLOW', stats: [c] }, 0, 9),
    ]);
    expect(merged).toEqual(rep({ kind: 'FLOW', stats: [a, b, c] }, 0, 9));
    expect(mergeMultipartReplies([rep({ kind: 'PORT_DESC', ports: [port1] }, 1), rep({ kind: 'PORT_DESC', ports: [{ ...port1, portNo: 2 }] })])).toEqual(
      rep({ kind: 'PORT_DESC', ports: [port1, { ...port1, portNo: 2 }] }),
    );
    expect(
      mergeMultipartReplies([rep({ kind: 'METER_CONFIG', entries: [{ flags: 1, meterId: 1, bands: [] }] }, 1), rep({ kind: 'METER_CONFIG', entries: [{ flags: 1, meterId: 2, bands: [] }] })]).body,
    ).toEqual({ kind: 'METER_CONFIG', entries: [{ flags: 1, meterId: 1, bands: [] }, { flags: 1, meterId: 2, bands: [] }] });
    expect(mergeMultipartReplies([rep({ kind: 'GROUP_DESC', groups: [{ groupType: 0, groupId: 1, buckets: [] }] }, 1), rep({ kind: 'GROUP_DESC', groups: [] })]).body).toEqual({
      kind: 'GROUP_DESC',
      groups: [{ groupType: 0, groupId: 1, buckets: [] }],
    });
  });

  it('concatenates EXPERIMENTER data and returns a lone reply unchanged', () => {
    const e = (data: number[], flags = 0): MultipartReplyMessage => rep({ kind: 'EXPERIMENTER', experimenter: 1, expType: 2, data: Uint8Array.from(data) }, flags);
    expect(mergeMultipartReplies([e([1, 2], 1), e([3], 1), e([4])])).toEqual(e([1, 2, 3, 4]));
    const lone = rep({ kind: 'DESC', mfrDesc: 'a', hwDesc: 'b', swDesc: 'c', serialNum: 'd', dpDesc: 'e' });
    expect(mergeMultipartReplies([lone])).toBe(lone);
  });

  it('refuses empty, mixed and single-part sequences', () => {
    expect(() => mergeMultipartReplies([])).toThrow(RangeError);
    expect(() => mergeMultipartReplies([rep({ kind: 'FLOW', stats: [] }, 1), rep({ kind: 'TABLE', stats: [] })])).toThrow(/mixed kinds/);
    expect(() => mergeMultipartReplies([rep({ kind: 'FLOW', stats: [] }, 1, 1), rep({ kind: 'FLOW', stats: [] }, 0, 2)])).toThrow(/mixed xids/);
    const agg = rep({ kind: 'AGGREGATE', packetCount: 0n, byteCount: 0n, flowCount: 0 });
    expect(() => mergeMultipartReplies([agg, agg])).toThrow(/single-part/);
    expect(() =>
      mergeMultipartReplies([
        rep({ kind: 'EXPERIMENTER', experimenter: 1, expType: 2, data: new Uint8Array(1) }, 1),
        rep({ kind: 'EXPERIMENTER', experimenter: 1, expType: 3, data: new Uint8Array(1) }),
      ]),
    ).toThrow(RangeError);
  });
});

describe('properties', () => {
  const match: fc.Arbitrary<Match> = fc.oneof(
    fc.constant<Match>([]),
    u32a.map((p): Match => [{ field: 'in_port', value: Math.max(1, p % 0xffffff00) }]),
    u16a.map((p): Match => [{ field: 'eth_type', value: 0x0800 }, { field: 'ip_proto', value: 17 }, { field: 'udp_dst', value: p }]),
  );
  const instructions: fc.Arbitrary<Instruction[]> = fc.array(
    fc.oneof(
      fc.integer({ min: 1, max: 254 }).map((tableId): Instruction => ({ type: 'goto_table', tableId })),
      u32a.map((port): Instruction => ({ type: 'apply_actions', actions: [{ type: 'output', port, maxLen: 0 }] })),
      fc.constant<Instruction>({ type: 'clear_actions' }),
      u32a.map((meterId): Instruction => ({ type: 'meter', meterId })),
    ),
    { maxLength: 3 },
  );
  const flowStats: fc.Arbitrary<FlowStats> = fc.record({
    tableId: u8a,
    durationSec: u32a,
    durationNsec: u32a,
    priority: u16a,
    idleTimeout: u16a,
    hardTimeout: u16a,
    flags: u16a,
    cookie: u64a,
    packetCount: u64a,
    byteCount: u64a,
    match,
    instructions,
  });
  const replyBody: fc.Arbitrary<MultipartReplyBody> = fc.oneof(
    fc.record({ kind: fc.constant('FLOW' as const), stats: fc.array(flowStats, { maxLength: 3 }) }),
    fc.record({ kind: fc.constant('AGGREGATE' as const), packetCount: u64a, byteCount: u64a, flowCount: u32a }),
    fc.record({ kind: fc.constant('TABLE' as const), stats: fc.array(fc.record({ tableId: u8a, activeCount: u32a, lookupCount: u64a, matchedCount: u64a }), { maxLength: 4 }) }),
    fc.record({
      kind: fc.constant('QUEUE' as const),
      stats: fc.array(fc.record({ portNo: u32a, queueId: u32a, txBytes: u64a, txPackets: u64a, txErrors: u64a, durationSec: u32a, durationNsec: u32a }), { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('GROUP' as const),
      stats: fc.array(
        fc.record({
          groupId: u32a,
          refCount: u32a,
          packetCount: u64a,
          byteCount: u64a,
          durationSec: u32a,
          durationNsec: u32a,
          bucketStats: fc.array(fc.record({ packetCount: u64a, byteCount: u64a }), { maxLength: 3 }),
        }),
        { maxLength: 3 },
      ),
    }),
    fc.record({
      kind: fc.constant('METER' as const),
      stats: fc.array(
        fc.record({
          meterId: u32a,
          flowCount: u32a,
          packetInCount: u64a,
          byteInCount: u64a,
          durationSec: u32a,
          durationNsec: u32a,
          bandStats: fc.array(fc.record({ packetBandCount: u64a, byteBandCount: u64a }), { maxLength: 3 }),
        }),
        { maxLength: 3 },
      ),
    }),
    fc.record({
      kind: fc.constant('GROUP_FEATURES' as const),
      types: u32a,
      capabilities: u32a,
      maxGroups: fc.tuple(u32a, u32a, u32a, u32a),
      actions: fc.tuple(u32a, u32a, u32a, u32a),
    }),
    fc.record({ kind: fc.constant('METER_FEATURES' as const), maxMeter: u32a, bandTypes: u32a, capabilities: u32a, maxBands: u8a, maxColor: u8a }),
    fc.record({ kind: fc.constant('EXPERIMENTER' as const), experimenter: u32a, expType: u32a, data: fc.uint8Array({ maxLength: 24 }) }),
  );

  it('round-trips generated replies', () => {
    fc.assert(fc.property(replyBody, u16a, u32a, (body, flags, xid) => void roundTrip(rep(body, flags, xid))));
  });

  it('round-trips generated flow stats requests', () => {
    fc.assert(
      fc.property(fc.constantFrom('FLOW' as const, 'AGGREGATE' as const), u8a, u32a, u32a, u64a, u64a, match, (kind, tableId, outPort, outGroup, cookie, cookieMask, m) =>
        void roundTrip(req({ kind, tableId, outPort, outGroup, cookie, cookieMask, match: m })),
      ),
    );
  });

  it('throws only OfpDecodeError on arbitrary bodies of every multipart type', () => {
    const types = [...Object.values(MultipartType), 14, 0x8000];
    fc.assert(
      fc.property(fc.constantFrom(REQUEST, REPLY), fc.constantFrom(...types), fc.uint8Array({ maxLength: 200 }), (t, mpType, body) => {
        decodeOrDecodeError(mp(t, mpType, Array.from(body)));
      }),
      { numRuns: 2000 },
    );
  });

  it('throws only OfpDecodeError on mutated valid replies', () => {
    const valid = mp(REPLY, 1, [...webFlowBytes, ...webFlowBytes]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 8, max: valid.length - 1 }), u8a), { minLength: 1, maxLength: 3 }), (edits) => {
        const b = valid.slice();
        for (const [i, v] of edits) b[i] = v;
        decodeOrDecodeError(b);
      }),
      { numRuns: 2000 },
    );
  });
});
