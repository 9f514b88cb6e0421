/**
 * IPv6 (RFC 8200) with its extension-header chain: hop-by-hop, routing, destination options, fragment,
 * AH (RFC 4302). ESP ends the chain (its payload is encrypted); so does No Next Header (59).
 */
import { ipv6ToString } from '../addr.js';
import { Next, type DecodeContext } from './context.js';
import { IpProto, type Ipv6Extension, type Ipv6Layer } from './types.js';

export const IPV6_HEADER_LEN = 40;
/** Longer extension chains are called malformed. */
export const MAX_IPV6_EXTENSIONS = 16;

export function isIpv6Extension(nh: number): boolean {
  return nh === IpProto.HOPOPTS || nh === IpProto.ROUTING || nh === IpProto.FRAGMENT || nh === IpProto.DSTOPTS || nh === IpProto.AH;
}

export function decodeIpv6(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('ipv6', o, IPV6_HEADER_LEN)) return ctx.stop();
  const b = ctx.b;
  const w0 = ctx.u32(o);
  const version = w0 >>> 28;
  const payloadLength = ctx.u16(o + 4);
  const nextHeader = b[o + 6]!;
  const layer: Ipv6Layer = {
    type: 'ipv6', offset: ctx.rel(o), headerLength: IPV6_HEADER_LEN, depth: ctx.depth,
    version, trafficClass: (w0 >>> 20) & 0xff, flowLabel: w0 & 0xfffff, payloadLength, nextHeader, hopLimit: b[o + 7]!,
    src: ipv6ToString(b, o + 8), dst: ipv6ToString(b, o + 24), extensions: [], upperProtocol: nextHeader,
  };
  ctx.push(layer);
  if (version !== 6) {
    ctx.issue('ipv6', 'ipv6-bad-version', `IPv6 header with version ${version}`, ctx.rel(o));
    return ctx.payload(o + IPV6_HEADER_LEN);
  }
  // Payload length 0 with a hop-by-hop header is a jumbogram (RFC 2675): the capture end bounds it.
  const jumbo = payloadLength === 0 && nextHeader === IpProto.HOPOPTS;
  if (!jumbo) ctx.limit(o + IPV6_HEADER_LEN + payloadLength);
  ctx.ipVersion = 6;
  ctx.fragmented = false;
  let nh = nextHeader;
  let p = o + IPV6_HEADER_LEN;
  let laterFragment = false;
  while (isIpv6Extension(nh)) {
    if (layer.extensions.length >= MAX_IPV6_EXTENSIONS) {
      ctx.issue('ipv6', 'ipv6-too-many-extensions', `more than ${MAX_IPV6_EXTENSIONS} extension headers`, ctx.rel(p));
      layer.upperProtocol = nh;
      return ctx.payload(p);
    }
    const ext = decodeExtension(ctx, nh, p);
    if (ext === null) {
      layer.upperProtocol = nh;
      layer.headerLength = p - o;
      return ctx.stop();
    }
    layer.extensions.push(ext);
    p += ext.length;
    nh = ext.nextHeader;
    if (ext.type === 'fragment' && ext.moreFragments) ctx.fragmented = true;
    if (ext.type === 'fragment' && ext.fragmentOffset !== 0) {
      laterFragment = true; // a non-first fragment: what follows is the middle of the upper-layer data
      break;
    }
  }
  layer.upperProtocol = nh;
  layer.headerLength = p - o;
  ctx.off = p;
  if (laterFragment || nh === IpProto.NONE) return ctx.payload(p);
  ctx.value = nh;
  ctx.next = Next.IP_PROTO;
}

/** One extension header at p, or null when it is cut short/malformed (already recorded). */
function decodeExtension(ctx: DecodeContext, nh: number, p: number): Ipv6Extension | null {
  const b = ctx.b;
  if (!ctx.has('ipv6', p, nh === IpProto.FRAGMENT ? 8 : 2)) return null;
  const next = b[p]!;
  const offset = ctx.rel(p);
  if (nh === IpProto.FRAGMENT) {
    const f = ctx.u16(p + 2);
    return { type: 'fragment', nextHeader: next, length: 8, offset, fragmentOffset: f >>> 3, moreFragments: (f & 1) !== 0, id: ctx.u32(p + 4) };
  }
  if (nh === IpProto.AH) {
    const length = (b[p + 1]! + 2) * 4;
    if (length < 12) {
      ctx.issue('ipv6', 'ah-bad-length', `AH length ${length} < 12`, ctx.rel(p + 1));
      return null;
    }
    if (!ctx.has('ipv6', p, length)) return null;
    return { type: 'ah', nextHeader: next, length, offset, spi: ctx.u32(p + 4), sequence: ctx.u32(p + 8), icv: b.subarray(p + 12, p + length) };
  }
  const length = (b[p + 1]! + 1) * 8;
  if (!ctx.has('ipv6', p, length)) return null;
  if (nh === IpProto.ROUTING) {
    return { type: 'routing', nextHeader: next, length, offset, routingType: b[p + 2]!, segmentsLeft: b[p + 3]!, data: b.subarray(p + 4, p + length) };
  }
  return { type: nh === IpProto.HOPOPTS ? 'hop-by-hop' : 'destination-options', nextHeader: next, length, offset, options: b.subarray(p + 2, p + length) };
}
