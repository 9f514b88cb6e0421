/**
 * Properties of the Reassembler:
 *  - any payload cut into any 8-byte-aligned fragments, pushed in any order, comes back byte for byte
 *    (IPv4 and IPv6, every policy, both hold modes), with nothing left held;
 *  - with overlapping fragments, 'first' and 'last' agree with a direct per-byte model (the earliest /
 *    latest fragment covering a byte owns it), and under every policy each reassembled byte is a byte of some
 *    fragment covering it;
 *  - arbitrary or mutated frames never throw and never leave the caps.
 */
import fc from 'fast-check';
import { OVERLAP_POLICIES, Reassembler, type OverlapPolicy } from '../../../../src/analysis/reassembly/index.js';
import { ipv4Fragment, ipv6Fragment } from './helpers.js';

/** A payload, cut points (multiples of 8) and an arrival order. */
const fragmented = fc
  .record({
    payload: fc.uint8Array({ minLength: 1, maxLength: 4000 }),
    cuts: fc.array(fc.nat(500), { maxLength: 40 }),
    order: fc.array(fc.nat(), { maxLength: 64 }),
  })
  .map(({ payload, cuts, order }) => {
    const points = [...new Set(cuts.map((c) => c * 8).filter((c) => c > 0 && c < payload.length))].sort((a, b) => a - b);
    const bounds = [0, ...points, payload.length];
    const parts = bounds.slice(0, -1).map((start, i) => ({ offset: start, more: i < bounds.length - 2, data: payload.subarray(start, bounds[i + 1]) }));
    // A permutation driven by `order`.
    const idx = parts.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = (order[i % Math.max(1, order.length)] ?? 0) % (i + 1);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    return { payload, parts: idx.map((i) => parts[i]!) };
  });

describe('reassembly properties', () => {
  it('non-overlapping fragments in any order reassemble to the original bytes', () => {
    fc.assert(
      fc.property(fragmented, fc.boolean(), fc.constantFrom(...OVERLAP_POLICIES), fc.constantFrom('copy' as const, 'view' as const), ({ payload, parts }, v6, policy, hold) => {
        const r = new Reassembler({ policy, hold });
        const frames = parts.map((p) => (v6 ? ipv6Fragment({ ...p, nextHeader: 253 }) : ipv4Fragment({ ...p, protocol: 253 })));
        const results = frames.map((f, i) => r.push(f, 1, i));
        const single = parts.length === 1 && !v6; // one IPv4 "fragment" at offset 0 with MF=0 is a whole packet
        const last = results[results.length - 1]!;
        expect(results.slice(0, -1).every((x) => x.kind === 'held')).toBe(true);
        expect(last.kind).toBe(single ? 'whole' : 'reassembled');
        const bytes = last.kind === 'reassembled' || last.kind === 'whole' ? last.bytes : new Uint8Array(0);
        expect(bytes.subarray(v6 ? 54 : 34)).toEqual(payload);
        const findings = results.flatMap((x) => x.findings.map((f) => f.reason));
        expect(findings).toEqual(parts.length === 1 && v6 ? ['atomic-fragment'] : []);
        expect(r.stats).toMatchObject({ datagrams: 0, heldBytes: 0, overlaps: 0, duplicates: 0 });
      }),
      { numRuns: 400 },
    );
  });

  /** Overlapping aligned fragments inside [0, 8k), one last fragment ending at 8k, each with its own bytes. */
  const overlapping = fc
    .record({
      units: fc.integer({ min: 2, max: 24 }),
      extra: fc.array(fc.record({ start: fc.nat(23), len: fc.integer({ min: 1, max: 8 }), seed: fc.nat() }), { maxLength: 10 }),
      order: fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
      seed: fc.nat(),
    })
    .map(({ units, extra, order, seed }) => {
      let s = seed >>> 0 || 1;
      const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24));
      const frags: Array<{ offset: number; more: boolean; data: Uint8Array }> = [];
      // A base cover (so the datagram can complete) in 8..32-byte pieces, the last one ending the datagram.
      for (let u = 0; u < units; ) {
        // The last fragment must not start at 0 (an IPv4 packet with offset 0 and MF=0 is not a fragment).
        const n = Math.min(u === 0 ? units - 1 : units - u, 1 + ((s = (s * 1103515245 + 12345) >>> 0) % 4));
        frags.push({ offset: u * 8, more: u + n < units, data: bytes(n * 8) });
        u += n;
      }
      for (const e of extra) {
        const start = e.start % units;
        const len = Math.min(e.len, units - start);
        if (start + len === units) continue; // keep a single last fragment
        frags.push({ offset: start * 8, more: true, data: bytes(len * 8) });
      }
      const idx = frags.map((_, i) => i);
      for (let i = idx.length - 1; i > 0; i--) {
        const j = order[i % order.length]! % (i + 1);
        [idx[i], idx[j]] = [idx[j]!, idx[i]!];
      }
      return { end: units * 8, frags: idx.map((i) => frags[i]!) };
    })
    .filter(({ frags }) => frags.length > 1);

  /** The push index at which the datagram completes, and each byte's covering fragments up to it. */
  function reference(end: number, frags: Array<{ offset: number; more: boolean; data: Uint8Array }>): { at: number; cover: number[][] } {
    const cover: number[][] = Array.from({ length: end }, () => []);
    let sawLast = false;
    for (let i = 0; i < frags.length; i++) {
      const f = frags[i]!;
      for (let x = f.offset; x < f.offset + f.data.length; x++) cover[x]!.push(i);
      if (!f.more) sawLast = true;
      if (sawLast && cover.every((c) => c.length > 0)) return { at: i, cover };
    }
    return { at: -1, cover };
  }

  it("'first' and 'last' keep the earliest / latest covering fragment's byte; every policy keeps some covering byte", () => {
    fc.assert(
      fc.property(overlapping, fc.constantFrom(...OVERLAP_POLICIES), ({ end, frags }, policy: OverlapPolicy) => {
        const r = new Reassembler({ policy });
        const results = frags.map((f, i) => r.push(ipv4Fragment({ ...f, protocol: 253 }), 1, i));
        const { at, cover } = reference(end, frags);
        const doneAt = results.findIndex((x) => x.kind === 'reassembled');
        expect(doneAt).toBe(at);
        if (at < 0) return;
        const out = results[at]!;
        if (out.kind !== 'reassembled') throw new Error('unreachable');
        const payload = out.bytes.subarray(34);
        expect(payload.length).toBe(end);
        const wrong: number[] = [];
        for (let x = 0; x < end; x++) {
          const owners = cover[x]!;
          const byteOf = (i: number): number => frags[i]!.data[x - frags[i]!.offset]!;
          const ok =
            policy === 'first' ? payload[x] === byteOf(owners[0]!) : policy === 'last' ? payload[x] === byteOf(owners[owners.length - 1]!) : owners.map(byteOf).includes(payload[x]!);
          if (!ok) wrong.push(x);
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary and mutated frames never throw, and the caps hold', () => {
    const base = [
      ipv4Fragment({ offset: 0, more: true, data: new Uint8Array(64), options: Uint8Array.from([1, 1, 1, 0]) }),
      ipv4Fragment({ offset: 64, more: false, data: new Uint8Array(40), vlan: [3] }),
      ipv6Fragment({ offset: 0, more: true, data: new Uint8Array(48), ext: [{ type: 0 }, { type: 60, len: 1 }] }),
      ipv6Fragment({ offset: 48, more: false, data: new Uint8Array(16) }),
    ];
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .record({ i: fc.nat(base.length - 1), edits: fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 8 }), cut: fc.nat() })
        .map(({ i, edits, cut }) => {
          const f = base[i]!.slice();
          for (const [at, v] of edits) f[at % f.length] = v;
          return f.subarray(0, cut % (f.length + 1) === 0 ? f.length : cut % (f.length + 1));
        }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(frame, fc.constantFrom(1, 101, 113, 228, 229, 276), fc.nat(100_000)), { maxLength: 30 }), (pushes) => {
        const r = new Reassembler({ maxBytes: 4096, maxDatagrams: 4, timeoutMs: 50_000 });
        for (const [bytes, lt, ts] of pushes) {
          const res = r.push(bytes, lt, ts);
          if (res.kind === 'reassembled') expect(res.bytes.length).toBeGreaterThan(0);
          const s = r.stats;
          expect(s.heldBytes).toBeLessThanOrEqual(4096);
          expect(s.datagrams).toBeLessThanOrEqual(4);
          expect(s.heldBytes).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
