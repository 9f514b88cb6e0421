/**
 * Fixed-layout messages: ECHO, EXPERIMENTER, FEATURES, CONFIG, the empty-body requests, TABLE_MOD, ROLE,
 * ASYNC and PORT_MOD. Round trips both ways, OVS's reading of our bytes, malformed inputs, properties.
 */
import { describe as suite, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { BadRequest, ErrType } from '../../../../src/codec/openflow/errors.js';
import type { OfpMessage } from '../../../../src/codec/openflow/messages.js';
import { Capabilities } from '../../../../src/codec/openflow/features.js';
import { ConfigFlags } from '../../../../src/codec/openflow/config.js';
import { ControllerRole } from '../../../../src/codec/openflow/role.js';
import { OFPTT } from '../../../../src/codec/openflow/table-mod.js';
import { PortConfig, PortFeatures } from '../../../../src/codec/openflow/port.js';
import { arbU32 as u32, arbU64 as u64, arbU8 as u8, bytesRoundTrip, decodeOrDecodeError, expectDecodeError, expectEncodeError, fromHex, itOvs, msgRoundTrip, ovs, toHex, truncated, withLength } from './msg-helpers.js';

const xid = u32;
const bytes = (max = 64): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });
const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':'));

suite('ECHO_REQUEST / ECHO_REPLY', () => {
  const req: OfpMessage = { type: 'ECHO_REQUEST', xid: 7, data: fromHex('0102abcd') };
  it('round-trips and matches the wire layout', () => {
    const b = msgRoundTrip(req);
    expect(toHex(b)).toBe('0402000c000000070102abcd');
    bytesRoundTrip(fromHex('0403000800000007'));
    expect(decode(fromHex('0403000800000007'))).toEqual({ type: 'ECHO_REPLY', xid: 7, data: new Uint8Array(0) });
  });
  itOvs('reads as OVS does', () => {
    expect(ovs(encode(req))).toBe('OFPT_ECHO_REQUEST (OF1.3) (xid=0x7): 4 bytes of payload 00000000 01 02 ab cd |.... |');
    expect(ovs(encode({ type: 'ECHO_REPLY', xid: 9, data: new Uint8Array(0) }))).toBe('OFPT_ECHO_REPLY (OF1.3) (xid=0x9): 0 bytes of payload');
  });
  it('decodes the payload zero-copy', () => {
    const b = fromHex('0402000c000000070102abcd');
    const m = decode(b) as { data: Uint8Array };
    expect(m.data.buffer).toBe(b.buffer);
  });
  it('rejects a non-Uint8Array payload', () => {
    expectEncodeError({ type: 'ECHO_REPLY', xid: 1, data: [1, 2] }, 'data');
  });
  it('property: any payload round-trips', () => {
    fc.assert(
      fc.property(xid, bytes(200), fc.boolean(), (x, data, isReq) => {
        msgRoundTrip({ type: isReq ? 'ECHO_REQUEST' : 'ECHO_REPLY', xid: x, data });
      }),
    );
  });
});

suite('EXPERIMENTER', () => {
  const m: OfpMessage = { type: 'EXPERIMENTER', xid: 7, experimenter: 0x2320, expType: 20, data: fromHex('0000000000000007') };
  it('round-trips', () => {
    expect(toHex(msgRoundTrip(m))).toBe('040400180000000700002320000000140000000000000007');
  });
  itOvs('OVS reads our experimenter id and type (Nicira NXT_SET_CONTROLLER_ID)', () => {
    expect(ovs(encode(m))).toBe('NXT_SET_CONTROLLER_ID (OF1.3) (xid=0x7): id=7');
    expect(ovs(encode({ type: 'EXPERIMENTER', xid: 7, experimenter: 0x2320, expType: 16, data: fromHex('00000002') }))).toBe(
      'NXT_SET_PACKET_IN_FORMAT (OF1.3) (xid=0x7): format=nxt_packet_in2',
    );
  });
  it('rejects a body shorter than experimenter + exp_type', () => {
    expectDecodeError(fromHex('0404000f0000000700002320000000'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
  });
  it('validates ranges on encode', () => {
    expectEncodeError({ ...m, experimenter: -1 }, 'experimenter');
    expectEncodeError({ ...m, expType: 2 ** 32 }, 'expType');
  });
  it('property: round-trips', () => {
    fc.assert(fc.property(xid, u32, u32, bytes(), (x, e, t, data) => void msgRoundTrip({ type: 'EXPERIMENTER', xid: x, experimenter: e, expType: t, data })));
  });
});

suite('FEATURES_REQUEST / FEATURES_REPLY', () => {
  const reply: OfpMessage = {
    type: 'FEATURES_REPLY',
    xid: 10,
    datapathId: 0xabcdn,
    nBuffers: 256,
    nTables: 254,
    auxiliaryId: 0,
    capabilities: Capabilities.FLOW_STATS | Capabilities.TABLE_STATS | Capabilities.PORT_STATS | Capabilities.QUEUE_STATS,
    reserved: 0,
  };
  it('round-trips both ways', () => {
    expect(toHex(msgRoundTrip(reply))).toBe('040600200000000a000000000000abcd00000100fe0000000000004700000000');
    expect(toHex(msgRoundTrip({ type: 'FEATURES_REQUEST', xid: 10 }))).toBe('040500080000000a');
  });
  itOvs('reads as OVS does', () => {
    expect(ovs(encode(reply))).toBe(
      'OFPT_FEATURES_REPLY (OF1.3) (xid=0xa): dpid:000000000000abcd n_tables:254, n_buffers:256 capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS',
    );
    expect(ovs(encode({ type: 'FEATURES_REQUEST', xid: 10 }))).toBe('OFPT_FEATURES_REQUEST (OF1.3) (xid=0xa):');
  });
  it('keeps the full 64-bit datapath id', () => {
    msgRoundTrip({ ...reply, datapathId: 0xffffffffffffffffn });
  });
  it('rejects truncated and over-long bodies with BAD_LEN', () => {
    const b = encode(reply);
    expectDecodeError(truncated(b, b.length - 1), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    expectDecodeError(withLength(new Uint8Array([...b, 0])), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    expectDecodeError(withLength(new Uint8Array([...fromHex('040500080000000a'), 0, 0, 0, 0])), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
  });
  it('validates ranges on encode', () => {
    expectEncodeError({ ...reply, nTables: 256 }, 'nTables');
    expectEncodeError({ ...reply, datapathId: -1n }, 'datapathId');
    expectEncodeError({ ...reply, datapathId: 1n << 64n }, 'datapathId');
    expectEncodeError({ ...reply, datapathId: 5 }, 'datapathId');
    expectEncodeError({ ...reply, capabilities: 1.5 }, 'capabilities');
  });
  it('property: round-trips', () => {
    fc.assert(
      fc.property(xid, u64, u32, u8, u8, u32, u32, (x, d, nb, nt, aux, cap, res) => {
        msgRoundTrip({ type: 'FEATURES_REPLY', xid: x, datapathId: d, nBuffers: nb, nTables: nt, auxiliaryId: aux, capabilities: cap, reserved: res });
      }),
    );
  });
});

suite('GET_CONFIG_REQUEST / GET_CONFIG_REPLY / SET_CONFIG', () => {
  it('round-trips and reads as OVS does', () => {
    const reply: OfpMessage = { type: 'GET_CONFIG_REPLY', xid: 10, flags: ConfigFlags.FRAG_DROP, missSendLen: 128 };
    const set: OfpMessage = { type: 'SET_CONFIG', xid: 10, flags: ConfigFlags.FRAG_REASM, missSendLen: 0xffff };
    expect(toHex(msgRoundTrip(reply))).toBe('0408000c0000000a00010080');
    expect(toHex(msgRoundTrip(set))).toBe('0409000c0000000a0002ffff');
    expect(toHex(msgRoundTrip({ type: 'GET_CONFIG_REQUEST', xid: 10 }))).toBe('040700080000000a');
  });
  itOvs('OVS oracle', () => {
    expect(ovs(encode({ type: 'GET_CONFIG_REPLY', xid: 10, flags: ConfigFlags.FRAG_DROP, missSendLen: 128 }))).toBe(
      'OFPT_GET_CONFIG_REPLY (OF1.3) (xid=0xa): frags=drop miss_send_len=128',
    );
    expect(ovs(encode({ type: 'SET_CONFIG', xid: 10, flags: ConfigFlags.FRAG_REASM, missSendLen: 0xffff }))).toBe(
      'OFPT_SET_CONFIG (OF1.3) (xid=0xa): frags=reassemble miss_send_len=65535',
    );
    expect(ovs(encode({ type: 'GET_CONFIG_REQUEST', xid: 10 }))).toBe('OFPT_GET_CONFIG_REQUEST (OF1.3) (xid=0xa):');
  });
  it('rejects a short body', () => {
    expectDecodeError(fromHex('0409000b0000000a000200'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
  });
  it('validates ranges on encode', () => {
    expectEncodeError({ type: 'SET_CONFIG', xid: 1, flags: 0, missSendLen: 0x10000 }, 'missSendLen');
    expectEncodeError({ type: 'SET_CONFIG', xid: 1, flags: -1, missSendLen: 0 }, 'flags');
  });
});

suite('BARRIER / GET_ASYNC_REQUEST (empty bodies)', () => {
  it('round-trips and reads as OVS does', () => {
    for (const type of ['BARRIER_REQUEST', 'BARRIER_REPLY', 'GET_ASYNC_REQUEST'] as const) {
      const b = msgRoundTrip({ type, xid: 0xaa });
      expect(b.length).toBe(8);
    }
  });
  itOvs('OVS oracle', () => {
    expect(ovs(encode({ type: 'BARRIER_REQUEST', xid: 0xaa }))).toBe('OFPT_BARRIER_REQUEST (OF1.3) (xid=0xaa):');
    expect(ovs(encode({ type: 'BARRIER_REPLY', xid: 0xaa }))).toBe('OFPT_BARRIER_REPLY (OF1.3) (xid=0xaa):');
    expect(ovs(encode({ type: 'GET_ASYNC_REQUEST', xid: 0xaa }))).toBe('OFPT_GET_ASYNC_REQUEST (OF1.3) (xid=0xaa):');
  });
  it('rejects a body', () => {
    expectDecodeError(fromHex('0414000c000000aa00000000'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
  });
});

suite('TABLE_MOD', () => {
  const m: OfpMessage = { type: 'TABLE_MOD', xid: 7, tableId: OFPTT.ALL, config: 3 };
  it('round-trips', () => {
    expect(toHex(msgRoundTrip(m))).toBe('0411001000000007ff00000000000003');
  });
  itOvs('OVS oracle', () => {
    expect(ovs(encode(m))).toBe('OFPT_TABLE_MOD (OF1.3) (xid=0x7): table_id: ALL_TABLES');
    expect(ovs(encode({ ...m, tableId: 3 }))).toBe('OFPT_TABLE_MOD (OF1.3) (xid=0x7): table_id=3');
  });
  it('malformed and out-of-range', () => {
    expectDecodeError(fromHex('0411000f00000007ff000000000000'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    expectEncodeError({ ...m, tableId: 256 }, 'tableId');
  });
});

suite('ROLE_REQUEST / ROLE_REPLY', () => {
  const req: OfpMessage = { type: 'ROLE_REQUEST', xid: 7, role: ControllerRole.MASTER, generationId: 12n };
  it('round-trips', () => {
    expect(toHex(msgRoundTrip(req))).toBe('04180018000000070000000200000000000000000000000c');
    msgRoundTrip({ type: 'ROLE_REPLY', xid: 7, role: ControllerRole.SLAVE, generationId: 0xffffffffffffffffn });
  });
  itOvs('OVS oracle (OVS says primary/secondary for master/slave)', () => {
    expect(ovs(encode(req))).toBe('OFPT_ROLE_REQUEST (OF1.3) (xid=0x7): role=primary generation_id=12');
    expect(ovs(encode({ type: 'ROLE_REPLY', xid: 7, role: ControllerRole.SLAVE, generationId: 5n }))).toBe(
      'OFPT_ROLE_REPLY (OF1.3) (xid=0x7): role=secondary generation_id=5',
    );
    expect(ovs(encode({ type: 'ROLE_REQUEST', xid: 7, role: ControllerRole.EQUAL, generationId: 0n }))).toContain('role=equal');
  });
  it('malformed and out-of-range', () => {
    expectDecodeError(truncated(encode(req), 23), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    expectEncodeError({ ...req, generationId: 1n << 64n }, 'generationId');
    expectEncodeError({ ...req, role: -2 }, 'role');
  });
  it('property: round-trips', () => {
    fc.assert(fc.property(xid, u32, u64, fc.boolean(), (x, role, g, isReq) => void msgRoundTrip({ type: isReq ? 'ROLE_REQUEST' : 'ROLE_REPLY', xid: x, role, generationId: g })));
  });
});

suite('GET_ASYNC_REPLY / SET_ASYNC', () => {
  const set: OfpMessage = { type: 'SET_ASYNC', xid: 7, packetInMask: [3, 0], portStatusMask: [7, 7], flowRemovedMask: [15, 0] };
  it('round-trips', () => {
    expect(toHex(msgRoundTrip(set))).toBe('041c002000000007000000030000000000000007000000070000000f00000000');
    msgRoundTrip({ ...set, type: 'GET_ASYNC_REPLY' });
  });
  itOvs('OVS oracle: the masks land in the right role and category', () => {
    const text = ovs(encode(set));
    expect(text).toContain('OFPT_SET_ASYNC (OF1.3) (xid=0x7):');
    expect(text).toContain('primary: PACKET_IN: no_match action PORT_STATUS: add delete modify FLOW_REMOVED: idle hard delete group_delete');
    expect(text).toContain('secondary: PACKET_IN: (off) PORT_STATUS: add delete modify FLOW_REMOVED: (off)');
    expect(ovs(encode({ ...set, type: 'GET_ASYNC_REPLY' }))).toContain('OFPT_GET_ASYNC_REPLY (OF1.3)');
  });
  it('malformed and out-of-range', () => {
    expectDecodeError(truncated(encode(set), 28), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    expectEncodeError({ ...set, packetInMask: [1] }, 'packetInMask');
    expectEncodeError({ ...set, flowRemovedMask: [0, -1] }, 'flowRemovedMask[1]');
  });
  it('property: round-trips', () => {
    const pair = fc.tuple(u32, u32);
    fc.assert(
      fc.property(xid, pair, pair, pair, (x, p, s, f) => void msgRoundTrip({ type: 'SET_ASYNC', xid: x, packetInMask: p, portStatusMask: s, flowRemovedMask: f })),
    );
  });
});

suite('PORT_MOD', () => {
  const m: OfpMessage = {
    type: 'PORT_MOD',
    xid: 7,
    portNo: 3,
    hwAddr: 'aa:bb:cc:dd:ee:ff',
    config: PortConfig.PORT_DOWN,
    mask: PortConfig.PORT_DOWN,
    advertise: PortFeatures['1GB_FD'] | PortFeatures.AUTONEG,
  };
  it('round-trips', () => {
    expect(toHex(msgRoundTrip(m))).toBe('04100028000000070000000300000000aabbccddeeff000000000001000000010000202000000000');
  });
  itOvs('OVS oracle', () => {
    expect(ovs(encode(m))).toBe('OFPT_PORT_MOD (OF1.3) (xid=0x7): port: 3: addr:aa:bb:cc:dd:ee:ff config: PORT_DOWN mask: PORT_DOWN advertise: 1GB-FD AUTO_NEG');
  });
  it('malformed and out-of-range', () => {
    expectDecodeError(truncated(encode(m), 39), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    expectEncodeError({ ...m, hwAddr: 'aa:bb:cc' }, 'hwAddr');
    expectEncodeError({ ...m, mask: 2 ** 32 }, 'mask');
  });
  it('upper-case MAC input is normalised (decode gives lower case)', () => {
    const b = encode({ ...m, hwAddr: 'AA:BB:CC:DD:EE:FF' });
    expect((decode(b) as { hwAddr: string }).hwAddr).toBe('aa:bb:cc:dd:ee:ff');
  });
  it('property: round-trips', () => {
    fc.assert(
      fc.property(xid, u32, mac, u32, u32, u32, (x, p, hw, c, mk, adv) => void msgRoundTrip({ type: 'PORT_MOD', xid: x, portNo: p, hwAddr: hw, config: c, mask: mk, advertise: adv })),
    );
  });
});

suite('fixed-layout bodies under arbitrary bytes', () => {
  it('decode throws nothing but OfpDecodeError', () => {
    const types = [2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 20, 21, 24, 25, 26, 27, 28];
    fc.assert(
      fc.property(fc.constantFrom(...types), xid, bytes(48), (t, x, body) => {
        const b = new Uint8Array(8 + body.length);
        const v = new DataView(b.buffer);
        v.setUint8(0, 4);
        v.setUint8(1, t);
        v.setUint16(2, b.length);
        v.setUint32(4, x);
        b.set(body, 8);
        decodeOrDecodeError(b);
      }),
      { numRuns: 2000 },
    );
  });
  it('every successfully decoded message re-encodes to the same bytes', () => {
    const cases: Array<[number, number]> = [
      [6, 24],
      [8, 4],
      [9, 4],
      [16, 32],
      [17, 8],
      [24, 16],
      [25, 16],
      [27, 24],
      [28, 24],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...cases), xid, fc.uint8Array({ minLength: 32, maxLength: 32 }), ([t, len], x, raw) => {
        const b = new Uint8Array(8 + len);
        const v = new DataView(b.buffer);
        v.setUint8(0, 4);
        v.setUint8(1, t);
        v.setUint16(2, b.length);
        v.setUint32(4, x);
        b.set(raw.subarray(0, len), 8);
        const m = decode(b);
        const again = encode(m);
        // Padding is written as zero, so compare after zeroing the pad bytes of the input.
        expect(decode(again)).toEqual(m);
      }),
    );
  });
});
