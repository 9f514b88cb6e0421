/** describe(): readable text for every message type in the union. */
import { describe as suite, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { OfpDecodeError } from '../../../../src/codec/openflow/errors.js';
import { OfpType, type OfpTypeName } from '../../../../src/codec/openflow/header.js';
import type { OfpMessage } from '../../../../src/codec/openflow/messages.js';
import { describe as describeMsg, describeMatch, flagNames, portName } from '../../../../src/codec/openflow/describe.js';
import { flowMod, FlowModCommand, FlowModFlags } from '../../../../src/codec/openflow/flow-mod.js';
import { helloFor } from '../../../../src/codec/openflow/hello.js';
import type { Port } from '../../../../src/codec/openflow/port.js';
import { fromHex, withLength } from './msg-helpers.js';

const port: Port = {
  portNo: 1,
  hwAddr: '02:00:00:00:00:01',
  name: 's1-eth1',
  config: 0,
  state: 4,
  curr: 0x840,
  advertised: 0,
  supported: 0,
  peer: 0,
  currSpeed: 10_000_000,
  maxSpeed: 0,
};

const fm = flowMod({
  xid: 7,
  cookie: 0xabn,
  priority: 100,
  idleTimeout: 30,
  flags: FlowModFlags.SEND_FLOW_REM | FlowModFlags.CHECK_OVERLAP,
  match: [
    { field: 'eth_type', value: 0x0800 },
    { field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.0.0' },
  ],
  instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] }],
});

/** One example of every message type, with the text describe() must produce (or contain). */
const SAMPLES: Record<OfpTypeName, [OfpMessage, string | RegExp]> = {
  HELLO: [helloFor([1, 4], 1), 'HELLO xid=1 version=0x04 versions=0x01,0x04'],
  ERROR: [
    { type: 'ERROR', xid: 7, version: 4, errType: 4, code: 9, data: encode(fm).slice(0, 64) },
    'ERROR xid=7 OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ in reply to FLOW_MOD xid=7 (64 bytes echoed)',
  ],
  ECHO_REQUEST: [{ type: 'ECHO_REQUEST', xid: 2, data: fromHex('0102') }, 'ECHO_REQUEST xid=2 data=0102'],
  ECHO_REPLY: [{ type: 'ECHO_REPLY', xid: 2, data: new Uint8Array() }, 'ECHO_REPLY xid=2'],
  EXPERIMENTER: [{ type: 'EXPERIMENTER', xid: 3, experimenter: 0x2320, expType: 20, data: new Uint8Array(8) }, 'EXPERIMENTER xid=3 experimenter=0x2320 exp_type=20 data=8 bytes'],
  FEATURES_REQUEST: [{ type: 'FEATURES_REQUEST', xid: 4 }, 'FEATURES_REQUEST xid=4'],
  FEATURES_REPLY: [
    { type: 'FEATURES_REPLY', xid: 4, datapathId: 0xabcdn, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0x47, reserved: 0 },
    'FEATURES_REPLY xid=4 dpid=0x000000000000abcd n_buffers=0 n_tables=254 auxiliary_id=0 capabilities=FLOW_STATS|TABLE_STATS|PORT_STATS|QUEUE_STATS',
  ],
  GET_CONFIG_REQUEST: [{ type: 'GET_CONFIG_REQUEST', xid: 5 }, 'GET_CONFIG_REQUEST xid=5'],
  GET_CONFIG_REPLY: [{ type: 'GET_CONFIG_REPLY', xid: 5, flags: 0, missSendLen: 128 }, 'GET_CONFIG_REPLY xid=5 frags=FRAG_NORMAL miss_send_len=128'],
  SET_CONFIG: [{ type: 'SET_CONFIG', xid: 5, flags: 1, missSendLen: 0xffff }, 'SET_CONFIG xid=5 frags=FRAG_DROP miss_send_len=no_buffer'],
  PACKET_IN: [
    { type: 'PACKET_IN', xid: 0, bufferId: 0xffffffff, totalLen: 60, reason: 1, tableId: 2, cookie: 0x5n, match: [{ field: 'in_port', value: 3 }], data: new Uint8Array(60) },
    'PACKET_IN xid=0 buffer=none total_len=60 reason=ACTION table=2 cookie=0x5 match: in_port=3 data: 60 bytes',
  ],
  FLOW_REMOVED: [
    {
      type: 'FLOW_REMOVED',
      xid: 0,
      cookie: 0x1234n,
      priority: 100,
      reason: 0,
      tableId: 0,
      durationSec: 5,
      durationNsec: 500_000_000,
      idleTimeout: 10,
      hardTimeout: 0,
      packetCount: 3n,
      byteCount: 180n,
      match: [{ field: 'eth_dst', value: 'aa:bb:cc:dd:ee:ff' }],
    },
    'FLOW_REMOVED xid=0 reason=IDLE_TIMEOUT table=0 priority=100 cookie=0x1234 duration=5.500s idle_timeout=10 hard_timeout=0 packets=3 bytes=180 match: eth_dst=aa:bb:cc:dd:ee:ff',
  ],
  PORT_STATUS: [
    { type: 'PORT_STATUS', xid: 0, reason: 0, port },
    'PORT_STATUS xid=0 ADD port 1 "s1-eth1" 02:00:00:00:00:01 config=0 state=LIVE curr=10GB_FD|COPPER speed=10Gbps/0kbps',
  ],
  PACKET_OUT: [
    { type: 'PACKET_OUT', xid: 3, bufferId: 0xffffffff, inPort: 0xfffffffd, actions: [{ type: 'output', port: 0xfffffffb, maxLen: 0 }], data: new Uint8Array(42) },
    'PACKET_OUT xid=3 buffer=none in_port=CONTROLLER actions: output:FLOOD data: 42 bytes',
  ],
  FLOW_MOD: [
    fm,
    'FLOW_MOD xid=7 ADD table=0 priority=100 cookie=0xab idle_timeout=30 flags=SEND_FLOW_REM|CHECK_OVERLAP match: eth_type=0x0800,ipv4_src=10.0.0.0/255.0.0.0 instructions: apply_actions(output:2)',
  ],
  GROUP_MOD: [{ type: 'GROUP_MOD', xid: 8, command: 0, groupType: 1, groupId: 7, buckets: [{ weight: 1, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: [] }] }, /^GROUP_MOD xid=8 .*groupId=7.*buckets=\[1\]/],
  PORT_MOD: [
    { type: 'PORT_MOD', xid: 9, portNo: 3, hwAddr: 'aa:bb:cc:dd:ee:ff', config: 1, mask: 1, advertise: 0 },
    'PORT_MOD xid=9 port=3 hw_addr=aa:bb:cc:dd:ee:ff config=PORT_DOWN mask=PORT_DOWN advertise=0',
  ],
  TABLE_MOD: [{ type: 'TABLE_MOD', xid: 9, tableId: 0xff, config: 3 }, 'TABLE_MOD xid=9 table=ALL config=0x3'],
  MULTIPART_REQUEST: [{ type: 'MULTIPART_REQUEST', xid: 10, flags: 0, body: { kind: 'PORT_DESC' } }, 'MULTIPART_REQUEST xid=10 PORT_DESC'],
  MULTIPART_REPLY: [{ type: 'MULTIPART_REPLY', xid: 10, flags: 1, body: { kind: 'PORT_DESC', ports: [port, port] } }, 'MULTIPART_REPLY xid=10 PORT_DESC flags=more ports=[2]'],
  BARRIER_REQUEST: [{ type: 'BARRIER_REQUEST', xid: 11 }, 'BARRIER_REQUEST xid=11'],
  BARRIER_REPLY: [{ type: 'BARRIER_REPLY', xid: 11 }, 'BARRIER_REPLY xid=11'],
  QUEUE_GET_CONFIG_REQUEST: [{ type: 'QUEUE_GET_CONFIG_REQUEST', xid: 12, port: 1 }, 'QUEUE_GET_CONFIG_REQUEST xid=12 port=1'],
  QUEUE_GET_CONFIG_REPLY: [{ type: 'QUEUE_GET_CONFIG_REPLY', xid: 12, port: 1, queues: [] }, 'QUEUE_GET_CONFIG_REPLY xid=12 port=1 queues=[0]'],
  ROLE_REQUEST: [{ type: 'ROLE_REQUEST', xid: 13, role: 2, generationId: 12n }, 'ROLE_REQUEST xid=13 role=MASTER generation_id=12'],
  ROLE_REPLY: [{ type: 'ROLE_REPLY', xid: 13, role: 3, generationId: 12n }, 'ROLE_REPLY xid=13 role=SLAVE generation_id=12'],
  GET_ASYNC_REQUEST: [{ type: 'GET_ASYNC_REQUEST', xid: 14 }, 'GET_ASYNC_REQUEST xid=14'],
  GET_ASYNC_REPLY: [
    { type: 'GET_ASYNC_REPLY', xid: 14, packetInMask: [3, 0], portStatusMask: [7, 7], flowRemovedMask: [15, 0] },
    'GET_ASYNC_REPLY xid=14 packet_in(master=0x3,slave=0x0) port_status(master=0x7,slave=0x7) flow_removed(master=0xf,slave=0x0)',
  ],
  SET_ASYNC: [{ type: 'SET_ASYNC', xid: 14, packetInMask: [3, 0], portStatusMask: [7, 7], flowRemovedMask: [15, 0] }, /^SET_ASYNC xid=14 packet_in\(/],
  METER_MOD: [{ type: 'METER_MOD', xid: 15, command: 0, flags: 1, meterId: 5, bands: [{ type: 'drop', rate: 100, burstSize: 0 }] }, /^METER_MOD xid=15 .*meterId=5.*bands=\[1\]/],
};

suite('describe', () => {
  it('covers every message type', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(OfpType).sort());
  });
  for (const [type, [m, want]] of Object.entries(SAMPLES)) {
    it(`${type}`, () => {
      // The sample must be a real message (it survives the wire), and so must its description.
      const back = decode(encode(m));
      for (const x of [m, back]) {
        const text = describeMsg(x);
        if (typeof want === 'string') expect(text).toBe(want);
        else expect(text).toMatch(want);
      }
    });
  }
  it('names reserved ports, flags and errors readably', () => {
    expect(portName(0xfffffffe)).toBe('LOCAL');
    expect(portName(7)).toBe('7');
    expect(flagNames(FlowModFlags, 0)).toBe('0');
    expect(flagNames(FlowModFlags, 0x101)).toBe('SEND_FLOW_REM|0x100');
    expect(describeMatch([])).toBe('any');
    expect(describeMsg(flowMod({ command: FlowModCommand.DELETE, tableId: 0xff, outPort: 3 }))).toBe(
      'FLOW_MOD xid=0 DELETE table=ALL priority=32768 cookie=0x0 out_port=3 match: any instructions: drop',
    );
    expect(describeMsg({ type: 'ERROR', xid: 1, version: 1, errType: 0, code: 0, data: new TextEncoder().encode('no common version') })).toBe(
      'ERROR xid=1 OFPET_HELLO_FAILED/OFPHFC_INCOMPATIBLE "no common version"',
    );
    expect(describeMsg({ type: 'ERROR', xid: 1, errType: 0xffff, expType: 5, experimenter: 0x2320, data: new Uint8Array() })).toBe(
      'ERROR xid=1 OFPET_EXPERIMENTER experimenter=0x2320 exp_type=5 data=0 bytes',
    );
  });
  it('renders every action and instruction kind', () => {
    const m = flowMod({
      match: [
        { field: 'in_port', value: 0xfffffffe },
        { field: 'metadata', value: 0x10n, mask: 0xf0n },
      ],
      instructions: [
        {
          type: 'apply_actions',
          actions: [
            { type: 'push_vlan', ethertype: 0x8100 },
            { type: 'set_field', field: { field: 'vlan_vid', value: 0x100a } },
            { type: 'set_queue', queueId: 2 },
            { type: 'set_nw_ttl', ttl: 9 },
            { type: 'dec_nw_ttl' },
            { type: 'group', groupId: 4 },
            { type: 'output', port: 0xfffffffd, maxLen: 0xffff },
          ],
        },
        { type: 'write_metadata', metadata: 1n, mask: 0xffn },
        { type: 'meter', meterId: 3 },
        { type: 'clear_actions' },
        { type: 'write_actions', actions: [] },
        { type: 'goto_table', tableId: 2 },
      ],
    });
    expect(describeMsg(m)).toBe(
      'FLOW_MOD xid=0 ADD table=0 priority=32768 cookie=0x0 match: in_port=LOCAL,metadata=0x10/0xf0 instructions: ' +
        'apply_actions(push_vlan:0x8100,set_field:vlan_vid=0x100a,set_queue:2,set_nw_ttl:9,dec_nw_ttl,group:4,output:CONTROLLER(max_len=no_buffer)),' +
        'write_metadata:0x1/0xff,meter:3,clear_actions,write_actions(drop),goto_table:2',
    );
  });
  it('property: never throws on anything decode accepts', () => {
    const seeds = Object.values(SAMPLES).map(([m]) => encode(m));
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), (seed, edits) => {
        const b = seed.slice();
        for (const [at, v] of edits) if (b.length > 8) b[8 + (at % (b.length - 8))] = v;
        let m: OfpMessage;
        try {
          m = decode(withLength(b));
        } catch (e) {
          if (e instanceof OfpDecodeError) return;
          throw e;
        }
        expect(typeof describeMsg(m)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
});
