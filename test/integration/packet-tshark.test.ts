/**
 * The packet codec against an independent oracle: for every frame of every fixture capture (each protocol,
 * every truncated variant, raw-IP and Linux-cooked link types, real tcpdump captures), Vigil's decode must
 * agree with tshark on every field both decode (addresses, ports, flags, VLAN ids, fragment fields, TCP
 * options, ICMP type/code, GRE key, VXLAN VNI and inner headers), and the zero-allocation summary must agree
 * with tshark on the outer and inner 5-tuple.
 */
import { readFileSync } from 'node:fs';
import { AddressOf, decodePacket, PacketSummary, summarizePacket, type Packet } from '../../src/codec/packet/index.js';
import { readCapture } from '../../src/codec/pcap/index.js';
import { ORACLE_FIELDS, compareFields, haveTshark, lazyFields, tsharkFields, vigilFields } from '../support/packet-oracle.js';

const FIX = new URL('../fixtures/packet/', import.meta.url).pathname;
const FILES = [
  'protocols.pcap',
  'truncated.pcap',
  'linktypes/raw-101.pcap',
  'linktypes/raw-228.pcap',
  'linktypes/raw-229.pcap',
  'captures/sll.pcap',
  'captures/sll2.pcap',
  'captures/lo.pcap',
  'captures/protocols-snap60.pcapng',
  'captures/features.pcapng',
];

/** Wireshark protocol names of the headers Vigil decodes ("data" is undecoded payload). */
const VIGIL_PROTOCOLS = new Set(['eth', 'ethertype', 'vlan', 'ieee8021ad', 'llc', 'sll', 'arp', 'ip', 'ipv6', 'ipv6.hopopts', 'ipv6.dstopts', 'ipv6.routing', 'ipv6.fraghdr', 'ah', 'esp', 'tcp', 'udp', 'icmp', 'icmpv6', 'gre', 'vxlan', 'data']);

const describeIf = haveTshark() ? describe : describe.skip;

/** An ICMP error quotes the offending packet; tshark decodes the quote, Vigil leaves it as payload. */
function quotesPacket(p: Packet): boolean {
  return p.layers.some((l) => (l.type === 'icmp' && [3, 4, 5, 11, 12].includes(l.icmpType)) || (l.type === 'icmpv6' && l.icmpType < 128));
}

describeIf('packet decode agrees with tshark', () => {
  it.each(FILES)('%s: every field of every frame', (file) => {
    const path = FIX + file;
    const packets = [...readCapture(readFileSync(path))];
    const ts = tsharkFields(path).filter((r) => !isNonPacketBlock(r));
    expect(ts.length).toBe(packets.length);
    const failures: string[] = [];
    let compared = 0;
    packets.forEach((cp, i) => {
      const d = decodePacket(cp.data, 0, cp.caplen, cp.linkType);
      const t = ts[i]!;
      const allowExtra = d.truncated !== null || quotesPacket(d) || d.issues.length > 0;
      const bad = compareFields(vigilFields(d), t, allowExtra, lazyFields(d));
      compared++;
      for (const m of bad) failures.push(`#${i + 1} ${m.field}: vigil ${JSON.stringify(m.vigil)} tshark ${JSON.stringify(m.tshark)} [${d.layers.map((l) => l.type).join('/')}]`);
    });
    expect(compared).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it('the comparison covers every oracle field (each is decoded, and agreed on, in some frame)', () => {
    const seen = new Set<string>();
    for (const file of FILES) {
      const path = FIX + file;
      const packets = [...readCapture(readFileSync(path))];
      const ts = tsharkFields(path).filter((r) => !isNonPacketBlock(r));
      packets.forEach((cp, i) => {
        const d = decodePacket(cp.data, 0, cp.caplen, cp.linkType);
        const v = vigilFields(d);
        const bad = new Set(compareFields(v, ts[i]!, true, lazyFields(d)).map((m) => m.field));
        for (const [field, values] of Object.entries(v)) if (values.length > 0 && !bad.has(field)) seen.add(field);
      });
    }
    expect(ORACLE_FIELDS.filter((f) => !seen.has(f))).toEqual([]);
  });

  it('truncated frames: Vigil reports truncation exactly when tshark says the frame is short', () => {
    const path = FIX + 'truncated.pcap';
    const packets = [...readCapture(readFileSync(path))];
    const ts = tsharkFields(path);
    const disagree: string[] = [];
    let truncated = 0;
    packets.forEach((cp, i) => {
      const d = decodePacket(cp.data, 0, cp.caplen, cp.linkType);
      const t = ts[i]!;
      const tShort = t['_ws.short'] !== undefined || t['_ws.malformed'] !== undefined;
      if (d.truncated !== null) truncated++;
      // tshark also flags short headers of protocols Vigil does not decode (DNS, NTP, STP...) and
      // Vigil flags headers tshark reads lazily; only a Vigil truncation tshark does not see is a failure.
      if (d.truncated !== null && !tShort) disagree.push(`#${i + 1} vigil ${JSON.stringify(d.truncated)} [${d.layers.map((l) => l.type).join('/')}]`);
      // Conversely, when every protocol tshark saw is one Vigil decodes, a frame tshark calls short must be
      // truncated for Vigil too — unless Vigil read every header through the transport layer (then the
      // missing bytes are payload, or a packet quoted in an ICMP error, which Vigil does not decode).
      const protos = (t['frame.protocols']?.[0] ?? '').split(':');
      const last = d.layers.filter((l) => l.type !== 'payload').at(-1)?.type;
      const throughTransport = last !== undefined && ['tcp', 'udp', 'icmp', 'icmpv6', 'esp'].includes(last);
      if (tShort && d.truncated === null && !throughTransport && protos.every((x) => VIGIL_PROTOCOLS.has(x))) {
        disagree.push(`#${i + 1} tshark short (${protos.join(':')}), vigil not [${d.layers.map((l) => l.type).join('/')}]`);
      }
    });
    expect(truncated).toBeGreaterThan(400);
    expect(disagree).toEqual([]);
  });

  it('summarizePacket agrees with tshark on the outer and inner 5-tuple of every frame', () => {
    const s = new PacketSummary();
    const failures: string[] = [];
    for (const file of ['protocols.pcap', 'captures/sll.pcap', 'captures/sll2.pcap', 'linktypes/raw-101.pcap']) {
      const path = FIX + file;
      const packets = [...readCapture(readFileSync(path))];
      const ts = tsharkFields(path);
      packets.forEach((cp, i) => {
        summarizePacket(cp.data, 0, cp.caplen, s, cp.linkType);
        const t = ts[i]!;
        const ipSrc = [...(t['ip.src'] ?? []), ...(t['ipv6.src'] ?? [])];
        const v = s.ipVersion === 4 ? t['ip.src']?.[0] : s.ipVersion === 6 ? t['ipv6.src']?.[0] : undefined;
        const mine = s.ipVersion === 4 ? [...s.address(AddressOf.SRC).subarray(0, 4)].join('.') : s.ipVersion === 6 ? v6(s.address(AddressOf.SRC)) : undefined;
        if (mine !== v) failures.push(`${file}#${i + 1} src ${mine} vs ${v}`);
        // The outer transport header is tshark's first TCP/UDP occurrence (ICMP errors quote a packet: skip).
        const port = s.ipProto === 6 ? t['tcp.srcport']?.[0] : s.ipProto === 17 ? t['udp.srcport']?.[0] : undefined;
        if (port !== undefined && s.srcPort !== Number(port)) failures.push(`${file}#${i + 1} srcPort ${s.srcPort} vs ${port}`);
        if ((s.ipProto === 6 || s.ipProto === 17) && s.fragOffset === 0 && port === undefined) failures.push(`${file}#${i + 1} tshark has no ports`);
        const vlan = (t['ieee8021ad.id'] ?? t['vlan.id'])?.[0];
        if (s.outerVlan >= 0 && s.outerVlan !== Number(vlan)) failures.push(`${file}#${i + 1} vlan ${s.outerVlan} vs ${vlan}`);
        if (t['vxlan.vni'] !== undefined && s.vni !== Number(t['vxlan.vni'][0])) failures.push(`${file}#${i + 1} vni ${s.vni}`);
        if (t['gre.key'] !== undefined && s.vni !== parseInt(t['gre.key'][0]!, 16)) failures.push(`${file}#${i + 1} gre key ${s.vni}`);
        if (s.tunnel !== 0) {
          // The inner packet's addresses are tshark's second IP source/destination.
          const innerSrc = s.innerIpVersion === 4 ? [...s.address(AddressOf.INNER_SRC).subarray(0, 4)].join('.') : v6(s.address(AddressOf.INNER_SRC));
          if (!ipSrc.includes(innerSrc)) failures.push(`${file}#${i + 1} inner src ${innerSrc} not in ${ipSrc.join(',')}`);
          const innerPorts = [...(t['tcp.srcport'] ?? []), ...(t['udp.srcport'] ?? [])].map(Number);
          if (s.innerSrcPort >= 0 && !innerPorts.includes(s.innerSrcPort)) failures.push(`${file}#${i + 1} inner port ${s.innerSrcPort}`);
        }
        const flags = t['tcp.flags']?.[0];
        if (flags !== undefined && s.tunnel === 0 && s.tcpFlags !== parseInt(flags, 16)) failures.push(`${file}#${i + 1} tcp flags`);
        const icmp = (t['icmp.type'] ?? t['icmpv6.type'])?.[0];
        if (icmp !== undefined && s.tunnel === 0 && s.icmpType !== Number(icmp)) failures.push(`${file}#${i + 1} icmp type ${s.icmpType} vs ${icmp}`);
      });
    }
    expect(failures).toEqual([]);
  });
});

function v6(b: Uint8Array): string {
  // Canonical text through the codec's own formatter is what decodePacket uses; re-derive independently here.
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  const full = groups.join(':');
  // Compress the longest run of zero groups (RFC 5952) by regex on the joined text.
  const runs = [...`:${full}:`.matchAll(/(:0)+:/g)].sort((a, b2) => b2[0].length - a[0].length);
  const best = runs[0];
  if (best === undefined || best[0].length < 5) return full;
  const s = `:${full}:`.replace(best[0], '::');
  return s.replace(/^:(?!:)/, '').replace(/(?<!:):$/, '');
}

/** tshark 4 lists pcapng blocks that are not packets (unknown, custom) as records of protocol "data". */
function isNonPacketBlock(r: Record<string, string[]>): boolean {
  return r['frame.protocols']?.[0] === 'data' && r['eth.src'] === undefined && (r['frame.len']?.[0] === '36' || r['frame.len']?.[0] === '12');
}
