/** OFPT_FLOW_MOD: the hot path (OpenFlow 1.3.5 §7.3.4.2). */
import { describe as suite, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decode, encode, encodeInto } from '../../../../src/codec/openflow/codec.js';
import { Writer } from '../../../../src/codec/openflow/buffer.js';
import { BadInstruction, BadMatch, BadRequest, ErrType, OfpEncodeError } from '../../../../src/codec/openflow/errors.js';
import { flowMod, FlowModCommand, FlowModFlags, OFP_DEFAULT_PRIORITY, type FlowModMessage } from '../../../../src/codec/openflow/flow-mod.js';
import type { Match } from '../../../../src/codec/openflow/oxm.js';
import type { Instruction } from '../../../../src/codec/openflow/instructions.js';
import { arbU16 as u16, arbU32 as u32, bytesRoundTrip, decodeOrDecodeError, expectDecodeError, expectEncodeError, itOvs, msgRoundTrip, ovs, toHex, withLength, withU16 } from './msg-helpers.js';

const web: FlowModMessage = flowMod({
  xid: 7,
  cookie: 0x1234n,
  idleTimeout: 10,
  priority: 100,
  flags: FlowModFlags.SEND_FLOW_REM,
  match: [
    { field: 'eth_type', value: 0x0800 },
    { field: 'ip_proto', value: 6 },
    { field: 'tcp_dst', value: 80 },
    { field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.0.0' },
  ],
  instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] }, { type: 'goto_table', tableId: 1 }],
});

/** [message, what OVS must print] */
const OVS_CASES: Array<[FlowModMessage, string]> = [
  [web, 'OFPT_FLOW_MOD (OF1.3) (xid=0x7): ADD priority=100,tcp,nw_src=10.0.0.0/8,tp_dst=80 cookie:0x1234 idle:10 send_flow_rem actions=output:2,goto_table:1'],
  [flowMod({ xid: 1, command: FlowModCommand.DELETE, tableId: 0xff, outPort: 2 }), 'OFPT_FLOW_MOD (OF1.3) (xid=0x1): DEL table:255 out_port:2 actions=drop'],
  [
    flowMod({
      xid: 2,
      command: FlowModCommand.MODIFY_STRICT,
      priority: 10,
      cookie: 0x10n,
      cookieMask: 0xffn,
      match: [
        { field: 'in_port', value: 1 },
        { field: 'eth_src', value: '02:00:00:00:00:01' },
      ],
      instructions: [
        { type: 'write_metadata', metadata: 0x1n, mask: 0xffn },
        { type: 'goto_table', tableId: 2 },
      ],
    }),
    'OFPT_FLOW_MOD (OF1.3) (xid=0x2): MOD_STRICT priority=10,in_port=1,dl_src=02:00:00:00:00:01 cookie:0x10/0xff actions=write_metadata:0x1/0xff,goto_table:2',
  ],
  [
    flowMod({
      xid: 3,
      tableId: 1,
      priority: 200,
      hardTimeout: 30,
      flags: 0x1f,
      match: [
        { field: 'eth_type', value: 0x86dd },
        { field: 'ipv6_src', value: '2001:db8::', mask: 'ffff:ffff::' },
        { field: 'ip_proto', value: 17 },
        { field: 'udp_dst', value: 53 },
      ],
      instructions: [
        { type: 'meter', meterId: 5 },
        { type: 'clear_actions' },
        { type: 'write_actions', actions: [{ type: 'group', groupId: 7 }, { type: 'set_field', field: { field: 'eth_dst', value: 'aa:bb:cc:dd:ee:ff' } }] },
      ],
    }),
    'OFPT_FLOW_MOD (OF1.3) (xid=0x3): ADD table:1 priority=200,udp6,ipv6_src=2001:db8::/32,tp_dst=53 hard:30 send_flow_rem check_overlap reset_counts no_packet_counts no_byte_counts actions=meter:5,clear_actions,write_actions(group:7,set_field:aa:bb:cc:dd:ee:ff->eth_dst)',
  ],
  [
    flowMod({ xid: 4, command: FlowModCommand.DELETE_STRICT, priority: 5, outGroup: 9, match: [{ field: 'eth_type', value: 0x0806 }, { field: 'arp_op', value: 1 }] }),
    'OFPT_FLOW_MOD (OF1.3) (xid=0x4): DEL_STRICT priority=5,arp,arp_op=1 actions=drop',
  ],
  [
    flowMod({
      xid: 5,
      bufferId: 33,
      match: [{ field: 'vlan_vid', value: 0x1000 | 10 }],
      instructions: [{ type: 'apply_actions', actions: [{ type: 'pop_vlan' }, { type: 'output', port: 0xfffffffd, maxLen: 128 }] }],
    }),
    'OFPT_FLOW_MOD (OF1.3) (xid=0x5): ADD dl_vlan=10 buf:0x21 actions=pop_vlan,CONTROLLER:128',
  ],
  [flowMod({ xid: 6, command: FlowModCommand.MODIFY, instructions: [{ type: 'apply_actions', actions: [] }] }), 'OFPT_FLOW_MOD (OF1.3) (xid=0x6): MOD actions=drop'],
];

suite('FLOW_MOD', () => {
  it('has the spec layout', () => {
    const b = encode(web);
    expect(toHex(b.subarray(0, 48))).toBe(
      '040e0078' + '00000007' + '0000000000001234' + '0000000000000000' + '00' + '00' + '000a' + '0000' + '0064' + 'ffffffff' + 'ffffffff' + 'ffffffff' + '0001' + '0000',
    );
    expect(b.length).toBe(0x78);
  });
  it('round-trips every case both ways', () => {
    for (const [m] of OVS_CASES) bytesRoundTrip(msgRoundTrip(m));
  });
  itOvs('OVS reads every case as intended', () => {
    for (const [m, text] of OVS_CASES) expect(ovs(encode(m))).toBe(text);
  });
  it('flowMod() fills the usual defaults', () => {
    expect(flowMod({})).toEqual({
      type: 'FLOW_MOD',
      xid: 0,
      cookie: 0n,
      cookieMask: 0n,
      tableId: 0,
      command: FlowModCommand.ADD,
      idleTimeout: 0,
      hardTimeout: 0,
      priority: OFP_DEFAULT_PRIORITY,
      bufferId: 0xffffffff,
      outPort: 0xffffffff,
      outGroup: 0xffffffff,
      flags: 0,
      match: [],
      instructions: [],
    });
  });
  it('rejects malformed messages', () => {
    const b = encode(web);
    const dv = (x: Uint8Array): DataView => new DataView(x.buffer);
    // fixed part truncated
    expectDecodeError(withLength(b.slice(0, 40)), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    // match missing entirely
    expectDecodeError(withLength(b.slice(0, 48)), ErrType.BAD_MATCH, BadMatch.BAD_LEN);
    // match length beyond the message
    expectDecodeError(withU16(b, 50, 0x200), ErrType.BAD_MATCH, BadMatch.BAD_LEN);
    // the instruction list cut in the middle of an instruction
    expectDecodeError(withLength(b.slice(0, b.length - 4)), ErrType.BAD_INSTRUCTION, BadInstruction.BAD_LEN);
    // zero-length instruction (must not loop)
    const matchEnd = 48 + ((dv(b).getUint16(50) + 7) & ~7); // header + fixed part, then the padded match
    expectDecodeError(withU16(b, matchEnd + 2, 0), ErrType.BAD_INSTRUCTION, BadInstruction.BAD_LEN);
    // unknown instruction type
    expectDecodeError(withU16(b, matchEnd, 0x77), ErrType.BAD_INSTRUCTION, BadInstruction.UNKNOWN_INST);
  });
  it('validates every field on encode, with paths', () => {
    expectEncodeError({ ...web, tableId: 256 }, 'tableId');
    expectEncodeError({ ...web, command: -1 }, 'command');
    expectEncodeError({ ...web, idleTimeout: 65536 }, 'idleTimeout');
    expectEncodeError({ ...web, hardTimeout: 1.5 }, 'hardTimeout');
    expectEncodeError({ ...web, priority: NaN }, 'priority');
    expectEncodeError({ ...web, bufferId: 2 ** 32 }, 'bufferId');
    expectEncodeError({ ...web, outPort: -1 }, 'outPort');
    expectEncodeError({ ...web, outGroup: '1' }, 'outGroup');
    expectEncodeError({ ...web, flags: 0x10000 }, 'flags');
    expectEncodeError({ ...web, cookie: 1 }, 'cookie');
    expectEncodeError({ ...web, cookieMask: 1n << 64n }, 'cookieMask');
    expectEncodeError({ ...web, match: undefined }, 'match');
    expectEncodeError({ ...web, instructions: {} }, 'instructions');
    // a missing prerequisite is caught by the match encoder (tcp_dst without ip_proto=6)
    const e = expectEncodeError({ ...web, match: [{ field: 'eth_type', value: 0x0800 }, { field: 'tcp_dst', value: 80 }] });
    expect(e.path).toMatch(/^match/);
    // deep paths from the instruction encoder
    const e2 = expectEncodeError({ ...web, instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2 ** 33, maxLen: 0 }] }] });
    expect(e2.path).toMatch(/^instructions\[0\]\.actions\[0\]/);
  });
  it('a failed encode leaves a batch writer untouched', () => {
    const w = new Writer(64);
    encodeInto(w, web);
    const before = toHex(w.toBytes());
    expect(() => encodeInto(w, { ...web, instructions: [{ type: 'goto_table', tableId: 999 }] as Instruction[] })).toThrow(OfpEncodeError);
    expect(toHex(w.toBytes())).toBe(before);
    encodeInto(w, web);
    expect(w.offset).toBe(2 * 0x78);
  });

  const matches: Match[] = [[], web.match, OVS_CASES[2]![0].match, OVS_CASES[3]![0].match, OVS_CASES[4]![0].match, OVS_CASES[5]![0].match];
  const instructionLists: Instruction[][] = OVS_CASES.map(([m]) => m.instructions);
  const flowModArb: fc.Arbitrary<FlowModMessage> = fc.record({
    type: fc.constant('FLOW_MOD' as const),
    xid: u32,
    cookie: fc.bigUintN(64),
    cookieMask: fc.bigUintN(64),
    tableId: fc.integer({ min: 0, max: 255 }),
    command: fc.integer({ min: 0, max: 255 }),
    idleTimeout: u16,
    hardTimeout: u16,
    priority: u16,
    bufferId: u32,
    outPort: u32,
    outGroup: u32,
    flags: u16,
    match: fc.constantFrom(...matches),
    instructions: fc.constantFrom(...instructionLists),
  });
  it('property: generated FLOW_MODs round-trip', () => {
    fc.assert(fc.property(flowModArb, (m) => void msgRoundTrip(m)));
  });
  it('property: corrupted FLOW_MODs fail only with OfpDecodeError, and whatever decodes re-encodes identically or is refused', () => {
    const seeds = OVS_CASES.map(([m]) => encode(m));
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (seed, edits) => {
        const b = seed.slice();
        for (const [at, v] of edits) b[8 + (at % (b.length - 8))] = v;
        const fixed = withLength(b);
        decodeOrDecodeError(fixed);
      }),
      { numRuns: 3000 },
    );
  });
  it('decodes fast enough to matter (sanity check, not a benchmark)', () => {
    const b = encode(web);
    const n = 20000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) decode(b);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    expect(n / secs).toBeGreaterThan(50_000); // generous: jest + ts-jest + coverage hooks are slow
  });
});

