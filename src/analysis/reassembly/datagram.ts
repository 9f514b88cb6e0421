/**
 * One datagram in reassembly: the held pieces (disjoint, sorted by offset), the known end, the saved first
 * fragment's headers, and the bytes accounted against the caps. Inserting a fragment is two steps, so the
 * caps can be checked before anything is buffered: `plan` works out, under the datagram's overlap policy,
 * which of the new bytes survive and which held bytes they replace (and whether overlapping bytes differ);
 * `apply` then changes the pieces.
 */
import { keyOf } from './key.js';
import { newDataWins, type OverlapPolicy } from './policy.js';
import type { FragmentKey } from './types.js';

/**
 * Bytes accounted per held piece (object, typed array and its backing store header) and per datagram
 * (object, map entry and key, lists). Calibrated on Node 20: a flood of one-piece datagrams measured about
 * 1.2x the accounted bytes in heap + array buffers (bench/reassembly.ts).
 */
export const PIECE_OVERHEAD = 192;
export const DATAGRAM_OVERHEAD = 512;

/** A held run of bytes: datagram byte x (off <= x < end) is buf[at + x - off]. */
export interface Piece {
  off: number;
  end: number;
  buf: Uint8Array;
  at: number;
}

/** The outcome of planning one fragment's insertion (reused: one per Reassembler). */
export class InsertPlan {
  /** Index of the first held piece the fragment overlaps (or where it goes), and how many it overlaps. */
  first = 0;
  count = 0;
  /** Surviving new ranges as [start, end) pairs, sorted. */
  survivors: number[] = [];
  /** Per overlapped piece (index first + i): the range the new fragment takes from it, or -1. */
  lostFrom: number[] = [];
  lostTo: number[] = [];
  /** Overlapped bytes, and how many of them differ (first difference at firstDiff). */
  overlapBytes = 0;
  diffBytes = 0;
  firstDiff = -1;
  keptHeld = false;
  keptNew = false;
  /** Change in held payload bytes and in the number of pieces once applied. */
  deltaBytes = 0;
  deltaPieces = 0;
  survivorBytes = 0;

  reset(): void {
    this.survivors.length = 0;
    this.lostFrom.length = 0;
    this.lostTo.length = 0;
    this.overlapBytes = 0;
    this.diffBytes = 0;
    this.firstDiff = -1;
    this.keptHeld = false;
    this.keptNew = false;
    this.deltaBytes = 0;
    this.deltaPieces = 0;
    this.survivorBytes = 0;
  }
}

export class Datagram {
  pieces: Piece[] = [];
  /** Payload bytes held (the pieces are disjoint, so this is the coverage). */
  filled = 0;
  /** End of the fragmentable part once the last fragment (MF=0) is in; -1 before. */
  end = -1;
  /** Highest end seen. */
  maxEnd = 0;
  /** Fragments that went into this datagram. */
  fragments = 0;
  /** Bytes accounted against the caps. */
  bytes = DATAGRAM_OVERHEAD;
  /** Link header + IP header (IPv4 with options; IPv6 unfragmentable part) of the fragment holding byte 0. */
  header: Uint8Array | null = null;
  ipStart = 0;
  headerLen = 0;
  /** IPv6: offset in `header` of the Next Header byte that named the fragment header, and what to write there. */
  nhFieldAt = 0;
  nextHeader = 0;
  linkType = 0;
  /** Reasons already reported for this datagram (bit per FRAGMENT_EVASION_REASONS index). */
  flagged = 0;
  /** Neighbours in the Reassembler's creation-order list (oldest first). */
  prev: Datagram | null = null;
  next: Datagram | null = null;
  private readable: FragmentKey | null = null;
  /** Set by the Reassembler once it is known (from policyFor), before any use. */
  policy: OverlapPolicy;

  constructor(
    readonly mapKey: string,
    readonly ipVersion: 4 | 6,
    policy: OverlapPolicy,
    /** Clock value (ms) at which it times out. */
    readonly deadline: number,
    /** Upper-layer protocol of the first fragment that arrived (IPv6 Next Header consistency check). */
    readonly protocol: number,
  ) {
    this.policy = policy;
  }

  /** The readable key (made on first use). */
  get key(): FragmentKey {
    return (this.readable ??= keyOf(this.mapKey, this.protocol));
  }

  /** Index of the first piece that ends after `off`. */
  private lowerBound(off: number): number {
    const p = this.pieces;
    let lo = 0;
    let hi = p.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (p[mid]!.end <= off) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Plans inserting new bytes [nOff, nEnd), datagram byte x being src[srcAt + x - nOff]. */
  plan(nOff: number, nEnd: number, src: Uint8Array, srcAt: number, out: InsertPlan): InsertPlan {
    out.reset();
    const pieces = this.pieces;
    const first = this.lowerBound(nOff);
    out.first = first;
    let i = first;
    let cursor = nOff; // start of the not-yet-decided part of the new fragment
    let pieceDelta = 0;
    let lostBytes = 0;
    for (; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (p.off >= nEnd) break;
      const a = p.off > nOff ? p.off : nOff;
      const b = p.end < nEnd ? p.end : nEnd;
      // Compare the overlapping bytes.
      let diff = 0;
      for (let x = a, s = srcAt + (a - nOff), h = p.at + (a - p.off); x < b; x++, s++, h++) {
        if (src[s] !== p.buf[h]) {
          if (out.firstDiff < 0) out.firstDiff = x;
          diff++;
        }
      }
      out.overlapBytes += b - a;
      out.diffBytes += diff;
      if (newDataWins(this.policy, nOff, nEnd, p.off, p.end)) {
        out.lostFrom.push(a);
        out.lostTo.push(b);
        lostBytes += b - a;
        // The held piece keeps 0, 1 or 2 parts.
        pieceDelta += (p.off < a ? 1 : 0) + (b < p.end ? 1 : 0) - 1;
        if (diff > 0) out.keptNew = true;
      } else {
        out.lostFrom.push(-1);
        out.lostTo.push(-1);
        if (a > cursor) out.survivors.push(cursor, a);
        cursor = b;
        if (diff > 0) out.keptHeld = true;
      }
    }
    if (cursor < nEnd) out.survivors.push(cursor, nEnd);
    out.count = i - first;
    let survivorBytes = 0;
    const sv = out.survivors;
    for (let k = 0; k < sv.length; k += 2) survivorBytes += sv[k + 1]! - sv[k]!;
    out.survivorBytes = survivorBytes;
    out.deltaBytes = survivorBytes - lostBytes;
    out.deltaPieces = pieceDelta + sv.length / 2;
    return out;
  }

  /**
   * Applies a plan made by `plan` for the same bytes. `copy`: the surviving new bytes are copied out of
   * `src` (otherwise the pieces are views of it), and held pieces left much smaller than their buffer are
   * compacted.
   */
  apply(plan: InsertPlan, nOff: number, src: Uint8Array, srcAt: number, copy: boolean): void {
    const pieces = this.pieces;
    this.filled += plan.deltaBytes;
    this.bytes += plan.deltaBytes + plan.deltaPieces * PIECE_OVERHEAD;
    const sv = plan.survivors;
    if (plan.count === 0 && sv.length === 2) {
      // The common case: no overlap, one new piece (appended when fragments come in order).
      const piece = newPiece(sv[0]!, sv[1]!, src, srcAt + (sv[0]! - nOff), copy);
      if (plan.first === pieces.length) pieces.push(piece);
      else pieces.splice(plan.first, 0, piece);
      return;
    }
    const replacement: Piece[] = [];
    for (let k = 0; k < plan.count; k++) {
      const p = pieces[plan.first + k]!;
      const a = plan.lostFrom[k]!;
      if (a < 0) {
        replacement.push(p);
        continue;
      }
      const b = plan.lostTo[k]!;
      if (p.off < a) replacement.push(shrink({ off: p.off, end: a, buf: p.buf, at: p.at }, copy));
      if (b < p.end) replacement.push(shrink({ off: b, end: p.end, buf: p.buf, at: p.at + (b - p.off) }, copy));
    }
    for (let k = 0; k < sv.length; k += 2) replacement.push(newPiece(sv[k]!, sv[k + 1]!, src, srcAt + (sv[k]! - nOff), copy));
    if (replacement.length > 1) replacement.sort(byOffset);
    pieces.splice(plan.first, plan.count, ...replacement);
  }

  /** The fragmentable part, contiguous, written into `out` at `at` (call only when complete). */
  writePayload(out: Uint8Array, at: number): void {
    for (const p of this.pieces) out.set(p.buf.subarray(p.at, p.at + (p.end - p.off)), at + p.off);
  }
}

/** Datagram bytes [off, end) found at src[at...]: copied into an array of their own, or a view. */
function newPiece(off: number, end: number, src: Uint8Array, at: number, copy: boolean): Piece {
  if (!copy) return { off, end, buf: src, at };
  // new + set: about twice as fast as slice() on this V8 (allocation dominates either way).
  const buf = new Uint8Array(end - off);
  buf.set(src.subarray(at, at + (end - off)));
  return { off, end, buf, at: 0 };
}

function byOffset(a: Piece, b: Piece): number {
  return a.off - b.off;
}

/** A trimmed piece keeping a buffer more than twice its size (plus slack) gets its own copy. */
function shrink(p: Piece, copy: boolean): Piece {
  const len = p.end - p.off;
  if (copy && p.buf.length > 2 * len + PIECE_OVERHEAD) {
    const buf = new Uint8Array(len);
    buf.set(p.buf.subarray(p.at, p.at + len));
    p.buf = buf;
    p.at = 0;
  }
  return p;
}
