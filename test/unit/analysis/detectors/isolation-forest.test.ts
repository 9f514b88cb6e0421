import {
  averagePathLength,
  IsolationForest,
  IsolationForestError,
  type IsolationForestJSON,
  seededRandom,
  type RandomSource,
} from '../../../../src/analysis/detectors/isolation-forest.js';

function gauss(r: RandomSource): number {
  const u = 1 - r.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
}

function blob(seed: number, n: number, d: number): number[][] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => gauss(r)));
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof IsolationForestError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
}

describe('seededRandom', () => {
  it('is a deterministic stream of doubles in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(Array.from({ length: 10_000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(seededRandom(43).next()).not.toBe(seededRandom(42).next());
  });
});

describe('averagePathLength c(n)', () => {
  it('matches scikit-learn _average_path_length', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // Values printed by scikit-learn 1.9.1: _average_path_length([3]), ([10]), ([256]).
    expect(averagePathLength(3)).toBeCloseTo(1.207392357589623, 14);
    expect(averagePathLength(10)).toBeCloseTo(3.748880484475505, 14);
    expect(averagePathLength(256)).toBeCloseTo(10.244770920119917, 12);
    // 2 H(n-1) - 2(n-1)/n with H(i) = ln i + Euler's constant
    expect(averagePathLength(100)).toBeCloseTo(2 * (Math.log(99) + 0.5772156649015329) - (2 * 99) / 100, 14);
  });
});

describe('IsolationForest.fit', () => {
  const train = [...blob(1, 400, 2), [8, 8], [-9, 7], [10, -10]];

  it('scores obvious outliers highest and the centre low', () => {
    const f = IsolationForest.fit(train, { random: seededRandom(5) });
    const s = f.anomalyScores([[0, 0], [0.3, -0.2], [8, 8], [-9, 7], [10, -10], [20, 20]]);
    expect(s[0]).toBeLessThan(0.45);
    expect(s[1]).toBeLessThan(0.45);
    for (const i of [2, 3, 4, 5]) {
      expect(s[i]).toBeGreaterThan(0.65);
      expect(s[i]).toBeGreaterThan(s[0]!);
    }
    // The three planted outliers are the three most anomalous training rows.
    const all = Array.from(f.anomalyScores(train));
    const top3 = all
      .map((v, i) => [v, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 3)
      .map(([, i]) => i)
      .sort((a, b) => a - b);
    expect(top3).toEqual([400, 401, 402]);
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const a = IsolationForest.fit(train, { random: seededRandom(9) });
    const b = IsolationForest.fit(train, { random: seededRandom(9) });
    const c = IsolationForest.fit(train, { random: seededRandom(10) });
    expect(b.toJSON()).toEqual(a.toJSON());
    expect(Array.from(b.scoreSamples(train))).toEqual(Array.from(a.scoreSamples(train)));
    expect(c.toJSON().threshold).not.toEqual(a.toJSON().threshold);
  });

  it('follows scikit-learn: max_samples auto = min(256, n), depth <= ceil(log2 max_samples), 100 trees', () => {
    const big = IsolationForest.fit(blob(2, 1000, 3), { random: seededRandom(1) });
    expect(big.maxSamples).toBe(256);
    expect(big.nEstimators).toBe(100);
    const j = big.toJSON();
    for (let t = 0; t < 100; t++) expect(j.size[j.treeStart[t]!]).toBe(256);
    expect(maxLeafDepth(j)).toBeLessThanOrEqual(8);
    const small = IsolationForest.fit(blob(2, 50, 3), { random: seededRandom(1), nEstimators: 10 });
    expect(small.maxSamples).toBe(50);
    expect(maxLeafDepth(small.toJSON())).toBeLessThanOrEqual(6);
    expect(IsolationForest.fit(blob(2, 50, 3), { maxSamples: 500 }).maxSamples).toBe(50);
    expect(IsolationForest.fit(blob(2, 50, 3), { maxSamples: 20 }).maxSamples).toBe(20);
    expect(IsolationForest.fit(blob(2, 50, 3), { maxSamples: { fraction: 0.5 } }).maxSamples).toBe(25);
  });

  it('subsamples without replacement: every tree holds maxSamples distinct rows', () => {
    // Rows are distinct points on a line; a tree with a repeated row could leave a leaf of two equal rows.
    const line = Array.from({ length: 300 }, (_, i) => [i]);
    const f = IsolationForest.fit(line, { random: seededRandom(3), nEstimators: 20, maxSamples: 300 });
    const j = f.toJSON();
    // 300 distinct values with depth up to 9 cannot all be isolated, but no leaf may be "constant" with > 1 row
    // at depth < max unless rows repeat: check leaves below max depth hold one row.
    const depths = nodeDepths(j);
    for (let i = 0; i < j.feature.length; i++) {
      if (j.feature[i] === -1 && depths[i]! < 9) expect(j.size[i]).toBe(1);
    }
  });

  it('never splits on a constant feature; all-constant data gives single-leaf trees with s = 0.5', () => {
    const rows = blob(4, 200, 2).map(([a, b]) => [a!, 7, b!]);
    const f = IsolationForest.fit(rows, { random: seededRandom(2) });
    expect(f.toJSON().feature.includes(1)).toBe(false);

    const same = Array.from({ length: 64 }, () => [1, 2, 3]);
    const g = IsolationForest.fit(same, { random: seededRandom(2), nEstimators: 5 });
    expect(g.nodeCount).toBe(5); // one leaf per tree
    // E[h] = 0 + c(64) = c(max_samples): s = 2^-1 exactly.
    expect(Array.from(g.anomalyScores([[1, 2, 3], [100, -5, 0]]))).toEqual([0.5, 0.5]);
  });

  it('handles duplicate rows (a node of identical rows is a leaf)', () => {
    const rows = [...Array.from({ length: 100 }, () => [1, 1]), ...Array.from({ length: 100 }, () => [2, 5]), [9, 9]];
    const f = IsolationForest.fit(rows, { random: seededRandom(6) });
    const s = f.anomalyScores([[1, 1], [2, 5], [9, 9]]);
    expect(s[2]).toBeGreaterThan(s[0]!);
    expect(s[2]).toBeGreaterThan(s[1]!);
  });

  it('handles tiny n: one row gives s = 0.5 (scikit-learn), two rows split once', () => {
    const one = IsolationForest.fit([[3, 4]], { random: seededRandom(1) });
    expect(one.maxSamples).toBe(1);
    expect(Array.from(one.anomalyScores([[3, 4], [100, 100]]))).toEqual([0.5, 0.5]);
    const two = IsolationForest.fit([[0], [1]], { random: seededRandom(1), nEstimators: 3 });
    expect(two.nodeCount).toBe(9);
    // depth 1 + c(1) = 1 = c(2): s = 0.5 everywhere.
    expect(Array.from(two.anomalyScores([[0], [1], [5]]))).toEqual([0.5, 0.5, 0.5]);
  });

  it('maxFeatures: each tree splits on at most that many features', () => {
    const rows = blob(7, 300, 6);
    const f = IsolationForest.fit(rows, { random: seededRandom(1), maxFeatures: 2, nEstimators: 30 });
    const j = f.toJSON();
    for (let t = 0; t < 30; t++) {
      const used = new Set(j.feature.slice(j.treeStart[t], j.treeStart[t + 1]).filter((x) => x >= 0));
      expect(used.size).toBeLessThanOrEqual(2);
    }
  });
});

describe('scoring', () => {
  const train = blob(11, 500, 4);
  const f = IsolationForest.fit(train, { random: seededRandom(1) });

  it('scoreSamples = -anomalyScores, decisionFunction = scoreSamples - offset (auto: offset -0.5)', () => {
    const s = f.anomalyScores(train);
    const ss = f.scoreSamples(train);
    const df = f.decisionFunction(train);
    expect(f.offset).toBe(-0.5);
    for (let i = 0; i < s.length; i++) {
      expect(ss[i]).toBe(-s[i]!);
      expect(df[i]).toBe(-s[i]! + 0.5);
    }
    const p = f.predict(train);
    for (let i = 0; i < s.length; i++) expect(p[i]).toBe(df[i]! < 0 ? -1 : 1);
  });

  it('takes rows or a row-major matrix, and writes into a given output without allocating', () => {
    const flat = new Float64Array(train.flat());
    const m = { data: flat, rows: train.length, cols: 4 };
    const out = new Float64Array(train.length);
    const res = f.scoreSamples(m, out);
    expect(res).toBe(out);
    expect(Array.from(res)).toEqual(Array.from(f.scoreSamples(train)));
    expect(f.anomalyScore(train[3]!)).toBe(-res[3]!);
  });

  it('contamination sets the offset at that quantile of the training scores (numpy linear percentile)', () => {
    const g = IsolationForest.fit(train, { random: seededRandom(1), contamination: 0.1 });
    const sorted = Array.from(g.scoreSamples(train)).sort((a, b) => a - b);
    const h = (sorted.length - 1) * 0.1;
    const lo = Math.floor(h);
    expect(g.offset).toBeCloseTo(sorted[lo]! + (h - lo) * (sorted[lo + 1]! - sorted[lo]!), 15);
    const outliers = Array.from(g.predict(train)).filter((v) => v === -1).length;
    expect(outliers).toBe(lo + 1);
    // Same trees as the 'auto' fit with the same seed: only the offset differs.
    expect(Array.from(g.scoreSamples(train))).toEqual(Array.from(f.scoreSamples(train)));
  });
});

describe('serialization', () => {
  const train = [...blob(12, 300, 3), [6, 6, 6]];

  it('round-trips through JSON with identical scores', () => {
    for (const contamination of ['auto', 0.05] as const) {
      const f = IsolationForest.fit(train, { random: seededRandom(8), contamination });
      const text = JSON.stringify(f);
      const g = IsolationForest.fromJSON(JSON.parse(text));
      expect(g.offset).toBe(f.offset);
      expect(g.contamination).toBe(contamination);
      const probe = [...train, [100, -3, 0.5], [1e-300, 0, 0]];
      expect(Array.from(g.scoreSamples(probe))).toEqual(Array.from(f.scoreSamples(probe)));
      expect(Array.from(g.decisionFunction(probe))).toEqual(Array.from(f.decisionFunction(probe)));
      expect(JSON.stringify(g)).toBe(text);
    }
  });

  it('rejects malformed models with typed errors', () => {
    const good = IsolationForest.fit(train, { random: seededRandom(8), nEstimators: 3 }).toJSON();
    const mutate = (fn: (j: Record<string, unknown>) => void): string =>
      codeOf(() => {
        const j = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
        fn(j);
        return IsolationForest.fromJSON(j);
      });
    expect(codeOf(() => IsolationForest.fromJSON(null))).toBe('invalid-model');
    expect(mutate((j) => (j['format'] = 'other'))).toBe('unsupported-version');
    expect(mutate((j) => (j['version'] = 2))).toBe('unsupported-version');
    expect(mutate((j) => (j['nFeatures'] = 0))).toBe('invalid-model');
    expect(mutate((j) => (j['offset'] = 'x'))).toBe('invalid-model');
    expect(mutate((j) => (j['contamination'] = 0.9))).toBe('invalid-model');
    expect(mutate((j) => (j['threshold'] as unknown[]).pop())).toBe('invalid-model');
    expect(mutate((j) => ((j['threshold'] as unknown[])[0] = null))).toBe('invalid-model');
    expect(mutate((j) => ((j['feature'] as number[])[0] = 3))).toBe('invalid-model');
    // A child pointing back at the root: a cycle.
    expect(mutate((j) => ((j['left'] as number[])[0] = 0))).toBe('invalid-model');
    // A child in another tree.
    expect(mutate((j) => ((j['right'] as number[])[0] = (j['treeStart'] as number[])[1]!))).toBe('invalid-model');
    expect(mutate((j) => ((j['size'] as number[])[0] = 5))).toBe('invalid-model');
    expect(mutate((j) => (j['treeStart'] = [0]))).toBe('invalid-model');
    expect(mutate((j) => ((j['left'] as number[])[1] = 2.5))).toBe('invalid-model');
  });
});

describe('invalid input', () => {
  const f = IsolationForest.fit(blob(13, 100, 2), { nEstimators: 5 });

  it('rejects empty, ragged and non-finite training data', () => {
    expect(codeOf(() => IsolationForest.fit([]))).toBe('empty-input');
    expect(codeOf(() => IsolationForest.fit([[], []]))).toBe('empty-input');
    expect(codeOf(() => IsolationForest.fit([[1, 2], [3]]))).toBe('ragged-input');
    expect(codeOf(() => IsolationForest.fit({ data: [1, 2, 3], rows: 2, cols: 2 }))).toBe('ragged-input');
    expect(codeOf(() => IsolationForest.fit([[1, 2], [NaN, 3]]))).toBe('non-finite-input');
    expect(codeOf(() => IsolationForest.fit([[1, Infinity]]))).toBe('non-finite-input');
    expect(codeOf(() => IsolationForest.fit({ data: [1, 2, 3, NaN], rows: 2, cols: 2 }))).toBe('non-finite-input');
  });

  it('rejects bad options', () => {
    const x = [[1], [2]];
    expect(codeOf(() => IsolationForest.fit(x, { nEstimators: 0 }))).toBe('invalid-option');
    expect(codeOf(() => IsolationForest.fit(x, { nEstimators: 1.5 }))).toBe('invalid-option');
    expect(codeOf(() => IsolationForest.fit(x, { maxSamples: 0 }))).toBe('invalid-option');
    expect(codeOf(() => IsolationForest.fit(x, { maxSamples: { fraction: 1.5 } }))).toBe('invalid-option');
    expect(codeOf(() => IsolationForest.fit(x, { maxFeatures: { fraction: 0 } }))).toBe('invalid-option');
    expect(codeOf(() => IsolationForest.fit(x, { contamination: 0.6 }))).toBe('invalid-option');
    expect(codeOf(() => IsolationForest.fit(x, { contamination: 0 }))).toBe('invalid-option');
  });

  it('rejects non-finite and wrongly sized rows at scoring', () => {
    expect(codeOf(() => f.scoreSamples([[NaN, 0]]))).toBe('non-finite-input');
    expect(codeOf(() => f.anomalyScore([0, -Infinity]))).toBe('non-finite-input');
    expect(codeOf(() => f.scoreSamples([[1, 2, 3]]))).toBe('feature-count-mismatch');
    expect(codeOf(() => f.anomalyScore([1]))).toBe('feature-count-mismatch');
    expect(codeOf(() => f.predict([[1, 2, 3]]))).toBe('feature-count-mismatch');
    expect(codeOf(() => f.scoreSamples([[1, 2], [3, 4]], new Float64Array(1)))).toBe('invalid-option');
    expect(f.scoreSamples([]).length).toBe(0);
  });
});

function nodeDepths(j: IsolationForestJSON): number[] {
  const depth = new Array<number>(j.feature.length).fill(0);
  for (let i = 0; i < j.feature.length; i++) {
    if (j.feature[i]! >= 0) {
      depth[j.left[i]!] = depth[i]! + 1;
      depth[j.right[i]!] = depth[i]! + 1;
    }
  }
  return depth;
}

function maxLeafDepth(j: IsolationForestJSON): number {
  return Math.max(...nodeDepths(j));
}
