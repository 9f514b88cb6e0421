/** OFPT_HELLO: elements, version bitmaps, negotiation (OpenFlow 1.3.5 §6.3.1, §7.5.1). */
import { describe as suite, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { BadRequest, ErrType } from '../../../../src/codec/openflow/errors.js';
import { bitmapsFor, helloFor, negotiateVersion, versionsFromBitmaps, type HelloElement, type HelloMessage } from '../../../../src/codec/openflow/hello.js';
import { bytesRoundTrip, decodeOrDecodeError, expectDecodeError, expectEncodeError, fromHex, itOvs, msgRoundTrip, ovs, toHex } from './msg-helpers.js';

suite('HELLO codec', () => {
  it('decodes what OVS sends (bitmap 0x1a: 1.0, 1.2, 1.3) and re-encodes it byte-exactly', () => {
    const m = bytesRoundTrip(fromHex('04000010 00000001 0001 0008 0000001a')) as HelloMessage;
    expect(m).toEqual({ type: 'HELLO', xid: 1, version: 4, elements: [{ type: 'VERSIONBITMAP', bitmaps: [0x1a] }] });
    expect(versionsFromBitmaps((m.elements[0] as { bitmaps: number[] }).bitmaps)).toEqual([1, 3, 4]);
  });

  it('helloFor([4]) is the canonical 1.3-only HELLO', () => {
    const b = encode(helloFor([4], 9));
    expect(toHex(b)).toBe('04000010000000090001000800000010');
  });

  it('encodes version 0x04 when the message has none', () => {
    const b = encode({ type: 'HELLO', xid: 3, elements: [] });
    expect(toHex(b)).toBe('0400000800000003');
  });

  it('keeps other header versions (HELLO is version-agnostic)', () => {
    const m = bytesRoundTrip(fromHex('0100000800000001'));
    expect(m).toEqual({ type: 'HELLO', xid: 1, version: 1, elements: [] });
    bytesRoundTrip(fromHex('06000010000000010001000800000042'));
  });

  it('pads elements to 8 bytes and keeps unknown elements opaque', () => {
    const m: HelloMessage = {
      type: 'HELLO',
      xid: 1,
      version: 4,
      elements: [
        { type: 'UNKNOWN', elemType: 7, data: fromHex('ab') },
        { type: 'VERSIONBITMAP', bitmaps: [0x10, 0x1] },
      ],
    };
    const b = msgRoundTrip(m);
    expect(toHex(b)).toBe('04000020000000010007000' + '5ab000000' + '0001000c000000100000000100000000');
    expect(versionsFromBitmaps([0x10, 0x1])).toEqual([4, 32]);
  });

  itOvs('OVS reads our HELLOs', () => {
    expect(ovs(encode(helloFor([4])))).toBe('OFPT_HELLO (OF1.3) (xid=0x0): version bitmap: 0x04');
    expect(ovs(encode(helloFor([1, 3, 4], 7)))).toBe('OFPT_HELLO (OF1.3) (xid=0x7): version bitmap: 0x01, 0x03, 0x04');
    expect(ovs(encode({ type: 'HELLO', xid: 1, version: 6, elements: [{ type: 'VERSIONBITMAP', bitmaps: bitmapsFor([1, 6]) }] }))).toBe(
      'OFPT_HELLO (OF1.5) (xid=0x1): version bitmap: 0x01, 0x06',
    );
    expect(ovs(encode({ type: 'HELLO', xid: 1, version: 1, elements: [] }))).toBe('OFPT_HELLO (xid=0x1): version bitmap: 0x01');
    // A two-word bitmap (versions >= 32 exist only in the second word) still reads as 1.3.
    expect(ovs(encode({ type: 'HELLO', xid: 1, elements: [{ type: 'VERSIONBITMAP', bitmaps: [0x10, 0x1] }] }))).toBe(
      'OFPT_HELLO (OF1.3) (xid=0x1): version bitmap: 0x04',
    );
    // OVS skips (and flags) unknown elements but still finds the bitmap after them: our padding is right.
    const withUnknown = ovs(encode({ type: 'HELLO', xid: 1, elements: [{ type: 'UNKNOWN', elemType: 7, data: fromHex('ab') }, { type: 'VERSIONBITMAP', bitmaps: [0x10] }] }));
    expect(withUnknown).toContain('OFPT_HELLO (OF1.3) (xid=0x1): version bitmap: 0x04 unknown data in hello');
  });

  it('rejects malformed elements with BAD_REQUEST/BAD_LEN', () => {
    // element length < 4
    expectDecodeError(fromHex('04000010000000010001000200000010'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    // element longer than the message
    expectDecodeError(fromHex('04000010000000010001001000000010'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    // bitmap length not 4 + 4n
    expectDecodeError(fromHex('04000010000000010001000600000010'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    // element padding missing at the end of the message
    expectDecodeError(fromHex('0400000d00000001000700' + '05ab'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
    // a lone partial element header
    expectDecodeError(fromHex('0400000a000000010001'), ErrType.BAD_REQUEST, BadRequest.BAD_LEN);
  });

  it('validates elements on encode', () => {
    expectEncodeError({ type: 'HELLO', xid: 1, version: 256, elements: [] }, 'version');
    expectEncodeError({ type: 'HELLO', xid: 1, elements: [{ type: 'VERSIONBITMAP', bitmaps: [-1] }] }, 'elements[0].bitmaps[0]');
    expectEncodeError({ type: 'HELLO', xid: 1, elements: [{ type: 'UNKNOWN', elemType: 0x10000, data: new Uint8Array() }] }, 'elements[0].elemType');
    expectEncodeError({ type: 'HELLO', xid: 1, elements: [{ type: 'BOGUS' }] }, 'elements[0].type');
    expectEncodeError({ type: 'HELLO', xid: 1 }, 'elements');
  });

  it('property: generated HELLOs round-trip', () => {
    const element: fc.Arbitrary<HelloElement> = fc.oneof(
      fc.record({ type: fc.constant('VERSIONBITMAP' as const), bitmaps: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 4 }) }),
      fc.record({ type: fc.constant('UNKNOWN' as const), elemType: fc.integer({ min: 2, max: 0xffff }), data: fc.uint8Array({ maxLength: 20 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 255 }), fc.array(element, { maxLength: 4 }), (xid, version, elements) => {
        msgRoundTrip({ type: 'HELLO', xid, version, elements });
      }),
    );
  });

  it('property: arbitrary HELLO bodies decode or fail with OfpDecodeError, and decoded ones re-encode exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (body) => {
        const b = new Uint8Array(8 + body.length);
        b.set([4, 0, 0, 0, 0, 0, 0, 1]);
        new DataView(b.buffer).setUint16(2, b.length);
        b.set(body, 8);
        decodeOrDecodeError(b);
      }),
      { numRuns: 2000 },
    );
  });
});

suite('version bitmaps', () => {
  it('bitmapsFor / versionsFromBitmaps are inverse', () => {
    expect(bitmapsFor([4])).toEqual([0x10]);
    expect(bitmapsFor([1, 4])).toEqual([0x12]);
    expect(bitmapsFor([])).toEqual([]);
    expect(bitmapsFor([31])).toEqual([0x80000000]);
    expect(() => bitmapsFor([256])).toThrow(RangeError);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { maxLength: 20 }), (vs) => {
        expect(versionsFromBitmaps(bitmapsFor(vs))).toEqual([...vs].sort((a, b) => a - b));
      }),
    );
  });
});

suite('negotiateVersion (§6.3.1)', () => {
  const peer = (version: number, versions?: number[]): HelloMessage => ({
    type: 'HELLO',
    xid: 0,
    version,
    elements: versions === undefined ? [] : [{ type: 'VERSIONBITMAP', bitmaps: bitmapsFor(versions) }],
  });
  it('with both bitmaps: the highest common version', () => {
    expect(negotiateVersion([4], peer(4, [1, 3, 4]))).toBe(4);
    expect(negotiateVersion([1, 4], peer(6, [1, 4, 5, 6]))).toBe(4);
    expect(negotiateVersion([4], peer(6, [1, 5, 6]))).toBeUndefined();
    expect(negotiateVersion([1, 4], peer(6, [1, 5, 6]))).toBe(1);
  });
  it('without a peer bitmap: the smaller header version, if we support it', () => {
    expect(negotiateVersion([4], peer(5))).toBe(4);
    expect(negotiateVersion([4], peer(4))).toBe(4);
    expect(negotiateVersion([4], peer(1))).toBeUndefined();
    expect(negotiateVersion([1, 4], peer(1))).toBe(1);
    expect(negotiateVersion([1, 4], peer(3))).toBeUndefined();
  });
  it('fails when we offer nothing', () => {
    expect(negotiateVersion([], peer(4, [4]))).toBeUndefined();
  });
  it('works on a HELLO decoded from the wire', () => {
    expect(negotiateVersion([4], decode(fromHex('04000010000000010001000800000012')) as HelloMessage)).toBe(4);
  });
});
