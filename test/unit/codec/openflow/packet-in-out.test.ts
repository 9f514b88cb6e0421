/** OFPT_PACKET_IN and OFPT_PACKET_OUT. */
import { describe as suite, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { BadAction, BadMatch, BadRequest, ErrType } from '../../../../src/codec/openflow/errors.js';
import type { OfpMessage } from '../../../../src/codec/openflow/messages.js';
import { OFP_NO_BUFFER, PacketInReason, type PacketInMessage } from '../../../../src/codec/openflow/packet-in.js';
import type { PacketOutMessage } from '../../../../src/codec/openflow/packet-out.js';
import { OFPP } from '../../../../src/codec/openflow/actions.js';
import { bytesRoundTrip, decodeOrDecodeError, expectDecodeError, expectEncodeError, fromHex, itOvs, msgRoundTrip, ovs, toHex, withLength, withU16 } from './msg-helpers.js';

/** An ARP request from 02:00:00:00:00:01 (10.0.0.1) for 10.0.0.2: 42 bytes. */
const arp = fromHex('ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002');

const pin: PacketInMessage = {
  type: 'PACKET_IN',
  xid: 0,
  bufferId: OFP_NO_BUFFER,
  totalLen: 42,
  reason: PacketInReason.NO_MATCH,
  tableId: 0,
  cookie: 0xffffffffffffffffn,
  match: [{ field: 'in_port', value: 1 }],
  data: arp,
};

suite('PACKET_IN', () => {
  it('has the spec layout (match padded to 8, then 2 zero bytes, then the frame)', () => {
    const b = msgRoundTrip(pin);
    expect(toHex(b.subarray(0, 42))).toBe('040a0054' + '00000000' + 'ffffffff' + '002a' + '00' + '00' + 'ffffffffffffffff' + '0001000c' + '8000000400000001' + '00000000' + '0000');
    expect(toHex(b.subarray(42))).toBe(toHex(arp));
    bytesRoundTrip(b);
  });
  it('decodes the frame zero-copy', () => {
    const b = encode(pin);
    const m = decode(b) as PacketInMessage;
    expect(m.data.buffer).toBe(b.buffer);
    expect(m.data.byteOffset).toBe(42);
  });
  itOvs('OVS oracle', () => {
    expect(ovs(encode(pin))).toBe(
      'OFPT_PACKET_IN (OF1.3) (xid=0x0): total_len=42 in_port=1 (via no_match) data_len=42 (unbuffered) ' +
        'arp,vlan_tci=0x0000,dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1,arp_sha=02:00:00:00:00:01,arp_tha=00:00:00:00:00:00',
    );
    const rich: PacketInMessage = {
      ...pin,
      xid: 9,
      bufferId: 77,
      totalLen: 1500,
      reason: PacketInReason.ACTION,
      tableId: 2,
      cookie: 0xabcn,
      match: [
        { field: 'in_port', value: 3 },
        { field: 'metadata', value: 0x55n },
        { field: 'tunnel_id', value: 0x99n },
      ],
    };
    const text = ovs(encode(rich));
    expect(text).toContain('OFPT_PACKET_IN (OF1.3) (xid=0x9): table_id=2 cookie=0xabc total_len=1500');
    expect(text).toContain('tun_id=0x99');
    expect(text).toContain('metadata=0x55');
    expect(text).toContain('in_port=3 (via action) data_len=42 buffer=0x0000004d');
  });
  it('rejects malformed messages', () => {
    const b = encode(pin);
    // fixed part truncated
    expectDecodeError(withLength(b.slice(0, 20)), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    // match length beyond the message
    expectDecodeError(withU16(b, 26, 200), ErrType.BAD_MATCH, BadMatch.BAD_LEN);
    // not an OXM match
    expectDecodeError(withU16(b, 24, 0), ErrType.BAD_MATCH, BadMatch.BAD_TYPE);
    // the 2 pad bytes after the match missing
    expectDecodeError(withLength(b.slice(0, 41)), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
  });
  it('an empty frame and an empty match are fine', () => {
    msgRoundTrip({ ...pin, match: [], data: new Uint8Array() });
  });
  it('validates on encode', () => {
    expectEncodeError({ ...pin, totalLen: 70000 }, 'totalLen');
    expectEncodeError({ ...pin, cookie: -1n }, 'cookie');
    expectEncodeError({ ...pin, data: undefined }, 'data');
    expect(() => encode({ ...pin, match: [{ field: 'tcp_dst', value: 80 }] })).toThrow(/match/);
  });
  it('property: round-trips', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.bigUintN(64),
        fc.integer({ min: 1, max: 0xffffff00 }),
        fc.uint8Array({ maxLength: 100 }),
        (bufferId, totalLen, reason, tableId, cookie, inPort, data) => {
          msgRoundTrip({ type: 'PACKET_IN', xid: 1, bufferId, totalLen, reason, tableId, cookie, match: [{ field: 'in_port', value: inPort }], data });
        },
      ),
    );
  });
});

const pout: PacketOutMessage = {
  type: 'PACKET_OUT',
  xid: 3,
  bufferId: OFP_NO_BUFFER,
  inPort: OFPP.CONTROLLER,
  actions: [{ type: 'output', port: OFPP.FLOOD, maxLen: 0 }],
  data: arp,
};

suite('PACKET_OUT', () => {
  it('has the spec layout and round-trips', () => {
    const b = msgRoundTrip(pout);
    expect(toHex(b.subarray(0, 40))).toBe('040d0052' + '00000003' + 'ffffffff' + 'fffffffd' + '0010' + '000000000000' + '00000010fffffffb0000000000000000');
    bytesRoundTrip(b);
    msgRoundTrip({ ...pout, actions: [], data: new Uint8Array() });
  });
  itOvs('OVS oracle', () => {
    expect(ovs(encode(pout))).toBe(
      'OFPT_PACKET_OUT (OF1.3) (xid=0x3): in_port=CONTROLLER actions=FLOOD data_len=42 ' +
        'arp,vlan_tci=0x0000,dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1,arp_sha=02:00:00:00:00:01,arp_tha=00:00:00:00:00:00',
    );
    const buffered: OfpMessage = {
      ...pout,
      bufferId: 12,
      inPort: 1,
      actions: [
        { type: 'push_vlan', ethertype: 0x8100 },
        { type: 'set_field', field: { field: 'vlan_vid', value: 0x1000 | 10 } },
        { type: 'output', port: 2, maxLen: 0 },
      ],
      data: new Uint8Array(),
    };
    expect(ovs(encode(buffered))).toBe('OFPT_PACKET_OUT (OF1.3) (xid=0x3): in_port=1 actions=push_vlan:0x8100,set_field:4106->vlan_vid,output:2 buffer=0x0000000c');
  });
  it('rejects malformed messages', () => {
    const b = encode(pout);
    // actions_len beyond the message
    expectDecodeError(withU16(b, 16, 0x100), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    // actions_len not a multiple of 8
    expectDecodeError(withU16(b, 16, 12), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    // an action whose own length overruns actions_len
    expectDecodeError(withU16(b, 16, 8), ErrType.BAD_ACTION, BadAction.BAD_LEN);
    // zero-length action (must not loop)
    expectDecodeError(withU16(b, 26, 0), ErrType.BAD_ACTION, BadAction.BAD_LEN);
    // unknown action type
    expectDecodeError(withU16(b, 24, 0x99), ErrType.BAD_ACTION, BadAction.BAD_TYPE);
    // fixed part truncated
    expectDecodeError(withLength(b.slice(0, 20)), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
  });
  it('validates on encode', () => {
    expectEncodeError({ ...pout, inPort: 2 ** 32 }, 'inPort');
    expectEncodeError({ ...pout, actions: 'flood' }, 'actions');
    expect(() => encode({ ...pout, actions: [{ type: 'output', port: -1, maxLen: 0 }] })).toThrow(/actions\[0\]/);
  });
  it('property: round-trips', () => {
    const action = fc.oneof(
      fc.record({ type: fc.constant('output' as const), port: fc.integer({ min: 1, max: 0xffffff00 }), maxLen: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ type: fc.constant('group' as const), groupId: fc.integer({ min: 0, max: 0xffffff00 }) }),
      fc.constant({ type: 'pop_vlan' as const }),
      fc.constant({ type: 'dec_nw_ttl' as const }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.array(action, { maxLength: 5 }), fc.uint8Array({ maxLength: 64 }), (bufferId, inPort, actions, data) => {
        msgRoundTrip({ type: 'PACKET_OUT', xid: 4, bufferId, inPort, actions, data });
      }),
    );
  });
});

suite('PACKET_IN / PACKET_OUT under mutation', () => {
  it('decode throws nothing but OfpDecodeError on corrupted messages', () => {
    const seeds = [encode(pin), encode(pout)];
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(), (seed, edits, cut) => {
        const b = seed.slice(0, 8 + (cut % (seed.length - 7)));
        for (const [at, v] of edits) if (b.length > 8) b[8 + (at % (b.length - 8))] = v;
        decodeOrDecodeError(withLength(b));
      }),
      { numRuns: 3000 },
    );
  });
});
