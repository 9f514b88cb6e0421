/**
 * The link tracker with injected time: link.up on the first probe, link.seen rate-limited, timeout after
 * the missed intervals (detection bound), port/switch down at once, flapping, self loops, RSTP pins.
 */
import { LinkTracker } from '../../../../src/topology/discovery/links.js';
import type { TopologyEvent } from '../../../../src/topology/model.js';

const A = { dpid: '0000000000000001', portNo: 1 };
const B = { dpid: '0000000000000002', portNo: 1 };
const C = { dpid: '0000000000000003', portNo: 2 };
const types = (es: TopologyEvent[]): string[] => es.map((e) => (e.type === 'link.down' ? `${e.type}:${e.reason}` : e.type));

function tracker(seenIntervalMs = 60_000): LinkTracker {
  return new LinkTracker({ intervalMs: 500, missedIntervals: 4, seenIntervalMs });
}

describe('LinkTracker', () => {
  it('link.up on the first probe, link.seen after (at most once per seenIntervalMs), with latency', () => {
    const t = tracker(1000);
    const up = t.probeReceived(A, B, 1000, 0.25);
    expect(up).toEqual([{ type: 'link.up', at: 1000, link: { src: A, dst: B, firstSeen: 1000, lastSeen: 1000, via: 'lldp', latencyMs: 0.25 } }]);
    expect(t.probeReceived(A, B, 1500)).toEqual([]);
    expect(t.probeReceived(A, B, 2000, 0.3)).toEqual([{ type: 'link.seen', at: 2000, src: A, dst: B, latencyMs: 0.3 }]);
    expect(t.get(A, B)).toMatchObject({ lastSeen: 2000, latencyMs: 0.3 });
    expect(t.hasLinks(A) && t.hasLinks(B)).toBe(true);
    expect(t.hasLinks(C)).toBe(false);
  });

  it('link.seen on every probe with seenIntervalMs 0', () => {
    const t = tracker(0);
    t.probeReceived(A, B, 0);
    expect(t.probeReceived(A, B, 1).map((e) => e.type)).toEqual(['link.seen']);
  });

  it('the two directions are separate links', () => {
    const t = tracker();
    t.probeReceived(A, B, 0);
    t.probeReceived(B, A, 0);
    expect(t.size).toBe(2);
    expect(types(t.portDown(A, 10))).toEqual(['link.down:port-down', 'link.down:port-down']);
    expect(t.size).toBe(0);
  });

  it('times out after missedIntervals x intervalMs without a probe: never earlier, and within one tick after', () => {
    const t = tracker();
    t.probeReceived(A, B, 0);
    expect(t.timeoutMs).toBe(2000);
    // Probes keep it alive; one or two lost probes do not end it.
    for (const at of [500, 1000, 2500]) expect(t.probeReceived(A, B, at)).toEqual([]);
    expect(t.expire(4500)).toEqual([]);
    // The link dies at 2500 (last probe) -> down once now - 2500 > 2000.
    const tick = 125;
    let downAt = -1;
    for (let now = 2500; now <= 6000 && downAt < 0; now += tick) if (t.expire(now).length > 0) downAt = now;
    expect(downAt).toBeGreaterThan(2500 + 2000);
    expect(downAt).toBeLessThanOrEqual(2500 + 2000 + tick);
    expect(t.counters.timeouts).toBe(1);
    expect(t.hasLinks(A)).toBe(false);
  });

  it('detection bound at the default settings: a cut link is reported within 2.2 s of the cut', () => {
    // Probes every 500 ms; the cut happens just after a probe was received (the worst case).
    const t = tracker();
    for (let at = 0; at <= 5000; at += 500) t.probeReceived(A, B, at);
    const cut = 5001;
    let reported = -1;
    for (let now = cut; reported < 0 && now < cut + 10_000; now += 125) if (t.expire(now).length > 0) reported = now;
    expect(reported - cut).toBeLessThanOrEqual(2200);
    expect(reported - cut).toBeGreaterThanOrEqual(1500);
  });

  it('port down / deleted and switch down end links at once, naming the reason', () => {
    const t = tracker();
    t.probeReceived(A, B, 0);
    t.probeReceived(B, A, 0);
    t.probeReceived(C, A, 0);
    expect(types(t.portDown(B, 1, 'port-deleted'))).toEqual(['link.down:port-deleted', 'link.down:port-deleted']);
    expect(types(t.switchDown('0000000000000003', 2))).toEqual(['link.down:switch-down']);
    expect(t.portDown(B, 3)).toEqual([]);
    expect(t.size).toBe(0);
  });

  it('flapping: up/down/up gives one link.up per rise and one link.down per fall, and state stays consistent', () => {
    const t = tracker();
    const events: TopologyEvent[] = [];
    for (let i = 0; i < 5; i++) {
      const at = i * 100;
      events.push(...t.probeReceived(A, B, at), ...t.probeReceived(A, B, at + 10), ...t.portDown(A, at + 50), ...t.portDown(A, at + 60));
    }
    expect(types(events)).toEqual(Array.from({ length: 5 }, () => ['link.up', 'link.down:port-down']).flat());
    expect(t.size).toBe(0);
    expect(t.hasLinks(A)).toBe(false);
  });

  it('a port hearing its own probe is not a link', () => {
    const t = tracker();
    expect(t.probeReceived(A, A, 0)).toEqual([]);
    expect(t.counters.selfLoops).toBe(1);
    expect(t.size).toBe(0);
  });

  it('RSTP pins: a blocked link exists without LLDP and never times out; LLDP takes over when unblocked', () => {
    const t = tracker();
    expect(t.pin(B, C, 0)).toEqual([{ type: 'link.up', at: 0, link: { src: B, dst: C, firstSeen: 0, lastSeen: 0, via: 'rstp' } }]);
    expect(t.expire(60_000)).toEqual([]);
    expect(t.pin(B, C, 60_000)).toEqual([]);
    // RSTP unblocks it: LLDP gets a full timeout from the unpin to confirm.
    t.unpin(B, C, 60_000);
    expect(t.expire(61_999)).toEqual([]);
    expect(types(t.probeReceived(B, C, 61_000))).toEqual(['link.up']); // now known from LLDP
    expect(t.get(B, C)?.via).toBe('lldp');
    expect(t.expire(62_000)).toEqual([]);
    expect(types(t.expire(63_100))).toEqual(['link.down:timeout']);
    // Unpinned without LLDP ever confirming: down after one timeout.
    t.pin(A, C, 0);
    t.unpin(A, C, 100_000);
    expect(t.expire(101_000)).toEqual([]);
    expect(types(t.expire(102_001))).toEqual(['link.down:timeout']);
    // A pinned link still goes down with its port.
    t.pin(A, B, 0);
    expect(types(t.portDown(A, 1))).toEqual(['link.down:port-down']);
  });
});
