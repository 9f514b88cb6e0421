/**
 * One-Class SVM (Schölkopf et al. 2001) with an RBF kernel and the nu parameterization, solved as libsvm does
 * (the solver scikit-learn's `OneClassSVM` wraps), so decision values match scikit-learn's to the solver's
 * tolerance.
 *
 * Why it is written here: on npm, `libsvm-js` (an emscripten build of libsvm; last release 0.2.1 in May 2018,
 * asynchronous wasm loading, no types) is unmaintained, and `ml-svm` solves binary classification only (no
 * one-class formulation). A one-class SMO solver is a few hundred lines; owning it also gives a serializable,
 * validated model.
 *
 * The problem (libsvm's ONE_CLASS, C_i = 1):
 *     min_a  1/2 a^T Q a     s.t.  0 <= a_i <= 1,  sum_i a_i = nu * l,   Q_ij = K(x_i, x_j) = exp(-gamma |x_i - x_j|^2)
 * Start: a_i = 1 for the first floor(nu l) rows, the remainder on the next row, 0 after (as libsvm's
 * solve_one_class, including its summation order). Then SMO: pick (i, j) by libsvm's second-order working-set
 * selection (Fan, Chen & Lin 2005, WSS 2 with tau = 1e-12), update the pair analytically within the box, update
 * the gradient G = Q a, stop when max_{i in I_up} -G_i + max_{j in I_low} G_j < tolerance. rho is the mean of
 * G over free a_i (or the midpoint of the bounds when none is free), as libsvm's calculate_rho.
 * Kernel rows are cached (float32, as libsvm's Qfloat) within a byte budget. libsvm's shrinking heuristic is left
 * out: it changes speed, not the solution beyond the tolerance.
 *
 * Outputs, with scikit-learn's names and signs:
 *     decisionFunction(x) = sum_i a_i K(sv_i, x) - rho     (> 0 inside the learned support, < 0 outside)
 *     scoreSamples(x)     = sum_i a_i K(sv_i, x)           (= decisionFunction + offset, offset = rho)
 *     predict(x)          = -1 where decisionFunction(x) < 0 (outlier), else 1
 * gamma: 'scale' = 1 / (d * Var(X)) over all values (1 when Var is 0), 'auto' = 1 / d, or a number.
 * One deliberate difference: with nu = 1 every a_i sits at its upper bound and libsvm's rho is infinite
 * (scikit-learn then raises); here rho = max_i G_i, the smallest value the optimality conditions allow.
 * As with scikit-learn, features are not scaled here: standardize them first when their units differ.
 */

import type { Matrix, MatrixInput } from './isolation-forest.js';

export type OcsvmErrorCode =
  | 'invalid-option'
  | 'empty-input'
  | 'ragged-input'
  | 'non-finite-input'
  | 'feature-count-mismatch'
  | 'invalid-model'
  | 'unsupported-version';

export class OcsvmError extends Error {
  override readonly name = 'OcsvmError';
  constructor(
    readonly code: OcsvmErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// The same input shapes as the Isolation Forest: rows as arrays, or a row-major matrix.
export type { Matrix, MatrixInput } from './isolation-forest.js';

export interface OneClassSvmOptions {
  /** Upper bound on the share of training rows outside the support and lower bound on the share of support
   *  vectors, in (0, 1]. Default 0.5 (scikit-learn's). */
  readonly nu?: number;
  /** RBF width: 'scale' (default), 'auto' or a positive number. */
  readonly gamma?: 'scale' | 'auto' | number;
  /** Stopping tolerance on the KKT violation. Default 1e-3 (scikit-learn's tol). */
  readonly tolerance?: number;
  /** Iteration cap; default max(10^7, 100 l) as libsvm. Reaching it leaves converged = false. */
  readonly maxIterations?: number;
  /** Kernel cache budget in bytes. Default 200 MiB (scikit-learn's cache_size=200). */
  readonly cacheBytes?: number;
}

export const OCSVM_FORMAT = 'vigil.one-class-svm';
export const OCSVM_VERSION = 1;

export interface OneClassSvmJSON {
  readonly format: typeof OCSVM_FORMAT;
  readonly version: typeof OCSVM_VERSION;
  readonly kernel: 'rbf';
  readonly nFeatures: number;
  readonly gamma: number;
  readonly nu: number;
  readonly rho: number;
  /** Support vectors, row-major (supportCount x nFeatures). */
  readonly supportVectors: number[];
  /** Their coefficients a_i, each in (0, 1]. */
  readonly coefficients: number[];
  readonly iterations: number;
  readonly converged: boolean;
}

const TAU = 1e-12;
const INF = Number.POSITIVE_INFINITY;

function isMatrix(x: MatrixInput): x is Matrix {
  return !Array.isArray(x);
}

/** Copies `x` into a row-major Float64Array, checking shape and finiteness. */
function toDense(x: MatrixInput): { data: Float64Array; rows: number; cols: number } {
  if (isMatrix(x)) {
    if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.rows < 0 || x.cols < 0 || x.data.length !== x.rows * x.cols) {
      throw new OcsvmError('ragged-input', `matrix data has ${x.data.length} values, not ${x.rows}x${x.cols}`);
    }
    const data = Float64Array.from(x.data);
    checkFinite(data, x.cols);
    return { data, rows: x.rows, cols: x.cols };
  }
  const rows = x.length;
  const cols = rows > 0 ? x[0]!.length : 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = x[i]!;
    if (row.length !== cols) throw new OcsvmError('ragged-input', `row ${i} has ${row.length} values, row 0 has ${cols}`);
    for (let j = 0; j < cols; j++) data[i * cols + j] = row[j]!;
  }
  checkFinite(data, cols);
  return { data, rows, cols };
}

function checkFinite(data: Float64Array, cols: number): void {
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw new OcsvmError('non-finite-input', `row ${Math.floor(k / cols)}, feature ${k % cols} is ${data[k]}; values must be finite`);
    }
  }
}

/** Kernel rows of the training set, computed on demand and kept (least recently used first out). */
class KernelCache {
  private readonly rows = new Map<number, Float32Array>();
  private readonly maxRows: number;
  private readonly sq: Float64Array;

  constructor(
    private readonly x: Float64Array,
    private readonly l: number,
    private readonly d: number,
    private readonly gamma: number,
    cacheBytes: number,
  ) {
    this.maxRows = Math.max(2, Math.floor(cacheBytes / (4 * l)));
    // libsvm's kernel_rbf: exp(-gamma (|x_i|^2 + |x_j|^2 - 2 x_i.x_j)).
    this.sq = new Float64Array(l);
    for (let i = 0; i < l; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += x[i * d + k]! * x[i * d + k]!;
      this.sq[i] = s;
    }
  }

  row(i: number): Float32Array {
    const hit = this.rows.get(i);
    if (hit) {
      this.rows.delete(i);
      this.rows.set(i, hit);
      return hit;
    }
    const { x, l, d, gamma, sq } = this;
    const out = new Float32Array(l);
    const bi = i * d;
    for (let j = 0; j < l; j++) {
      const bj = j * d;
      let dot = 0;
      for (let k = 0; k < d; k++) dot += x[bi + k]! * x[bj + k]!;
      out[j] = Math.exp(-gamma * (sq[i]! + sq[j]! - 2 * dot));
    }
    if (this.rows.size >= this.maxRows) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(i, out);
    return out;
  }
}

export class OneClassSvm {
  readonly nFeatures: number;
  readonly gamma: number;
  readonly nu: number;
  /** The offset: decisionFunction = sum a_i K(sv_i, x) - rho (scikit-learn's offset_). */
  readonly rho: number;
  /** SMO iterations the fit took. */
  readonly iterations: number;
  /** False when the fit stopped at maxIterations before meeting the tolerance. */
  readonly converged: boolean;
  private readonly sv: Float64Array;
  private readonly coef: Float64Array;
  private readonly svSq: Float64Array;

  private constructor(m: { nFeatures: number; gamma: number; nu: number; rho: number; sv: Float64Array; coef: Float64Array; iterations: number; converged: boolean }) {
    this.nFeatures = m.nFeatures;
    this.gamma = m.gamma;
    this.nu = m.nu;
    this.rho = m.rho;
    this.sv = m.sv;
    this.coef = m.coef;
    this.iterations = m.iterations;
    this.converged = m.converged;
    const d = m.nFeatures;
    this.svSq = new Float64Array(m.coef.length);
    for (let i = 0; i < m.coef.length; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += m.sv[i * d + k]! * m.sv[i * d + k]!;
      this.svSq[i] = s;
    }
  }

  /** Number of support vectors (a_i > 0). */
  get supportCount(): number {
    return this.coef.length;
  }

  static fit(x: MatrixInput, options: OneClassSvmOptions = {}): OneClassSvm {
    const bad = (why: string): OcsvmError => new OcsvmError('invalid-option', why);
    const nu = options.nu ?? 0.5;
    if (typeof nu !== 'number' || !(nu > 0 && nu <= 1)) throw bad(`nu must be in (0, 1], got ${String(nu)}`);
    const eps = options.tolerance ?? 1e-3;
    if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) throw bad(`tolerance must be a positive number, got ${String(eps)}`);
    const cacheBytes = options.cacheBytes ?? 200 * 1024 * 1024;
    if (typeof cacheBytes !== 'number' || !(cacheBytes > 0)) throw bad('cacheBytes must be positive');
    const { data, rows: l, cols: d } = toDense(x);
    if (l === 0 || d === 0) throw new OcsvmError('empty-input', `cannot fit on ${l} rows of ${d} features`);
    const maxIter = options.maxIterations ?? Math.max(10_000_000, 100 * l);
    if (!Number.isInteger(maxIter) || maxIter < 1) throw bad(`maxIterations must be a positive integer, got ${maxIter}`);
    const gamma = resolveGamma(options.gamma ?? 'scale', data, d);

    const Q = new KernelCache(data, l, d, gamma, cacheBytes);
    // RBF: Q_ii = 1.
    const QD = 1;

    // Initial a, as libsvm's solve_one_class (C_i = 1: nu_l accumulated row by row).
    const alpha = new Float64Array(l);
    let nuL = 0;
    for (let i = 0; i < l; i++) nuL += nu;
    let i0 = 0;
    while (nuL > 0 && i0 < l) {
      alpha[i0] = Math.min(1, nuL);
      nuL -= alpha[i0]!;
      i0++;
    }
    // Status: 0 lower bound, 1 free, 2 upper bound.
    const status = new Uint8Array(l);
    const setStatus = (i: number): void => {
      const a = alpha[i]!;
      status[i] = a >= 1 ? 2 : a <= 0 ? 0 : 1;
    };
    for (let i = 0; i < l; i++) setStatus(i);

    // G = Q a (p = 0).
    const G = new Float64Array(l);
    for (let i = 0; i < l; i++) {
      if (status[i] === 0) continue;
      const Qi = Q.row(i);
      const ai = alpha[i]!;
      for (let j = 0; j < l; j++) G[j] = G[j]! + ai * Qi[j]!;
    }

    let iter = 0;
    let converged = false;
    while (iter < maxIter) {
      // Working set (libsvm select_working_set with y = +1 everywhere).
      let Gmax = -INF;
      let Gmax2 = -INF;
      let i = -1;
      for (let t = 0; t < l; t++) {
        if (status[t] !== 2 && -G[t]! >= Gmax) {
          Gmax = -G[t]!;
          i = t;
        }
      }
      let j = -1;
      let objDiffMin = INF;
      if (i !== -1) {
        const Qi = Q.row(i);
        for (let t = 0; t < l; t++) {
          if (status[t] === 0) continue;
          const gt = G[t]!;
          if (gt >= Gmax2) Gmax2 = gt;
          const gradDiff = Gmax + gt;
          if (gradDiff > 0) {
            const quad = QD + QD - 2 * Qi[t]!;
            const objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
            if (objDiff <= objDiffMin) {
              j = t;
              objDiffMin = objDiff;
            }
          }
        }
      } else {
        for (let t = 0; t < l; t++) if (status[t] !== 0 && G[t]! >= Gmax2) Gmax2 = G[t]!;
      }
      if (Gmax + Gmax2 < eps || j === -1) {
        converged = true;
        break;
      }
      iter++;

      const Qi = Q.row(i);
      const Qj = Q.row(j);
      const oldI = alpha[i]!;
      const oldJ = alpha[j]!;
      let quad = QD + QD - 2 * Qi[j]!;
      if (quad <= 0) quad = TAU;
      const delta = (G[i]! - G[j]!) / quad;
      const sum = oldI + oldJ;
      let ai = oldI - delta;
      let aj = oldJ + delta;
      if (sum > 1) {
        if (ai > 1) {
          ai = 1;
          aj = sum - 1;
        }
      } else if (aj < 0) {
        aj = 0;
        ai = sum;
      }
      if (sum > 1) {
        if (aj > 1) {
          aj = 1;
          ai = sum - 1;
        }
      } else if (ai < 0) {
        ai = 0;
        aj = sum;
      }
      alpha[i] = ai;
      alpha[j] = aj;
      const dI = ai - oldI;
      const dJ = aj - oldJ;
      for (let k = 0; k < l; k++) G[k] = G[k]! + Qi[k]! * dI + Qj[k]! * dJ;
      setStatus(i);
      setStatus(j);
    }

    // rho (libsvm calculate_rho, y = +1).
    let nFree = 0;
    let sumFree = 0;
    let ub = INF;
    let lb = -INF;
    for (let t = 0; t < l; t++) {
      const g = G[t]!;
      if (status[t] === 2) lb = Math.max(lb, g);
      else if (status[t] === 0) ub = Math.min(ub, g);
      else {
        nFree++;
        sumFree += g;
      }
    }
    // Every a_i at the upper bound (nu = 1) leaves ub infinite: libsvm's midpoint is then infinite and
    // scikit-learn refuses the fit; the KKT conditions hold for any rho >= lb, and the smallest is taken.
    const rho = nFree > 0 ? sumFree / nFree : ub === INF ? lb : lb === -INF ? ub : (ub + lb) / 2;

    let nSv = 0;
    for (let t = 0; t < l; t++) if (alpha[t]! > 0) nSv++;
    const sv = new Float64Array(nSv * d);
    const coef = new Float64Array(nSv);
    for (let t = 0, k = 0; t < l; t++) {
      if (!(alpha[t]! > 0)) continue;
      sv.set(data.subarray(t * d, (t + 1) * d), k * d);
      coef[k++] = alpha[t]!;
    }
    return new OneClassSvm({ nFeatures: d, gamma, nu, rho, sv, coef, iterations: iter, converged });
  }

  /** sum_i a_i K(sv_i, x) for the row at data[at .. at + d). */
  private kernelSum(data: ArrayLike<number>, at: number, rowIndex: number): number {
    const { sv, coef, svSq, gamma } = this;
    const d = this.nFeatures;
    let xx = 0;
    for (let k = 0; k < d; k++) {
      const v = data[at + k]!;
      if (!Number.isFinite(v)) throw new OcsvmError('non-finite-input', `row ${rowIndex}, feature ${k} is ${v}; values must be finite`);
      xx += v * v;
    }
    let s = 0;
    for (let i = 0, n = coef.length; i < n; i++) {
      const b = i * d;
      let dot = 0;
      for (let k = 0; k < d; k++) dot += sv[b + k]! * data[at + k]!;
      s += coef[i]! * Math.exp(-gamma * Math.max(0, svSq[i]! + xx - 2 * dot));
    }
    return s;
  }

  private each(x: MatrixInput, out: Float64Array | undefined, fn: (kernelSum: number) => number): Float64Array {
    const d = this.nFeatures;
    const rows = isMatrix(x) ? x.rows : x.length;
    if (isMatrix(x)) {
      if (x.cols !== d && rows > 0) throw new OcsvmError('feature-count-mismatch', `rows have ${x.cols} features, model ${d}`);
      if (x.data.length !== rows * x.cols) throw new OcsvmError('ragged-input', `matrix data has ${x.data.length} values, not ${rows}x${x.cols}`);
    } else {
      for (let i = 0; i < rows; i++) {
        if (x[i]!.length !== d) throw new OcsvmError('feature-count-mismatch', `row ${i} has ${x[i]!.length} features, model ${d}`);
      }
    }
    const res = out ?? new Float64Array(rows);
    if (res.length < rows) throw new OcsvmError('invalid-option', `out has ${res.length} slots for ${rows} rows`);
    if (isMatrix(x)) for (let i = 0; i < rows; i++) res[i] = fn(this.kernelSum(x.data, i * d, i));
    else for (let i = 0; i < rows; i++) res[i] = fn(this.kernelSum(x[i]!, 0, i));
    return res;
  }

  /** scikit-learn's decision_function: sum a_i K(sv_i, x) - rho; negative outside the support. */
  decisionFunction(x: MatrixInput, out?: Float64Array): Float64Array {
    return this.each(x, out, (s) => s - this.rho);
  }

  /** scikit-learn's score_samples: sum a_i K(sv_i, x); lower is more abnormal. */
  scoreSamples(x: MatrixInput, out?: Float64Array): Float64Array {
    return this.each(x, out, (s) => s);
  }

  /** decisionFunction of one row. */
  decision(row: ArrayLike<number>): number {
    if (row.length !== this.nFeatures) throw new OcsvmError('feature-count-mismatch', `row has ${row.length} features, model ${this.nFeatures}`);
    return this.kernelSum(row, 0, 0) - this.rho;
  }

  /** -1 where decisionFunction < 0 (outlier), else 1. */
  predict(x: MatrixInput): Int8Array {
    const df = this.decisionFunction(x);
    return Int8Array.from(df, (v) => (v < 0 ? -1 : 1));
  }

  toJSON(): OneClassSvmJSON {
    return {
      format: OCSVM_FORMAT,
      version: OCSVM_VERSION,
      kernel: 'rbf',
      nFeatures: this.nFeatures,
      gamma: this.gamma,
      nu: this.nu,
      rho: this.rho,
      supportVectors: Array.from(this.sv),
      coefficients: Array.from(this.coef),
      iterations: this.iterations,
      converged: this.converged,
    };
  }

  static fromJSON(json: unknown): OneClassSvm {
    const bad = (why: string): OcsvmError => new OcsvmError('invalid-model', why);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('model must be an object');
    const o = json as Record<string, unknown>;
    if (o['format'] !== OCSVM_FORMAT) throw new OcsvmError('unsupported-version', `format ${String(o['format'])}, expected ${OCSVM_FORMAT}`);
    if (o['version'] !== OCSVM_VERSION) throw new OcsvmError('unsupported-version', `version ${String(o['version'])}, this build reads ${OCSVM_VERSION}`);
    if (o['kernel'] !== 'rbf') throw bad(`kernel ${String(o['kernel'])} is not supported`);
    const num = (k: string, ok: (v: number) => boolean): number => {
      const v = o[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw bad(`${k} is out of range`);
      return v;
    };
    const nFeatures = num('nFeatures', (v) => Number.isInteger(v) && v >= 1);
    const gamma = num('gamma', (v) => v > 0);
    const nu = num('nu', (v) => v > 0 && v <= 1);
    const rho = num('rho', () => true);
    const iterations = num('iterations', (v) => Number.isInteger(v) && v >= 0);
    const converged = o['converged'];
    if (typeof converged !== 'boolean') throw bad('converged must be a boolean');
    const vec = (k: string, ok: (v: number) => boolean): Float64Array => {
      const a = o[k];
      if (!Array.isArray(a)) throw bad(`${k} must be an array`);
      const out = new Float64Array(a.length);
      a.forEach((v: unknown, i) => {
        if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw bad(`${k}[${i}] is out of range`);
        out[i] = v;
      });
      return out;
    };
    const coef = vec('coefficients', (v) => v > 0 && v <= 1);
    const sv = vec('supportVectors', () => true);
    if (coef.length === 0) throw bad('a model has at least one support vector');
    if (sv.length !== coef.length * nFeatures) throw bad(`supportVectors must hold ${coef.length} x ${nFeatures} values`);
    return new OneClassSvm({ nFeatures, gamma, nu, rho, sv, coef, iterations, converged });
  }
}

function resolveGamma(g: OneClassSvmOptions['gamma'], data: Float64Array, d: number): number {
  if (g === 'auto') return 1 / d;
  if (g === 'scale') {
    // numpy X.var(): population variance over every value.
    let mean = 0;
    for (let k = 0; k < data.length; k++) mean += data[k]!;
    mean /= data.length;
    let v = 0;
    for (let k = 0; k < data.length; k++) v += (data[k]! - mean) ** 2;
    v /= data.length;
    return v !== 0 ? 1 / (d * v) : 1;
  }
  if (typeof g === 'number' && g > 0 && Number.isFinite(g)) return g;
  throw new OcsvmError('invalid-option', `gamma must be 'scale', 'auto' or a positive number, got ${String(g)}`);
}
