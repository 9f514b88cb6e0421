import fc from 'fast-check';
import { Reader, Writer } from '../../../../src/codec/openflow/buffer.js';
import { BadMatch, ErrType, OfpDecodeError, OfpEncodeError } from '../../../../src/codec/openflow/errors.js';
import {
  decodeMatch,
  decodeOxm,
  decodeOxmId,
  encodeMatch,
  encodeOxm,
  encodeOxmId,
  matchProblems,
  oxmIdOf,
  OXM_FIELD_NAMES,
  type BasicOxmName,
  type Match,
  type OxmField,
  type OxmId,
} from '../../../../src/codec/openflow/oxm.js';
import { ipv4ToString, ipv6ToString, macToString } from '../../../../src/codec/addr.js';
import { decodeErr, encodeErr, fromHex, readWhole, toHex, written as enc } from './msg-helpers.js';

const matchBytes = (m: Match): Uint8Array => enc((w) => encodeMatch(w, m));
const decodeMatchBytes = (b: Uint8Array): Match => readWhole(b, decodeMatch);

// Independent description of the 40 basic fields (OpenFlow 1.3.5 Table 11): code order, value kind,
// wire bytes, maskable per spec.
type Kind = 'u' | 'u64' | 'mac' | 'ipv4' | 'ipv6';
const SPEC: readonly [BasicOxmName, Kind, number /* bytes */, number /* max */, boolean /* maskable */][] = [
  ['in_port', 'u', 4, 0xffffffff, false],
  ['in_phy_port', 'u', 4, 0xffffffff, false],
  ['metadata', 'u64', 8, 0, true],
  ['eth_dst', 'mac', 6, 0, true],
  ['eth_src', 'mac', 6, 0, true],
  ['eth_type', 'u', 2, 0xffff, false],
  ['vlan_vid', 'u', 2, 0x1fff, true],
  ['vlan_pcp', 'u', 1, 7, false],
  ['ip_dscp', 'u', 1, 63, false],
  ['ip_ecn', 'u', 1, 3, false],
  ['ip_proto', 'u', 1, 255, false],
  ['ipv4_src', 'ipv4', 4, 0, true],
  ['ipv4_dst', 'ipv4', 4, 0, true],
  ['tcp_src', 'u', 2, 0xffff, false],
  ['tcp_dst', 'u', 2, 0xffff, false],
  ['udp_src', 'u', 2, 0xffff, false],
  ['udp_dst', 'u', 2, 0xffff, false],
  ['sctp_src', 'u', 2, 0xffff, false],
  ['sctp_dst', 'u', 2, 0xffff, false],
  ['icmpv4_type', 'u', 1, 255, false],
  ['icmpv4_code', 'u', 1, 255, false],
  ['arp_op', 'u', 2, 0xffff, false],
  ['arp_spa', 'ipv4', 4, 0, true],
  ['arp_tpa', 'ipv4', 4, 0, true],
  ['arp_sha', 'mac', 6, 0, true],
  ['arp_tha', 'mac', 6, 0, true],
  ['ipv6_src', 'ipv6', 16, 0, true],
  ['ipv6_dst', 'ipv6', 16, 0, true],
  ['ipv6_flabel', 'u', 4, 0xfffff, true],
  ['icmpv6_type', 'u', 1, 255, false],
  ['icmpv6_code', 'u', 1, 255, false],
  ['ipv6_nd_target', 'ipv6', 16, 0, false],
  ['ipv6_nd_sll', 'mac', 6, 0, false],
  ['ipv6_nd_tll', 'mac', 6, 0, false],
  ['mpls_label', 'u', 4, 0xfffff, false],
  ['mpls_tc', 'u', 1, 7, false],
  ['mpls_bos', 'u', 1, 1, false],
  ['pbb_isid', 'u', 3, 0xffffff, true],
  ['tunnel_id', 'u64', 8, 0, true],
  ['ipv6_exthdr', 'u', 2, 0x1ff, true],
];
const L4_PORTS = new Set<string>(['tcp_src', 'tcp_dst', 'udp_src', 'udp_dst', 'sctp_src', 'sctp_dst']);
const specOf = (name: string) => SPEC.find((s) => s[0] === name)!;
const maskable = (name: string): boolean => specOf(name)[4] || L4_PORTS.has(name);

/** A sample value (and mask) per kind, with value bits only inside the mask. */
function sample(kind: Kind, max: number): { value: unknown; mask: unknown } {
  switch (kind) {
    case 'u':
      return { value: (max & 0x0f0f0f0f) >>> 0 || max, mask: max };
    case 'u64':
      return { value: 0x0123456789abcdefn, mask: 0xffffffffffffffffn };
    case 'mac':
      return { value: '00:1b:21:ab:00:00', mask: 'ff:ff:ff:ff:00:00' };
    case 'ipv4':
      return { value: '10.1.0.0', mask: '255.255.0.0' };
    case 'ipv6':
      return { value: '2001:db8::', mask: 'ffff:ffff::' };
  }
}

describe('OXM field table', () => {
  it('names the 40 basic fields in code order', () => {
    expect(OXM_FIELD_NAMES).toEqual(SPEC.map((s) => s[0]));
  });
});

describe('OXM TLV round trips', () => {
  it.each(SPEC.map((s) => [s[0], s] as const))('%s (unmasked and masked) encodes the right header and round-trips', (_n, spec) => {
    const [name, kind, bytes, max] = spec;
    const code = SPEC.indexOf(spec);
    const { value, mask } = sample(kind, max);
    const plain = { field: name, value } as OxmField;
    const b = enc((w) => encodeOxm(w, plain));
    expect(b.length).toBe(4 + bytes);
    expect(toHex(b.subarray(0, 4))).toBe(toHex(Uint8Array.from([0x80, 0x00, code << 1, bytes])));
    expect(decodeOxm(new Reader(b))).toStrictEqual(plain);
    expect(decodeOxmId(new Reader(b))).toStrictEqual(oxmIdOf(name));
    if (!maskable(name)) {
      expect(() => enc((w) => encodeOxm(w, { field: name, value, mask } as OxmField))).toThrow(/not maskable/);
      return;
    }
    const masked = { field: name, value, mask } as OxmField;
    const mb = enc((w) => encodeOxm(w, masked));
    expect(mb.length).toBe(4 + 2 * bytes);
    expect(toHex(mb.subarray(0, 4))).toBe(toHex(Uint8Array.from([0x80, 0x00, (code << 1) | 1, 2 * bytes])));
    expect(decodeOxm(new Reader(mb))).toStrictEqual(masked);
    expect(decodeOxmId(new Reader(mb))).toStrictEqual(oxmIdOf(name, true));
  });

  it('decodes hand-made vectors byte-exactly', () => {
    const cases: [string, OxmField][] = [
      ['80000004 00000001', { field: 'in_port', value: 1 }],
      ['80000a02 0800', { field: 'eth_type', value: 0x0800 }],
      ['80000c02 1064', { field: 'vlan_vid', value: 0x1064 }],
      ['80000d04 10001000', { field: 'vlan_vid', value: 0x1000, mask: 0x1000 }],
      ['80000606 0a0b0c0d0e0f', { field: 'eth_dst', value: '0a:0b:0c:0d:0e:0f' }],
      ['80001708 0a000000 ff000000', { field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.0.0' }],
      ['80001c02 0050', { field: 'tcp_dst', value: 80 }],
      ['80001d04 0000 fffc', { field: 'tcp_dst', value: 0, mask: 0xfffc }],
      ['80004a03 abcdef', { field: 'pbb_isid', value: 0xabcdef }],
      ['80004c08 00000000deadbeef', { field: 'tunnel_id', value: 0xdeadbeefn }],
      ['80003410 20010db8000000000000000000000001', { field: 'ipv6_src', value: '2001:db8::1' }],
      ['00010004 0000002a', { field: 'opaque', oxmClass: 1, fieldCode: 0, hasMask: false, payload: fromHex('0000002a') }],
      ['ffff5406 4f4e4600 0012', { field: 'experimenter', experimenter: 0x4f4e4600, fieldCode: 42, hasMask: false, payload: fromHex('0012') }],
    ];
    for (const [h, want] of cases) {
      const b = fromHex(h);
      const r = new Reader(b);
      expect(decodeOxm(r)).toStrictEqual(want);
      expect(r.offset).toBe(b.length);
      expect(toHex(enc((w) => encodeOxm(w, want)))).toBe(toHex(b));
    }
  });
});

describe('ofp_match', () => {
  it('encodes type, length, fields and zero padding to 8', () => {
    const m: Match = [
      { field: 'in_port', value: 1 },
      { field: 'eth_type', value: 0x0800 },
      { field: 'ip_proto', value: 6 },
      { field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.0.0' },
      { field: 'tcp_dst', value: 80 },
    ];
    const h = '0001 0029 80000004 00000001 80000a02 0800 80001401 06 80001708 0a000000 ff000000 80001c02 0050 00000000000000';
    expect(toHex(matchBytes(m))).toBe(toHex(fromHex(h)));
    expect(decodeMatchBytes(fromHex(h))).toStrictEqual(m);
  });

  it('encodes an empty match as 8 bytes', () => {
    expect(toHex(matchBytes([]))).toBe('0001000400000000');
    expect(decodeMatchBytes(fromHex('0001000400000000'))).toStrictEqual([]);
  });

  it('preserves order and opaque NXM / experimenter fields', () => {
    const m: Match = [
      { field: 'opaque', oxmClass: 0x0001, fieldCode: 0, hasMask: true, payload: fromHex('0000000100000003') }, // NXM_NX_REG0/mask
      { field: 'eth_src', value: '00:00:00:00:00:01' },
      { field: 'experimenter', experimenter: 0x4f4e4600, fieldCode: 42, hasMask: true, payload: fromHex('00020fff') },
      { field: 'opaque', oxmClass: 0x0000, fieldCode: 5, hasMask: false, payload: new Uint8Array(0) },
    ];
    const b = matchBytes(m);
    expect(b.length % 8).toBe(0);
    expect(decodeMatchBytes(b)).toStrictEqual(m);
  });

  it('skips (does not check) padding, and consumes it', () => {
    const b = fromHex('0001 000a 80000a02 0800 ffffffffffff');
    expect(decodeMatchBytes(b)).toStrictEqual([{ field: 'eth_type', value: 0x0800 }]);
  });
});

describe('malformed input', () => {
  const cases: [string, string, number, number][] = [
    ['match type 0 (OFPMT_STANDARD)', '0000 0004 00000000', ErrType.BAD_MATCH, BadMatch.BAD_TYPE],
    ['match length < 4', '0001 0002 00000000', ErrType.BAD_MATCH, BadMatch.BAD_LEN],
    ['match length past the buffer', '0001 0010 80000004 00000001', ErrType.BAD_MATCH, BadMatch.BAD_LEN],
    ['missing padding', '0001 000a 80000a02 0800', ErrType.BAD_MATCH, BadMatch.BAD_LEN],
    ['truncated match header', '00', ErrType.BAD_MATCH, BadMatch.BAD_LEN],
    ['ipv4_src with length 5', '0001 000d 80001605 0a00000100 000000', ErrType.BAD_MATCH, BadMatch.BAD_LEN],
    ['in_port with length 0', '0001 0008 80000000', ErrType.BAD_MATCH, BadMatch.BAD_LEN],
    ['masked eth_type with unmasked length', '0001 000a 80000b02 0800 000000000000', ErrType.BAD_MATCH, BadMatch.BAD_LEN],
    ['OXM header cut by the match length', '0001 0006 8000 0000', ErrType.BAD_MATCH, BadMatch.BAD_LEN],
    ['OXM length past the match', '0001 000c 80000008 00000001', ErrType.BAD_MATCH, BadMatch.BAD_LEN],
    ['unknown basic field 40', '0001 0009 80005001 01 00000000000000', ErrType.BAD_MATCH, BadMatch.BAD_FIELD],
    ['unknown basic field 127', '0001 0008 8000fe00', ErrType.BAD_MATCH, BadMatch.BAD_FIELD],
    ['experimenter OXM shorter than its id', '0001 000a ffff0002 0000 000000000000', ErrType.BAD_MATCH, BadMatch.BAD_LEN],
  ];
  it.each(cases)('%s', (_name, h, type, code) => {
    const e = decodeErr(() => decodeMatch(new Reader(fromHex(h))));
    expect([e.errType, e.errCode]).toEqual([type, code]);
  });

  it('a zero-length opaque OXM is a valid 4-byte TLV (no endless loop)', () => {
    expect(decodeMatchBytes(fromHex('0001 000c 00020000 00020000 00000000'))).toStrictEqual([
      { field: 'opaque', oxmClass: 2, fieldCode: 0, hasMask: false, payload: new Uint8Array(0) },
      { field: 'opaque', oxmClass: 2, fieldCode: 0, hasMask: false, payload: new Uint8Array(0) },
    ]);
  });

  it('arbitrary bytes never throw anything but OfpDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), fc.boolean(), (bytes, validHeader) => {
        const b = validHeader && bytes.length >= 4 ? Uint8Array.from([0, 1, 0, Math.min(bytes.length, 255), ...bytes.subarray(4)]) : bytes;
        try {
          decodeMatch(new Reader(b));
        } catch (e) {
          expect(e).toBeInstanceOf(OfpDecodeError);
        }
        try {
          const r = new Reader(b);
          while (r.offset < r.end) decodeOxm(r);
        } catch (e) {
          expect(e).toBeInstanceOf(OfpDecodeError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('validation (matchProblems / encodeMatch)', () => {
  const ip4 = { field: 'eth_type', value: 0x0800 } as const;
  const ip6 = { field: 'eth_type', value: 0x86dd } as const;

  it('accepts a valid match', () => {
    expect(matchProblems([ip4, { field: 'ip_proto', value: 6 }, { field: 'tcp_dst', value: 80 }])).toEqual([]);
    expect(matchProblems([ip6, { field: 'ip_proto', value: 6 }, { field: 'tcp_dst', value: 80 }])).toEqual([]);
  });

  it('reports a missing prerequisite, naming it', () => {
    expect(matchProblems([ip4, { field: 'tcp_dst', value: 80 }])).toEqual(['match[1] tcp_dst requires ip_proto=6 (TCP), which is missing']);
    expect(matchProblems([{ field: 'ip_proto', value: 6 }])).toEqual([
      'match[0] ip_proto requires eth_type=0x0800 (IPv4) or 0x86dd (IPv6), which is missing',
    ]);
  });

  it('reports a prerequisite with the wrong value', () => {
    expect(matchProblems([ip4, { field: 'ip_proto', value: 17 }, { field: 'tcp_src', value: 1 }])).toEqual([
      'match[2] tcp_src requires ip_proto=6 (TCP), but match[1] has ip_proto=17',
    ]);
    expect(matchProblems([ip6, { field: 'ipv4_dst', value: '1.2.3.4' }])).toEqual([
      'match[1] ipv4_dst requires eth_type=0x0800 (IPv4), but match[0] has eth_type=0x86dd',
    ]);
  });

  it('requires prerequisites to come first', () => {
    expect(matchProblems([{ field: 'ip_proto', value: 6 }, ip4])).toEqual([
      'match[0] ip_proto must come after its prerequisite eth_type (match[1]): OXM prerequisites precede the fields that depend on them',
    ]);
  });

  it('knows the prerequisite table', () => {
    const ok: Match[] = [
      [{ field: 'in_port', value: 1 }, { field: 'in_phy_port', value: 2 }],
      [{ field: 'vlan_vid', value: 0x1005 }, { field: 'vlan_pcp', value: 3 }],
      [{ field: 'vlan_vid', value: 0x1000, mask: 0x1000 }, { field: 'vlan_pcp', value: 3 }],
      [ip4, { field: 'ip_dscp', value: 46 }, { field: 'ip_ecn', value: 3 }],
      [ip4, { field: 'ip_proto', value: 17 }, { field: 'udp_src', value: 53 }, { field: 'udp_dst', value: 53 }],
      [ip6, { field: 'ip_proto', value: 132 }, { field: 'sctp_src', value: 1 }, { field: 'sctp_dst', value: 2 }],
      [ip4, { field: 'ip_proto', value: 1 }, { field: 'icmpv4_type', value: 8 }, { field: 'icmpv4_code', value: 0 }],
      [{ field: 'eth_type', value: 0x0806 }, { field: 'arp_op', value: 1 }, { field: 'arp_spa', value: '10.0.0.1' }, { field: 'arp_tha', value: '00:00:00:00:00:00' }],
      [ip6, { field: 'ipv6_src', value: 'fe80::1' }, { field: 'ipv6_flabel', value: 0xfffff }, { field: 'ipv6_exthdr', value: 0x100, mask: 0x180 }],
      [ip6, { field: 'ip_proto', value: 58 }, { field: 'icmpv6_type', value: 135 }, { field: 'ipv6_nd_target', value: 'fe80::1' }, { field: 'ipv6_nd_sll', value: '00:00:00:00:00:01' }],
      [ip6, { field: 'ip_proto', value: 58 }, { field: 'icmpv6_type', value: 136 }, { field: 'ipv6_nd_tll', value: '00:00:00:00:00:01' }],
      [{ field: 'eth_type', value: 0x8848 }, { field: 'mpls_label', value: 0xfffff }, { field: 'mpls_tc', value: 7 }, { field: 'mpls_bos', value: 1 }],
      [{ field: 'eth_type', value: 0x88e7 }, { field: 'pbb_isid', value: 0xffffff }],
      [{ field: 'metadata', value: 1n, mask: 1n }, { field: 'tunnel_id', value: 5n }, { field: 'eth_dst', value: '01:00:00:00:00:00', mask: '01:00:00:00:00:00' }],
    ];
    for (const m of ok) expect(matchProblems(m)).toEqual([]);
    const bad: [Match, RegExp][] = [
      [[{ field: 'in_phy_port', value: 2 }], /in_phy_port requires in_port, which is missing/],
      [[{ field: 'vlan_pcp', value: 3 }], /vlan_pcp requires vlan_vid .*missing/],
      [[{ field: 'vlan_vid', value: 0 }, { field: 'vlan_pcp', value: 3 }], /vlan_pcp requires vlan_vid .* but match\[0\] has vlan_vid=0x0000/],
      [[ip6, { field: 'ip_proto', value: 1 }, { field: 'icmpv4_type', value: 8 }], /icmpv4_type requires eth_type=0x0800 \(IPv4\), but match\[0\] has eth_type=0x86dd/],
      [[ip4, { field: 'ip_proto', value: 58 }, { field: 'icmpv6_code', value: 0 }], /icmpv6_code requires eth_type=0x86dd/],
      [[ip4, { field: 'arp_op', value: 1 }], /arp_op requires eth_type=0x0806 \(ARP\)/],
      [[ip4, { field: 'ipv6_exthdr', value: 1 }], /ipv6_exthdr requires eth_type=0x86dd/],
      [[ip6, { field: 'ip_proto', value: 58 }, { field: 'icmpv6_type', value: 135 }, { field: 'ipv6_nd_tll', value: '00:00:00:00:00:01' }], /ipv6_nd_tll requires icmpv6_type=136/],
      [[ip6, { field: 'ip_proto', value: 58 }, { field: 'icmpv6_type', value: 128 }, { field: 'ipv6_nd_target', value: '::1' }], /ipv6_nd_target requires icmpv6_type=135 or 136/],
      [[ip4, { field: 'mpls_bos', value: 1 }], /mpls_bos requires eth_type=0x8847 or 0x8848/],
      [[{ field: 'pbb_isid', value: 1 }], /pbb_isid requires eth_type=0x88e7 \(PBB\), which is missing/],
      [[ip4, { field: 'ip_proto', value: 6 }, { field: 'sctp_dst', value: 1 }], /sctp_dst requires ip_proto=132/],
    ];
    for (const [m, re] of bad) {
      const p = matchProblems(m);
      expect(p).toHaveLength(1);
      expect(p[0]).toMatch(re);
    }
  });

  it('reports duplicates', () => {
    expect(matchProblems([ip4, ip4])).toEqual(['match[1] duplicate field eth_type (also at match[0])']);
    const x = { field: 'opaque', oxmClass: 1, fieldCode: 3, hasMask: false, payload: new Uint8Array(4) } as const;
    expect(matchProblems([x, { ...x }])).toEqual(['match[1] duplicate opaque OXM field 3 (also at match[0])']);
  });

  it('reports masks on unmaskable fields but allows masked L4 ports (Open vSwitch extension)', () => {
    expect(matchProblems([{ field: 'in_port', value: 1, mask: 1 }])).toEqual(['match[0] in_port is not maskable in OpenFlow 1.3']);
    expect(matchProblems([{ field: 'eth_type', value: 0x0800, mask: 0xffff }])).toEqual(['match[0] eth_type is not maskable in OpenFlow 1.3']);
    expect(matchProblems([ip4, { field: 'ip_proto', value: 6 }, { field: 'tcp_src', value: 0, mask: 3 }])).toEqual([]);
    expect(matchProblems([ip4, { field: 'ip_proto', value: 17 }, { field: 'udp_dst', value: 0x100, mask: 0xff00 }])).toEqual([]);
  });

  it('reports value bits outside the mask', () => {
    expect(matchProblems([ip4, { field: 'ipv4_src', value: '10.1.2.3', mask: '255.0.0.0' }])).toEqual([
      'match[1] ipv4_src value "10.1.2.3" has bits set outside its mask "255.0.0.0" (OFPBMC_BAD_WILDCARDS)',
    ]);
    expect(matchProblems([{ field: 'metadata', value: 3n, mask: 1n }])).toHaveLength(1);
    expect(matchProblems([{ field: 'vlan_vid', value: 0x1001, mask: 0x1000 }])).toHaveLength(1);
  });

  it('reports values out of range for the field width', () => {
    const cases: [OxmField, RegExp][] = [
      [{ field: 'vlan_vid', value: 0x2000 }, /vlan_vid value 8192 is out of range 0..0x1fff \(13 bits/],
      [{ field: 'vlan_pcp', value: 8 }, /vlan_pcp value 8 is out of range 0..7 \(3 bits\)/],
      [{ field: 'ip_dscp', value: 64 }, /ip_dscp value 64 is out of range 0..63 \(6 bits\)/],
      [{ field: 'ip_ecn', value: 4 }, /ip_ecn value 4 is out of range 0..3 \(2 bits\)/],
      [{ field: 'mpls_label', value: 0x100000 }, /mpls_label value 1048576 is out of range 0..0xfffff \(20 bits\)/],
      [{ field: 'mpls_tc', value: 8 }, /out of range 0..7/],
      [{ field: 'mpls_bos', value: 2 }, /out of range 0..1 \(1 bits\)/],
      [{ field: 'ipv6_flabel', value: 0x100000 }, /out of range 0..0xfffff \(20 bits\)/],
      [{ field: 'pbb_isid', value: 0x1000000 }, /out of range 0..0xffffff \(24 bits\)/],
      [{ field: 'ipv6_exthdr', value: 0x200 }, /out of range 0..511 \(9 bits\)/],
      [{ field: 'in_port', value: -1 }, /out of range/],
      [{ field: 'tcp_dst', value: 1.5 }, /out of range/],
      [{ field: 'metadata', value: 1 as unknown as bigint }, /must be a bigint/],
      [{ field: 'tunnel_id', value: 1n << 64n }, /must be a bigint/],
      [{ field: 'eth_dst', value: '00:11:22:33:44' }, /must be a MAC address/],
      [{ field: 'ipv4_src', value: '10.0.0.256' }, /must be a dotted IPv4 address/],
      [{ field: 'ipv6_dst', value: '1::2::3' }, /must be an IPv6 address/],
      [{ field: 'ipv4_src', value: '10.0.0.0', mask: 'x' }, /ipv4_src mask must be a dotted IPv4/],
      [{ field: 'bogus' } as unknown as OxmField, /unknown OXM field "bogus"/],
      [{ field: 'toString', value: 1 } as unknown as OxmField, /unknown OXM field "toString"/],
      [{ field: 'opaque', oxmClass: 0x8000, fieldCode: 1, hasMask: false, payload: new Uint8Array(4) }, /must not use class 0x8000/],
      [{ field: 'opaque', oxmClass: 1, fieldCode: 128, hasMask: false, payload: new Uint8Array(4) }, /field code 128/],
      [{ field: 'experimenter', experimenter: 1, fieldCode: 1, hasMask: false, payload: new Uint8Array(252) }, /exceeds the 251/],
    ];
    for (const [f, re] of cases) {
      const p = matchProblems([f]);
      expect(p.some((s) => re.test(s))).toBe(true);
      const e = encodeErr(() => encodeOxm(new Writer(), f));
      expect(e.message).toMatch(re);
    }
  });

  it('encodeMatch throws OfpEncodeError with a path and leaves a clear message', () => {
    const e = encodeErr(() => matchBytes([{ field: 'in_port', value: 1 }, ip4, { field: 'tcp_dst', value: 80 }]));
    expect(e.path).toBe('match[2]');
    expect(e.message).toBe('match[2] tcp_dst requires ip_proto=6 (TCP), which is missing');
    const e2 = encodeErr(() => matchBytes([{ field: 'in_port', value: 1 }, { field: 'vlan_pcp', value: 9 }]));
    expect(e2.path).toBe('match[1].value');
    expect(e2.message).toMatch(/^match\[1\] vlan_pcp value 9 is out of range 0..7 \(3 bits\); match\[1\] vlan_pcp requires vlan_vid/);
  });
});

describe('robustness of the validator', () => {
  it('matchProblems never throws and encodeMatch throws only OfpEncodeError, whatever it is given', () => {
    const fieldLike = fc.oneof(
      fc.anything(),
      fc.record({ field: fc.constantFrom(...OXM_FIELD_NAMES, 'opaque', 'experimenter', 'x'), value: fc.anything(), mask: fc.anything() }, { requiredKeys: ['field'] }),
      fc.record({ field: fc.constantFrom('opaque', 'experimenter'), oxmClass: fc.anything(), experimenter: fc.anything(), fieldCode: fc.anything(), hasMask: fc.anything(), payload: fc.anything() }),
    );
    fc.assert(
      fc.property(fc.array(fieldLike, { maxLength: 6 }), (fields) => {
        const m = fields as Match;
        const problems = matchProblems(m);
        expect(Array.isArray(problems)).toBe(true);
        const w = new Writer();
        w.u32(0xcafe);
        try {
          encodeMatch(w, m);
          expect(problems).toEqual([]);
        } catch (e) {
          expect(e).toBeInstanceOf(OfpEncodeError);
          expect(problems.length).toBeGreaterThan(0);
          expect(w.offset).toBe(4); // rolled back
        }
      }),
      { numRuns: 2000 },
    );
    expect(matchProblems(null as unknown as Match)).toEqual(['match must be an array of OXM fields']);
  });

  it('accepts other MAC/IPv6 text forms and decodes them canonically', () => {
    const b = enc((w) => encodeOxm(w, { field: 'eth_src', value: 'AA-BB-CC-0D-0E-0F' }));
    expect(toHex(b)).toBe('80000806aabbcc0d0e0f');
    expect(decodeOxm(new Reader(b))).toStrictEqual({ field: 'eth_src', value: 'aa:bb:cc:0d:0e:0f' });
    const b6 = enc((w) => encodeOxm(w, { field: 'ipv6_dst', value: '2001:DB8:0:0:0:0:0:1' }));
    expect(decodeOxm(new Reader(b6))).toStrictEqual({ field: 'ipv6_dst', value: '2001:db8::1' });
  });

  it('decoding is structural only: a match without prerequisites still decodes', () => {
    const b = fromHex('0001 000a 80001c02 0050 000000000000');
    const m = decodeMatchBytes(b);
    expect(m).toStrictEqual([{ field: 'tcp_dst', value: 80 }]);
    expect(matchProblems(m)).toEqual(['match[0] tcp_dst requires ip_proto=6 (TCP), which is missing']);
  });
});

describe('OXM ids', () => {
  it('round-trips basic, experimenter (64-bit) and opaque ids', () => {
    const ids: OxmId[] = [
      { field: 'in_port', hasMask: false, length: 4 },
      { field: 'ipv6_src', hasMask: true, length: 32 },
      { field: 'experimenter', fieldCode: 42, hasMask: false, length: 6, experimenter: 0x4f4e4600 },
      { field: 'opaque', oxmClass: 1, fieldCode: 0, hasMask: true, length: 8 },
      { field: 'opaque', oxmClass: 0x8000, fieldCode: 42, hasMask: false, length: 2 },
    ];
    const b = enc((w) => ids.forEach((id) => encodeOxmId(w, id)));
    expect(toHex(b)).toBe('80000004' + '80003520' + 'ffff5406' + '4f4e4600' + '00010108' + '80005402');
    const r = new Reader(b);
    const back: OxmId[] = [];
    while (r.offset < r.end) back.push(decodeOxmId(r));
    expect(back).toStrictEqual(ids);
  });

  it('rejects unencodable ids', () => {
    expect(() => encodeOxmId(new Writer(), { field: 'in_port', hasMask: false, length: 256 })).toThrow(OfpEncodeError);
    expect(() => encodeOxmId(new Writer(), { field: 'opaque', oxmClass: 0xffff, fieldCode: 1, hasMask: false, length: 4 })).toThrow(OfpEncodeError);
  });
});

// ---------------------------------------------------------------------------------------------------
// Property tests: arbitrary valid matches round-trip, encode -> decode -> encode is byte-exact.

const bytesArb = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

function fieldArb(name: BasicOxmName, withMask: boolean): fc.Arbitrary<OxmField> {
  const [, kind, bytes, max] = specOf(name);
  const canMask = withMask && maskable(name);
  switch (kind) {
    case 'u':
      return fc.tuple(fc.nat({ max }), fc.nat({ max }), fc.boolean()).map(([v, m, useMask]) =>
        canMask && useMask ? ({ field: name, value: (v & m) >>> 0, mask: m } as OxmField) : ({ field: name, value: v } as OxmField),
      );
    case 'u64':
      return fc.tuple(fc.bigUintN(64), fc.bigUintN(64), fc.boolean()).map(([v, m, useMask]) =>
        canMask && useMask ? ({ field: name, value: v & m, mask: m } as OxmField) : ({ field: name, value: v } as OxmField),
      );
    default: {
      const fmt = kind === 'mac' ? (b: Uint8Array) => macToString(b) : kind === 'ipv6' ? (b: Uint8Array) => ipv6ToString(b) : (b: Uint8Array) => ipv4ToString(Buffer.from(b).readUInt32BE(0));
      return fc.tuple(bytesArb(bytes), bytesArb(bytes), fc.boolean()).map(([v, m, useMask]) => {
        if (!(canMask && useMask)) return { field: name, value: fmt(v) } as OxmField;
        const vv = v.map((x, i) => x & m[i]!);
        return { field: name, value: fmt(vv), mask: fmt(m) } as OxmField;
      });
    }
  }
}

function pick(names: BasicOxmName[]): fc.Arbitrary<OxmField[]> {
  return fc.subarray(names).chain((ns) => (ns.length === 0 ? fc.constant([]) : fc.tuple(...ns.map((n) => fieldArb(n, true)))));
}

const fixedArb = (name: BasicOxmName, value: number): OxmField => ({ field: name, value }) as OxmField;

const opaqueArb: fc.Arbitrary<OxmField> = fc.oneof(
  fc.record({
    field: fc.constant('opaque' as const),
    oxmClass: fc.constantFrom(0, 1, 0x8001, 0x1234),
    fieldCode: fc.nat({ max: 127 }),
    hasMask: fc.boolean(),
    payload: fc.uint8Array({ maxLength: 20 }),
  }),
  fc.record({
    field: fc.constant('experimenter' as const),
    experimenter: fc.nat({ max: 0xffffffff }),
    fieldCode: fc.nat({ max: 127 }),
    hasMask: fc.boolean(),
    payload: fc.uint8Array({ maxLength: 20 }),
  }),
);

/** Valid matches over every basic field: L2 fields, then one L3 protocol branch, then its L4 fields. */
const validMatchArb: fc.Arbitrary<Match> = fc
  .tuple(
    pick(['in_port', 'metadata', 'eth_dst', 'eth_src', 'tunnel_id']),
    fc.boolean(),
    fc.oneof(fc.constant<OxmField[]>([]), fc.tuple(fc.nat({ max: 0xfff }), fc.option(fc.nat({ max: 7 }))).map(([vid, pcp]) => {
      const l: OxmField[] = [{ field: 'vlan_vid', value: 0x1000 | vid }];
      if (pcp !== null) l.push({ field: 'vlan_pcp', value: pcp });
      return l;
    })),
    fc.oneof(
      fc.constant<OxmField[]>([]),
      fc.tuple(fc.constantFrom(0x0800, 0x86dd), fc.constantFrom(0, 6, 17, 132, 1, 58)).chain(([et, proto]) => {
        const v6 = et === 0x86dd;
        const l3 = pick(v6 ? ['ip_dscp', 'ip_ecn', 'ipv6_src', 'ipv6_dst', 'ipv6_flabel', 'ipv6_exthdr'] : ['ip_dscp', 'ip_ecn', 'ipv4_src', 'ipv4_dst']);
        if (proto === 0 || (proto === 1 && v6) || (proto === 58 && !v6)) return l3.map((l) => [fixedArb('eth_type', et), ...l]);
        let l4: fc.Arbitrary<OxmField[]>;
        if (proto === 6) l4 = pick(['tcp_src', 'tcp_dst']);
        else if (proto === 17) l4 = pick(['udp_src', 'udp_dst']);
        else if (proto === 132) l4 = pick(['sctp_src', 'sctp_dst']);
        else if (proto === 1) l4 = pick(['icmpv4_type', 'icmpv4_code']);
        else
          l4 = fc.tuple(fc.constantFrom(135, 136, 128), fc.boolean()).chain(([t, more]) => {
            const nd: BasicOxmName[] = t === 128 ? [] : t === 135 ? ['ipv6_nd_target', 'ipv6_nd_sll'] : ['ipv6_nd_target', 'ipv6_nd_tll'];
            return pick(more ? ['icmpv6_code', ...nd] : nd).map((rest) => [fixedArb('icmpv6_type', t), ...rest]);
          });
        return fc.tuple(l3, l4).map(([a, b]) => [fixedArb('eth_type', et), ...a, fixedArb('ip_proto', proto), ...b]);
      }),
      pick(['arp_op', 'arp_spa', 'arp_tpa', 'arp_sha', 'arp_tha']).map((l) => [fixedArb('eth_type', 0x0806), ...l]),
      fc.constantFrom(0x8847, 0x8848).chain((et) => pick(['mpls_label', 'mpls_tc', 'mpls_bos']).map((l) => [fixedArb('eth_type', et), ...l])),
      pick(['pbb_isid']).map((l) => [fixedArb('eth_type', 0x88e7), ...l]),
    ),
    fc.uniqueArray(opaqueArb, { maxLength: 3, selector: (f) => (f.field === 'opaque' ? `o${f.oxmClass}:${f.fieldCode}` : `e${(f as { experimenter: number }).experimenter}:${(f as { fieldCode: number }).fieldCode}`) }),
  )
  .map(([l2, phy, vlan, l3, extra]) => {
    const m: Match = [...l2];
    if (phy && m.some((f) => f.field === 'in_port')) m.push({ field: 'in_phy_port', value: 7 });
    return [...m, ...vlan, ...l3, ...extra];
  });

describe('property tests', () => {
  it('arbitrary valid matches are valid, round-trip deep-equal, and re-encode byte-exactly', () => {
    fc.assert(
      fc.property(validMatchArb, (m) => {
        expect(matchProblems(m)).toEqual([]);
        const b = matchBytes(m);
        expect(b.length % 8).toBe(0);
        const back = decodeMatchBytes(b);
        expect(back).toStrictEqual(m);
        expect(toHex(matchBytes(back))).toBe(toHex(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('every basic field appears in the generator', () => {
    const seen = new Set<string>();
    fc.sample(validMatchArb, 3000).forEach((m) => m.forEach((f) => seen.add(f.field)));
    for (const name of OXM_FIELD_NAMES) expect(seen).toContain(name);
  });
});
