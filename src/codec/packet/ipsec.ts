/** IPsec over IPv4: AH (RFC 4302), after which decoding continues, and ESP (RFC 4303), where it stops. */
import { Next, type DecodeContext } from './context.js';

export function decodeAh(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('ah', o, 12)) return ctx.stop();
  const lenField = ctx.u8(o + 1);
  const length = (lenField + 2) * 4;
  if (length < 12) {
    ctx.issue('ah', 'ah-bad-length', `AH length ${length} < 12`, ctx.rel(o + 1));
    return ctx.payload(o);
  }
  const present = Math.min(length, ctx.end - o);
  const nextHeader = ctx.u8(o);
  ctx.push({ type: 'ah', offset: ctx.rel(o), headerLength: present, depth: ctx.depth, nextHeader, length: lenField, spi: ctx.u32(o + 4), sequence: ctx.u32(o + 8), icv: ctx.b.subarray(o + 12, o + present) });
  if (!ctx.has('ah', o, length)) return ctx.stop();
  ctx.off = o + length;
  ctx.value = nextHeader;
  ctx.next = Next.IP_PROTO;
}

export function decodeEsp(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('esp', o, 8)) return ctx.stop();
  ctx.push({ type: 'esp', offset: ctx.rel(o), headerLength: 8, depth: ctx.depth, spi: ctx.u32(o), sequence: ctx.u32(o + 4) });
  ctx.payload(o + 8);
}
