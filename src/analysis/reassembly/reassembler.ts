/**
 * Reassembler: IPv4 and IPv6 fragment reassembly for the analysis pipeline.
 *
 *  - Datagrams are keyed by (src, dst, protocol, id, VLAN stack); IPv6 by (src, dst, id, VLAN stack), see
 *    FragmentKey.
 *  - Time comes only from the pushed packets' timestamps (and `expire(now)`): a datagram not complete
 *    `timeoutMs` after its first fragment is dropped. The clock never goes back (a packet older than one
 *    already seen does not rewind it), so replaying a capture gives the same result every time.
 *  - Overlaps are resolved by the datagram's target-based policy (policy.ts); differing overlaps, tiny first
 *    fragments, DF on a fragment, IPv6 atomic fragments, oversize and inconsistent lengths are reported as
 *    `fragment_evasion` findings, and reassembly goes on per the policy.
 *  - Memory is bounded: per-datagram caps (bytes, pieces) and global caps (bytes, datagrams) are checked
 *    before a fragment is buffered; caps evict (oldest first for the global ones) and every eviction,
 *    timeout, overlap, duplicate and drop is counted.
 *  - Zero copy where it can be: whole packets come back as the pushed array; held fragments copy only the
 *    bytes that survive the policy (or keep views, `hold: 'view'`); the fragment that completes a datagram
 *    is read in place; the payload is copied once, into the reassembled frame.
 *
 * Not reassembled: fragments inside tunnels (only the outermost IP header is looked at).
 */
import { DATAGRAM_OVERHEAD, Datagram, InsertPlan, PIECE_OVERHEAD } from './datagram.js';
import { FrameKind, FrameView, parseFrame } from './frame.js';
import { keyOf, mapKeyOf } from './key.js';
import { DEFAULT_POLICY, isOverlapPolicy, type OverlapPolicy } from './policy.js';
import { rebuild } from './rebuild.js';
import {
  DROP_REASONS,
  FRAGMENT_EVASION_REASONS,
  type DropReason,
  type FragmentEvasion,
  type FragmentEvasionReason,
  type FragmentEvidence,
  type FragmentKey,
  type ReassemblerOptions,
  type ReassemblyResult,
  type ReassemblyStats,
  type Timestamp,
} from './types.js';

export const DEFAULTS = {
  policy: DEFAULT_POLICY,
  timeoutMs: 30_000,
  maxDatagramBytes: 128 * 1024,
  maxFragmentsPerDatagram: 256,
  maxBytes: 16 * 1024 * 1024,
  maxDatagrams: 8192,
  hold: 'copy',
} as const;

/** The largest IPv4 datagram / IPv6 payload. */
export const MAX_DATAGRAM = 65535;

/** Fixed upper-layer header sizes a first fragment must carry (tiny-fragment check). */
const MIN_UPPER_HEADER: Readonly<Record<number, number>> = { 1: 8, 6: 20, 17: 8, 58: 8, 132: 12 };

const NO_FINDINGS: readonly FragmentEvasion[] = Object.freeze([]);

const OPTION_KEYS = new Set(['policy', 'policyFor', 'timeoutMs', 'maxDatagramBytes', 'maxFragmentsPerDatagram', 'maxBytes', 'maxDatagrams', 'minFirstFragmentBytes', 'hold']);

function toMs(ts: Timestamp): number {
  return typeof ts === 'bigint' ? Number(ts) / 1e6 : ts;
}

function positive(name: string, v: number | undefined, fallback: number, integer = true): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new RangeError(`ReassemblerOptions.${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(v)}`);
  }
  return v;
}

function newStats(): ReassemblyStats {
  const dropped = {} as Record<DropReason, number>;
  for (const r of DROP_REASONS) dropped[r] = 0;
  const findings = {} as Record<FragmentEvasionReason, number>;
  for (const r of FRAGMENT_EVASION_REASONS) findings[r] = 0;
  return {
    packets: 0, whole: 0, fragments: 0, reassembled: 0, atomic: 0, datagrams: 0, heldBytes: 0,
    overlaps: 0, inconsistentOverlaps: 0, duplicates: 0, timeouts: 0, flushed: 0,
    evictions: { datagramCap: 0, globalBytes: 0, globalDatagrams: 0 }, dropped, findings,
  };
}

export class Reassembler {
  private readonly policy: OverlapPolicy;
  private readonly policyFor: ReassemblerOptions['policyFor'];
  private readonly timeoutMs: number;
  private readonly maxDatagramBytes: number;
  private readonly maxPieces: number;
  private readonly maxBytes: number;
  private readonly maxDatagrams: number;
  private readonly minFirst: number | undefined;
  private readonly copy: boolean;

  /** Datagrams by map key; and a list of them in creation order (oldest first), which is also deadline
   * order since the clock is monotonic. (A list, not the Map's own order: with steady deletes at the front,
   * reaching a V8 Map's first live entry costs a scan over the deleted ones.) */
  private readonly table = new Map<string, Datagram>();
  private oldest: Datagram | null = null;
  private newest: Datagram | null = null;
  private readonly view = new FrameView();
  private readonly planScratch = new InsertPlan();
  private clock = -Infinity;
  /** No datagram times out before this (a lower bound: refreshed when expire() looks). */
  private nextDeadline = Infinity;
  private held = 0;
  private readonly counters = newStats();

  constructor(options: ReassemblerOptions = {}) {
    for (const k of Object.keys(options)) if (!OPTION_KEYS.has(k)) throw new TypeError(`unknown ReassemblerOptions key: ${k}`);
    if (options.policy !== undefined && !isOverlapPolicy(options.policy)) throw new RangeError(`unknown overlap policy: ${String(options.policy)}`);
    if (options.hold !== undefined && options.hold !== 'copy' && options.hold !== 'view') throw new RangeError(`ReassemblerOptions.hold must be 'copy' or 'view'`);
    this.policy = options.policy ?? DEFAULTS.policy;
    this.policyFor = options.policyFor;
    this.timeoutMs = positive('timeoutMs', options.timeoutMs, DEFAULTS.timeoutMs, false);
    this.maxDatagramBytes = positive('maxDatagramBytes', options.maxDatagramBytes, DEFAULTS.maxDatagramBytes);
    this.maxPieces = positive('maxFragmentsPerDatagram', options.maxFragmentsPerDatagram, DEFAULTS.maxFragmentsPerDatagram);
    this.maxBytes = positive('maxBytes', options.maxBytes, DEFAULTS.maxBytes);
    this.maxDatagrams = positive('maxDatagrams', options.maxDatagrams, DEFAULTS.maxDatagrams);
    if (options.minFirstFragmentBytes !== undefined && !(Number.isInteger(options.minFirstFragmentBytes) && options.minFirstFragmentBytes >= 0)) {
      throw new RangeError('ReassemblerOptions.minFirstFragmentBytes must be a non-negative integer');
    }
    this.minFirst = options.minFirstFragmentBytes;
    this.copy = (options.hold ?? DEFAULTS.hold) === 'copy';
  }

  /** Counters since construction, plus the datagrams and bytes held now (a copy). */
  get stats(): ReassemblyStats {
    const c = this.counters;
    return { ...c, datagrams: this.table.size, heldBytes: this.held, evictions: { ...c.evictions }, dropped: { ...c.dropped }, findings: { ...c.findings } };
  }

  /** Datagrams in reassembly. */
  get size(): number {
    return this.table.size;
  }

  /**
   * Advances the clock to `now` (it never goes back) and drops the datagrams that have timed out.
   * Returns how many were dropped.
   */
  expire(now: Timestamp): number {
    const t = toMs(now);
    if (t > this.clock) this.clock = t;
    if (this.clock < this.nextDeadline) return 0;
    let n = 0;
    while (this.oldest !== null && this.oldest.deadline <= this.clock) {
      this.remove(this.oldest);
      n++;
    }
    this.nextDeadline = this.oldest?.deadline ?? Infinity;
    this.counters.timeouts += n;
    return n;
  }

  /** Drops every datagram in reassembly (end of input). Returns how many. */
  flush(): number {
    const n = this.table.size;
    this.table.clear();
    this.oldest = this.newest = null;
    this.held = 0;
    this.counters.flushed += n;
    return n;
  }

  /**
   * One frame of `linkType` captured at `ts` (bigint nanoseconds or number milliseconds). The frame's bytes
   * must stay unchanged during the call; with `hold: 'view'` also while its fragment is held.
   */
  push(bytes: Uint8Array, linkType: number, ts: Timestamp): ReassemblyResult {
    const c = this.counters;
    c.packets++;
    const tsMs = toMs(ts);
    if (tsMs > this.clock) this.expire(tsMs);
    const v = this.view;
    const kind = parseFrame(bytes, linkType, v);
    if (kind === FrameKind.WHOLE) {
      c.whole++;
      return { kind: 'whole', bytes, findings: NO_FINDINGS };
    }
    c.fragments++;
    if (kind === FrameKind.TRUNCATED) return this.drop('truncated', null);

    let findings: FragmentEvasion[] | null = null;
    const off = v.offset;
    let end = off + (v.dataEnd - v.dataStart);

    // IPv6 atomic fragment (RFC 6946): processed on its own, never merged with fragments of the same id.
    if (v.ipVersion === 6 && off === 0 && !v.more) {
      findings = this.flag(findings, null, tsMs, 'atomic-fragment', { nextHeader: v.protocol, payloadLength: end });
      return this.atomic(bytes, linkType, ts, findings);
    }

    const extra = v.ipVersion === 4 ? v.headerLen : v.headerLen - 40;
    if (extra + end > MAX_DATAGRAM) {
      findings = this.flag(findings, null, tsMs, 'oversize', { fragmentOffset: off, length: end - off, datagramLength: extra + end, limit: MAX_DATAGRAM });
      return this.drop('oversize', findings);
    }

    const mapKey = mapKeyOf(v);
    let dg = this.table.get(mapKey) ?? null;

    if (v.dontFragment) findings = this.flag(findings, dg, tsMs, 'dont-fragment', { fragmentOffset: off, moreFragments: v.more });
    if (v.more && (end & 7) !== 0) {
      findings = this.flag(findings, dg, tsMs, 'unaligned-fragment', { fragmentOffset: off, length: end - off });
      if (v.ipVersion === 6) return this.drop('unaligned', findings);
      end &= ~7; // IPv4 stacks (Linux, frag3) use the aligned part
    }
    if (end <= off) return this.drop('empty', findings);
    if (dg !== null) {
      const conflict = v.more ? dg.end >= 0 && end > dg.end : end < dg.maxEnd || (dg.end >= 0 && end !== dg.end);
      if (conflict) {
        const knownEnd = dg.end >= 0 ? dg.end : dg.maxEnd;
        findings = this.flag(findings, dg, tsMs, 'length-conflict', { fragmentOffset: off, fragmentEnd: end, knownEnd, lastFragment: !v.more });
        return this.drop('length-conflict', findings);
      }
      if (v.ipVersion === 6 && v.protocol !== dg.protocol) {
        findings = this.flag(findings, dg, tsMs, 'next-header-mismatch', { expected: dg.protocol, got: v.protocol });
      }
    }
    if (off === 0) findings = this.checkTiny(findings, dg, tsMs);

    if (dg === null) {
      dg = this.create(mapKey);
      if (dg === null) return this.drop('global-cap', findings);
      if (findings !== null) for (const f of findings) this.markFlagged(dg, f.reason); // already reported
    }

    // Plan under the policy, check the caps, then buffer.
    const plan = dg.plan(off, end, bytes, v.dataStart, this.planScratch);
    const takesHeader = off === 0 && (dg.header === null || plan.survivors[0] === 0);
    const headerDelta = takesHeader ? v.ipStart + v.headerLen - (dg.header?.length ?? 0) : 0;
    const delta = plan.deltaBytes + plan.deltaPieces * PIECE_OVERHEAD + headerDelta;
    if (dg.bytes + delta > this.maxDatagramBytes || dg.pieces.length + plan.deltaPieces > this.maxPieces) {
      this.remove(dg);
      c.evictions.datagramCap++;
      return this.drop('datagram-cap', findings);
    }
    if (this.held + delta > this.maxBytes) {
      if (!this.makeRoom(delta, dg)) return this.drop('global-cap', findings);
    }

    const endWasKnown = dg.end >= 0;
    const newEnd = v.more ? dg.end : end;
    const completes = newEnd >= 0 && dg.filled + plan.deltaBytes === newEnd && (takesHeader || dg.header !== null);
    dg.apply(plan, off, bytes, v.dataStart, this.copy && !completes);
    this.held += delta - headerDelta; // apply() accounted the pieces; the header is added below
    dg.fragments++;
    if (!v.more) dg.end = end;
    if (end > dg.maxEnd) dg.maxEnd = end;
    if (takesHeader) this.saveHeader(dg, linkType, this.copy && !completes);

    const duplicate = plan.overlapBytes === end - off && plan.diffBytes === 0;
    if (plan.overlapBytes > 0) {
      if (duplicate) c.duplicates++;
      else c.overlaps++;
      if (plan.diffBytes > 0) {
        c.inconsistentOverlaps++;
        findings = this.flag(findings, dg, tsMs, 'inconsistent-overlap', {
          policy: dg.policy, fragmentOffset: off, length: end - off, differingBytes: plan.diffBytes, firstDifference: plan.firstDiff,
          kept: plan.keptHeld && plan.keptNew ? 'both' : plan.keptNew ? 'new' : 'held',
        });
      }
    }

    if (completes) return this.complete(dg, ts, findings);
    // A fragment that taught nothing (every byte a repeat, or every byte lost to held data, and no end
    // learnt) is reported as dropped, although under some policies a repeat still re-splits the pieces.
    const learntEnd = !v.more && !endWasKnown;
    if (!learntEnd && duplicate) return this.drop('duplicate', findings);
    if (!learntEnd && plan.survivorBytes === 0) return this.drop('overlap-discarded', findings);
    return { kind: 'held', findings: findings ?? NO_FINDINGS };
  }

  // ---------------------------------------------------------------------------------------------------

  private drop(reason: DropReason, findings: FragmentEvasion[] | null): ReassemblyResult {
    this.counters.dropped[reason]++;
    return { kind: 'dropped', reason, findings: findings ?? NO_FINDINGS };
  }

  private remove(dg: Datagram): void {
    this.table.delete(dg.mapKey);
    if (dg.prev === null) this.oldest = dg.next;
    else dg.prev.next = dg.next;
    if (dg.next === null) this.newest = dg.prev;
    else dg.next.prev = dg.prev;
    dg.prev = dg.next = null;
    this.held -= dg.bytes;
  }

  /** A new datagram for the current fragment, after making room under the global caps (null: cannot). */
  private create(mapKey: string): Datagram | null {
    while (this.table.size >= this.maxDatagrams) {
      this.evictOldest();
      this.counters.evictions.globalDatagrams++;
    }
    if (this.held + DATAGRAM_OVERHEAD > this.maxBytes && !this.makeRoom(DATAGRAM_OVERHEAD, null)) return null;
    const v = this.view;
    const dg = new Datagram(mapKey, v.ipVersion, this.policy, this.clock + this.timeoutMs, v.protocol);
    if (this.policyFor !== undefined) dg.policy = this.policyFor(dg.key.dst, dg.ipVersion) ?? this.policy;
    this.table.set(mapKey, dg);
    dg.prev = this.newest;
    if (this.newest === null) this.oldest = dg;
    else this.newest.next = dg;
    this.newest = dg;
    if (dg.deadline < this.nextDeadline) this.nextDeadline = dg.deadline;
    this.held += dg.bytes;
    return dg;
  }

  private evictOldest(): void {
    if (this.oldest !== null) this.remove(this.oldest);
  }

  /** Evicts the oldest datagrams other than `keep` until `need` more bytes fit; false when they cannot. */
  private makeRoom(need: number, keep: Datagram | null): boolean {
    for (let dg = this.oldest; dg !== null && this.held + need > this.maxBytes; ) {
      const next = dg.next;
      if (dg !== keep) {
        this.remove(dg);
        this.counters.evictions.globalBytes++;
      }
      dg = next;
    }
    return this.held + need <= this.maxBytes;
  }

  /** Saves the current frame's link + IP header as the datagram's header (copied unless it is used now). */
  private saveHeader(dg: Datagram, linkType: number, copy: boolean): void {
    const v = this.view;
    const len = v.ipStart + v.headerLen;
    const old = dg.header?.length ?? 0;
    dg.header = copy ? v.bytes.slice(0, len) : v.bytes.subarray(0, len);
    dg.ipStart = v.ipStart;
    dg.headerLen = v.headerLen;
    dg.nhFieldAt = v.nhFieldAt;
    dg.nextHeader = v.protocol;
    dg.linkType = linkType;
    dg.bytes += len - old;
    this.held += len - old;
  }

  private complete(dg: Datagram, ts: Timestamp, findings: FragmentEvasion[] | null): ReassemblyResult {
    this.remove(dg);
    this.counters.reassembled++;
    const header = dg.header!;
    const bytes = rebuild(
      { ipVersion: dg.ipVersion, header, ipStart: dg.ipStart, headerLen: dg.headerLen, nhFieldAt: dg.nhFieldAt, nextHeader: dg.nextHeader },
      dg.end,
      (out, at) => dg.writePayload(out, at),
    );
    return { kind: 'reassembled', bytes, linkType: dg.linkType, ts, fragments: dg.fragments, key: dg.key, policy: dg.policy, findings: findings ?? NO_FINDINGS };
  }

  private atomic(bytes: Uint8Array, linkType: number, ts: Timestamp, findings: FragmentEvasion[] | null): ReassemblyResult {
    const v = this.view;
    const c = this.counters;
    c.atomic++;
    c.reassembled++;
    const out = rebuild(
      { ipVersion: 6, header: bytes, ipStart: v.ipStart, headerLen: v.headerLen, nhFieldAt: v.nhFieldAt, nextHeader: v.protocol },
      v.dataEnd - v.dataStart,
      (o, at) => o.set(bytes.subarray(v.dataStart, v.dataEnd), at),
    );
    return { kind: 'reassembled', bytes: out, linkType, ts, fragments: 1, key: this.readableKey(), policy: this.policy, findings: findings ?? NO_FINDINGS };
  }

  /** Tiny first fragment: the upper-layer header (after any IPv6 extension headers) does not fit. */
  private checkTiny(findings: FragmentEvasion[] | null, dg: Datagram | null, tsMs: number): FragmentEvasion[] | null {
    const v = this.view;
    const b = v.bytes;
    let proto = v.protocol;
    let q = v.dataStart;
    let chainComplete = true;
    if (v.ipVersion === 6) {
      for (let n = 0; n < 16 && (proto === 0 || proto === 43 || proto === 60 || proto === 51 || proto === 44); n++) {
        if (q + 2 > v.dataEnd) {
          chainComplete = false;
          break;
        }
        const len = proto === 51 ? (b[q + 1]! + 2) * 4 : proto === 44 ? 8 : (b[q + 1]! + 1) * 8;
        proto = b[q]!;
        q += len;
        if (q > v.dataEnd) {
          chainComplete = false;
          break;
        }
      }
    }
    const required = this.minFirst ?? MIN_UPPER_HEADER[proto] ?? 0;
    const available = chainComplete ? v.dataEnd - q : 0;
    if (chainComplete && available >= required) return findings;
    return this.flag(findings, dg, tsMs, 'tiny-fragment', { protocol: proto, available, required, headerChainComplete: chainComplete });
  }

  private markFlagged(dg: Datagram, reason: FragmentEvasionReason): void {
    dg.flagged |= 1 << FRAGMENT_EVASION_REASONS.indexOf(reason);
  }

  /** Adds a finding (once per datagram and reason; always when there is no datagram). */
  private flag<R extends FragmentEvasionReason>(findings: FragmentEvasion[] | null, dg: Datagram | null, tsMs: number, reason: R, evidence: FragmentEvidence[R]): FragmentEvasion[] | null {
    this.counters.findings[reason]++;
    if (dg !== null) {
      const bit = 1 << FRAGMENT_EVASION_REASONS.indexOf(reason);
      if ((dg.flagged & bit) !== 0) return findings;
      dg.flagged |= bit;
    }
    const key = dg?.key ?? this.readableKey();
    const f = { type: 'fragment_evasion', reason, key, ts: tsMs, policy: dg?.policy ?? this.policy, evidence } as FragmentEvasion;
    if (findings === null) return [f];
    findings.push(f);
    return findings;
  }

  /** The readable key of the current fragment (findings without a datagram, atomic fragments). */
  private readableKey(): FragmentKey {
    return keyOf(mapKeyOf(this.view), this.view.protocol);
  }
}
