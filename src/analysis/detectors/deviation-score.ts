/**
 * The Temporal Flow Analyzer's weighted deviation score (seed 001, "Pseudocode (TFA - Anomaly Detection)"):
 *
 *     baseline = get_baseline(src_ip, dst_ip, protocol)
 *     deviation_score  = |inter_packet_arrival_time - baseline.inter_packet_arrival_time|
 *                      + |packet_size - baseline.packet_size|
 *                      + |flow_duration - baseline.flow_duration|
 *     deviation_score *= (0.3 + 0.4 + 0.3)          # "Apply weights (adjust as needed)"
 *     anomalous = deviation_score > anomaly_threshold
 *
 * Read literally, the pseudocode multiplies the SUM of the deviations by the SUM of the weights (= 1.0), which
 * weighs nothing; and it adds seconds to bytes. The spec text says what it means: "calculates deviation from
 * baseline for each statistical parameter" and "applies a weighted scoring system to prioritize anomalies". So
 * by default Vigil computes, per metric i with weight w_i,
 *
 *     score = sum_i w_i * d_i,     d_i = |x_i - mean_i| / s_i   (the |z| from baseline.ts: unit-free)
 *     weights: inter-packet arrival time 0.3, packet size 0.4, flow duration 0.3 (the seed's, in its order)
 *     anomalous = score > threshold   (strictly greater, as the seed)
 *
 * and offers the seed exactly as written for comparison: `deviation: 'absolute'` uses d_i = |x_i - mean_i|
 * in the metrics' own units, and `combine: 'seed-literal'` computes (sum_i d_i) * (sum_i w_i). With both, the
 * result is the pseudocode's deviation_score bit for bit.
 *
 * The weights are configurable (any names the baseline has, each >= 0, at least one > 0). They are not
 * normalized: with weights summing to 1 (the seed's do) and z deviations, the score is a weighted mean |z|,
 * so the default threshold of 3 reads "on average three standard deviations out".
 *
 * Range and the anomaly score: the seed's score is unbounded (>= 0) and it defines no [0, 1] form, so nothing is
 * clamped. For the detectors' common anomaly score in [0, 1] (higher = more anomalous; Isolation Forest's s has
 * the same orientation) the score is mapped by
 *
 *     anomalyScore = 1 - 2^(-score / threshold)
 *
 * monotone, 0 at no deviation, exactly 0.5 at the seed's threshold (so anomalous <=> anomalyScore > 0.5, the
 * same cut as Isolation Forest's s > 0.5), 0.75 at twice the threshold, 0.875 at three times, -> 1.
 */
import type { BaselineDeviation } from './baseline.js';

export type DeviationScoreErrorCode = 'invalid-option' | 'unknown-feature';

export class DeviationScoreError extends Error {
  override readonly name = 'DeviationScoreError';
  constructor(
    readonly code: DeviationScoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The seed's weights, keyed by the names flow statistics use for its three metrics. */
export const SEED_001_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  interPacketArrivalTime: 0.3,
  packetSize: 0.4,
  flowDuration: 0.3,
});

export interface DeviationScoreOptions {
  /** Weight per feature name; features without a weight count 0. Default SEED_001_WEIGHTS. */
  readonly weights?: Readonly<Record<string, number>>;
  /** Per-feature deviation: 'z' = |x - mean| / std (default), 'absolute' = |x - mean| (the seed's units). */
  readonly deviation?: 'z' | 'absolute';
  /** 'weighted' = sum w_i d_i (default); 'seed-literal' = (sum d_i) * (sum w_i), the pseudocode as written. */
  readonly combine?: 'weighted' | 'seed-literal';
  /** The seed's anomaly_threshold: anomalous when score > threshold. Default 3 (suits 'z'). Must be > 0. */
  readonly threshold?: number;
}

export interface DeviationContribution {
  readonly name: string;
  readonly weight: number;
  /** d_i */
  readonly deviation: number;
  /** w_i * d_i ('weighted'), or d_i * sum(w) ('seed-literal'): the parts add up to the score. */
  readonly contribution: number;
}

export type DeviationScore =
  | {
      readonly warm: true;
      readonly key: string;
      /** The weighted deviation score (>= 0, unbounded). */
      readonly score: number;
      /** 1 - 2^(-score / threshold), in [0, 1). */
      readonly anomalyScore: number;
      /** score > threshold */
      readonly anomalous: boolean;
      readonly threshold: number;
      /** Per weighted feature, in the baseline's feature order: the evidence. */
      readonly contributions: readonly DeviationContribution[];
    }
  | {
      /** The baseline is still learning (or the key is new): no score. */
      readonly warm: false;
      readonly key: string;
    };

export class DeviationScorer {
  readonly weights: Readonly<Record<string, number>>;
  readonly deviation: 'z' | 'absolute';
  readonly combine: 'weighted' | 'seed-literal';
  readonly threshold: number;
  private readonly weightSum: number;

  constructor(options: DeviationScoreOptions = {}) {
    const bad = (why: string): DeviationScoreError => new DeviationScoreError('invalid-option', why);
    const weights = options.weights ?? SEED_001_WEIGHTS;
    if (typeof weights !== 'object' || weights === null) throw bad('weights must be an object of name -> weight');
    const entries = Object.entries(weights);
    if (entries.length === 0) throw bad('weights must name at least one feature');
    for (const [name, w] of entries) {
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw bad(`weight of ${name} must be a finite number >= 0, got ${String(w)}`);
    }
    this.weightSum = entries.reduce((s, [, w]) => s + w, 0);
    if (!(this.weightSum > 0)) throw bad('at least one weight must be > 0');
    this.weights = Object.freeze({ ...weights });
    this.deviation = options.deviation ?? 'z';
    if (this.deviation !== 'z' && this.deviation !== 'absolute') throw bad(`deviation must be 'z' or 'absolute'`);
    this.combine = options.combine ?? 'weighted';
    if (this.combine !== 'weighted' && this.combine !== 'seed-literal') throw bad(`combine must be 'weighted' or 'seed-literal'`);
    this.threshold = options.threshold ?? 3;
    if (typeof this.threshold !== 'number' || !(this.threshold > 0) || !Number.isFinite(this.threshold)) {
      throw bad(`threshold must be a finite number > 0, got ${String(this.threshold)}`);
    }
  }

  /** Scores a baseline deviation (BaselineStore.score/observe). Every weighted feature must be in it. */
  score(dev: BaselineDeviation): DeviationScore {
    if (!dev.warm) return { warm: false, key: dev.key };
    for (const name of Object.keys(this.weights)) {
      if (!dev.features.some((f) => f.name === name)) {
        throw new DeviationScoreError('unknown-feature', `weighted feature ${name} is not in the baseline (${dev.features.map((f) => f.name).join(', ')})`);
      }
    }
    const literal = this.combine === 'seed-literal';
    const contributions: DeviationContribution[] = [];
    let score = 0;
    for (const f of dev.features) {
      const w = this.weights[f.name];
      if (w === undefined) continue;
      const d = this.deviation === 'z' ? Math.abs(f.z) : Math.abs(f.deviation);
      if (literal) {
        // The pseudocode sums the metrics it lists (a zero weight: not listed), then multiplies by the weights'
        // sum; summed in the same order so the result is the pseudocode's to the last bit.
        if (w > 0) score += d;
        contributions.push({ name: f.name, weight: w, deviation: d, contribution: w > 0 ? d * this.weightSum : 0 });
      } else {
        score += w * d;
        contributions.push({ name: f.name, weight: w, deviation: d, contribution: w * d });
      }
    }
    if (literal) score *= this.weightSum;
    return {
      warm: true,
      key: dev.key,
      score,
      anomalyScore: toAnomalyScore(score, this.threshold),
      anomalous: score > this.threshold,
      threshold: this.threshold,
      contributions,
    };
  }
}

/** The [0, 1] anomaly score of a weighted deviation score: 1 - 2^(-score / threshold) (0.5 at the threshold). */
export function toAnomalyScore(score: number, threshold: number): number {
  if (!(score > 0)) return 0;
  return Math.min(1, 1 - Math.pow(2, -score / threshold));
}
