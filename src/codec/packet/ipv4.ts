/** IPv4 (RFC 791): options kept as type/length/data, fragment fields, header checksum as on the wire. */
import { ipv4ToString } from '../addr.js';
import { Next, type DecodeContext } from './context.js';
import type { Ipv4Option } from './types.js';

export const IPV4_MIN_HEADER_LEN = 20;

export function decodeIpv4(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('ipv4', o, IPV4_MIN_HEADER_LEN)) return ctx.stop();
  const b = ctx.b;
  const version = b[o]! >>> 4;
  const ihl = b[o]! & 0x0f;
  const totalLength = ctx.u16(o + 2);
  const frag = ctx.u16(o + 6);
  const fragmentOffset = frag & 0x1fff;
  const moreFragments = (frag & 0x2000) !== 0;
  const declaredHeader = ihl * 4;
  const layer = {
    type: 'ipv4' as const, offset: ctx.rel(o), headerLength: IPV4_MIN_HEADER_LEN, depth: ctx.depth,
    version, ihl, dscp: b[o + 1]! >>> 2, ecn: b[o + 1]! & 3, totalLength, id: ctx.u16(o + 4),
    reservedFlag: (frag & 0x8000) !== 0, dontFragment: (frag & 0x4000) !== 0, moreFragments, fragmentOffset,
    ttl: b[o + 8]!, protocol: b[o + 9]!, checksum: ctx.u16(o + 10), src: ipv4ToString(ctx.u32(o + 12)), dst: ipv4ToString(ctx.u32(o + 16)),
    options: [] as Ipv4Option[],
  };
  ctx.push(layer);
  if (version !== 4) {
    ctx.issue('ipv4', 'ipv4-bad-version', `IPv4 header with version ${version}`, ctx.rel(o));
    return ctx.payload(o + IPV4_MIN_HEADER_LEN);
  }
  if (ihl < 5) {
    ctx.issue('ipv4', 'ipv4-ihl-too-small', `IHL ${ihl} < 5`, ctx.rel(o));
    return ctx.payload(o + IPV4_MIN_HEADER_LEN);
  }
  if (totalLength < declaredHeader) {
    ctx.issue('ipv4', 'ipv4-total-length-too-small', `total length ${totalLength} < header length ${declaredHeader}`, ctx.rel(o + 2));
    return ctx.payload(o + IPV4_MIN_HEADER_LEN);
  }
  // The datagram ends at total length (Ethernet padding after it is not payload), or at the capture end.
  const datagramEnd = Math.min(ctx.end, o + totalLength);
  const optEnd = Math.min(o + declaredHeader, datagramEnd);
  decodeOptions(ctx, layer.options, o + IPV4_MIN_HEADER_LEN, optEnd, optEnd < o + declaredHeader);
  layer.headerLength = optEnd - o;
  if (optEnd < o + declaredHeader) {
    ctx.has('ipv4', o, declaredHeader); // records truncation or the enclosing-length issue
    return ctx.stop();
  }
  ctx.limit(o + totalLength);
  ctx.off = o + declaredHeader;
  ctx.ipVersion = 4;
  ctx.fragmented = moreFragments;
  if (fragmentOffset !== 0) return ctx.payload(ctx.off); // a non-first fragment carries no transport header
  ctx.value = layer.protocol;
  ctx.next = Next.IP_PROTO;
}

/** Options in [p, end); `cut`: the header is cut short at `end` (an overrun there is truncation, not malformed). */
function decodeOptions(ctx: DecodeContext, out: Ipv4Option[], p: number, end: number, cut: boolean): void {
  const b = ctx.b;
  while (p < end) {
    const type = b[p]!;
    if (type === 0 || type === 1) {
      out.push({ type, length: 1, data: b.subarray(p + 1, p + 1) });
      p += 1;
      if (type === 0) return; // End of Option List
      continue;
    }
    if (p + 2 > end) {
      if (!cut) ctx.issue('ipv4', 'ipv4-bad-option-length', `option ${type} has no length byte before the header ends`, ctx.rel(p));
      return;
    }
    const len = b[p + 1]!;
    if (len < 2) {
      ctx.issue('ipv4', 'ipv4-bad-option-length', `option ${type} with length ${len} < 2`, ctx.rel(p + 1));
      return;
    }
    if (p + len > end) {
      if (cut) return;
      ctx.issue('ipv4', 'ipv4-bad-option-length', `option ${type} length ${len} runs past the header`, ctx.rel(p + 1));
      return;
    }
    out.push({ type, length: len, data: b.subarray(p + 2, p + len) });
    p += len;
  }
}
