/**
 * The writer's queue (pure): bound, coalescing of sightings (folded as the state's reducer folds them),
 * link.seen throttling, batches that stay queued until committed, and memory bounded while nothing drains.
 */
import fc from 'fast-check';
import type { TopologyEvent } from '../../../../src/topology/model.js';
import { emptyState, reduceAll, snapshot } from '../../../../src/topology/state.js';
import { EventQueue, mergeSightings } from '../../../../src/topology/store/queue.js';
import { dpidN, generateEvents, macN } from '../../../support/topology-gen.js';

const A = { dpid: dpidN(1), portNo: 1 };
const B = { dpid: dpidN(2), portNo: 1 };
const seen = (at: number, latencyMs?: number): TopologyEvent => ({ type: 'link.seen', at, src: A, dst: B, ...(latencyMs !== undefined ? { latencyMs } : {}) });
const hostSeen = (at: number, mac: string, ips: string[] = [], portNo = 5): TopologyEvent => ({
  type: 'host.seen',
  at,
  host: { mac, port: { dpid: dpidN(1), portNo }, vlan: null, ips: ips.map((address) => ({ address, version: 4 as const })), firstSeen: at, lastSeen: at, source: 'packet-in' },
});
const segment = (at: number, id: number): TopologyEvent => ({ type: 'segment.seen', at, segment: { kind: 'vlan', id, name: `v${id}` } });

function drain(q: EventQueue, batch = 1000): TopologyEvent[] {
  const out: TopologyEvent[] = [];
  for (;;) {
    const b = q.take(batch);
    if (b.events.length === 0) {
      q.release(b);
      return out;
    }
    out.push(...b.events);
    q.commit(b);
  }
}

describe('EventQueue', () => {
  it('refuses the event that does not fit (overflow) and keeps the others', () => {
    const q = new EventQueue({ limit: 3, linkSeenIntervalMs: 0 });
    expect([segment(1, 1), segment(2, 2), segment(3, 3)].map((e) => q.push(e))).toEqual(['queued', 'queued', 'queued']);
    expect(q.push(segment(4, 4))).toBe('overflow');
    expect(q.size).toBe(3);
    expect(drain(q).map((e) => e.at)).toEqual([1, 2, 3]);
  });

  it('coalesces a sighting into the queued one even when full, and puts the merged one last', () => {
    const q = new EventQueue({ limit: 3, linkSeenIntervalMs: 0 });
    q.push(seen(1, 2.5));
    q.push(segment(2, 10));
    q.push(hostSeen(3, macN(1), ['10.0.0.1']));
    expect(q.push(seen(4))).toBe('coalesced');
    expect(q.push(hostSeen(5, macN(1), ['10.0.0.2'], 6))).toBe('coalesced');
    expect(q.size).toBe(3);
    const out = drain(q);
    expect(out.map((e) => e.type)).toEqual(['segment.seen', 'link.seen', 'host.seen']);
    // link.seen: the newest time, the last latency measured
    expect(out[1]).toEqual({ type: 'link.seen', at: 4, src: A, dst: B, latencyMs: 2.5 });
    // host.seen: the newest port, the first firstSeen, both addresses with their own times
    expect(out[2]).toEqual({
      type: 'host.seen',
      at: 5,
      host: {
        mac: macN(1),
        port: { dpid: dpidN(1), portNo: 6 },
        vlan: null,
        firstSeen: 3,
        lastSeen: 5,
        source: 'packet-in',
        ips: [
          { address: '10.0.0.1', version: 4, firstSeen: 3, lastSeen: 3 },
          { address: '10.0.0.2', version: 4, firstSeen: 5, lastSeen: 5 },
        ],
      },
    });
  });

  it('does not coalesce across another fact about the same host or link', () => {
    const q = new EventQueue({ limit: 10, linkSeenIntervalMs: 0 });
    q.push(hostSeen(1, macN(1)));
    q.push({ type: 'host.gone', at: 2, mac: macN(1), reason: 'evicted' });
    expect(q.push(hostSeen(3, macN(1)))).toBe('queued');
    q.push(seen(4));
    q.push({ type: 'link.down', at: 5, src: A, dst: B, reason: 'timeout' });
    q.push({ type: 'link.up', at: 6, link: { src: A, dst: B, firstSeen: 6, lastSeen: 6 } });
    expect(q.push(seen(7))).toBe('queued');
    expect(drain(q).map((e) => `${e.type}@${e.at}`)).toEqual(['host.seen@1', 'host.gone@2', 'host.seen@3', 'link.seen@4', 'link.down@5', 'link.up@6', 'link.seen@7']);
  });

  it('throttles link.seen per link to one per interval (link.up counts as a sighting; link.down forgets)', () => {
    const q = new EventQueue({ limit: 100, linkSeenIntervalMs: 10_000 });
    q.push({ type: 'link.up', at: 1000, link: { src: A, dst: B, firstSeen: 1000, lastSeen: 1000 } });
    expect(q.push(seen(5000))).toBe('throttled');
    expect(q.push(seen(11_000))).toBe('queued');
    expect(q.push(seen(15_000))).toBe('throttled');
    expect(q.push({ type: 'link.seen', at: 15_000, src: B, dst: A })).toBe('queued'); // the other direction is another link
    q.push({ type: 'link.down', at: 16_000, src: A, dst: B, reason: 'timeout' });
    expect(q.push(seen(16_500))).toBe('queued');
  });

  it('keeps a batch queued until commit; release hands the same events out again', () => {
    const q = new EventQueue({ limit: 10, linkSeenIntervalMs: 0 });
    for (let i = 1; i <= 5; i++) q.push(segment(i, i));
    const b1 = q.take(3);
    expect(b1.events.map((e) => e.at)).toEqual([1, 2, 3]);
    expect(() => q.take(3)).toThrow(/already/);
    expect(q.size).toBe(5);
    q.release(b1);
    const b2 = q.take(3);
    expect(b2.events.map((e) => e.at)).toEqual([1, 2, 3]);
    q.commit(b2);
    expect(q.size).toBe(2);
    expect(drain(q).map((e) => e.at)).toEqual([4, 5]);
  });

  it('does not coalesce into the batch being written', () => {
    const q = new EventQueue({ limit: 10, linkSeenIntervalMs: 0 });
    q.push(seen(1));
    const b = q.take(10);
    expect(q.push(seen(2))).toBe('queued');
    expect(q.size).toBe(2);
    q.commit(b);
    expect(drain(q).map((e) => e.at)).toEqual([2]);
  });

  it('clear() drops everything, the batch in flight included (its commit is ignored)', () => {
    const q = new EventQueue({ limit: 10, linkSeenIntervalMs: 0 });
    for (let i = 1; i <= 4; i++) q.push(segment(i, i));
    const b = q.take(2);
    expect(q.clear()).toBe(4);
    q.push(segment(9, 9));
    q.commit(b);
    expect(q.size).toBe(1);
    expect(drain(q).map((e) => e.at)).toEqual([9]);
  });

  it('stays bounded in memory while sightings keep coming and nothing drains', () => {
    const q = new EventQueue({ limit: 500, linkSeenIntervalMs: 0 });
    for (let i = 0; i < 200_000; i++) q.push(hostSeen(i, macN(i % 300)));
    expect(q.size).toBe(300);
    expect(q.slotsInUse).toBeLessThanOrEqual(2 * 300 + 1024);
    const out = drain(q, 64);
    expect(out).toHaveLength(300);
    expect(new Set(out.map((e) => (e.type === 'host.seen' ? e.host.mac : ''))).size).toBe(300);
  });

  it('mergeSightings refuses two different kinds', () => {
    expect(() => mergeSightings(seen(1), hostSeen(2, macN(1)))).toThrow(/cannot merge/);
  });

  // What comes out of the queue, folded by the state's reducer, gives the state the original stream gives:
  // coalescing loses nothing (without throttling), whatever the batch sizes and interleaving of takes.
  it('coalescing preserves the folded topology (property, generated streams)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 8 }), (seed, batch, every) => {
        const events = generateEvents(400, { seed });
        const q = new EventQueue({ limit: 100_000, linkSeenIntervalMs: 0 });
        const out: TopologyEvent[] = [];
        events.forEach((e, i) => {
          q.push(e);
          if (i % every === 0) {
            const b = q.take(batch);
            out.push(...b.events);
            q.commit(b);
          }
        });
        out.push(...drain(q, batch));
        expect(snapshot(reduceAll(emptyState(), out), 0)).toEqual(snapshot(reduceAll(emptyState(), events), 0));
      }),
      { numRuns: 60 },
    );
  });
});
