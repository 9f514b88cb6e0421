/** Timing helpers shared by the benchmarks. */

/** Runs `fn` once to warm up, then repeatedly for at least `minMs`; returns the runs and elapsed ms. */
export function timeIt(fn: () => void, minMs = 1000): { runs: number; ms: number } {
  fn();
  let runs = 0;
  const t0 = performance.now();
  let ms = 0;
  while (ms < minMs) {
    fn();
    runs++;
    ms = performance.now() - t0;
  }
  return { runs, ms };
}

/** The `p`-th percentile (0..100) of `xs` (nearest rank; `xs` is not modified). */
export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
