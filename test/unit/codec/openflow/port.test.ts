/** ofp_port (port.ts) and OFPT_PORT_STATUS. */
import { describe as suite, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Reader, Writer } from '../../../../src/codec/openflow/buffer.js';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { BadRequest, ErrType, OfpEncodeError } from '../../../../src/codec/openflow/errors.js';
import type { OfpMessage } from '../../../../src/codec/openflow/messages.js';
import { decodePort, encodePort, OFP_PORT_LEN, PortConfig, PortFeatures, PortState, type Port } from '../../../../src/codec/openflow/port.js';
import { PortReason } from '../../../../src/codec/openflow/port-status.js';
import { arbU32 as u32, bytesRoundTrip, expectDecodeError, expectEncodeError, itOvs, msgRoundTrip, ovs, toHex, truncated } from './msg-helpers.js';

const port: Port = {
  portNo: 1,
  hwAddr: '02:00:00:00:00:01',
  name: 's1-eth1',
  config: 0,
  state: PortState.LIVE,
  curr: PortFeatures['10GB_FD'] | PortFeatures.COPPER,
  advertised: 0,
  supported: 0,
  peer: 0,
  currSpeed: 10_000_000,
  maxSpeed: 0,
};

const portArb: fc.Arbitrary<Port> = fc.record({
  portNo: u32,
  hwAddr: fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':')),
  name: fc.string({ maxLength: 15 }).filter((s) => !s.includes('\0')),
  config: u32,
  state: u32,
  curr: u32,
  advertised: u32,
  supported: u32,
  peer: u32,
  currSpeed: u32,
  maxSpeed: u32,
});

suite('ofp_port', () => {
  it('is 64 bytes with the spec layout', () => {
    const w = new Writer();
    encodePort(w, port);
    const b = w.toBytes();
    expect(b.length).toBe(OFP_PORT_LEN);
    expect(toHex(b)).toBe(
      '00000001' + '00000000' + '020000000001' + '0000' + '73312d6574683100' + '0000000000000000' + '00000000' + '00000004' + '00000840' + '00000000'.repeat(3) + '00989680' + '00000000',
    );
    expect(decodePort(new Reader(b))).toEqual(port);
  });
  it('tolerates a 16-byte name without NUL on decode', () => {
    const w = new Writer();
    encodePort(w, port);
    const b = w.toBytes();
    b.set(new TextEncoder().encode('abcdefghijklmnop'), 16);
    expect(decodePort(new Reader(b)).name).toBe('abcdefghijklmnop');
  });
  it('validates on encode', () => {
    const bad = (p: Partial<Port>, path: string): void => {
      expect(() => encodePort(new Writer(), { ...port, ...p })).toThrow(OfpEncodeError);
      try {
        encodePort(new Writer(), { ...port, ...p });
      } catch (e) {
        expect((e as OfpEncodeError).path).toBe(path);
      }
    };
    bad({ name: 'abcdefghijklmnop' }, 'port.name');
    bad({ name: 'a\0b' }, 'port.name');
    bad({ name: 'π€' }, 'port.name');
    bad({ hwAddr: 'nope' }, 'port.hwAddr');
    bad({ portNo: -1 }, 'port.portNo');
    bad({ maxSpeed: 2 ** 32 }, 'port.maxSpeed');
  });
  it('property: round-trips', () => {
    fc.assert(
      fc.property(portArb, (p) => {
        const w = new Writer(8);
        encodePort(w, p);
        const r = new Reader(w.toBytes());
        expect(decodePort(r)).toEqual(p);
        expect(r.offset).toBe(64);
      }),
    );
  });
  it('name tables have the spec bit values', () => {
    expect(PortConfig).toEqual({ PORT_DOWN: 1, NO_RECV: 4, NO_FWD: 32, NO_PACKET_IN: 64 });
    expect(PortState).toEqual({ LINK_DOWN: 1, BLOCKED: 2, LIVE: 4 });
    expect(PortFeatures.PAUSE_ASYM).toBe(0x8000);
    expect(PortFeatures['1TB_FD']).toBe(0x200);
  });
});

suite('PORT_STATUS', () => {
  const m: OfpMessage = { type: 'PORT_STATUS', xid: 0, reason: PortReason.MODIFY, port };
  it('round-trips both ways', () => {
    const b = msgRoundTrip(m);
    expect(b.length).toBe(80);
    bytesRoundTrip(b);
  });
  itOvs('OVS oracle', () => {
    expect(ovs(encode(m))).toBe(
      'OFPT_PORT_STATUS (OF1.3) (xid=0x0): MOD: 1(s1-eth1): addr:02:00:00:00:00:01 config: 0 state: LIVE current: 10GB-FD COPPER speed: 10000 Mbps now, 0 Mbps max',
    );
    const added = ovs(
      encode({
        type: 'PORT_STATUS',
        xid: 5,
        reason: PortReason.ADD,
        port: { ...port, portNo: 0xfffffffe, name: 'br0', config: PortConfig.PORT_DOWN, state: PortState.LINK_DOWN, curr: 0, currSpeed: 0 },
      }),
    );
    expect(added).toBe('OFPT_PORT_STATUS (OF1.3) (xid=0x5): ADD: LOCAL(br0): addr:02:00:00:00:00:01 config: PORT_DOWN state: LINK_DOWN speed: 0 Mbps now, 0 Mbps max');
    expect(ovs(encode({ ...m, reason: PortReason.DELETE }))).toContain('DEL: 1(s1-eth1)');
  });
  it('rejects truncated or over-long messages with BAD_LEN', () => {
    const b = encode(m);
    expectDecodeError(truncated(b, 79), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    expectDecodeError(truncated(b, 12), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    const longer = new Uint8Array(88);
    longer.set(b);
    new DataView(longer.buffer).setUint16(2, 88);
    expectDecodeError(longer, ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
  });
  it('validates on encode', () => {
    expectEncodeError({ ...m, reason: 256 }, 'reason');
    expectEncodeError({ ...m, port: { ...port, name: 'x'.repeat(16) } }, 'port.name');
  });
  it('property: round-trips', () => {
    fc.assert(fc.property(u32, fc.integer({ min: 0, max: 255 }), portArb, (xid, reason, p) => void msgRoundTrip({ type: 'PORT_STATUS', xid, reason, port: p })));
  });
  it('decoded port names come from the wire exactly', () => {
    const b = encode(m);
    expect((decode(b) as { port: Port }).port.name).toBe('s1-eth1');
  });
});
