/**
 * GRE (RFC 2784 with the RFC 2890 key and sequence number; version 1 is PPTP's enhanced GRE, RFC 2637).
 * Version 0 payloads of IPv4, IPv6 and transparent Ethernet bridging (0x6558) are decoded one tunnel deeper.
 */
import { Next, type DecodeContext } from './context.js';
import { EtherType, MAX_TUNNEL_DEPTH, type GreLayer } from './types.js';

export const GRE_BASE_LEN = 4;

export function decodeGre(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('gre', o, GRE_BASE_LEN)) return ctx.stop();
  const fv = ctx.u16(o);
  const checksumPresent = (fv & 0x8000) !== 0;
  const routingPresent = (fv & 0x4000) !== 0;
  const keyPresent = (fv & 0x2000) !== 0;
  const sequencePresent = (fv & 0x1000) !== 0;
  const version = fv & 7;
  const protocol = ctx.u16(o + 2);
  const layer: GreLayer = { type: 'gre', offset: ctx.rel(o), headerLength: GRE_BASE_LEN, depth: ctx.depth, flagsVersion: fv, checksumPresent, keyPresent, sequencePresent, version, protocol };
  ctx.push(layer);
  let p = o + GRE_BASE_LEN;
  if (checksumPresent || routingPresent) {
    // RFC 1701: checksum and offset fields are both present when either C or R is set.
    if (!ctx.has('gre', p, 4)) return ctx.stop();
    if (checksumPresent) layer.checksum = ctx.u16(p);
    p += 4;
  }
  if (keyPresent) {
    if (!ctx.has('gre', p, 4)) return ctx.stop();
    layer.key = ctx.u32(p);
    p += 4;
  }
  if (sequencePresent) {
    if (!ctx.has('gre', p, 4)) return ctx.stop();
    layer.sequence = ctx.u32(p);
    p += 4;
  }
  layer.headerLength = p - o;
  if (version === 1 && (fv & 0x0080) !== 0) {
    // Enhanced GRE acknowledgment number.
    if (!ctx.has('gre', p, 4)) return ctx.stop();
    p += 4;
    layer.headerLength = p - o;
  }
  if (routingPresent || version !== 0) return ctx.payload(p);
  if (ctx.depth + 1 > MAX_TUNNEL_DEPTH) {
    ctx.issue('gre', 'tunnel-too-deep', `more than ${MAX_TUNNEL_DEPTH} nested tunnels`, ctx.rel(p));
    return ctx.payload(p);
  }
  ctx.off = p;
  if (protocol === EtherType.TEB) {
    ctx.depth++;
    ctx.next = Next.ETHERNET;
  } else if (protocol === EtherType.IPV4 || protocol === EtherType.IPV6) {
    ctx.depth++;
    ctx.value = protocol;
    ctx.next = Next.ETHERTYPE;
  } else {
    ctx.payload(p);
  }
}
