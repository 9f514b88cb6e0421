/**
 * Reads just enough of a frame to say whether it is an IP fragment, and where its parts are: link header
 * (Ethernet + VLAN tags, Linux cooked v1/v2, raw IP), IPv4 header / IPv6 header and the extension headers
 * before the fragment header (the unfragmentable part), the fragment fields, and the fragment's data.
 * Fills a reused FrameView; allocates nothing. Only the outermost IP header is considered (fragments inside
 * tunnels pass through whole).
 */
import { LinkType } from '../../codec/packet/types.js';

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const MAX_VLAN_TAGS = 8;
const MAX_IPV6_EXTENSIONS = 16;

/** What parseFrame found. */
export const FrameKind = {
  /** Not IP, not a fragment, or malformed IP (passed through for the decoder to report). */
  WHOLE: 0,
  FRAGMENT: 1,
  /** A fragment whose capture is shorter than its IP length. */
  TRUNCATED: 2,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export class FrameView {
  bytes: Uint8Array = new Uint8Array(0);
  /** Offset of the IP header (= length of the link header and VLAN tags). */
  ipStart = 0;
  ipVersion: 4 | 6 = 4;
  /** IPv4: IHL × 4. IPv6: 40 + extension headers before the fragment header (the unfragmentable part). */
  headerLen = 0;
  /** IPv6: offset (in bytes) of the Next Header byte that names the fragment header (44). */
  nhFieldAt = 0;
  /** IPv4 protocol, or the IPv6 fragment header's Next Header. */
  protocol = 0;
  id = 0;
  /** Fragment offset in bytes. */
  offset = 0;
  more = false;
  dontFragment = false;
  /** The fragment's data: bytes[dataStart, dataEnd). */
  dataStart = 0;
  dataEnd = 0;
  srcAt = 0;
  dstAt = 0;
  vlanCount = 0;
  readonly vlans = new Int32Array(MAX_VLAN_TAGS);
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function isVlan(t: number): boolean {
  return t === 0x8100 || t === 0x88a8 || t === 0x9100;
}

/** Parses `bytes` (one frame of `linkType`) into `v`. */
export function parseFrame(bytes: Uint8Array, linkType: number, v: FrameView): FrameKind {
  const b = bytes;
  const end = b.length;
  v.bytes = b;
  v.vlanCount = 0;
  let p = 0;
  let et: number;
  switch (linkType) {
    case LinkType.ETHERNET:
      if (end < 14) return FrameKind.WHOLE;
      et = u16(b, 12);
      p = 14;
      break;
    case LinkType.LINUX_SLL:
      if (end < 16) return FrameKind.WHOLE;
      et = u16(b, 14);
      p = 16;
      break;
    case LinkType.LINUX_SLL2:
      if (end < 20) return FrameKind.WHOLE;
      et = u16(b, 0);
      p = 20;
      break;
    case LinkType.RAW: {
      if (end < 1) return FrameKind.WHOLE;
      const ver = b[0]! >>> 4;
      et = ver === 4 ? ETH_IPV4 : ver === 6 ? ETH_IPV6 : 0;
      break;
    }
    case LinkType.IPV4:
      et = ETH_IPV4;
      break;
    case LinkType.IPV6:
      et = ETH_IPV6;
      break;
    default:
      return FrameKind.WHOLE;
  }
  while (isVlan(et)) {
    if (v.vlanCount >= MAX_VLAN_TAGS || p + 4 > end) return FrameKind.WHOLE;
    v.vlans[v.vlanCount++] = u16(b, p) & 0xfff;
    et = u16(b, p + 2);
    p += 4;
  }
  v.ipStart = p;
  if (et === ETH_IPV4) return ipv4(b, p, v);
  if (et === ETH_IPV6) return ipv6(b, p, v);
  return FrameKind.WHOLE;
}

function ipv4(b: Uint8Array, p: number, v: FrameView): FrameKind {
  if (p + 20 > b.length) return FrameKind.WHOLE;
  const vihl = b[p]!;
  const ihl = (vihl & 0x0f) * 4;
  const total = u16(b, p + 2);
  const frag = u16(b, p + 6);
  const offset = (frag & 0x1fff) * 8;
  const more = (frag & 0x2000) !== 0;
  if (vihl >>> 4 !== 4 || ihl < 20 || total < ihl) return FrameKind.WHOLE;
  if (!more && offset === 0) return FrameKind.WHOLE;
  v.ipVersion = 4;
  v.headerLen = ihl;
  v.protocol = b[p + 9]!;
  v.id = u16(b, p + 4);
  v.offset = offset;
  v.more = more;
  v.dontFragment = (frag & 0x4000) !== 0;
  v.srcAt = p + 12;
  v.dstAt = p + 16;
  v.dataStart = p + ihl;
  v.dataEnd = p + total;
  if (v.dataEnd > b.length) return FrameKind.TRUNCATED;
  return FrameKind.FRAGMENT;
}

function ipv6(b: Uint8Array, p: number, v: FrameView): FrameKind {
  if (p + 40 > b.length) return FrameKind.WHOLE;
  if (b[p]! >>> 4 !== 6) return FrameKind.WHOLE;
  const plen = u16(b, p + 4);
  const ipEnd = p + 40 + plen;
  // Walk the extension headers before a fragment header (hop-by-hop, routing, destination options, AH).
  let nh = b[p + 6]!;
  let nhAt = p + 6;
  let q = p + 40;
  for (let n = 0; nh !== 44; n++) {
    if (n >= MAX_IPV6_EXTENSIONS) return FrameKind.WHOLE;
    let len: number;
    if (nh === 0 || nh === 43 || nh === 60) {
      if (q + 2 > b.length || q + 2 > ipEnd) return FrameKind.WHOLE;
      len = (b[q + 1]! + 1) * 8;
    } else if (nh === 51) {
      if (q + 2 > b.length || q + 2 > ipEnd) return FrameKind.WHOLE;
      len = (b[q + 1]! + 2) * 4;
    } else {
      return FrameKind.WHOLE; // upper layer (or ESP / No Next Header) before any fragment header
    }
    nhAt = q;
    nh = b[q]!;
    q += len;
  }
  if (q + 8 > ipEnd || q + 8 > b.length) return q + 8 > ipEnd ? FrameKind.WHOLE : FrameKind.TRUNCATED;
  const f = u16(b, q + 2);
  v.ipVersion = 6;
  v.headerLen = q - p;
  v.nhFieldAt = nhAt;
  v.protocol = b[q]!;
  v.id = u32(b, q + 4);
  v.offset = f & 0xfff8;
  v.more = (f & 1) !== 0;
  v.dontFragment = false;
  v.srcAt = p + 8;
  v.dstAt = p + 24;
  v.dataStart = q + 8;
  v.dataEnd = ipEnd;
  if (ipEnd > b.length) return FrameKind.TRUNCATED;
  return FrameKind.FRAGMENT;
}
