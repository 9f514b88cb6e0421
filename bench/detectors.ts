/**
 * Detector model benchmarks (figures printed, never asserted):
 *   1. IsolationForest.fit on 10k x 10 (100 trees, max_samples 256), median of 7 fits
 *   2. IsolationForest scoring: rows/s over a 10k x 10 matrix into a reused output (and its allocations:
 *      heap growth and GC runs over 2M rows), and per-row anomalyScore(row)
 *   3. BaselineStore.observe + DeviationScorer.score: samples/s over 1000 keys
 *   4. OneClassSvm.fit on 2k x 10 (nu 0.1, gamma 'scale') and decision rows/s
 * Run: npx tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/detectors.js
 */
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { IsolationForest, seededRandom, type RandomSource } from '../src/analysis/detectors/isolation-forest.js';
import { BaselineStore } from '../src/analysis/detectors/baseline.js';
import { DeviationScorer } from '../src/analysis/detectors/deviation-score.js';
import { OneClassSvm } from '../src/analysis/detectors/ocsvm.js';
import { pct } from './timing.js';

function gauss(r: RandomSource): number {
  const u = 1 - r.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
}

function matrix(seed: number, rows: number, cols: number): { data: Float64Array; rows: number; cols: number } {
  const r = seededRandom(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = gauss(r);
  // 1% outliers
  for (let i = 0; i < rows; i += 100) for (let j = 0; j < cols; j++) data[i * cols + j] = 8 * (r.next() - 0.5) * 2;
  return { data, rows, cols };
}

function line(label: string, value: string): void {
  console.log(`${label.padEnd(58)} ${value}`);
}

async function main(): Promise<void> {
  const x = matrix(1, 10_000, 10);

  // 1. fit
  const fits: number[] = [];
  let forest = IsolationForest.fit(x, { random: seededRandom(0) }); // warm-up
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    forest = IsolationForest.fit(x, { random: seededRandom(k) });
    fits.push(performance.now() - t0);
  }
  line('IsolationForest.fit 10k x 10 (100 trees, psi 256)', `median ${pct(fits, 50).toFixed(1)} ms, max ${Math.max(...fits).toFixed(1)} ms (${forest.nodeCount} nodes)`);
  const json = JSON.stringify(forest);
  const t0j = performance.now();
  IsolationForest.fromJSON(JSON.parse(json));
  line('IsolationForest toJSON size / fromJSON(parse)', `${(json.length / 1024).toFixed(0)} KiB / ${(performance.now() - t0j).toFixed(1)} ms`);

  // 2. scoring
  const out = new Float64Array(x.rows);
  forest.anomalyScores(x, out); // warm-up
  let passes = 0;
  let t0 = performance.now();
  while (performance.now() - t0 < 2000) {
    forest.anomalyScores(x, out);
    passes++;
  }
  let s = (performance.now() - t0) / 1000;
  line('IsolationForest.anomalyScores (matrix, reused output)', `${((passes * x.rows) / s / 1e3).toFixed(0)} k rows/s`);

  // Scavenges (minor GCs) are what allocation in the loop would cause; the explicit gc() and the memory
  // reducer's timed full GCs are not counted.
  let gcs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) gcs++;
  });
  obs.observe({ entryTypes: ['gc'] });
  // A first window (discarded) lets the JIT's late work and the memory reducer run before the measured one.
  for (let k = 0; k < 200; k++) forest.anomalyScores(x, out);
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 50));
  gcs = 0;
  const heap0 = process.memoryUsage().heapUsed;
  const allocRows = 200 * x.rows;
  for (let k = 0; k < 200; k++) forest.anomalyScores(x, out);
  const heap1 = process.memoryUsage().heapUsed;
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  // A boxed number per row would be 16 B/row, an object 32+ B/row; JIT and timer noise is a few hundred KiB.
  line(
    `  allocations over ${allocRows / 1e6}M rows`,
    `heap ${heap1 - heap0 >= 0 ? '+' : ''}${((heap1 - heap0) / 1024).toFixed(1)} KiB (${((heap1 - heap0) / allocRows).toFixed(2)} B/row), ${gcs} scavenge(s)`,
  );

  const rows = Array.from({ length: 1000 }, (_, i) => x.data.subarray(i * 10, i * 10 + 10));
  let sink = 0;
  passes = 0;
  t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    for (const row of rows) sink += forest.anomalyScore(row);
    passes++;
  }
  s = (performance.now() - t0) / 1000;
  line('IsolationForest.anomalyScore(row)', `${((passes * rows.length) / s / 1e3).toFixed(0)} k rows/s`);

  // 3. baseline + weighted deviation score
  const features = ['interPacketArrivalTime', 'packetSize', 'flowDuration'];
  const store = new BaselineStore({ features, seasonality: 'hour-of-day', minSamples: 30 });
  const scorer = new DeviationScorer();
  const r = seededRandom(5);
  const samples = Array.from({ length: 4096 }, () => Float64Array.of(0.02 + 0.01 * r.next(), 400 + 200 * r.next(), 5 + 2 * r.next()));
  const keys = Array.from({ length: 1000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
  const n = 1_000_000;
  const T = Date.UTC(2024, 0, 1);
  t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const res = scorer.score(store.observe(keys[i % 1000]!, samples[i & 4095]!, T + i * 10));
    if (res.warm) sink += res.score;
  }
  s = (performance.now() - t0) / 1000;
  line('BaselineStore.observe + DeviationScorer.score (1000 keys)', `${(n / s / 1e3).toFixed(0)} k samples/s`);

  // 4. One-Class SVM
  const xs = matrix(2, 2000, 10);
  t0 = performance.now();
  const svm = OneClassSvm.fit(xs, { nu: 0.1 });
  const fitMs = performance.now() - t0;
  line('OneClassSvm.fit 2k x 10 (nu 0.1, gamma scale)', `${fitMs.toFixed(0)} ms, ${svm.iterations} iterations, ${svm.supportCount} support vectors`);
  const outS = new Float64Array(xs.rows);
  t0 = performance.now();
  svm.decisionFunction(xs, outS);
  s = (performance.now() - t0) / 1000;
  line('OneClassSvm.decisionFunction', `${(xs.rows / s / 1e3).toFixed(1)} k rows/s (${svm.supportCount} SVs x 10 features)`);

  if (sink === 0.5) console.log(sink);
}

await main();
