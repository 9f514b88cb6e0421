/**
 * summarizePacket: the sFlow collector's hot path. Reads the same headers as decodePacket, but writes plain
 * numbers into a reused PacketSummary and allocates nothing (no objects, closures, strings, DataViews or
 * subarrays): every read is a byte access on the given array.
 *
 * It follows the first tunnel (VXLAN, or GRE carrying IPv4/IPv6/Ethernet) and records the inner packet's
 * 5-tuple; tunnels inside that are not followed. `truncated`/`malformed` cover the headers it reads: the
 * same headers decodePacket reads up to the inner transport header, except that IPv4/TCP option contents are
 * skipped by length, not checked. Ports are filled when their 4 bytes are present even if the rest of the
 * TCP/UDP header is cut short (decodePacket then reports no TCP/UDP layer, only the truncation).
 */
import { FragFlag, TunnelType, type PacketSummary } from './summary-types.js';
import { LinkType } from './types.js';

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_TEB = 0x6558;
const MAX_VLAN_TAGS = 8;
const MAX_IPV6_EXTENSIONS = 16;
const VXLAN_PORT = 4789;

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function isVlan(t: number): boolean {
  return t === 0x8100 || t === 0x88a8 || t === 0x9100;
}

/**
 * A header needs bytes past the current limit: malformed when an enclosing header declared that limit
 * (`declared`), truncation when it is the capture end. Always returns -1 (stop).
 */
function short(out: PacketSummary, declared: boolean): number {
  if (declared) out.malformed = true;
  else out.truncated = true;
  return -1;
}

/** Fills `out` from the frame at bytes[offset, offset+length) without allocating; returns `out`. */
export function summarizePacket(bytes: Uint8Array, offset: number, length: number, out: PacketSummary, linkType: number = LinkType.ETHERNET): PacketSummary {
  out.reset();
  out.bytes = bytes;
  const b = bytes;
  const start = offset < 0 ? 0 : offset > b.length ? b.length : offset;
  let end = start + (length > 0 ? length : 0);
  if (end > b.length) end = b.length;
  out.length = end - start;
  out.payloadOffset = start;
  let p = start;
  let et = 0;
  if (linkType === LinkType.ETHERNET) {
    if (p + 14 > end) {
      out.truncated = true;
      return out;
    }
    out.dstMacHi = u16(b, p);
    out.dstMacLo = u32(b, p + 2);
    out.srcMacHi = u16(b, p + 6);
    out.srcMacLo = u32(b, p + 8);
    et = u16(b, p + 12);
    p += 14;
    if (et <= 1500) {
      if (p + 3 > end) out.truncated = true;
      out.payloadOffset = p;
      return out; // 802.3 + LLC: not decoded further
    }
    if (et < 0x0600) {
      out.malformed = true;
      out.payloadOffset = p;
      return out;
    }
  } else if (linkType === LinkType.LINUX_SLL) {
    if (p + 16 > end) {
      out.truncated = true;
      return out;
    }
    et = u16(b, p + 14);
    p += 16;
  } else if (linkType === LinkType.LINUX_SLL2) {
    if (p + 20 > end) {
      out.truncated = true;
      return out;
    }
    et = u16(b, p);
    p += 20;
  } else if (linkType === LinkType.RAW) {
    if (p + 1 > end) {
      out.truncated = true;
      return out;
    }
    const v = b[p]! >>> 4;
    if (v === 4) et = ETH_IPV4;
    else if (v === 6) et = ETH_IPV6;
    else {
      out.malformed = true;
      return out;
    }
  } else if (linkType === LinkType.IPV4) {
    et = ETH_IPV4;
  } else if (linkType === LinkType.IPV6) {
    et = ETH_IPV6;
  } else {
    return out;
  }
  // VLAN stack (SLL captures may also carry tags).
  while (isVlan(et)) {
    if (out.vlanCount >= MAX_VLAN_TAGS) {
      out.malformed = true;
      out.payloadOffset = p;
      return out;
    }
    if (p + 4 > end) {
      out.truncated = true;
      out.payloadOffset = p;
      return out;
    }
    const vid = u16(b, p) & 0xfff;
    if (out.vlanCount === 0) out.outerVlan = vid;
    else if (out.vlanCount === 1) out.innerVlan = vid;
    out.vlanCount++;
    et = u16(b, p + 2);
    p += 4;
    if (et <= 1500) {
      if (p + 3 > end) out.truncated = true;
      out.payloadOffset = p;
      return out;
    }
  }
  out.ethertype = et;
  out.payloadOffset = p;
  if (et === ETH_IPV4 || et === ETH_IPV6) {
    const q = ip(b, p, end, false, et, out, false);
    if (q >= 0) out.payloadOffset = q;
  } else if (et === 0x0806) {
    if (p + 8 > end || p + 8 + 2 * (b[p + 4]! + b[p + 5]!) > end) out.truncated = true;
  }
  return out;
}

/**
 * An IPv4/IPv6 packet at p (bounded by lim) and its transport header. Writes the outer fields, or only the
 * inner 5-tuple when `inner`. Returns the offset after the last header read, or -1 when decoding stopped.
 */
function ip(b: Uint8Array, p: number, lim: number, limDecl: boolean, et: number, out: PacketSummary, inner: boolean): number {
  let proto: number;
  let q: number;
  let end: number;
  let endDecl: boolean;
  /** A first fragment: the transport length fields describe more than this packet holds. */
  let fragmented: boolean;
  if (et === ETH_IPV4) {
    if (p + 20 > lim) return short(out, limDecl);
    const vihl = b[p]!;
    const ihl = vihl & 0x0f;
    const totalLength = u16(b, p + 2);
    proto = b[p + 9]!;
    const frag = u16(b, p + 6);
    const fragOffset = frag & 0x1fff;
    if (inner) {
      out.innerIpVersion = 4;
      out.innerIpProto = proto;
      out.innerSrcOffset = p + 12;
      out.innerDstOffset = p + 16;
      out.innerSrcV4 = u32(b, p + 12);
      out.innerDstV4 = u32(b, p + 16);
    } else {
      out.ipVersion = 4;
      out.srcOffset = p + 12;
      out.dstOffset = p + 16;
      out.srcV4 = u32(b, p + 12);
      out.dstV4 = u32(b, p + 16);
      out.ipProto = proto;
      out.ttl = b[p + 8]!;
      out.ipTotalLength = totalLength;
      out.ipId = u16(b, p + 4);
      out.fragOffset = fragOffset;
      let ff = 0;
      if ((frag & 0x2000) !== 0) ff |= FragFlag.MORE | FragFlag.IS_FRAGMENT;
      if ((frag & 0x4000) !== 0) ff |= FragFlag.DONT;
      if (fragOffset !== 0) ff |= FragFlag.IS_FRAGMENT;
      out.fragFlags = ff;
    }
    if (vihl >>> 4 !== 4 || ihl < 5 || totalLength < ihl * 4) {
      out.malformed = true;
      return -1;
    }
    endDecl = p + totalLength <= lim || limDecl;
    fragmented = (frag & 0x2000) !== 0;
    end = p + totalLength <= lim ? p + totalLength : lim;
    q = p + ihl * 4;
    if (q > end) return short(out, limDecl);
    if (fragOffset !== 0) return q;
  } else {
    if (p + 40 > lim) return short(out, limDecl);
    const plen = u16(b, p + 4);
    let nh = b[p + 6]!;
    if (inner) {
      out.innerIpVersion = 6;
      out.innerSrcOffset = p + 8;
      out.innerDstOffset = p + 24;
    } else {
      out.ipVersion = 6;
      out.srcOffset = p + 8;
      out.dstOffset = p + 24;
      out.ttl = b[p + 7]!;
      out.ipTotalLength = plen + 40;
    }
    if (b[p]! >>> 4 !== 6) {
      if (inner) out.innerIpProto = nh;
      else out.ipProto = nh;
      out.malformed = true;
      return -1;
    }
    const jumbo = plen === 0 && nh === 0;
    endDecl = (!jumbo && p + 40 + plen <= lim) || limDecl;
    end = !jumbo && p + 40 + plen <= lim ? p + 40 + plen : lim;
    q = p + 40;
    let n = 0;
    let laterFragment = false;
    fragmented = false;
    while (nh === 0 || nh === 43 || nh === 60 || nh === 44 || nh === 51) {
      if (n >= MAX_IPV6_EXTENSIONS) {
        out.malformed = true;
        setProto(out, inner, nh);
        return q;
      }
      n++;
      let len: number;
      if (nh === 44) {
        if (q + 8 > end) {
          setProto(out, inner, nh);
          return short(out, endDecl);
        }
        const f = u16(b, q + 2);
        if (!inner) {
          out.fragOffset = f >>> 3;
          out.fragFlags = FragFlag.IS_FRAGMENT | ((f & 1) !== 0 ? FragFlag.MORE : 0);
          out.ipId = u32(b, q + 4);
        }
        len = 8;
        if (f >>> 3 !== 0) laterFragment = true;
        if ((f & 1) !== 0) fragmented = true;
      } else {
        if (q + 2 > end) {
          setProto(out, inner, nh);
          return short(out, endDecl);
        }
        if (nh === 51) {
          len = (b[q + 1]! + 2) * 4;
          if (len < 12) {
            setProto(out, inner, nh);
            out.malformed = true;
            return -1;
          }
        } else {
          len = (b[q + 1]! + 1) * 8;
        }
        if (q + len > end) {
          setProto(out, inner, nh);
          return short(out, endDecl);
        }
      }
      nh = b[q]!;
      q += len;
      if (laterFragment) break;
    }
    proto = nh;
    setProto(out, inner, nh);
    if (laterFragment || nh === 59) return q;
  }
  return transport(b, q, end, endDecl, proto, et === ETH_IPV6, fragmented, out, inner);
}

function setProto(out: PacketSummary, inner: boolean, proto: number): void {
  if (inner) out.innerIpProto = proto;
  else out.ipProto = proto;
}

/** The transport header at q (bounded by lim). Returns the offset after it, or -1. */
function transport(b: Uint8Array, q: number, lim: number, limDecl: boolean, proto: number, v6: boolean, fragmented: boolean, out: PacketSummary, inner: boolean): number {
  // IPv4 AH chains to the next protocol (IPv6 AH was taken as an extension header).
  for (let ah = 0; proto === 51 && ah < 8; ah++) {
    if (q + 12 > lim) return short(out, limDecl);
    const len = (b[q + 1]! + 2) * 4;
    if (len < 12) {
      out.malformed = true;
      return -1;
    }
    if (q + len > lim) return short(out, limDecl);
    proto = b[q]!;
    q += len;
  }
  if (proto === 6 || proto === 17) {
    if (q + 4 <= lim) {
      const sp = u16(b, q);
      const dp = u16(b, q + 2);
      if (inner) {
        out.innerSrcPort = sp;
        out.innerDstPort = dp;
      } else {
        out.srcPort = sp;
        out.dstPort = dp;
      }
    }
    if (proto === 6) {
      if (q + 20 > lim) return short(out, limDecl);
      if (!inner) out.tcpFlags = u16(b, q + 12) & 0x1ff;
      const doff = b[q + 12]! >>> 4;
      if (doff < 5) {
        out.malformed = true;
        return -1;
      }
      if (q + doff * 4 > lim) return short(out, limDecl);
      return q + doff * 4;
    }
    if (q + 8 > lim) return short(out, limDecl);
    const ulen = u16(b, q + 4);
    let end = lim;
    let endDecl = limDecl;
    if (ulen < 8) {
      if (!(ulen === 0 && v6)) out.malformed = true;
    } else {
      if (q + ulen > lim && limDecl && !fragmented) out.malformed = true;
      if (q + ulen <= lim) {
        end = q + ulen;
        endDecl = true;
      }
    }
    const dp = u16(b, q + 2);
    if (!inner && (dp === VXLAN_PORT || u16(b, q) === VXLAN_PORT)) vxlan(b, q + 8, end, endDecl, out);
    return q + 8;
  }
  if ((proto === 1 && !v6) || (proto === 58 && v6)) {
    if (q + (proto === 1 ? 8 : 4) > lim) return short(out, limDecl);
    const t = b[q]!;
    if (!inner) {
      out.icmpType = t;
      out.icmpCode = b[q + 1]!;
    }
    let need = 8;
    if (proto === 58 && (t === 135 || t === 136)) need = 24;
    else if (proto === 58 && t === 137) need = 40;
    if (q + need > lim) return short(out, limDecl);
    return q + need;
  }
  if (proto === 47) return gre(b, q, lim, limDecl, out, inner);
  if (proto === 50) {
    if (q + 8 > lim) return short(out, limDecl);
    return q + 8;
  }
  return q;
}

function vxlan(b: Uint8Array, p: number, lim: number, limDecl: boolean, out: PacketSummary): void {
  if (p + 8 > lim) {
    short(out, limDecl);
    return;
  }
  out.tunnel = TunnelType.VXLAN;
  out.vni = u32(b, p + 4) >>> 8;
  if ((b[p]! & 0x08) === 0) out.malformed = true;
  innerEthernet(b, p + 8, lim, limDecl, out);
}

function innerEthernet(b: Uint8Array, p: number, lim: number, limDecl: boolean, out: PacketSummary): void {
  if (p + 14 > lim) {
    short(out, limDecl);
    return;
  }
  let et = u16(b, p + 12);
  p += 14;
  for (let tags = 0; isVlan(et); tags++) {
    if (tags >= MAX_VLAN_TAGS) {
      out.malformed = true;
      return;
    }
    if (p + 4 > lim) {
      short(out, limDecl);
      return;
    }
    et = u16(b, p + 2);
    p += 4;
  }
  if (et <= 1500) {
    if (p + 3 > lim) short(out, limDecl);
    return;
  }
  if (et < 0x0600) {
    out.malformed = true;
    return;
  }
  if (et === ETH_IPV4 || et === ETH_IPV6) ip(b, p, lim, limDecl, et, out, true);
  else if (et === 0x0806 && (p + 8 > lim || p + 8 + 2 * (b[p + 4]! + b[p + 5]!) > lim)) short(out, limDecl);
}

function gre(b: Uint8Array, q: number, lim: number, limDecl: boolean, out: PacketSummary, inner: boolean): number {
  if (q + 4 > lim) return short(out, limDecl);
  const fv = u16(b, q);
  const proto = u16(b, q + 2);
  let p = q + 4;
  if ((fv & 0xc000) !== 0) {
    if (p + 4 > lim) return short(out, limDecl);
    p += 4;
  }
  let key = -1;
  if ((fv & 0x2000) !== 0) {
    if (p + 4 > lim) return short(out, limDecl);
    key = u32(b, p);
    p += 4;
  }
  if ((fv & 0x1000) !== 0) {
    if (p + 4 > lim) return short(out, limDecl);
    p += 4;
  }
  const version = fv & 7;
  if (version === 1 && (fv & 0x0080) !== 0) {
    if (p + 4 > lim) return short(out, limDecl);
    p += 4;
  }
  // Followed (and reported as a tunnel) when it carries IPv4, IPv6 or Ethernet, like decodePacket.
  if (inner || (fv & 0x4000) !== 0 || version !== 0) return p;
  if (proto !== ETH_TEB && proto !== ETH_IPV4 && proto !== ETH_IPV6) return p;
  out.tunnel = TunnelType.GRE;
  out.vni = key;
  if (proto === ETH_TEB) innerEthernet(b, p, lim, limDecl, out);
  else ip(b, p, lim, limDecl, proto, out, true);
  return p;
}
