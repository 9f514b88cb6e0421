/** UDP (RFC 768); VXLAN on port 4789 (either port, as Wireshark's port table matches). */
import { Next, type DecodeContext } from './context.js';
import { VXLAN_PORT } from './types.js';

export const UDP_HEADER_LEN = 8;

export function decodeUdp(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('udp', o, UDP_HEADER_LEN)) return ctx.stop();
  const srcPort = ctx.u16(o);
  const dstPort = ctx.u16(o + 2);
  const length = ctx.u16(o + 4);
  ctx.push({ type: 'udp', offset: ctx.rel(o), headerLength: UDP_HEADER_LEN, depth: ctx.depth, srcPort, dstPort, length, checksum: ctx.u16(o + 6) });
  ctx.off = o + UDP_HEADER_LEN;
  if (length < UDP_HEADER_LEN) {
    // Length 0 is legal only for IPv6 jumbograms; otherwise the field is bad. Either way the IP length bounds it.
    if (!(length === 0 && ctx.ipVersion === 6)) ctx.issue('udp', 'udp-bad-length', `UDP length ${length} < 8`, ctx.rel(o + 4));
  } else {
    if (o + length > ctx.end && ctx.endDeclared && !ctx.fragmented) {
      ctx.issue('udp', 'udp-length-exceeds-ip', `UDP length ${length} runs past the IP payload`, ctx.rel(o + 4));
    }
    ctx.limit(o + length);
  }
  if (dstPort === VXLAN_PORT || srcPort === VXLAN_PORT) {
    ctx.next = Next.VXLAN;
    return;
  }
  ctx.payload(ctx.off);
}
