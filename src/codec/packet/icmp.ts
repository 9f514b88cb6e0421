/** ICMP (RFC 792) and ICMPv6 (RFC 4443, Neighbor Discovery RFC 4861 targets). */
import { ipv4ToString, ipv6ToString } from '../addr.js';
import type { DecodeContext } from './context.js';
import type { IcmpLayer, Icmpv6Layer } from './types.js';

/** ICMP types whose rest-of-header is identifier + sequence number. */
function icmpHasIdSeq(t: number): boolean {
  return t === 0 || t === 8 || t === 13 || t === 14 || t === 15 || t === 16 || t === 17 || t === 18;
}

/** The ICMP header is 8 bytes: type, code, checksum and the 4-byte rest-of-header. */
export function decodeIcmp(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('icmp', o, 8)) return ctx.stop();
  const t = ctx.u8(o);
  const layer: IcmpLayer = { type: 'icmp', offset: ctx.rel(o), headerLength: 8, depth: ctx.depth, icmpType: t, code: ctx.u8(o + 1), checksum: ctx.u16(o + 2) };
  ctx.push(layer);
  if (icmpHasIdSeq(t)) {
    layer.id = ctx.u16(o + 4);
    layer.seq = ctx.u16(o + 6);
  } else if (t === 5) {
    layer.gateway = ipv4ToString(ctx.u32(o + 4));
  }
  ctx.payload(o + 8);
}

export function decodeIcmpv6(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('icmpv6', o, 4)) return ctx.stop();
  const t = ctx.u8(o);
  const layer: Icmpv6Layer = { type: 'icmpv6', offset: ctx.rel(o), headerLength: 4, depth: ctx.depth, icmpType: t, code: ctx.u8(o + 1), checksum: ctx.u16(o + 2) };
  ctx.push(layer);
  if (!ctx.has('icmpv6', o, 8)) return ctx.stop();
  layer.headerLength = 8;
  if (t === 128 || t === 129) {
    layer.id = ctx.u16(o + 4);
    layer.seq = ctx.u16(o + 6);
  } else if (t === 135 || t === 136 || t === 137) {
    if (t === 136) layer.naFlags = ctx.u8(o + 4);
    if (!ctx.has('icmpv6', o, 24)) return ctx.stop();
    layer.target = ipv6ToString(ctx.b, o + 8);
    layer.headerLength = 24;
    // A redirect also carries the destination address.
    if (t === 137) {
      if (!ctx.has('icmpv6', o, 40)) return ctx.stop();
      layer.headerLength = 40;
    }
  }
  ctx.payload(o + layer.headerLength);
}
