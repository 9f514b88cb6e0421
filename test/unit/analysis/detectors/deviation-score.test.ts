import { BaselineStore, type BaselineDeviation } from '../../../../src/analysis/detectors/baseline.js';
import {
  DeviationScoreError,
  DeviationScorer,
  SEED_001_WEIGHTS,
  toAnomalyScore,
} from '../../../../src/analysis/detectors/deviation-score.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeviationScoreError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
}

/** A warm baseline deviation with the given (value, mean, std) per feature; z unfloored. */
function dev(features: Record<string, [number, number, number]>): BaselineDeviation {
  return {
    key: '10.0.0.1|10.0.0.2|6',
    warm: true,
    source: 'global',
    bucket: null,
    samples: 100,
    features: Object.entries(features).map(([name, [value, mean, std]]) => ({ name, value, mean, std, deviation: value - mean, z: (value - mean) / std })),
  };
}

/** Seed 001's pseudocode, transcribed line by line. */
function seedPseudocode(
  flow: { inter_packet_arrival_time: number; packet_size: number; flow_duration: number },
  baseline: { inter_packet_arrival_time: number; packet_size: number; flow_duration: number },
  anomalyThreshold: number,
): { deviation_score: number; anomalous: boolean } {
  let deviation_score = 0;
  deviation_score += Math.abs(flow.inter_packet_arrival_time - baseline.inter_packet_arrival_time);
  deviation_score += Math.abs(flow.packet_size - baseline.packet_size);
  deviation_score += Math.abs(flow.flow_duration - baseline.flow_duration);
  deviation_score *= 0.3 + 0.4 + 0.3;
  return { deviation_score, anomalous: deviation_score > anomalyThreshold };
}

describe('seed 001 weighted deviation score', () => {
  it('has the seed weights: inter-packet arrival 0.3, packet size 0.4, flow duration 0.3', () => {
    expect(SEED_001_WEIGHTS).toEqual({ interPacketArrivalTime: 0.3, packetSize: 0.4, flowDuration: 0.3 });
    const s = new DeviationScorer();
    expect(s.deviation).toBe('z');
    expect(s.combine).toBe('weighted');
    expect(s.threshold).toBe(3);
  });

  it('default: sum of weight x |z| (hand-computed)', () => {
    const d = dev({ interPacketArrivalTime: [0.03, 0.01, 0.01], packetSize: [200, 1000, 200], flowDuration: [13, 10, 3] });
    // |z| = 2, 4, 1 -> 0.3*2 + 0.4*4 + 0.3*1 = 2.5
    const r = new DeviationScorer().score(d);
    if (!r.warm) throw new Error('expected a score');
    expect(r.score).toBeCloseTo(2.5, 12);
    expect(r.anomalous).toBe(false);
    expect(r.anomalyScore).toBeCloseTo(1 - Math.pow(2, -2.5 / 3), 12);
    expect(r.contributions.map((c) => [c.name, c.weight, +c.deviation.toFixed(9), +c.contribution.toFixed(9)])).toEqual([
      ['interPacketArrivalTime', 0.3, 2, 0.6],
      ['packetSize', 0.4, 4, 1.6],
      ['flowDuration', 0.3, 1, 0.3],
    ]);
    const hot = new DeviationScorer().score(dev({ interPacketArrivalTime: [0.05, 0.01, 0.01], packetSize: [3000, 1000, 200], flowDuration: [40, 10, 3] }));
    // 0.3*4 + 0.4*10 + 0.3*10 = 8.2
    expect(hot.warm && hot.score).toBeCloseTo(8.2, 12);
    expect(hot.warm && hot.anomalous).toBe(true);
  });

  it("'seed-literal' with 'absolute' deviations is the pseudocode, bit for bit", () => {
    const scorer = new DeviationScorer({ deviation: 'absolute', combine: 'seed-literal', threshold: 250 });
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 1000; i++) {
      const flow = { inter_packet_arrival_time: rnd() * 0.5, packet_size: 40 + rnd() * 1460, flow_duration: rnd() * 120 };
      const base = { inter_packet_arrival_time: rnd() * 0.5, packet_size: 40 + rnd() * 1460, flow_duration: rnd() * 120 };
      const want = seedPseudocode(flow, base, 250);
      const got = scorer.score(
        dev({
          interPacketArrivalTime: [flow.inter_packet_arrival_time, base.inter_packet_arrival_time, 1],
          packetSize: [flow.packet_size, base.packet_size, 1],
          flowDuration: [flow.flow_duration, base.flow_duration, 1],
        }),
      );
      if (!got.warm) throw new Error('expected a score');
      expect(got.score).toBe(want.deviation_score);
      expect(got.anomalous).toBe(want.anomalous);
    }
  });

  it("'weighted' with 'absolute' deviations weighs each metric (what the pseudocode's comment intends)", () => {
    const r = new DeviationScorer({ deviation: 'absolute', threshold: 100 }).score(
      dev({ interPacketArrivalTime: [1, 0, 1], packetSize: [600, 500, 1], flowDuration: [30, 10, 1] }),
    );
    // 0.3*1 + 0.4*100 + 0.3*20 = 46.3
    expect(r.warm && r.score).toBeCloseTo(46.3, 12);
  });

  it('maps to the [0, 1] anomaly score: 0 at no deviation, 0.5 exactly at the threshold', () => {
    expect(toAnomalyScore(0, 3)).toBe(0);
    expect(toAnomalyScore(3, 3)).toBe(0.5);
    expect(toAnomalyScore(6, 3)).toBe(0.75);
    expect(toAnomalyScore(9, 3)).toBe(0.875);
    expect(toAnomalyScore(1e6, 3)).toBe(1);
    // Strictly greater than the threshold is anomalous, as the seed has it.
    const at = new DeviationScorer({ weights: { x: 1 }, threshold: 2 }).score(dev({ x: [2, 0, 1] }));
    expect(at.warm && at.score).toBe(2);
    expect(at.warm && at.anomalous).toBe(false);
    expect(at.warm && at.anomalyScore).toBe(0.5);
  });

  it('takes any weights; unweighted baseline features are ignored', () => {
    const r = new DeviationScorer({ weights: { bytes: 2, synRatio: 0.5 } }).score(dev({ bytes: [10, 0, 5], synRatio: [0, 0.5, 0.25], other: [1e9, 0, 1] }));
    // 2*2 + 0.5*2 = 5
    expect(r.warm && r.score).toBeCloseTo(5, 12);
    expect(r.warm && r.contributions.map((c) => c.name)).toEqual(['bytes', 'synRatio']);
  });

  it('does not score a cold baseline', () => {
    expect(new DeviationScorer().score({ key: 'k', warm: false, source: 'none', bucket: null, samples: 0, features: [] })).toEqual({ warm: false, key: 'k' });
  });

  it('rejects bad options and features the baseline lacks', () => {
    expect(codeOf(() => new DeviationScorer({ weights: {} }))).toBe('invalid-option');
    expect(codeOf(() => new DeviationScorer({ weights: { a: -1 } }))).toBe('invalid-option');
    expect(codeOf(() => new DeviationScorer({ weights: { a: NaN } }))).toBe('invalid-option');
    expect(codeOf(() => new DeviationScorer({ weights: { a: 0 } }))).toBe('invalid-option');
    expect(codeOf(() => new DeviationScorer({ threshold: 0 }))).toBe('invalid-option');
    expect(codeOf(() => new DeviationScorer({ deviation: 'relative' as 'z' }))).toBe('invalid-option');
    expect(codeOf(() => new DeviationScorer().score(dev({ packetSize: [1, 1, 1] })))).toBe('unknown-feature');
  });

  it('end to end with a learned baseline: an exfiltration-like flow (long, full-size packets) stands out', () => {
    const features = ['interPacketArrivalTime', 'packetSize', 'flowDuration'];
    const store = new BaselineStore({ features, alpha: 0.05, minSamples: 30 });
    const scorer = new DeviationScorer();
    let seed = 3;
    const rnd = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const t0 = Date.UTC(2024, 4, 1);
    const scores: number[] = [];
    for (let i = 0; i < 200; i++) {
      const r = scorer.score(store.observe('10.0.0.5', [0.02 + 0.01 * rnd(), 400 + 200 * rnd(), 5 + 2 * rnd()], t0 + i * 1000));
      if (i < 30) expect(r.warm).toBe(false);
      else if (r.warm) scores.push(r.score);
    }
    expect(Math.max(...scores)).toBeLessThan(3);
    const r = scorer.score(store.score('10.0.0.5', [0.025, 1500, 300], t0 + 201_000));
    if (!r.warm) throw new Error('expected a score');
    expect(r.anomalous).toBe(true);
    expect(r.anomalyScore).toBeGreaterThan(0.99);
    const top = [...r.contributions].sort((a, b) => b.contribution - a.contribution)[0]!;
    expect(top.name).toBe('flowDuration');
    expect(r.contributions.find((c) => c.name === 'packetSize')!.deviation).toBeGreaterThan(3);
  });
});
