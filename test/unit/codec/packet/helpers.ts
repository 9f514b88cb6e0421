/** Shared by the packet-codec unit tests: fixture frames, and the summary-vs-decode consistency check. */
import { readFileSync } from 'node:fs';
import { ipv4ToString, ipv6ToString } from '../../../../src/codec/addr.js';
import { AddressOf, decodePacket, PacketSummary, summarizePacket, TunnelType, type Layer, type Packet } from '../../../../src/codec/packet/index.js';
import { readCapture, type CapturedPacket } from '../../../../src/codec/pcap/index.js';

export const FIXTURES = new URL('../../../fixtures/packet/', import.meta.url).pathname;

export function fixture(name: string): CapturedPacket[] {
  // Plain Uint8Array copies (a Buffer's slice() would share memory, and views of it would be Buffers).
  return [...readCapture(readFileSync(FIXTURES + name))].map((p) => ({ ...p, data: new Uint8Array(p.data) }));
}

export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

export function layer<T extends Layer['type']>(p: Packet, type: T, depth = 0): Extract<Layer, { type: T }> {
  const l = p.layers.find((x) => x.type === type && x.depth === depth);
  if (l === undefined) throw new Error(`no ${type} layer at depth ${depth} in ${p.layers.map((x) => x.type).join('/')}`);
  return l as Extract<Layer, { type: T }>;
}

function addr(version: number, b: Uint8Array): string | undefined {
  if (version === 4) return ipv4ToString(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0);
  if (version === 6) return ipv6ToString(b);
  return undefined;
}

/** Header-level issue codes (decodePacket also checks option contents, which the summary skips by length). */
const OPTION_ISSUES = new Set(['ipv4-bad-option-length', 'tcp-bad-option-length']);

/**
 * Asserts that summarizePacket says what decodePacket says, field by field. Returns the pair for more checks.
 * Truncation/malformed flags are compared where the summary reads the same headers (up to the first
 * tunnel's inner transport header).
 */
export function expectSummaryMatchesDecode(bytes: Uint8Array, linkType = 1, out = new PacketSummary()): { d: Packet; s: PacketSummary } {
  const d = decodePacket(bytes, 0, bytes.length, linkType);
  const s = summarizePacket(bytes, 0, bytes.length, out, linkType);
  const outer = d.layers.filter((l) => l.depth === 0);
  const inner = d.layers.filter((l) => l.depth === 1);
  const ip = outer.find((l) => l.type === 'ipv4' || l.type === 'ipv6');
  const got: Record<string, unknown> = {};
  const want: Record<string, unknown> = {};
  const cmp = (k: string, w: unknown, g: unknown): void => {
    want[k] = w;
    got[k] = g;
  };
  const eth = outer.find((l) => l.type === 'ethernet');
  if (eth?.type === 'ethernet') cmp('srcMac', eth.src, s.srcMacString());
  const vlans = outer.filter((l) => l.type === 'vlan');
  cmp('vlanCount', vlans.length, s.vlanCount);
  cmp('outerVlan', vlans[0]?.type === 'vlan' ? vlans[0].vid : -1, s.outerVlan);
  cmp('innerVlan', vlans[1]?.type === 'vlan' ? vlans[1].vid : -1, s.innerVlan);
  if (ip?.type === 'ipv4') {
    cmp('ipVersion', 4, s.ipVersion);
    cmp('src', ip.src, addr(4, s.address(AddressOf.SRC)));
    cmp('dst', ip.dst, addr(4, s.address(AddressOf.DST)));
    cmp('srcV4', ip.src, ipv4ToString(s.srcV4));
    cmp('ipProto', ip.protocol, s.ipProto);
    cmp('ttl', ip.ttl, s.ttl);
    cmp('ipTotalLength', ip.totalLength, s.ipTotalLength);
    cmp('ipId', ip.id, s.ipId);
    cmp('fragOffset', ip.fragmentOffset, s.fragOffset);
    cmp('MF', ip.moreFragments, (s.fragFlags & 1) !== 0);
    cmp('DF', ip.dontFragment, (s.fragFlags & 2) !== 0);
  } else if (ip?.type === 'ipv6') {
    cmp('ipVersion', 6, s.ipVersion);
    cmp('src', ip.src, addr(6, s.address(AddressOf.SRC)));
    cmp('dst', ip.dst, addr(6, s.address(AddressOf.DST)));
    cmp('ipProto', ip.upperProtocol, s.ipProto);
    cmp('ttl', ip.hopLimit, s.ttl);
    cmp('ipTotalLength', ip.payloadLength + 40, s.ipTotalLength);
    const frag = ip.extensions.find((e) => e.type === 'fragment');
    cmp('fragOffset', frag?.type === 'fragment' ? frag.fragmentOffset : 0, s.fragOffset);
    cmp('MF', frag?.type === 'fragment' ? frag.moreFragments : false, (s.fragFlags & 1) !== 0);
    cmp('ipId', frag?.type === 'fragment' ? frag.id : 0, s.ipId);
  } else {
    cmp('ipVersion', 0, s.ipVersion);
    cmp('ipProto', -1, s.ipProto);
  }
  const l4 = outer.find((l) => l.type === 'tcp' || l.type === 'udp');
  if (l4?.type === 'tcp' || l4?.type === 'udp') {
    cmp('srcPort', l4.srcPort, s.srcPort);
    cmp('dstPort', l4.dstPort, s.dstPort);
  } else if (
    !(d.truncated !== null && (d.truncated.layer === 'tcp' || d.truncated.layer === 'udp') && d.truncated.depth === 0) &&
    !d.issues.some((i) => (i.code === 'tcp-exceeds-enclosing-length' || i.code === 'udp-exceeds-enclosing-length') && i.depth === 0)
  ) {
    // Only a TCP/UDP header cut short (by the capture or a declared length) may leave ports in the summary
    // that decodePacket has no layer for.
    cmp('srcPort', -1, s.srcPort);
  }
  cmp('tcpFlags', l4?.type === 'tcp' ? l4.flags : 0, s.tcpFlags);
  const icmp = outer.find((l) => l.type === 'icmp' || l.type === 'icmpv6');
  cmp('icmpType', icmp?.type === 'icmp' || icmp?.type === 'icmpv6' ? icmp.icmpType : -1, s.icmpType);
  cmp('icmpCode', icmp?.type === 'icmp' || icmp?.type === 'icmpv6' ? icmp.code : -1, s.icmpCode);
  const vx = outer.find((l) => l.type === 'vxlan');
  const gre = outer.find((l) => l.type === 'gre');
  if (vx?.type === 'vxlan') {
    cmp('tunnel', TunnelType.VXLAN, s.tunnel);
    cmp('vni', vx.vni, s.vni);
  } else if (gre?.type === 'gre' && (inner.length > 0 || d.truncated?.depth === 1 || d.issues.some((i) => i.depth === 1))) {
    // decodePacket went one tunnel deeper: the GRE header was complete and carried IPv4/IPv6/Ethernet.
    cmp('tunnel', TunnelType.GRE, s.tunnel);
    cmp('vni', gre.key ?? -1, s.vni);
  } else {
    cmp('tunnel', TunnelType.NONE, s.tunnel);
  }
  const innerIp = inner.find((l) => l.type === 'ipv4' || l.type === 'ipv6');
  if (innerIp?.type === 'ipv4' || innerIp?.type === 'ipv6') {
    const v = innerIp.type === 'ipv4' ? 4 : 6;
    cmp('innerIpVersion', v, s.innerIpVersion);
    cmp('innerSrc', innerIp.src, addr(v, s.address(AddressOf.INNER_SRC)));
    cmp('innerDst', innerIp.dst, addr(v, s.address(AddressOf.INNER_DST)));
    cmp('innerIpProto', innerIp.type === 'ipv4' ? innerIp.protocol : innerIp.upperProtocol, s.innerIpProto);
    const innerL4 = inner.find((l) => l.type === 'tcp' || l.type === 'udp');
    if (innerL4?.type === 'tcp' || innerL4?.type === 'udp') {
      cmp('innerSrcPort', innerL4.srcPort, s.innerSrcPort);
      cmp('innerDstPort', innerL4.dstPort, s.innerDstPort);
    }
  } else {
    cmp('innerIpVersion', 0, s.innerIpVersion);
  }
  // The summary follows one tunnel: compare the flags where it reads the same headers as decodePacket.
  const nested = d.layers.some((l) => l.depth >= 2 || (l.depth === 1 && (l.type === 'vxlan' || l.type === 'gre')));
  const deepTrunc = d.truncated !== null && d.truncated.depth >= 1 && (d.truncated.layer === 'vxlan' || d.truncated.layer === 'gre' || d.truncated.depth >= 2);
  if (!nested && !deepTrunc) {
    cmp('truncated', d.truncated !== null, s.truncated);
    const headerIssues = d.issues.filter((i) => !OPTION_ISSUES.has(i.code) && i.depth <= 1);
    cmp('malformed', headerIssues.length > 0, s.malformed);
  }
  if (s.malformed) cmp('malformed => issues', true, d.issues.length > 0);
  expect(got).toEqual(want);
  return { d, s };
}
