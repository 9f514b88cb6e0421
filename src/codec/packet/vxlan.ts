/** VXLAN (RFC 7348): flags (I = 0x08 says the VNI is valid), VNI, then an inner Ethernet frame. */
import { Next, type DecodeContext } from './context.js';
import { MAX_TUNNEL_DEPTH } from './types.js';

export const VXLAN_HEADER_LEN = 8;
export const VXLAN_FLAG_I = 0x08;

export function decodeVxlan(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('vxlan', o, VXLAN_HEADER_LEN)) return ctx.stop();
  const flags = ctx.u8(o);
  const vni = ctx.u32(o + 4) >>> 8;
  ctx.push({ type: 'vxlan', offset: ctx.rel(o), headerLength: VXLAN_HEADER_LEN, depth: ctx.depth, flags, vni });
  const p = o + VXLAN_HEADER_LEN;
  if ((flags & VXLAN_FLAG_I) === 0) ctx.issue('vxlan', 'vxlan-no-vni-flag', 'VXLAN header without the I flag', ctx.rel(o));
  if (ctx.depth + 1 > MAX_TUNNEL_DEPTH) {
    ctx.issue('vxlan', 'tunnel-too-deep', `more than ${MAX_TUNNEL_DEPTH} nested tunnels`, ctx.rel(p));
    return ctx.payload(p);
  }
  // A VXLAN header always carries a frame: none at all is a truncation (or a malformed UDP length).
  ctx.off = p;
  ctx.depth++;
  ctx.next = Next.ETHERNET;
}
