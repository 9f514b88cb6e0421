import { OcsvmError, OneClassSvm } from '../../../../src/analysis/detectors/ocsvm.js';
import { seededRandom, type RandomSource } from '../../../../src/analysis/detectors/isolation-forest.js';

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
    if (e instanceof OcsvmError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
}

describe('OneClassSvm', () => {
  it('solves a two-point problem by hand (nu 0.5, gamma 0.5)', () => {
    // l = 2, nu l = 1: start a = (1, 0); one SMO step moves to a = (0.5, 0.5) (both free), so
    // rho = G_i = 0.5 (1 + K), K = exp(-0.5), as scikit-learn: offset_ 0.80326533, decision(0.5) 0.0792315694.
    const m = OneClassSvm.fit([[0], [1]], { nu: 0.5, gamma: 0.5 });
    const k = Math.fround(Math.exp(-0.5)); // kernel rows are float32, as libsvm's
    expect(m.iterations).toBe(1);
    expect(m.toJSON().coefficients).toEqual([0.5, 0.5]);
    expect(m.rho).toBeCloseTo(0.5 * (1 + k), 12);
    expect(m.rho).toBeCloseTo(0.80326533, 7);
    expect(m.decision([0.5])).toBeCloseTo(0.0792315694, 7);
    expect(m.decision([3])).toBeCloseTo(-0.730043193, 7);
  });

  it('meets the optimality conditions: sum a = nu l, KKT within tolerance', () => {
    const train = [...blob(1, 300, 3), [6, 6, 6]];
    const nu = 0.2;
    const m = OneClassSvm.fit(train, { nu, tolerance: 1e-4 });
    expect(m.converged).toBe(true);
    const j = m.toJSON();
    expect(j.coefficients.reduce((s, a) => s + a, 0)).toBeCloseTo(nu * train.length, 9);
    // scoreSamples on the training rows is the gradient G = Q a. Rows that are not support vectors (a = 0)
    // lie inside (G >= rho); bounded ones (a = 1) on or outside (G <= rho); free ones on the boundary.
    const G = m.scoreSamples(train);
    const coefOf = new Map<string, number>();
    for (let i = 0; i < j.coefficients.length; i++) coefOf.set(j.supportVectors.slice(i * 3, i * 3 + 3).join(','), j.coefficients[i]!);
    const tol = 1e-3;
    train.forEach((row, i) => {
      const a = coefOf.get(row.join(',')) ?? 0;
      if (a === 0) expect(G[i]).toBeGreaterThan(m.rho - tol);
      else if (a === 1) expect(G[i]).toBeLessThan(m.rho + tol);
      else expect(Math.abs(G[i]! - m.rho)).toBeLessThan(tol);
    });
    // nu bounds the share of training outliers from above and the share of support vectors from below.
    const outliers = Array.from(m.predict(train)).filter((v) => v === -1).length;
    expect(outliers / train.length).toBeLessThanOrEqual(nu + 0.01);
    expect(m.supportCount / train.length).toBeGreaterThanOrEqual(nu);
  });

  it('puts obvious outliers outside and the centre inside', () => {
    const m = OneClassSvm.fit(blob(2, 400, 2), { nu: 0.05 });
    const df = m.decisionFunction([[0, 0], [0.2, -0.1], [6, 6], [-8, 0]]);
    expect(df[0]).toBeGreaterThan(0);
    expect(df[1]).toBeGreaterThan(0);
    expect(df[2]).toBeLessThan(0);
    expect(df[3]).toBeLessThan(0);
    expect(Array.from(m.predict([[0, 0], [6, 6]]))).toEqual([1, -1]);
  });

  it('resolves gamma as scikit-learn: scale = 1 / (d Var X), auto = 1 / d, 1 for constant data', () => {
    const x = [[1, 2], [3, 4], [5, 6]];
    // values 1..6: mean 3.5, population variance 35/12
    expect(OneClassSvm.fit(x, { gamma: 'scale' }).gamma).toBeCloseTo(1 / (2 * (35 / 12)), 14);
    expect(OneClassSvm.fit(x, { gamma: 'auto' }).gamma).toBe(0.5);
    expect(OneClassSvm.fit(x, { gamma: 0.25 }).gamma).toBe(0.25);
    expect(OneClassSvm.fit([[2, 2], [2, 2]]).gamma).toBe(1);
  });

  it('is deterministic and the result does not depend on the kernel cache size', () => {
    const train = blob(3, 200, 4);
    const a = OneClassSvm.fit(train, { nu: 0.1 });
    const b = OneClassSvm.fit(train, { nu: 0.1, cacheBytes: 4 * 200 * 3 }); // three rows cached
    expect(b.toJSON()).toEqual(a.toJSON());
  });

  it('handles nu = 1 (every a at its bound: rho = max G, where scikit-learn fails) and a single row', () => {
    const m = OneClassSvm.fit(blob(4, 20, 2), { nu: 1 });
    expect(Number.isFinite(m.rho)).toBe(true);
    expect(m.supportCount).toBe(20);
    // Every training row at the bound a = 1 must have decision <= 0; the largest is 0.
    expect(Math.max(...m.decisionFunction(blob(4, 20, 2)))).toBeCloseTo(0, 6); // G used float32 kernel rows
    const one = OneClassSvm.fit([[1, 2]], { nu: 0.5 });
    expect(one.supportCount).toBe(1);
    expect(Number.isFinite(one.rho)).toBe(true);
  });

  it('round-trips through JSON with identical decision values', () => {
    const train = [...blob(5, 150, 3), [5, -5, 5]];
    const m = OneClassSvm.fit(train, { nu: 0.1 });
    const text = JSON.stringify(m);
    const r = OneClassSvm.fromJSON(JSON.parse(text));
    expect(Array.from(r.decisionFunction(train))).toEqual(Array.from(m.decisionFunction(train)));
    expect(JSON.stringify(r)).toBe(text);
    const out = new Float64Array(train.length);
    expect(m.scoreSamples({ data: train.flat(), rows: train.length, cols: 3 }, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(m.scoreSamples(train)));
  });

  it('rejects malformed models', () => {
    const good = OneClassSvm.fit(blob(6, 30, 2), { nu: 0.2 }).toJSON();
    const mutate = (fn: (j: Record<string, unknown>) => void): string =>
      codeOf(() => {
        const j = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
        fn(j);
        return OneClassSvm.fromJSON(j);
      });
    expect(codeOf(() => OneClassSvm.fromJSON([]))).toBe('invalid-model');
    expect(mutate((j) => (j['format'] = 'x'))).toBe('unsupported-version');
    expect(mutate((j) => (j['version'] = 0))).toBe('unsupported-version');
    expect(mutate((j) => (j['kernel'] = 'linear'))).toBe('invalid-model');
    expect(mutate((j) => (j['gamma'] = -1))).toBe('invalid-model');
    expect(mutate((j) => (j['rho'] = null))).toBe('invalid-model');
    expect(mutate((j) => (j['coefficients'] as number[]).push(0.5))).toBe('invalid-model');
    expect(mutate((j) => ((j['coefficients'] as number[])[0] = 2))).toBe('invalid-model');
    expect(mutate((j) => (j['coefficients'] = []))).toBe('invalid-model');
    expect(mutate((j) => ((j['supportVectors'] as unknown[])[0] = 'a'))).toBe('invalid-model');
    expect(mutate((j) => (j['converged'] = 1))).toBe('invalid-model');
  });

  it('rejects invalid input and options', () => {
    expect(codeOf(() => OneClassSvm.fit([]))).toBe('empty-input');
    expect(codeOf(() => OneClassSvm.fit([[1], [2, 3]]))).toBe('ragged-input');
    expect(codeOf(() => OneClassSvm.fit([[1], [NaN]]))).toBe('non-finite-input');
    expect(codeOf(() => OneClassSvm.fit([[1]], { nu: 0 }))).toBe('invalid-option');
    expect(codeOf(() => OneClassSvm.fit([[1]], { nu: 1.5 }))).toBe('invalid-option');
    expect(codeOf(() => OneClassSvm.fit([[1]], { gamma: -2 }))).toBe('invalid-option');
    expect(codeOf(() => OneClassSvm.fit([[1]], { tolerance: 0 }))).toBe('invalid-option');
    const m = OneClassSvm.fit(blob(7, 20, 2));
    expect(codeOf(() => m.decisionFunction([[1, 2, 3]]))).toBe('feature-count-mismatch');
    expect(codeOf(() => m.decision([1]))).toBe('feature-count-mismatch');
    expect(codeOf(() => m.decisionFunction([[1, Infinity]]))).toBe('non-finite-input');
  });
});
