/**
 * PacketSummary: the preallocated, reused result of summarizePacket (the sFlow collector's hot path).
 * Plain numeric fields and fixed Uint8Arrays only, so filling one allocates nothing. Fields that a packet
 * does not have are reset to their "absent" value on every call (-1 for ids/ports, 0 for lengths/flags).
 */

/** Bits of PacketSummary.fragFlags. */
export const FragFlag = {
  /** IPv4 MF, or IPv6 fragment header M flag. */
  MORE: 1,
  /** IPv4 DF. */
  DONT: 2,
  /** The packet is a fragment (IPv4 MF or offset > 0, or an IPv6 fragment header). */
  IS_FRAGMENT: 4,
} as const;

/** PacketSummary.tunnel. */
export const TunnelType = { NONE: 0, VXLAN: 1, GRE: 2 } as const;

export class PacketSummary {
  /** Captured bytes summarized. */
  length = 0;
  /** Ethernet source/destination MAC (zeros when the link has none). */
  readonly srcMac = new Uint8Array(6);
  readonly dstMac = new Uint8Array(6);
  /** EtherType after any VLAN tags (or the SLL protocol; 0x0800/0x86dd for raw IP). 802.3 frames: 0. */
  ethertype = 0;
  /** Number of VLAN tags; outer and inner VLAN ids (-1 when absent). */
  vlanCount = 0;
  outerVlan = -1;
  innerVlan = -1;
  /** 4, 6, or 0 when the packet carries no IP. */
  ipVersion = 0;
  /** Source/destination IP: IPv6 in all 16 bytes; IPv4 in bytes 0..3 (bytes 4..15 zero). */
  readonly src = new Uint8Array(16);
  readonly dst = new Uint8Array(16);
  /** IPv4 addresses as unsigned 32-bit numbers (0 for IPv6 / no IP). */
  srcV4 = 0;
  dstV4 = 0;
  /** Transport protocol (after IPv6 extension headers); -1 without IP. */
  ipProto = -1;
  /** TTL / hop limit; -1 without IP. */
  ttl = -1;
  /** IPv4 total length, or IPv6 payload length + 40; 0 without IP. */
  ipTotalLength = 0;
  /** IPv4 identification or IPv6 fragment id; 0 when absent. */
  ipId = 0;
  /** FragFlag bits. */
  fragFlags = 0;
  /** Fragment offset in 8-byte units. */
  fragOffset = 0;
  /** TCP/UDP ports (-1 when absent, e.g. a non-first fragment or truncated header). */
  srcPort = -1;
  dstPort = -1;
  /** TCP flags (9 bits); 0 otherwise. */
  tcpFlags = 0;
  /** ICMP/ICMPv6 type and code; -1 otherwise. */
  icmpType = -1;
  icmpCode = -1;
  /** Offset (from the start of `bytes`, like `offset`) of the first byte after the outer L4 header. */
  payloadOffset = 0;
  /** TunnelType of the first tunnel found. */
  tunnel = 0;
  /** VXLAN network identifier, or GRE key; -1 when absent. */
  vni = -1;
  /** The 5-tuple of the first IP packet inside the tunnel (same conventions as the outer fields). */
  innerIpVersion = 0;
  readonly innerSrc = new Uint8Array(16);
  readonly innerDst = new Uint8Array(16);
  innerIpProto = -1;
  innerSrcPort = -1;
  innerDstPort = -1;
  /** A header was cut short by the capture length. */
  truncated = false;
  /** A protocol violation was found (IHL < 5, bad lengths...). */
  malformed = false;

  /** Resets every field to its absent value. */
  reset(): void {
    // Plain stores: TypedArray.prototype.fill is a builtin call, several times slower on 6-16 bytes.
    const m1 = this.srcMac;
    const m2 = this.dstMac;
    for (let i = 0; i < 6; i++) {
      m1[i] = 0;
      m2[i] = 0;
    }
    // Address bytes are only ever written together with ipVersion/innerIpVersion: clear them when set.
    if (this.ipVersion !== 0) {
      const a = this.src;
      const b = this.dst;
      for (let i = 0; i < 16; i++) {
        a[i] = 0;
        b[i] = 0;
      }
    }
    if (this.innerIpVersion !== 0) {
      const c = this.innerSrc;
      const d = this.innerDst;
      for (let i = 0; i < 16; i++) {
        c[i] = 0;
        d[i] = 0;
      }
    }
    this.length = 0;
    this.ethertype = 0;
    this.vlanCount = 0;
    this.outerVlan = -1;
    this.innerVlan = -1;
    this.ipVersion = 0;
    this.srcV4 = 0;
    this.dstV4 = 0;
    this.ipProto = -1;
    this.ttl = -1;
    this.ipTotalLength = 0;
    this.ipId = 0;
    this.fragFlags = 0;
    this.fragOffset = 0;
    this.srcPort = -1;
    this.dstPort = -1;
    this.tcpFlags = 0;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.payloadOffset = 0;
    this.tunnel = 0;
    this.vni = -1;
    this.innerIpVersion = 0;
    this.innerIpProto = -1;
    this.innerSrcPort = -1;
    this.innerDstPort = -1;
    this.truncated = false;
    this.malformed = false;
  }
}
