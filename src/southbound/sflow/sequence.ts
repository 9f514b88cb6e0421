/**
 * Sequence-number accounting for sFlow (sflow_version_5.txt): each agent/sub-agent numbers its datagrams,
 * each data source numbers its flow samples, both incrementing by one and reset when the agent restarts.
 * A step from the last sequence seen is classified without allocating:
 *
 *   next        seq = last + 1
 *   gap         last + 1 < seq <= last + maxGap: seq - last - 1 were lost (UDP loss on the way)
 *   duplicate   seq = last
 *   late        last - reorderWindow <= seq < last: arrived out of order (a gap counted earlier shrinks)
 *   restart     anything else (a jump backwards past the reorder window, a jump forward past maxGap),
 *               or the agent's uptime went backwards by more than the tolerance: the agent restarted or
 *               re-numbered; counting restarts again from `seq`, nothing is counted as lost.
 *
 * Differences are taken modulo 2^32, so the wrap of a 32-bit counter is a plain `next`.
 */

export const SeqStep = { FIRST: 0, NEXT: 1, GAP: 2, DUPLICATE: 3, LATE: 4, RESTART: 5 } as const;
export type SeqStep = (typeof SeqStep)[keyof typeof SeqStep];

export interface SequenceOptions {
  /** A step backwards of at most this many is reordering, not a restart. Default 1024. */
  reorderWindow?: number;
  /** A step forward of more than this is a re-numbering, not loss. Default 1,000,000. */
  maxGap?: number;
  /** Agent uptime going backwards by more than this (ms) is a restart. Default 2000. */
  uptimeToleranceMs?: number;
}

export interface ResolvedSequenceOptions {
  reorderWindow: number;
  maxGap: number;
  uptimeToleranceMs: number;
}

export function resolveSequenceOptions(o: SequenceOptions = {}): ResolvedSequenceOptions {
  const r = {
    reorderWindow: o.reorderWindow ?? 1024,
    maxGap: o.maxGap ?? 1_000_000,
    uptimeToleranceMs: o.uptimeToleranceMs ?? 2000,
  };
  for (const [k, v] of Object.entries(r)) {
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new RangeError(`sequence option ${k} must be an integer 0..2^31-1, got ${v}`);
  }
  return r;
}

/**
 * Classifies the step from `last` to `seq` (both u32). `missing` is meaningful for GAP only:
 * seq - last - 1. Uptime is checked by the caller (agent level); this is the counter arithmetic.
 */
export function classifyStep(last: number, seq: number, o: ResolvedSequenceOptions): SeqStep {
  const delta = (seq - last) | 0;
  if (delta === 1) return SeqStep.NEXT;
  if (delta === 0) return SeqStep.DUPLICATE;
  if (delta > 1) return delta <= o.maxGap ? SeqStep.GAP : SeqStep.RESTART;
  return -delta <= o.reorderWindow ? SeqStep.LATE : SeqStep.RESTART;
}

/** Datagrams missing between `last` and `seq` for a GAP step. */
export function gapSize(last: number, seq: number): number {
  return ((seq - last) | 0) - 1;
}

/**
 * Running counts for one numbered stream (an agent's datagrams or a source's flow samples).
 * `lost` is net: a late arrival fills a hole counted before (never below zero).
 */
export class SequenceCounter {
  started = false;
  last = 0;
  received = 0;
  /** Net missing (gaps less late arrivals that filled one). */
  lost = 0;
  /** Gross missing: every gap ever counted (monotonic, for counters). */
  missed = 0;
  late = 0;
  duplicates = 0;
  restarts = 0;
  /** The step of the last observe() call. */
  step: SeqStep = SeqStep.FIRST;

  /** Records `seq`; `restart` forces a restart (e.g. the agent's uptime went backwards). */
  observe(seq: number, o: ResolvedSequenceOptions, restart = false): SeqStep {
    this.received++;
    let step: SeqStep;
    if (!this.started) {
      this.started = true;
      step = SeqStep.FIRST;
    } else if (restart) {
      step = SeqStep.RESTART;
    } else {
      step = classifyStep(this.last, seq, o);
    }
    switch (step) {
      case SeqStep.GAP:
        this.lost += gapSize(this.last, seq);
        this.missed += gapSize(this.last, seq);
        this.last = seq >>> 0;
        break;
      case SeqStep.LATE:
        this.late++;
        if (this.lost > 0) this.lost--;
        break;
      case SeqStep.DUPLICATE:
        this.duplicates++;
        break;
      case SeqStep.RESTART:
        this.restarts++;
        this.last = seq >>> 0;
        break;
      default:
        this.last = seq >>> 0;
    }
    this.step = step;
    return step;
  }

  /** Forgets the position (the next observe() is a FIRST); the counts stay. */
  resync(): void {
    this.started = false;
  }
}
