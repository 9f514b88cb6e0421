/**
 * Baseline learning (seed 001, Temporal Flow Analyzer step 3: "a baseline learning phase (using a moving average
 * ...) to establish normal behavior patterns for each flow"; seed 000: "deviation from historical means/standard
 * deviations").
 *
 * One baseline per key (a host, or the seed's (source ip, destination ip, protocol) triple: the caller chooses the
 * key string): for each named feature an exponentially weighted moving mean and variance.
 *
 * Update (West 1979 / Finch 2009, "Incremental calculation of weighted mean and variance", eq. 143), for a
 * sample x with a = max(alpha, 1/n) where n counts samples including x:
 *     diff = x - mean
 *     mean = mean + a * diff
 *     var  = (1 - a) * (var + a * diff^2)
 * While 1/n > alpha (the first 1/alpha samples) this is exactly the running mean and population variance of
 * the samples so far, so a young baseline is not biased toward its first sample; after that it is the EWMA
 * with weight alpha on the newest sample (effective memory ~ 1/alpha samples, half-life ln 2 / -ln(1 - alpha)).
 *
 * Warm-up: a baseline scores only after minSamples samples (`warm`); before that, score() reports warm: false.
 *
 * Seasonality (optional): alongside the global baseline, a key keeps one baseline per hour of day, day of week
 * or hour of week (of the injected time, at a fixed UTC offset). A sample updates both its bucket and the
 * global baseline; scoring uses the bucket once it has bucketMinSamples samples, and the global baseline until
 * then.
 *
 * Deviation per feature: deviation = x - mean and z = (x - mean) / s, with s = max(std, stdFloor.absolute,
 * stdFloor.relative * |mean|) so a feature that never varied (a fixed packet size) does not turn a one-unit
 * change into an infinite z.
 *
 * Time is injected: every call takes the sample's time in ms since the epoch; nothing here reads a clock.
 * The state serializes (snapshot) and restores exactly (restore): scores after a restore are identical.
 */

export type BaselineErrorCode =
  | 'invalid-option'
  | 'non-finite-input' // a sample value or a time that is NaN or infinite
  | 'feature-count-mismatch' // a sample whose length differs from the configured features
  | 'invalid-snapshot'
  | 'unsupported-version';

export class BaselineError extends Error {
  override readonly name = 'BaselineError';
  constructor(
    readonly code: BaselineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Seasonality = 'none' | 'hour-of-day' | 'day-of-week' | 'hour-of-week';

const BUCKETS: Readonly<Record<Seasonality, number>> = { none: 0, 'hour-of-day': 24, 'day-of-week': 7, 'hour-of-week': 168 };

export interface BaselineOptions {
  /** Feature names; samples are vectors in this order. Non-empty, unique. */
  readonly features: readonly string[];
  /** EWMA weight of the newest sample, in (0, 1]. Default 0.05 (memory ~20 samples, half-life ~13.5). */
  readonly alpha?: number;
  /** Samples a baseline needs before it scores (warm-up). Default 30. */
  readonly minSamples?: number;
  /** Separate baselines per time bucket. Default 'none'. */
  readonly seasonality?: Seasonality;
  /** Samples a seasonal bucket needs before it is used instead of the global baseline. Default minSamples. */
  readonly bucketMinSamples?: number;
  /** Offset of the local time the buckets follow, minutes east of UTC (fixed: no daylight saving). Default 0. */
  readonly utcOffsetMinutes?: number;
  /** Floors of the standard deviation used for z. Defaults: absolute 1e-9, relative 0.01 (1% of |mean|). */
  readonly stdFloor?: { readonly absolute?: number; readonly relative?: number };
  /** Keys kept; the least recently updated key is dropped beyond this. Default 100 000. */
  readonly maxKeys?: number;
}

/** The options with every default applied (what a snapshot records). */
export interface ResolvedBaselineOptions {
  readonly features: readonly string[];
  readonly alpha: number;
  readonly minSamples: number;
  readonly seasonality: Seasonality;
  readonly bucketMinSamples: number;
  readonly utcOffsetMinutes: number;
  readonly stdFloor: { readonly absolute: number; readonly relative: number };
  readonly maxKeys: number;
}

export interface FeatureDeviation {
  readonly name: string;
  readonly value: number;
  readonly mean: number;
  /** sqrt of the EWMA variance (before flooring). */
  readonly std: number;
  /** value - mean */
  readonly deviation: number;
  /** (value - mean) / max(std, floors) */
  readonly z: number;
}

export interface BaselineDeviation {
  readonly key: string;
  /** The baseline used has at least minSamples (bucketMinSamples for a bucket) samples. */
  readonly warm: boolean;
  /** Which baseline the figures come from; 'none' when the key has never been seen. */
  readonly source: 'bucket' | 'global' | 'none';
  /** The seasonal bucket of the sample's time (null without seasonality). */
  readonly bucket: number | null;
  /** Samples in the baseline used. */
  readonly samples: number;
  /** One entry per feature, in feature order; empty when source is 'none'. */
  readonly features: readonly FeatureDeviation[];
}

/** EWMA statistics of one baseline. */
interface Stats {
  n: number;
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

interface KeyState {
  lastSeenMs: number;
  readonly global: Stats;
  readonly buckets: Map<number, Stats>;
}

export const BASELINE_FORMAT = 'vigil.baseline';
export const BASELINE_VERSION = 1;

export interface StatsJSON {
  readonly n: number;
  readonly mean: number[];
  readonly variance: number[];
}

export interface BaselineSnapshot {
  readonly format: typeof BASELINE_FORMAT;
  readonly version: typeof BASELINE_VERSION;
  readonly options: ResolvedBaselineOptions;
  /** Keys from least to most recently updated. */
  readonly keys: ReadonlyArray<{
    readonly key: string;
    readonly lastSeenMs: number;
    readonly global: StatsJSON;
    readonly buckets: ReadonlyArray<readonly [number, StatsJSON]>;
  }>;
}

function resolveOptions(o: BaselineOptions): ResolvedBaselineOptions {
  const bad = (why: string): BaselineError => new BaselineError('invalid-option', why);
  if (typeof o !== 'object' || o === null) throw bad('options must be an object');
  const features = o.features;
  if (!Array.isArray(features) || features.length === 0) throw bad('features must be a non-empty array of names');
  if (features.some((f) => typeof f !== 'string' || f === '')) throw bad('feature names must be non-empty strings');
  if (new Set(features).size !== features.length) throw bad('feature names must be unique');
  const alpha = o.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha <= 1)) throw bad(`alpha must be in (0, 1], got ${String(alpha)}`);
  const count = (name: string, v: unknown, min: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(`${name} must be an integer >= ${min}, got ${String(v)}`);
    return v;
  };
  const minSamples = count('minSamples', o.minSamples ?? 30, 1);
  const seasonality = o.seasonality ?? 'none';
  if (!Object.prototype.hasOwnProperty.call(BUCKETS, seasonality)) {
    throw bad(`seasonality must be one of ${Object.keys(BUCKETS).join(', ')}, got ${String(seasonality)}`);
  }
  const bucketMinSamples = count('bucketMinSamples', o.bucketMinSamples ?? minSamples, 1);
  const utcOffsetMinutes = o.utcOffsetMinutes ?? 0;
  if (typeof utcOffsetMinutes !== 'number' || !Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 18 * 60) {
    throw bad(`utcOffsetMinutes must be an integer within +-1080, got ${String(utcOffsetMinutes)}`);
  }
  const absolute = o.stdFloor?.absolute ?? 1e-9;
  const relative = o.stdFloor?.relative ?? 0.01;
  if (typeof absolute !== 'number' || !(absolute > 0) || !Number.isFinite(absolute)) throw bad('stdFloor.absolute must be a positive number');
  if (typeof relative !== 'number' || !(relative >= 0) || !Number.isFinite(relative)) throw bad('stdFloor.relative must be a number >= 0');
  const maxKeys = count('maxKeys', o.maxKeys ?? 100_000, 1);
  return Object.freeze({
    features: Object.freeze([...features]),
    alpha,
    minSamples,
    seasonality,
    bucketMinSamples,
    utcOffsetMinutes,
    stdFloor: Object.freeze({ absolute, relative }),
    maxKeys,
  });
}

const HOUR_MS = 3_600_000;

/** The seasonal bucket of `timeMs` (hour 0..23, day 0..6 with 0 = Sunday, or day * 24 + hour). */
export function seasonalBucket(seasonality: Seasonality, timeMs: number, utcOffsetMinutes = 0): number | null {
  if (seasonality === 'none') return null;
  const hours = Math.floor((timeMs + utcOffsetMinutes * 60_000) / HOUR_MS);
  const hour = ((hours % 24) + 24) % 24;
  // 1970-01-01 was a Thursday (4).
  const day = (((Math.floor(hours / 24) + 4) % 7) + 7) % 7;
  if (seasonality === 'hour-of-day') return hour;
  if (seasonality === 'day-of-week') return day;
  return day * 24 + hour;
}

export class BaselineStore {
  readonly options: ResolvedBaselineOptions;
  private readonly d: number;
  /** Insertion order = least to most recently updated (an update deletes and re-inserts). */
  private readonly keys = new Map<string, KeyState>();

  constructor(options: BaselineOptions) {
    this.options = resolveOptions(options);
    this.d = this.options.features.length;
  }

  /** Keys currently held. */
  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Samples learned for `key` (global baseline), 0 if unknown. */
  samples(key: string): number {
    return this.keys.get(key)?.global.n ?? 0;
  }

  /** The sample as a vector in feature order, from an object keyed by feature name. */
  vector(sample: Readonly<Record<string, number>>): Float64Array {
    const v = new Float64Array(this.d);
    this.options.features.forEach((f, i) => {
      const x = sample[f];
      if (typeof x !== 'number') throw new BaselineError('feature-count-mismatch', `sample has no number for feature ${f}`);
      v[i] = x;
    });
    return v;
  }

  private check(x: ArrayLike<number>, timeMs: number): void {
    if (x.length !== this.d) throw new BaselineError('feature-count-mismatch', `sample has ${x.length} values, features are ${this.d}`);
    for (let i = 0; i < this.d; i++) {
      if (!Number.isFinite(x[i])) throw new BaselineError('non-finite-input', `feature ${this.options.features[i]} is ${x[i]}`);
    }
    if (!Number.isFinite(timeMs)) throw new BaselineError('non-finite-input', `time is ${timeMs}`);
  }

  /** Deviation of `x` (at `timeMs`) from `key`'s baseline, without learning from it. */
  score(key: string, x: ArrayLike<number>, timeMs: number): BaselineDeviation {
    this.check(x, timeMs);
    const o = this.options;
    const bucket = seasonalBucket(o.seasonality, timeMs, o.utcOffsetMinutes);
    const state = this.keys.get(key);
    if (!state) return { key, warm: false, source: 'none', bucket, samples: 0, features: [] };
    const b = bucket === null ? undefined : state.buckets.get(bucket);
    const useBucket = b !== undefined && b.n >= o.bucketMinSamples;
    const stats = useBucket ? b : state.global;
    const warm = useBucket || stats.n >= o.minSamples;
    const features: FeatureDeviation[] = [];
    for (let i = 0; i < this.d; i++) {
      const value = x[i]!;
      const mean = stats.mean[i]!;
      const std = Math.sqrt(stats.variance[i]!);
      const s = Math.max(std, o.stdFloor.absolute, o.stdFloor.relative * Math.abs(mean));
      const deviation = value - mean;
      features.push({ name: o.features[i]!, value, mean, std, deviation, z: deviation / s });
    }
    return { key, warm, source: useBucket ? 'bucket' : 'global', bucket, samples: stats.n, features };
  }

  /** Learns `x` (at `timeMs`) into `key`'s baseline (and its seasonal bucket). */
  learn(key: string, x: ArrayLike<number>, timeMs: number): void {
    this.check(x, timeMs);
    const o = this.options;
    let state = this.keys.get(key);
    if (state) {
      this.keys.delete(key);
    } else {
      state = { lastSeenMs: timeMs, global: newStats(this.d), buckets: new Map() };
      while (this.keys.size >= o.maxKeys) this.keys.delete(this.keys.keys().next().value!);
    }
    this.keys.set(key, state);
    state.lastSeenMs = Math.max(state.lastSeenMs, timeMs);
    update(state.global, x, o.alpha);
    const bucket = seasonalBucket(o.seasonality, timeMs, o.utcOffsetMinutes);
    if (bucket !== null) {
      let b = state.buckets.get(bucket);
      if (!b) state.buckets.set(bucket, (b = newStats(this.d)));
      update(b, x, o.alpha);
    }
  }

  /** score() against the baseline as it was, then learn(): the usual order for a stream. */
  observe(key: string, x: ArrayLike<number>, timeMs: number): BaselineDeviation {
    const dev = this.score(key, x, timeMs);
    this.learn(key, x, timeMs);
    return dev;
  }

  /** Drops keys not updated since `beforeMs`; returns how many. */
  prune(beforeMs: number): number {
    let dropped = 0;
    for (const [k, s] of this.keys) {
      if (s.lastSeenMs < beforeMs) {
        this.keys.delete(k);
        dropped++;
      }
    }
    return dropped;
  }

  delete(key: string): boolean {
    return this.keys.delete(key);
  }

  snapshot(): BaselineSnapshot {
    const keys = [...this.keys].map(([key, s]) => ({
      key,
      lastSeenMs: s.lastSeenMs,
      global: statsJSON(s.global),
      buckets: [...s.buckets].sort((a, b) => a[0] - b[0]).map(([i, b]) => [i, statsJSON(b)] as const),
    }));
    return { format: BASELINE_FORMAT, version: BASELINE_VERSION, options: this.options, keys };
  }

  /** A store with the snapshot's options and state; validated (BaselineError on anything malformed). */
  static restore(snapshot: unknown): BaselineStore {
    const bad = (why: string): BaselineError => new BaselineError('invalid-snapshot', why);
    if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) throw bad('snapshot must be an object');
    const s = snapshot as Record<string, unknown>;
    if (s['format'] !== BASELINE_FORMAT) throw new BaselineError('unsupported-version', `format ${String(s['format'])}, expected ${BASELINE_FORMAT}`);
    if (s['version'] !== BASELINE_VERSION) throw new BaselineError('unsupported-version', `version ${String(s['version'])}, this build reads ${BASELINE_VERSION}`);
    let store: BaselineStore;
    try {
      store = new BaselineStore(s['options'] as BaselineOptions);
    } catch (e) {
      throw bad(`options: ${(e as Error).message}`);
    }
    const d = store.d;
    const nBuckets = BUCKETS[store.options.seasonality];
    const stats = (v: unknown, where: string): Stats => {
      if (typeof v !== 'object' || v === null) throw bad(`${where} must be an object`);
      const o = v as Record<string, unknown>;
      const n = o['n'];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw bad(`${where}.n must be an integer >= 1`);
      const vec = (k: string, min: number): Float64Array => {
        const a = o[k];
        if (!Array.isArray(a) || a.length !== d) throw bad(`${where}.${k} must have ${d} numbers`);
        const out = new Float64Array(d);
        a.forEach((x: unknown, i) => {
          if (typeof x !== 'number' || !Number.isFinite(x) || x < min) throw bad(`${where}.${k}[${i}] is not a finite number >= ${min}`);
          out[i] = x;
        });
        return out;
      };
      return { n, mean: vec('mean', -Infinity), variance: vec('variance', 0) };
    };
    const keys = s['keys'];
    if (!Array.isArray(keys)) throw bad('keys must be an array');
    if (keys.length > store.options.maxKeys) throw bad(`${keys.length} keys, more than maxKeys ${store.options.maxKeys}`);
    keys.forEach((k: unknown, i) => {
      if (typeof k !== 'object' || k === null) throw bad(`keys[${i}] must be an object`);
      const e = k as Record<string, unknown>;
      const key = e['key'];
      if (typeof key !== 'string') throw bad(`keys[${i}].key must be a string`);
      if (store.keys.has(key)) throw bad(`key ${key} appears twice`);
      const lastSeenMs = e['lastSeenMs'];
      if (typeof lastSeenMs !== 'number' || !Number.isFinite(lastSeenMs)) throw bad(`keys[${i}].lastSeenMs must be a finite number`);
      const buckets = new Map<number, Stats>();
      const rawBuckets = e['buckets'];
      if (!Array.isArray(rawBuckets)) throw bad(`keys[${i}].buckets must be an array`);
      rawBuckets.forEach((pair: unknown, j) => {
        if (!Array.isArray(pair) || pair.length !== 2) throw bad(`keys[${i}].buckets[${j}] must be [bucket, stats]`);
        const b: unknown = pair[0];
        if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b >= nBuckets || buckets.has(b)) {
          throw bad(`keys[${i}].buckets[${j}]: bucket ${String(b)} is not a distinct bucket of ${store.options.seasonality}`);
        }
        buckets.set(b, stats(pair[1], `keys[${i}].buckets[${j}]`));
      });
      store.keys.set(key, { lastSeenMs, global: stats(e['global'], `keys[${i}].global`), buckets });
    });
    return store;
  }
}

function newStats(d: number): Stats {
  return { n: 0, mean: new Float64Array(d), variance: new Float64Array(d) };
}

function update(s: Stats, x: ArrayLike<number>, alpha: number): void {
  s.n++;
  const a = Math.max(alpha, 1 / s.n);
  for (let i = 0; i < s.mean.length; i++) {
    const diff = x[i]! - s.mean[i]!;
    const incr = a * diff;
    s.mean[i] = s.mean[i]! + incr;
    s.variance[i] = (1 - a) * (s.variance[i]! + diff * incr);
  }
}

function statsJSON(s: Stats): StatsJSON {
  return { n: s.n, mean: Array.from(s.mean), variance: Array.from(s.variance) };
}
