/**
 * Isolation Forest (Liu, Ting & Zhou 2008), the algorithm scikit-learn's `IsolationForest` implements, with the
 * same parameters, scores and sign conventions, so a threshold tuned against scikit-learn carries over.
 *
 * Why it is written here: the npm registry has no maintained implementation. `ml-isolation-forest` (0.1.0, one
 * release) and `isolation-forest` (0.0.9, one release, TypeScript 3 era) both draw with `Math.random` (no seed),
 * grow every tree on the whole training set (no subsampling, so c(n) is taken over n rather than max_samples),
 * keep trees as object graphs and cannot be serialized. Neither matches the reference algorithm.
 *
 * The algorithm, as scikit-learn 1.9 does it (sklearn/ensemble/_iforest.py, sklearn/tree/_splitter.pyx):
 * - `nEstimators` trees (default 100), each grown on `maxSamples` rows drawn WITHOUT replacement
 *   ('auto' = min(256, n)); optionally on a subset of `maxFeatures` features drawn without replacement.
 * - A node splits on a feature drawn uniformly among the features that are not constant in that node
 *   (max - min > 1e-7, scikit-learn's FEATURE_THRESHOLD); the threshold is uniform in [min, max) of that feature
 *   over the node's rows; rows with x <= threshold go left. A node whose features are all constant (duplicate
 *   rows) is a leaf, as is a node with one row or at depth ceil(log2(max(maxSamples, 2))).
 * - h(x) in one tree = depth of the leaf x reaches + c(size of that leaf), where
 *   c(n) = 2 H(n-1) - 2 (n-1)/n, H(i) = ln(i) + Euler's constant, c(2) = 1, c(n <= 1) = 0.
 * - Anomaly score s(x) = 2^(-E[h(x)] / c(maxSamples)) in (0, 1]: near 1 anomalous, well below 0.5 normal.
 *   When c(maxSamples) = 0 (one training row) s = 0.5, as scikit-learn sets it.
 * - scoreSamples = -s (scikit-learn's score_samples: lower is more abnormal); decisionFunction = scoreSamples -
 *   offset, where offset = -0.5 for contamination 'auto', else the contamination-quantile of the training
 *   scoreSamples (numpy's linear percentile); predict = -1 where decisionFunction < 0, else 1.
 *
 * Differences, all deliberate: the random stream is ours (a seeded, injected `RandomSource`), so trees differ from
 * scikit-learn's for the same seed (test/integration/detectors-sklearn.test.ts checks rank agreement of scores);
 * values are kept as float64 (scikit-learn casts to float32); non-finite values are rejected (scikit-learn 1.9
 * routes NaN to a random side).
 *
 * Layout: every node of every tree in flat typed arrays (feature, threshold, left, right, size), each tree
 * breadth first with a node's two children side by side (right = left + 1), so a step down is
 * `left + (x > threshold)` with no branch to mispredict; leaves carry feature -1 and a precomputed
 * depth + c(size). Batches are scored tree by tree over blocks of 256 rows. Scoring allocates nothing when the
 * caller passes the output array.
 */

// ---------------------------------------------------------------------------------------------------------------
// Errors

export type IsolationForestErrorCode =
  | 'invalid-option' // an option is out of range or of the wrong type
  | 'empty-input' // no rows, or rows with no features
  | 'ragged-input' // rows of different lengths, or a matrix whose data does not match rows x cols
  | 'non-finite-input' // NaN or +-Infinity in the data
  | 'feature-count-mismatch' // scoring rows whose width differs from the training data
  | 'invalid-model' // a serialized model that fails validation
  | 'unsupported-version'; // a serialized model of another format or version

export class IsolationForestError extends Error {
  override readonly name = 'IsolationForestError';
  constructor(
    readonly code: IsolationForestErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Random numbers

/** A source of uniform doubles in [0, 1). Injected so fits are reproducible. */
export interface RandomSource {
  next(): number;
}

/**
 * A seeded generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter, passes PractRand and BigCrush) seeded
 * through splitmix32, giving 53-bit doubles. The same seed gives the same stream on every platform.
 */
export function seededRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = 1;
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  return {
    next(): number {
      // 27 + 26 bits, as Math.random implementations and numpy's random_sample do.
      return ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Input

/** A dense row-major matrix: row i is data[i*cols .. (i+1)*cols). */
export interface Matrix {
  readonly data: ArrayLike<number>;
  readonly rows: number;
  readonly cols: number;
}

/** Rows as arrays (number[][] or Float64Array[]), or a row-major matrix. */
export type MatrixInput = Matrix | readonly ArrayLike<number>[];

function isMatrix(x: MatrixInput): x is Matrix {
  return !Array.isArray(x);
}

/** Rows and columns of `x`, checked: non-empty and rectangular. */
function shapeOf(x: MatrixInput): { rows: number; cols: number } {
  if (isMatrix(x)) {
    if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.rows < 0 || x.cols < 0) {
      throw new IsolationForestError('ragged-input', `matrix shape ${x.rows}x${x.cols} is not a pair of counts`);
    }
    if (x.data.length !== x.rows * x.cols) {
      throw new IsolationForestError('ragged-input', `matrix data has ${x.data.length} values, not ${x.rows}x${x.cols}`);
    }
    return { rows: x.rows, cols: x.cols };
  }
  const rows = x.length;
  const cols = rows > 0 ? x[0]!.length : 0;
  for (let i = 1; i < rows; i++) {
    if (x[i]!.length !== cols) {
      throw new IsolationForestError('ragged-input', `row ${i} has ${x[i]!.length} values, row 0 has ${cols}`);
    }
  }
  return { rows, cols };
}

function nonFinite(row: number, col: number, v: number): IsolationForestError {
  return new IsolationForestError('non-finite-input', `row ${row}, feature ${col} is ${v}; values must be finite`);
}

// ---------------------------------------------------------------------------------------------------------------
// Options and the serialized form

export interface IsolationForestOptions {
  /** Number of trees. Default 100. */
  readonly nEstimators?: number;
  /** Rows per tree: 'auto' = min(256, n) (default), a count (capped at n), or a fraction of n in (0, 1]. */
  readonly maxSamples?: 'auto' | number | { readonly fraction: number };
  /** Features per tree: a count or a fraction in (0, 1] (at least one). Default: all. */
  readonly maxFeatures?: number | { readonly fraction: number };
  /**
   * Expected share of outliers in the training data, fixing the decisionFunction/predict threshold:
   * 'auto' (default) puts it at s = 0.5 (offset -0.5); a number in (0, 0.5] puts it at that quantile of the
   * training scores.
   */
  readonly contamination?: 'auto' | number;
  /** Random stream for subsampling and splits. Default seededRandom(0): fits are reproducible by default. */
  readonly random?: RandomSource;
}

export const ISOLATION_FOREST_FORMAT = 'vigil.isolation-forest';
export const ISOLATION_FOREST_VERSION = 1;

/** The serialized model (JSON-safe: numbers survive JSON.stringify/parse exactly). */
export interface IsolationForestJSON {
  readonly format: typeof ISOLATION_FOREST_FORMAT;
  readonly version: typeof ISOLATION_FOREST_VERSION;
  readonly nFeatures: number;
  readonly maxSamples: number;
  readonly contamination: 'auto' | number;
  readonly offset: number;
  /** Tree t owns nodes treeStart[t] .. treeStart[t+1]-1; its root is node treeStart[t]; a node's children
   *  follow it and sit side by side (right = left + 1). */
  readonly treeStart: number[];
  /** Per node: split feature (-1 for a leaf), threshold (0 for a leaf), children (global indices, -1 for a leaf),
   *  and the number of training rows that reached it. */
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly size: number[];
}

// ---------------------------------------------------------------------------------------------------------------
// The math

const EULER_GAMMA = 0.5772156649015329;

/** c(n): the average path length of an unsuccessful search in a binary search tree of n keys (scikit-learn's
 *  _average_path_length). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** numpy.percentile(values, q) with the default 'linear' method; `values` is sorted in place. */
function percentileLinear(values: Float64Array, q: number): number {
  values.sort();
  const h = (values.length - 1) * (q / 100);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, values.length - 1);
  const a = values[lo]!;
  return a + (h - lo) * (values[hi]! - a);
}

/** scikit-learn's FEATURE_THRESHOLD: a feature whose max - min is no more than this is constant in a node. */
const FEATURE_THRESHOLD = 1e-7;

function checkCount(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) {
    throw new IsolationForestError('invalid-option', `${name} must be an integer >= ${min}, got ${v}`);
  }
  return v;
}

function checkFraction(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) {
    throw new IsolationForestError('invalid-option', `${name}.fraction must be in (0, 1], got ${String(v)}`);
  }
  return v;
}

function resolveMaxSamples(opt: IsolationForestOptions['maxSamples'], n: number): number {
  if (opt === undefined || opt === 'auto') return Math.min(256, n);
  if (typeof opt === 'number') return Math.min(checkCount('maxSamples', opt, 1), n);
  if (typeof opt === 'object' && opt !== null) {
    // scikit-learn: int(max_samples * n_samples); at least one row.
    return Math.max(1, Math.floor(checkFraction('maxSamples', opt.fraction) * n));
  }
  throw new IsolationForestError('invalid-option', `maxSamples must be 'auto', a count or { fraction }`);
}

function resolveMaxFeatures(opt: IsolationForestOptions['maxFeatures'], d: number): number {
  if (opt === undefined) return d;
  if (typeof opt === 'number') return Math.min(checkCount('maxFeatures', opt, 1), d);
  if (typeof opt === 'object' && opt !== null) {
    return Math.max(1, Math.floor(checkFraction('maxFeatures', opt.fraction) * d));
  }
  throw new IsolationForestError('invalid-option', `maxFeatures must be a count or { fraction }`);
}

function checkContamination(c: unknown): 'auto' | number {
  if (c === undefined || c === 'auto') return 'auto';
  if (typeof c === 'number' && c > 0 && c <= 0.5) return c;
  throw new IsolationForestError('invalid-option', `contamination must be 'auto' or in (0, 0.5], got ${String(c)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The model

interface ForestParts {
  nFeatures: number;
  maxSamples: number;
  contamination: 'auto' | number;
  offset: number;
  treeStart: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  size: Int32Array;
}

export class IsolationForest {
  /** Width of the rows the model was trained on (and scores). */
  readonly nFeatures: number;
  /** Rows each tree was grown on (scikit-learn's max_samples_). */
  readonly maxSamples: number;
  readonly nEstimators: number;
  readonly contamination: 'auto' | number;
  /** decisionFunction = scoreSamples - offset (scikit-learn's offset_). */
  readonly offset: number;

  private readonly treeStart: Int32Array;
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly size: Int32Array;
  /** Leaves: depth + c(size); internal nodes: 0. */
  private readonly leafPath: Float64Array;
  /** nEstimators * c(maxSamples), the normalizer of the summed path lengths. */
  private readonly denominator: number;

  private constructor(m: ForestParts) {
    this.nFeatures = m.nFeatures;
    this.maxSamples = m.maxSamples;
    this.nEstimators = m.treeStart.length - 1;
    this.contamination = m.contamination;
    this.offset = m.offset;
    this.treeStart = m.treeStart;
    this.feature = m.feature;
    this.threshold = m.threshold;
    this.left = m.left;
    this.right = m.right;
    this.size = m.size;
    this.leafPath = leafPaths(m.treeStart, m.feature, m.left, m.right, m.size);
    this.denominator = this.nEstimators * averagePathLength(m.maxSamples);
  }

  /** Grows a forest on `x` (n rows of d finite features). */
  static fit(x: MatrixInput, options: IsolationForestOptions = {}): IsolationForest {
    const nEstimators = checkCount('nEstimators', options.nEstimators ?? 100, 1);
    const contamination = checkContamination(options.contamination);
    const random = options.random ?? seededRandom(0);
    if (typeof (random as Partial<RandomSource> | null)?.next !== 'function') throw new IsolationForestError('invalid-option', 'random must have next()');
    const { rows: n, cols: d } = shapeOf(x);
    if (n === 0 || d === 0) throw new IsolationForestError('empty-input', `cannot fit on ${n} rows of ${d} features`);
    const psi = resolveMaxSamples(options.maxSamples, n);
    const nFeat = resolveMaxFeatures(options.maxFeatures, d);
    const maxDepth = Math.ceil(Math.log2(Math.max(psi, 2)));

    // Column-major copy: a node scans one feature over its rows.
    const cols = new Float64Array(n * d);
    if (isMatrix(x)) {
      const data = x.data;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) {
          const v = data[i * d + j]!;
          if (!Number.isFinite(v)) throw nonFinite(i, j, v);
          cols[j * n + i] = v;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const row = x[i]!;
        for (let j = 0; j < d; j++) {
          const v = row[j]!;
          if (!Number.isFinite(v)) throw nonFinite(i, j, v);
          cols[j * n + i] = v;
        }
      }
    }

    // A tree of psi rows has at most 2 psi - 1 nodes.
    const cap = nEstimators * (2 * psi - 1);
    const feature = new Int32Array(cap);
    const threshold = new Float64Array(cap);
    const left = new Int32Array(cap);
    const right = new Int32Array(cap);
    const size = new Int32Array(cap);
    const treeStart = new Int32Array(nEstimators + 1);

    const perm = new Int32Array(n); // row permutation, partially reshuffled per tree
    for (let i = 0; i < n; i++) perm[i] = i;
    const featPerm = new Int32Array(d);
    for (let j = 0; j < d; j++) featPerm[j] = j;
    const idx = new Int32Array(psi); // this tree's rows, partitioned in place
    const treeFeatures = new Int32Array(nFeat);
    const candidates = new Int32Array(nFeat);
    // Per node of the tree being grown (index relative to its root): its rows idx[start, end) and depth.
    const nodeStart = new Int32Array(2 * psi);
    const nodeEnd = new Int32Array(2 * psi);
    const nodeDepth = new Int32Array(2 * psi);
    let nodes = 0;

    for (let t = 0; t < nEstimators; t++) {
      treeStart[t] = nodes;
      // Rows without replacement: partial Fisher-Yates (uniform psi-subset whatever perm's current order).
      for (let i = 0; i < psi; i++) {
        const j = i + Math.floor(random.next() * (n - i));
        const tmp = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = tmp;
        idx[i] = perm[i]!;
      }
      if (nFeat === d) {
        for (let j = 0; j < d; j++) treeFeatures[j] = j;
      } else {
        for (let k = 0; k < nFeat; k++) {
          const j = k + Math.floor(random.next() * (d - k));
          const tmp = featPerm[k]!;
          featPerm[k] = featPerm[j]!;
          featPerm[j] = tmp;
          treeFeatures[k] = featPerm[k]!;
        }
      }

      // Breadth first: a split allocates its two children next to each other (right = left + 1), in the order
      // nodes are then visited, so this loop walks the tree's nodes by index.
      const root = nodes;
      nodeStart[0] = 0;
      nodeEnd[0] = psi;
      nodeDepth[0] = 0;
      nodes++;
      for (let node = root; node < nodes; node++) {
        const start = nodeStart[node - root]!;
        const end = nodeEnd[node - root]!;
        const depth = nodeDepth[node - root]!;
        size[node] = end - start;
        feature[node] = -1;
        threshold[node] = 0;
        left[node] = -1;
        right[node] = -1;
        if (end - start < 2 || depth >= maxDepth) continue;

        // Feature: uniform among those not constant here (scikit-learn's RandomSplitter with max_features=1
        // draws without replacement until it meets a non-constant one).
        for (let k = 0; k < nFeat; k++) candidates[k] = treeFeatures[k]!;
        let remaining = nFeat;
        let f = -1;
        let lo = 0;
        let hi = 0;
        while (remaining > 0) {
          const k = Math.floor(random.next() * remaining);
          const cand = candidates[k]!;
          const base = cand * n;
          let mn = cols[base + idx[start]!]!;
          let mx = mn;
          for (let i = start + 1; i < end; i++) {
            const v = cols[base + idx[i]!]!;
            if (v < mn) mn = v;
            else if (v > mx) mx = v;
          }
          if (mx <= mn + FEATURE_THRESHOLD) {
            candidates[k] = candidates[--remaining]!;
            continue;
          }
          f = cand;
          lo = mn;
          hi = mx;
          break;
        }
        if (f < 0) continue; // every feature constant (duplicate rows): a leaf

        let thr = lo + random.next() * (hi - lo);
        if (thr >= hi) thr = lo; // rounding; scikit-learn does the same
        feature[node] = f;
        threshold[node] = thr;

        // Partition idx[start, end): x <= thr first.
        const base = f * n;
        let i = start;
        let j = end - 1;
        while (i <= j) {
          if (cols[base + idx[i]!]! <= thr) i++;
          else {
            const tmp = idx[i]!;
            idx[i] = idx[j]!;
            idx[j] = tmp;
            j--;
          }
        }
        const l = nodes;
        nodes += 2;
        left[node] = l;
        right[node] = l + 1;
        nodeStart[l - root] = start;
        nodeEnd[l - root] = i;
        nodeDepth[l - root] = depth + 1;
        nodeStart[l + 1 - root] = i;
        nodeEnd[l + 1 - root] = end;
        nodeDepth[l + 1 - root] = depth + 1;
      }
    }
    treeStart[nEstimators] = nodes;

    const forest = new IsolationForest({
      nFeatures: d,
      maxSamples: psi,
      contamination,
      offset: -0.5,
      treeStart,
      feature: feature.slice(0, nodes),
      threshold: threshold.slice(0, nodes),
      left: left.slice(0, nodes),
      right: right.slice(0, nodes),
      size: size.slice(0, nodes),
    });
    if (contamination === 'auto') return forest;
    const train = forest.scoreSamples(x);
    return forest.withOffset(percentileLinear(train, 100 * contamination));
  }

  private withOffset(offset: number): IsolationForest {
    return new IsolationForest({ ...this.parts(), offset });
  }

  private parts(): ForestParts {
    return {
      nFeatures: this.nFeatures,
      maxSamples: this.maxSamples,
      contamination: this.contamination,
      offset: this.offset,
      treeStart: this.treeStart,
      feature: this.feature,
      threshold: this.threshold,
      left: this.left,
      right: this.right,
      size: this.size,
    };
  }

  private checkFinite(data: ArrayLike<number>, at: number, rowIndex: number): void {
    for (let j = 0, d = this.nFeatures; j < d; j++) {
      const v = data[at + j]!;
      if (!Number.isFinite(v)) throw nonFinite(rowIndex, j, v);
    }
  }

  /** Sum over trees of depth + c(leaf size) for the row at data[at .. at + nFeatures). */
  private pathSum(data: ArrayLike<number>, at: number, rowIndex: number): number {
    const { feature, threshold, left, leafPath, treeStart } = this;
    this.checkFinite(data, at, rowIndex);
    let sum = 0;
    for (let t = 0, nt = this.nEstimators; t < nt; t++) {
      let node = treeStart[t]!;
      let f = feature[node]!;
      while (f >= 0) {
        // x <= threshold goes left; the right child is left + 1.
        node = left[node]! + (data[at + f]! > threshold[node]! ? 1 : 0);
        f = feature[node]!;
      }
      sum += leafPath[node]!;
    }
    return sum;
  }

  /**
   * pathSum of every row into res, tree by tree over blocks of rows: a tree's nodes stay in cache while a block
   * of rows goes through it, and the rows' walks are independent work the CPU can overlap.
   */
  private pathSums(x: MatrixInput, res: Float64Array): void {
    const { feature, threshold, left, leafPath, treeStart } = this;
    const d = this.nFeatures;
    const nt = this.nEstimators;
    const m = isMatrix(x);
    const rows = m ? x.rows : x.length;
    if (m) for (let i = 0; i < rows; i++) this.checkFinite(x.data, i * d, i);
    else for (let i = 0; i < rows; i++) this.checkFinite(x[i]!, 0, i);
    const BLOCK = 256;
    for (let b = 0; b < rows; b += BLOCK) {
      const e = Math.min(rows, b + BLOCK);
      res.fill(0, b, e);
      for (let t = 0; t < nt; t++) {
        const root = treeStart[t]!;
        for (let i = b; i < e; i++) {
          const data = m ? x.data : x[i]!;
          const at = m ? i * d : 0;
          let node = root;
          let f = feature[node]!;
          while (f >= 0) {
            node = left[node]! + (data[at + f]! > threshold[node]! ? 1 : 0);
            f = feature[node]!;
          }
          res[i] = res[i]! + leafPath[node]!;
        }
      }
    }
  }

  /** s(x) from the summed path length. */
  private score(pathSum: number): number {
    return this.denominator === 0 ? 0.5 : Math.pow(2, -pathSum / this.denominator);
  }

  /** The anomaly score s(x) = 2^(-E[h(x)]/c(maxSamples)) in (0, 1] of one row; higher is more anomalous. */
  anomalyScore(row: ArrayLike<number>): number {
    if (row.length !== this.nFeatures) {
      throw new IsolationForestError('feature-count-mismatch', `row has ${row.length} features, model ${this.nFeatures}`);
    }
    return this.score(this.pathSum(row, 0, 0));
  }

  /** s(x) for each row, into `out` when given (no allocation). */
  anomalyScores(x: MatrixInput, out?: Float64Array): Float64Array {
    const res = this.output(x, out);
    this.pathSums(x, res);
    const rows = isMatrix(x) ? x.rows : x.length;
    for (let i = 0; i < rows; i++) res[i] = this.score(res[i]!);
    return res;
  }

  /** scikit-learn's score_samples: -s(x); lower is more abnormal. */
  scoreSamples(x: MatrixInput, out?: Float64Array): Float64Array {
    const res = this.anomalyScores(x, out);
    for (let i = 0, rows = isMatrix(x) ? x.rows : x.length; i < rows; i++) res[i] = -res[i]!;
    return res;
  }

  /** scikit-learn's decision_function: scoreSamples - offset; negative for outliers. */
  decisionFunction(x: MatrixInput, out?: Float64Array): Float64Array {
    const res = this.anomalyScores(x, out);
    for (let i = 0, rows = isMatrix(x) ? x.rows : x.length; i < rows; i++) res[i] = -res[i]! - this.offset;
    return res;
  }

  /** scikit-learn's predict: -1 for outliers (decisionFunction < 0), 1 for inliers. */
  predict(x: MatrixInput, out?: Int8Array): Int8Array {
    const rows = this.checkWidth(x);
    const res = out ?? new Int8Array(rows);
    if (res.length < rows) throw new IsolationForestError('invalid-option', `out has ${res.length} slots for ${rows} rows`);
    const d = this.nFeatures;
    for (let i = 0; i < rows; i++) {
      const s = isMatrix(x) ? this.score(this.pathSum(x.data, i * d, i)) : this.score(this.pathSum(x[i]!, 0, i));
      res[i] = -s - this.offset < 0 ? -1 : 1;
    }
    return res;
  }

  /** Rows in `x`, after checking they are as wide as the training data. */
  private checkWidth(x: MatrixInput): number {
    const { rows, cols } = shapeOf(x);
    if (rows > 0 && cols !== this.nFeatures) {
      throw new IsolationForestError('feature-count-mismatch', `rows have ${cols} features, model ${this.nFeatures}`);
    }
    return rows;
  }

  private output(x: MatrixInput, out: Float64Array | undefined): Float64Array {
    const rows = this.checkWidth(x);
    if (out === undefined) return new Float64Array(rows);
    if (out.length < rows) throw new IsolationForestError('invalid-option', `out has ${out.length} slots for ${rows} rows`);
    return out;
  }

  /** Number of nodes over all trees. */
  get nodeCount(): number {
    return this.feature.length;
  }

  toJSON(): IsolationForestJSON {
    return {
      format: ISOLATION_FOREST_FORMAT,
      version: ISOLATION_FOREST_VERSION,
      nFeatures: this.nFeatures,
      maxSamples: this.maxSamples,
      contamination: this.contamination,
      offset: this.offset,
      treeStart: Array.from(this.treeStart),
      feature: Array.from(this.feature),
      threshold: Array.from(this.threshold),
      left: Array.from(this.left),
      right: Array.from(this.right),
      size: Array.from(this.size),
    };
  }

  /** Loads a model from toJSON's output (or its JSON.parse), checking every field and every tree's shape. */
  static fromJSON(json: unknown): IsolationForest {
    const bad = (why: string): IsolationForestError => new IsolationForestError('invalid-model', why);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('model must be an object');
    const o = json as Record<string, unknown>;
    if (o['format'] !== ISOLATION_FOREST_FORMAT) {
      throw new IsolationForestError('unsupported-version', `format ${String(o['format'])}, expected ${ISOLATION_FOREST_FORMAT}`);
    }
    if (o['version'] !== ISOLATION_FOREST_VERSION) {
      throw new IsolationForestError('unsupported-version', `version ${String(o['version'])}, this build reads ${ISOLATION_FOREST_VERSION}`);
    }
    const int = (k: string, min: number): number => {
      const v = o[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(`${k} must be an integer >= ${min}`);
      return v;
    };
    const nFeatures = int('nFeatures', 1);
    const maxSamples = int('maxSamples', 1);
    let contamination: 'auto' | number;
    try {
      contamination = checkContamination(o['contamination']);
    } catch {
      throw bad(`contamination must be 'auto' or in (0, 0.5]`);
    }
    const offset = o['offset'];
    if (typeof offset !== 'number' || !Number.isFinite(offset)) throw bad('offset must be a finite number');
    const arr = (k: string): unknown[] => {
      const v = o[k];
      if (!Array.isArray(v)) throw bad(`${k} must be an array`);
      return v;
    };
    const ints = (k: string): Int32Array => {
      const v = arr(k);
      const a = new Int32Array(v.length);
      v.forEach((x, i) => {
        if (typeof x !== 'number' || !Number.isInteger(x) || x < -1 || x > 0x7fffffff) throw bad(`${k}[${i}] is not a node integer`);
        a[i] = x;
      });
      return a;
    };
    const treeStart = ints('treeStart');
    const feature = ints('feature');
    const left = ints('left');
    const right = ints('right');
    const size = ints('size');
    const thrRaw = arr('threshold');
    const threshold = new Float64Array(thrRaw.length);
    thrRaw.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw bad(`threshold[${i}] is not a finite number`);
      threshold[i] = x;
    });
    const nodes = feature.length;
    if (threshold.length !== nodes || left.length !== nodes || right.length !== nodes || size.length !== nodes) {
      throw bad('feature, threshold, left, right and size must have one entry per node');
    }
    if (treeStart.length < 2) throw bad('treeStart must list at least one tree');
    if (treeStart[0] !== 0 || treeStart[treeStart.length - 1] !== nodes) throw bad('treeStart must run from 0 to the node count');
    const parents = new Int32Array(nodes);
    for (let t = 0; t + 1 < treeStart.length; t++) {
      const a = treeStart[t]!;
      const b = treeStart[t + 1]!;
      if (b <= a) throw bad(`tree ${t} has no nodes`);
      if (size[a] !== maxSamples) throw bad(`tree ${t} root holds ${size[a]} rows, not maxSamples ${maxSamples}`);
      for (let i = a; i < b; i++) {
        const f = feature[i]!;
        if (size[i]! < 1) throw bad(`node ${i} has size ${size[i]}`);
        if (f === -1) {
          if (left[i] !== -1 || right[i] !== -1) throw bad(`leaf ${i} has children`);
          continue;
        }
        if (f < 0 || f >= nFeatures) throw bad(`node ${i} splits on feature ${f}, model has ${nFeatures}`);
        const l = left[i]!;
        const r = right[i]!;
        // Children follow their parent inside the same tree (no cycles, no sharing across trees), side by side.
        if (l <= i || r !== l + 1 || r >= b) throw bad(`node ${i} has children ${l}, ${r}: not adjacent, after it, in its tree`);
        if (size[l]! + size[r]! !== size[i]) throw bad(`node ${i}: children sizes do not add up`);
        parents[l]!++;
        parents[r]!++;
      }
      if (parents[a] !== 0) throw bad(`tree ${t}: the root is someone's child`);
      for (let i = a + 1; i < b; i++) if (parents[i] !== 1) throw bad(`node ${i} has ${parents[i]} parents`);
    }
    return new IsolationForest({ nFeatures, maxSamples, contamination, offset, treeStart, feature, threshold, left, right, size });
  }
}

/** depth + c(size) at each leaf, walking each tree from its root (children always follow their parent). */
function leafPaths(treeStart: Int32Array, feature: Int32Array, left: Int32Array, right: Int32Array, size: Int32Array): Float64Array {
  const n = feature.length;
  const depth = new Int32Array(n);
  const out = new Float64Array(n);
  for (let t = 0; t + 1 < treeStart.length; t++) {
    const a = treeStart[t]!;
    const b = treeStart[t + 1]!;
    depth[a] = 0;
    for (let i = a; i < b; i++) {
      if (feature[i]! >= 0) {
        depth[left[i]!] = depth[i]! + 1;
        depth[right[i]!] = depth[i]! + 1;
      } else {
        out[i] = depth[i]! + averagePathLength(size[i]!);
      }
    }
  }
  return out;
}
