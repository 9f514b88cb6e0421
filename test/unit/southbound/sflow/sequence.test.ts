import fc from 'fast-check';
import { SeqStep, SequenceCounter, classifyStep, resolveSequenceOptions } from '../../../../src/southbound/sflow/sequence.js';

const o = resolveSequenceOptions({ reorderWindow: 100, maxGap: 10_000 });

describe('classifyStep', () => {
  it.each([
    [5, 6, SeqStep.NEXT],
    [5, 5, SeqStep.DUPLICATE],
    [5, 9, SeqStep.GAP],
    [5, 10_005, SeqStep.GAP],
    [5, 10_006, SeqStep.RESTART],
    [500, 400, SeqStep.LATE],
    [500, 399, SeqStep.RESTART],
    [500, 1, SeqStep.RESTART],
    [0xffffffff, 0, SeqStep.NEXT],
    [0xfffffffe, 3, SeqStep.GAP],
    [2, 0xffffffff, SeqStep.LATE],
  ])('%d -> %d', (last, seq, step) => {
    expect(classifyStep(last, seq, o)).toBe(step);
  });

  it('rejects options outside 0..2^31-1', () => {
    expect(() => resolveSequenceOptions({ maxGap: -1 })).toThrow(RangeError);
    expect(() => resolveSequenceOptions({ reorderWindow: 2 ** 31 })).toThrow(RangeError);
    expect(() => resolveSequenceOptions({ uptimeToleranceMs: 1.5 })).toThrow(RangeError);
  });
});

describe('SequenceCounter', () => {
  it('counts gaps, late and duplicate arrivals and restarts', () => {
    const narrow = resolveSequenceOptions({ reorderWindow: 4 });
    const c = new SequenceCounter();
    for (const s of [10, 11, 12, 15, 16, 13, 16, 17]) c.observe(s, narrow);
    expect(c).toMatchObject({ received: 8, lost: 1, missed: 2, late: 1, duplicates: 1, restarts: 0, last: 17 });
    c.observe(1, narrow);
    expect(c).toMatchObject({ restarts: 1, last: 1, lost: 1 });
    c.observe(2, o, true);
    expect(c.restarts).toBe(2);
    c.resync();
    expect(c.observe(1000, o)).toBe(SeqStep.FIRST);
    expect(c.lost).toBe(1);
  });

  it('never lets a late arrival take the net loss below zero', () => {
    const c = new SequenceCounter();
    for (const s of [5, 4, 3, 6]) c.observe(s, o);
    expect(c).toMatchObject({ lost: 0, late: 2 });
  });

  const u32 = fc.integer({ min: 0, max: 0xffffffff });

  it('property: the net loss of an in-order stream is the number of interior datagrams dropped (across the 2^32 wrap)', () => {
    fc.assert(
      fc.property(u32, fc.array(fc.boolean(), { minLength: 1, maxLength: 300 }), (start, keep) => {
        const c = new SequenceCounter();
        const kept: number[] = [];
        keep.forEach((k, i) => {
          if (k || i === 0) kept.push((start + i) >>> 0);
        });
        for (const s of kept) c.observe(s, o);
        const span = keep.length - [...keep].reverse().findIndex((k, i) => k || i === keep.length - 1);
        expect(c.lost).toBe(span - kept.length);
        expect(c.missed).toBe(c.lost);
        expect(c.received).toBe(kept.length);
        expect(c.late + c.duplicates + c.restarts).toBe(0);
      }),
    );
  });

  it('property: swapping neighbours (after the first) does not change the net loss', () => {
    fc.assert(
      fc.property(u32, fc.array(fc.boolean(), { minLength: 2, maxLength: 300 }), fc.array(fc.nat(), { maxLength: 50 }), (start, keep, swaps) => {
        const kept: number[] = [];
        keep.forEach((k, i) => {
          if (k || i === 0 || i === keep.length - 1) kept.push((start + i) >>> 0);
        });
        const wide = resolveSequenceOptions({ reorderWindow: 10_000, maxGap: 10_000 });
        const inOrder = new SequenceCounter();
        for (const s of kept) inOrder.observe(s, wide);
        const shuffled = kept.slice();
        for (const w of swaps) {
          if (shuffled.length < 3) break;
          const i = 1 + (w % (shuffled.length - 2));
          [shuffled[i], shuffled[i + 1]] = [shuffled[i + 1]!, shuffled[i]!];
        }
        const c = new SequenceCounter();
        for (const s of shuffled) c.observe(s, wide);
        expect(c.lost).toBe(inOrder.lost);
        expect(c.restarts).toBe(0);
        expect(c.received).toBe(kept.length);
      }),
    );
  });

  it('property: any stream of u32 values keeps every count a non-negative integer', () => {
    fc.assert(
      fc.property(fc.array(u32, { maxLength: 200 }), (seqs) => {
        const c = new SequenceCounter();
        for (const s of seqs) c.observe(s, o);
        for (const v of [c.lost, c.missed, c.late, c.duplicates, c.restarts]) {
          expect(Number.isInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
        }
        expect(c.received).toBe(seqs.length);
        expect(c.lost).toBeLessThanOrEqual(c.missed);
      }),
    );
  });
});
