/** TCP (RFC 9293) with options: MSS, window scale, SACK-permitted, SACK, timestamps; others kept raw. */
import type { DecodeContext } from './context.js';
import type { TcpLayer, TcpOption } from './types.js';

export const TCP_MIN_HEADER_LEN = 20;

export function decodeTcp(ctx: DecodeContext): void {
  const o = ctx.off;
  if (!ctx.has('tcp', o, TCP_MIN_HEADER_LEN)) return ctx.stop();
  const b = ctx.b;
  const dataOffset = b[o + 12]! >>> 4;
  const layer: TcpLayer = {
    type: 'tcp', offset: ctx.rel(o), headerLength: TCP_MIN_HEADER_LEN, depth: ctx.depth,
    srcPort: ctx.u16(o), dstPort: ctx.u16(o + 2), seq: ctx.u32(o + 4), ack: ctx.u32(o + 8), dataOffset,
    flags: ctx.u16(o + 12) & 0x1ff, window: ctx.u16(o + 14), checksum: ctx.u16(o + 16), urgentPointer: ctx.u16(o + 18), options: [],
  };
  ctx.push(layer);
  if (dataOffset < 5) {
    ctx.issue('tcp', 'tcp-bad-data-offset', `data offset ${dataOffset} < 5`, ctx.rel(o + 12));
    return ctx.payload(o + TCP_MIN_HEADER_LEN);
  }
  const declared = dataOffset * 4;
  const optEnd = Math.min(o + declared, ctx.end);
  const cut = optEnd < o + declared;
  decodeTcpOptions(ctx, layer.options, o + TCP_MIN_HEADER_LEN, optEnd, cut);
  layer.headerLength = optEnd - o;
  if (cut) {
    ctx.has('tcp', o, declared);
    return ctx.stop();
  }
  ctx.payload(o + declared);
}

function decodeTcpOptions(ctx: DecodeContext, out: TcpOption[], p: number, end: number, cut: boolean): void {
  const b = ctx.b;
  while (p < end) {
    const kind = b[p]!;
    if (kind === 0) {
      out.push({ kind: 0, name: 'eol' });
      return;
    }
    if (kind === 1) {
      out.push({ kind: 1, name: 'nop' });
      p++;
      continue;
    }
    if (p + 2 > end) {
      if (!cut) ctx.issue('tcp', 'tcp-bad-option-length', `option ${kind} has no length byte before the header ends`, ctx.rel(p));
      return;
    }
    const len = b[p + 1]!;
    if (len < 2) {
      ctx.issue('tcp', 'tcp-bad-option-length', `option ${kind} with length ${len} < 2`, ctx.rel(p + 1));
      return;
    }
    if (p + len > end) {
      if (!cut) ctx.issue('tcp', 'tcp-bad-option-length', `option ${kind} length ${len} runs past the header`, ctx.rel(p + 1));
      return;
    }
    out.push(knownOption(ctx, kind, p, len));
    p += len;
  }
}

function knownOption(ctx: DecodeContext, kind: number, p: number, len: number): TcpOption {
  switch (kind) {
    case 2:
      if (len === 4) return { kind: 2, name: 'mss', mss: ctx.u16(p + 2) };
      break;
    case 3:
      if (len === 3) return { kind: 3, name: 'wscale', shift: ctx.u8(p + 2) };
      break;
    case 4:
      if (len === 2) return { kind: 4, name: 'sack-permitted' };
      break;
    case 5:
      if (len >= 10 && (len - 2) % 8 === 0) {
        const blocks: Array<{ left: number; right: number }> = [];
        for (let q = p + 2; q < p + len; q += 8) blocks.push({ left: ctx.u32(q), right: ctx.u32(q + 4) });
        return { kind: 5, name: 'sack', blocks };
      }
      break;
    case 8:
      if (len === 10) return { kind: 8, name: 'timestamp', tsval: ctx.u32(p + 2), tsecr: ctx.u32(p + 6) };
      break;
    default:
      return { kind, name: 'other', length: len, data: ctx.b.subarray(p + 2, p + len) };
  }
  ctx.issue('tcp', 'tcp-bad-option-length', `option ${kind} with length ${len} is not the size the option requires`, ctx.rel(p + 1));
  return { kind, name: 'other', length: len, data: ctx.b.subarray(p + 2, p + len) };
}
