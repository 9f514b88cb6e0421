/**
 * PacketSummary: the preallocated, reused result of summarizePacket (the sFlow collector's hot path).
 * Plain numeric fields only (addresses as offsets into the summarized bytes), so filling one allocates
 * nothing and resetting one is a few dozen stores. Fields that a packet
 * does not have are reset to their "absent" value on every call (-1 for ids/ports, 0 for lengths/flags).
 */

import { ipv4ToString, ipv6ToString, macToString } from '../addr.js';

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
  /**
   * The array that was summarized. The address offsets below index into it, so the summary's addresses
   * are readable only while those bytes are unchanged (the sFlow walker's views are valid only during
   * the visitor call anyway). Nothing is copied: on this V8, byte-by-byte copies into small typed arrays
   * cost ~3 ns a byte, more than the whole parse.
   */
  bytes: Uint8Array = EMPTY;
  /** Captured bytes summarized. */
  length = 0;
  /** Ethernet source/destination MAC as two numbers: the top 16 bits and the low 32 bits (0 when the link has none). */
  srcMacHi = 0;
  srcMacLo = 0;
  dstMacHi = 0;
  dstMacLo = 0;
  /** EtherType after any VLAN tags (or the SLL protocol; 0x0800/0x86dd for raw IP). 802.3 frames: 0. */
  ethertype = 0;
  /** Number of VLAN tags; outer and inner VLAN ids (-1 when absent). */
  vlanCount = 0;
  outerVlan = -1;
  innerVlan = -1;
  /** 4, 6, or 0 when the packet carries no IP. */
  ipVersion = 0;
  /** Offsets in `bytes` of the source/destination address (4 or 16 bytes by ipVersion); -1 without IP. */
  srcOffset = -1;
  dstOffset = -1;
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
  innerSrcOffset = -1;
  innerDstOffset = -1;
  innerSrcV4 = 0;
  innerDstV4 = 0;
  innerIpProto = -1;
  innerSrcPort = -1;
  innerDstPort = -1;
  /** A header was cut short by the capture length. */
  truncated = false;
  /** A protocol violation was found (IHL < 5, bad lengths...). */
  malformed = false;

  /** Resets every field to its absent value (plain number stores: nothing to clear byte by byte). */
  reset(): void {
    this.length = 0;
    this.srcMacHi = 0;
    this.srcMacLo = 0;
    this.dstMacHi = 0;
    this.dstMacLo = 0;
    this.ethertype = 0;
    this.vlanCount = 0;
    this.outerVlan = -1;
    this.innerVlan = -1;
    this.ipVersion = 0;
    this.srcOffset = -1;
    this.dstOffset = -1;
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
    this.innerSrcOffset = -1;
    this.innerDstOffset = -1;
    this.innerSrcV4 = 0;
    this.innerDstV4 = 0;
    this.innerIpProto = -1;
    this.innerSrcPort = -1;
    this.innerDstPort = -1;
    this.truncated = false;
    this.malformed = false;
  }

  /**
   * Writes an address (AddressOf) as 16 bytes into `into` at `at`: IPv6 in all 16, IPv4 in the first 4
   * with the rest zero, all zero when absent. No allocation.
   */
  copyAddress(which: AddressOf, into: Uint8Array, at = 0): void {
    const inner = which >= AddressOf.INNER_SRC;
    const version = inner ? this.innerIpVersion : this.ipVersion;
    const off = which === AddressOf.SRC ? this.srcOffset : which === AddressOf.DST ? this.dstOffset : which === AddressOf.INNER_SRC ? this.innerSrcOffset : this.innerDstOffset;
    const n = off < 0 ? 0 : version === 6 ? 16 : version === 4 ? 4 : 0;
    const b = this.bytes;
    for (let i = 0; i < n; i++) into[at + i] = b[off + i]!;
    for (let i = n; i < 16; i++) into[at + i] = 0;
  }

  /** The address as a new 16-byte array (allocates: tests and cold paths). */
  address(which: AddressOf): Uint8Array {
    const out = new Uint8Array(16);
    this.copyAddress(which, out);
    return out;
  }

  /** The address as text, or '' when absent (allocates). */
  addressString(which: AddressOf): string {
    const version = which >= AddressOf.INNER_SRC ? this.innerIpVersion : this.ipVersion;
    if (version === 4) return ipv4ToString(which === AddressOf.SRC ? this.srcV4 : which === AddressOf.DST ? this.dstV4 : which === AddressOf.INNER_SRC ? this.innerSrcV4 : this.innerDstV4);
    if (version === 6) return ipv6ToString(this.address(which));
    return '';
  }

  /** "aa:bb:cc:dd:ee:ff" (allocates). */
  srcMacString(): string {
    return macText(this.srcMacHi, this.srcMacLo);
  }

  dstMacString(): string {
    return macText(this.dstMacHi, this.dstMacLo);
  }
}

/** Which address PacketSummary.copyAddress/address/addressString read. */
export const AddressOf = { SRC: 0, DST: 1, INNER_SRC: 2, INNER_DST: 3 } as const;
export type AddressOf = (typeof AddressOf)[keyof typeof AddressOf];

const EMPTY = new Uint8Array(0);

function macText(hi: number, lo: number): string {
  const b = new Uint8Array(6);
  b[0] = hi >>> 8;
  b[1] = hi & 0xff;
  b[2] = lo >>> 24;
  b[3] = (lo >>> 16) & 0xff;
  b[4] = (lo >>> 8) & 0xff;
  b[5] = lo & 0xff;
  return macToString(b);
}
