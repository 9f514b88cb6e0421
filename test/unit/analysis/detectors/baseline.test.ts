import { BaselineError, BaselineStore, seasonalBucket } from '../../../../src/analysis/detectors/baseline.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BaselineError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
}

const T0 = Date.UTC(2024, 0, 7, 0, 0, 0); // a Sunday, 00:00 UTC
const HOUR = 3_600_000;

describe('EWMA mean and variance', () => {
  it('matches hand-computed values (alpha 0.5)', () => {
    const b = new BaselineStore({ features: ['x'], alpha: 0.5, minSamples: 1 });
    const seen: Array<[number, number]> = [];
    for (const x of [2, 4, 10, 0]) {
      b.learn('h', [x], T0);
      const f = b.score('h', [0], T0).features[0]!;
      seen.push([f.mean, f.std ** 2]);
    }
    // n=1: a = 1            -> mean 2, var 0
    // n=2: a = 1/2, diff 2  -> mean 3, var (1 - .5)(0 + .5 * 4) = 1
    // n=3: a = .5, diff 7   -> mean 6.5, var .5 (1 + .5 * 49) = 12.75
    // n=4: a = .5, diff -6.5 -> mean 3.25, var .5 (12.75 + .5 * 42.25) = 16.9375
    expect(seen.map(([m]) => m)).toEqual([2, 3, 6.5, 3.25]);
    expect(seen[0]![1]).toBe(0);
    expect(seen[1]![1]).toBeCloseTo(1, 12);
    expect(seen[2]![1]).toBeCloseTo(12.75, 12);
    expect(seen[3]![1]).toBeCloseTo(16.9375, 12);
  });

  it('starts as the exact running mean and population variance while 1/n > alpha', () => {
    const b = new BaselineStore({ features: ['a', 'b'], alpha: 0.1, minSamples: 1 });
    for (const x of [1, 2, 3, 4, 5]) b.learn('h', [x, 10 * x], T0);
    const [fa, fb] = b.score('h', [0, 0], T0).features;
    expect(fa!.mean).toBeCloseTo(3, 12);
    expect(fa!.std ** 2).toBeCloseTo(2, 12);
    expect(fb!.mean).toBeCloseTo(30, 12);
    expect(fb!.std ** 2).toBeCloseTo(200, 10);
  });

  it('then forgets with weight alpha on the newest sample', () => {
    const b = new BaselineStore({ features: ['x'], alpha: 0.1, minSamples: 1 });
    for (let i = 0; i < 10; i++) b.learn('h', [0], T0); // n = 10: a = 0.1 from here on
    b.learn('h', [100], T0); // n = 11: a = max(0.1, 1/11) = 0.1 -> mean 10, var 0.9 (0 + 0.1 * 10000) = 900
    const f = b.score('h', [0], T0).features[0]!;
    expect(f.mean).toBeCloseTo(10, 12);
    expect(f.std ** 2).toBeCloseTo(900, 9);
  });

  it('reports deviation and z = deviation / std, floored', () => {
    const b = new BaselineStore({ features: ['iat', 'size'], alpha: 0.5, minSamples: 1 });
    for (const [iat, size] of [[2, 1500], [4, 1500], [10, 1500], [0, 1500]] as const) b.learn('h', [iat, size], T0);
    const [iat, size] = b.score('h', [9, 1515], T0).features;
    expect(iat!.deviation).toBe(9 - 3.25);
    expect(iat!.z).toBeCloseTo(5.75 / Math.sqrt(16.9375), 12);
    // size never varied: std 0, floored at 1% of |mean| = 15.
    expect(size!.std).toBe(0);
    expect(size!.z).toBeCloseTo(1, 12);
  });
});

describe('warm-up', () => {
  it('scores only after minSamples, and a new key is source none', () => {
    const b = new BaselineStore({ features: ['x'], minSamples: 3 });
    expect(b.score('h', [1], T0)).toEqual({ key: 'h', warm: false, source: 'none', bucket: null, samples: 0, features: [] });
    b.learn('h', [1], T0);
    b.learn('h', [2], T0);
    const cold = b.score('h', [1], T0);
    expect(cold.warm).toBe(false);
    expect(cold.samples).toBe(2);
    b.learn('h', [3], T0);
    expect(b.score('h', [1], T0).warm).toBe(true);
  });

  it('observe scores against the baseline before learning the sample', () => {
    const b = new BaselineStore({ features: ['x'], minSamples: 1 });
    b.learn('h', [10], T0);
    const d = b.observe('h', [20], T0);
    expect(d.features[0]!.mean).toBe(10);
    expect(b.samples('h')).toBe(2);
    expect(b.score('h', [20], T0).features[0]!.mean).toBe(15);
  });
});

describe('seasonality', () => {
  it('computes buckets from the injected time at a fixed UTC offset', () => {
    expect(seasonalBucket('none', T0)).toBeNull();
    expect(seasonalBucket('hour-of-day', T0 + 5 * HOUR)).toBe(5);
    expect(seasonalBucket('day-of-week', 0)).toBe(4); // 1970-01-01 was a Thursday
    expect(seasonalBucket('day-of-week', T0)).toBe(0); // Sunday
    expect(seasonalBucket('hour-of-week', T0 + 24 * HOUR + 3 * HOUR)).toBe(27); // Monday 03:00
    expect(seasonalBucket('hour-of-day', T0 - HOUR)).toBe(23); // Saturday 23:00
    expect(seasonalBucket('day-of-week', T0 - HOUR)).toBe(6);
    expect(seasonalBucket('hour-of-day', T0 + 23 * HOUR, 120)).toBe(1); // UTC+2
    expect(seasonalBucket('day-of-week', T0 + 23 * HOUR, 120)).toBe(1);
    expect(seasonalBucket('hour-of-day', -1)).toBe(23); // before the epoch
  });

  it('uses the bucket once warm, the global baseline until then', () => {
    const b = new BaselineStore({ features: ['bytes'], seasonality: 'hour-of-day', alpha: 0.01, minSamples: 4, bucketMinSamples: 3 });
    const night = (day: number): number => T0 + day * 24 * HOUR + 3 * HOUR;
    const noon = (day: number): number => T0 + day * 24 * HOUR + 12 * HOUR;
    b.learn('h', [100], noon(0));
    b.learn('h', [100], noon(1));
    b.learn('h', [100], noon(2));
    b.learn('h', [10], night(0));
    // Night bucket has 1 sample: the global baseline (warm: 4 samples) is used.
    let d = b.score('h', [10], night(3));
    expect(d.source).toBe('global');
    expect(d.bucket).toBe(3);
    expect(d.warm).toBe(true);
    expect(d.features[0]!.mean).toBeCloseTo(77.5, 12);
    b.learn('h', [12], night(1));
    b.learn('h', [8], night(2));
    d = b.score('h', [10], night(3));
    expect(d.source).toBe('bucket');
    expect(d.samples).toBe(3);
    expect(d.features[0]!.mean).toBeCloseTo(10, 12);
    // Noon's bucket is warm (3) and differs: 10 bytes at noon is far out, at night it is normal.
    const atNoon = b.score('h', [10], noon(3));
    expect(atNoon.source).toBe('bucket');
    expect(Math.abs(atNoon.features[0]!.z)).toBeGreaterThan(5);
    expect(Math.abs(d.features[0]!.z)).toBeLessThan(1);
    // An hour never seen: global.
    expect(b.score('h', [10], T0 + 7 * HOUR).source).toBe('global');
  });

  it('a warm bucket makes the score warm even while the global baseline is below minSamples', () => {
    const b = new BaselineStore({ features: ['x'], seasonality: 'day-of-week', minSamples: 10, bucketMinSamples: 2 });
    b.learn('h', [1], T0);
    b.learn('h', [1], T0 + 7 * 24 * HOUR);
    const d = b.score('h', [1], T0 + 14 * 24 * HOUR);
    expect(d).toMatchObject({ warm: true, source: 'bucket', bucket: 0, samples: 2 });
  });
});

describe('keys', () => {
  it('keeps at most maxKeys, dropping the least recently updated', () => {
    const b = new BaselineStore({ features: ['x'], maxKeys: 2 });
    b.learn('a', [1], T0);
    b.learn('b', [1], T0 + 1);
    b.learn('a', [1], T0 + 2);
    b.learn('c', [1], T0 + 3);
    expect([b.has('a'), b.has('b'), b.has('c')]).toEqual([true, false, true]);
    expect(b.size).toBe(2);
  });

  it('prunes keys not updated since a time', () => {
    const b = new BaselineStore({ features: ['x'] });
    b.learn('old', [1], T0);
    b.learn('new', [1], T0 + HOUR);
    expect(b.prune(T0 + 1)).toBe(1);
    expect(b.has('old')).toBe(false);
    expect(b.has('new')).toBe(true);
  });

  it('builds a vector from a record in feature order', () => {
    const b = new BaselineStore({ features: ['size', 'iat'] });
    expect(Array.from(b.vector({ iat: 2, size: 60 }))).toEqual([60, 2]);
    expect(codeOf(() => b.vector({ size: 1 }))).toBe('feature-count-mismatch');
  });
});

describe('snapshot and restore', () => {
  it('round-trips through JSON with identical scores', () => {
    const b = new BaselineStore({ features: ['iat', 'size', 'dur'], seasonality: 'hour-of-week', alpha: 0.07, minSamples: 5, bucketMinSamples: 2, utcOffsetMinutes: -300 });
    let seed = 1;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 300; i++) {
      b.learn(`host-${i % 7}`, [rnd() * 3, 500 + rnd() * 1000, rnd() * 60], T0 + i * 17 * 60_000);
    }
    const text = JSON.stringify(b.snapshot());
    const r = BaselineStore.restore(JSON.parse(text));
    expect(r.options).toEqual(b.options);
    for (let i = 0; i < 7; i++) {
      for (const t of [T0, T0 + 5 * HOUR, T0 + 100 * HOUR]) {
        expect(r.score(`host-${i}`, [1, 900, 30], t)).toEqual(b.score(`host-${i}`, [1, 900, 30], t));
      }
    }
    // And keeps learning the same way.
    b.learn('host-1', [2, 700, 10], T0 + 400 * HOUR);
    r.learn('host-1', [2, 700, 10], T0 + 400 * HOUR);
    expect(JSON.stringify(r.snapshot())).toBe(JSON.stringify(b.snapshot()));
  });

  it('rejects malformed snapshots with typed errors', () => {
    const b = new BaselineStore({ features: ['x', 'y'], seasonality: 'hour-of-day' });
    b.learn('h', [1, 2], T0);
    const good = b.snapshot();
    const mutate = (fn: (s: Record<string, unknown>) => void): string =>
      codeOf(() => {
        const s = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
        fn(s);
        return BaselineStore.restore(s);
      });
    type K = { key: string; lastSeenMs: number; global: { n: number; mean: unknown[]; variance: unknown[] }; buckets: unknown[][] };
    const key0 = (s: Record<string, unknown>): K => (s['keys'] as K[])[0]!;
    expect(codeOf(() => BaselineStore.restore('x'))).toBe('invalid-snapshot');
    expect(mutate((s) => (s['format'] = 'nope'))).toBe('unsupported-version');
    expect(mutate((s) => (s['version'] = 9))).toBe('unsupported-version');
    expect(mutate((s) => ((s['options'] as Record<string, unknown>)['alpha'] = 2))).toBe('invalid-snapshot');
    expect(mutate((s) => (key0(s).global.n = 0))).toBe('invalid-snapshot');
    expect(mutate((s) => key0(s).global.mean.pop())).toBe('invalid-snapshot');
    expect(mutate((s) => (key0(s).global.variance[0] = -1))).toBe('invalid-snapshot');
    expect(mutate((s) => (key0(s).global.mean[0] = null))).toBe('invalid-snapshot');
    expect(mutate((s) => (key0(s).buckets[0]![0] = 24))).toBe('invalid-snapshot');
    expect(mutate((s) => (s['keys'] as K[]).push(key0(s)))).toBe('invalid-snapshot');
    expect(mutate((s) => (key0(s).lastSeenMs = Number.NaN))).toBe('invalid-snapshot');
  });
});

describe('invalid input', () => {
  it('rejects bad options', () => {
    const opt = (o: Record<string, unknown>): string => codeOf(() => new BaselineStore({ features: ['x'], ...o }));
    expect(codeOf(() => new BaselineStore({ features: [] }))).toBe('invalid-option');
    expect(codeOf(() => new BaselineStore({ features: ['x', 'x'] }))).toBe('invalid-option');
    expect(opt({ alpha: 0 })).toBe('invalid-option');
    expect(opt({ alpha: 1.2 })).toBe('invalid-option');
    expect(opt({ minSamples: 0 })).toBe('invalid-option');
    expect(opt({ seasonality: 'monthly' })).toBe('invalid-option');
    expect(opt({ utcOffsetMinutes: 2000 })).toBe('invalid-option');
    expect(opt({ stdFloor: { absolute: 0 } })).toBe('invalid-option');
    expect(opt({ maxKeys: 0 })).toBe('invalid-option');
  });

  it('rejects non-finite values and times, and wrongly sized samples', () => {
    const b = new BaselineStore({ features: ['x', 'y'] });
    expect(codeOf(() => b.learn('h', [1, NaN], T0))).toBe('non-finite-input');
    expect(codeOf(() => b.score('h', [Infinity, 1], T0))).toBe('non-finite-input');
    expect(codeOf(() => b.learn('h', [1, 2], NaN))).toBe('non-finite-input');
    expect(codeOf(() => b.learn('h', [1], T0))).toBe('feature-count-mismatch');
    expect(b.has('h')).toBe(false);
  });
});
