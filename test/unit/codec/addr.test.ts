import fc from 'fast-check';
import { ipv4FromString, ipv4ToString, ipv6Bytes, ipv6ToString, macBytes, macToString } from '../../../src/codec/addr.js';

describe('address text forms', () => {
  it('formats and parses MACs', () => {
    expect(macToString(Uint8Array.from([0, 0x1b, 0x21, 0xab, 0xcd, 0xef]))).toBe('00:1b:21:ab:cd:ef');
    expect(Array.from(macBytes('00:1B:21:AB:CD:EF'))).toEqual([0, 0x1b, 0x21, 0xab, 0xcd, 0xef]);
    expect(() => macBytes('00:1b:21:ab:cd')).toThrow(RangeError);
  });
  it('formats and parses IPv4', () => {
    expect(ipv4ToString(0x0a000001)).toBe('10.0.0.1');
    expect(ipv4FromString('255.255.255.255')).toBe(0xffffffff);
    expect(() => ipv4FromString('1.2.3.256')).toThrow(RangeError);
    expect(() => ipv4FromString('1.2.3')).toThrow(RangeError);
  });
  it('formats IPv6 per RFC 5952', () => {
    expect(ipv6ToString(ipv6Bytes('2001:db8:0:0:0:0:2:1'))).toBe('2001:db8::2:1');
    expect(ipv6ToString(ipv6Bytes('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(ipv6ToString(ipv6Bytes('::'))).toBe('::');
    expect(ipv6ToString(ipv6Bytes('fe80::1'))).toBe('fe80::1');
    expect(ipv6ToString(ipv6Bytes('::ffff:10.0.0.1'))).toBe('::ffff:a00:1');
    expect(() => ipv6Bytes('1::2::3')).toThrow(RangeError);
    expect(() => ipv6Bytes('12345::')).toThrow(RangeError);
  });
  it('round-trips any 16 bytes through IPv6 text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        expect(Array.from(ipv6Bytes(ipv6ToString(b)))).toEqual(Array.from(b));
      }),
    );
  });
});
