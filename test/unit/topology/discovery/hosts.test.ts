/**
 * The host tracker with injected time: placement after the settle wait at the first-seen access port,
 * switch-to-switch ports and non-host MACs ignored, moves confirmed by the new port only (not by flooded
 * copies), flapping held, IP changes, first/last seen, rate-limited host.seen, bounds and evictions.
 */
import { HostTracker, isHostMac, type Sighting } from '../../../../src/topology/discovery/hosts.js';
import type { TopologyEvent } from '../../../../src/topology/model.js';

const S1 = '0000000000000001';
const S2 = '0000000000000002';
const p = (dpid: string, portNo: number) => ({ dpid, portNo });
const M = '00:00:00:00:00:01';
const see = (at: number, port = p(S1, 3), ip: string | null = null, mac = M, vlan: number | null = null): Sighting => ({
  mac,
  port,
  vlan,
  ip: ip === null ? null : { address: ip, version: ip.includes(':') ? 6 : 4 },
  source: 'packet-in',
  at,
});
const types = (es: TopologyEvent[]): string[] => es.map((e) => e.type);

function tracker(opts: ConstructorParameters<typeof HostTracker>[0] = {}): HostTracker {
  return new HostTracker({ settleMs: 1000, moveHoldMs: 2000, seenIntervalMs: 10_000, maxWaitMs: 10_000, ...opts });
}

describe('HostTracker', () => {
  it('places a new host after the settle wait, at the port it was first seen at, with its address', () => {
    const t = tracker();
    expect(t.sight(see(0, p(S1, 3), '10.0.0.1'))).toEqual([]);
    // The same frame flooded to s2 through a port not (yet) known as switch-to-switch, a little later.
    expect(t.sight(see(2, p(S2, 1), '10.0.0.1'))).toEqual([]);
    expect(t.tick(999)).toEqual([]);
    const e = t.tick(1000);
    expect(e).toEqual([
      {
        type: 'host.seen',
        at: 1000,
        host: { mac: M, port: p(S1, 3), vlan: null, ips: [{ address: '10.0.0.1', version: 4, firstSeen: 0, lastSeen: 0 }], firstSeen: 0, lastSeen: 0, source: 'packet-in' },
      },
    ]);
    expect(t.pendingSize).toBe(0);
  });

  it('ignores switch-to-switch ports and non-host MACs (multicast, broadcast, zero, the switches own)', () => {
    const t = tracker({ ignoreMac: (m) => m === '02:aa:00:00:00:01' });
    t.setInterSwitch(p(S2, 1), true, 0);
    expect(t.sight(see(0, p(S2, 1)))).toEqual([]);
    for (const mac of ['01:00:5e:00:00:01', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', '02:aa:00:00:00:01', 'bad']) expect(t.sight(see(0, p(S1, 3), null, mac))).toEqual([]);
    expect(t.tick(5000)).toEqual([]);
    expect(t.counters).toMatchObject({ ignoredInterSwitch: 1, ignoredMac: 5 });
    expect(isHostMac('33:33:00:00:00:01')).toBe(false);
    expect(isHostMac('00:00:00:00:00:0a')).toBe(true);
  });

  it('does not trust a port before it has been up for settleMs, and drops candidates at ports that turn out to be inter-switch', () => {
    const t = tracker();
    t.portUp(p(S1, 3), 0);
    t.portUp(p(S2, 1), 0);
    t.sight(see(100, p(S2, 1))); // a flooded copy arrives first at a port LLDP has not marked yet
    t.sight(see(150, p(S1, 3)));
    expect(t.tick(900)).toEqual([]);
    t.setInterSwitch(p(S2, 1), true, 950); // LLDP came through
    expect(t.tick(1100)).toMatchObject([{ type: 'host.seen', host: { port: p(S1, 3), firstSeen: 150 } }]);
  });

  it('refreshes a known host at its port at once: new addresses give host.ip, host.seen at most once per seenIntervalMs', () => {
    const t = tracker();
    t.sight(see(0, p(S1, 3), '10.0.0.1'));
    t.tick(1000);
    expect(t.sight(see(2000, p(S1, 3), '10.0.0.1'))).toEqual([]);
    expect(t.sight(see(3000, p(S1, 3), '10.0.0.7'))).toEqual([{ type: 'host.ip', at: 3000, mac: M, ip: { address: '10.0.0.7', version: 4, firstSeen: 3000, lastSeen: 3000 } }]);
    expect(types(t.sight(see(11_000, p(S1, 3))))).toEqual(['host.seen']);
    expect(t.get(M)).toMatchObject({ firstSeen: 0, lastSeen: 11_000 });
    expect(t.get(M)!.ips.map((i) => [i.address, i.firstSeen, i.lastSeen])).toEqual([
      ['10.0.0.1', 0, 2000],
      ['10.0.0.7', 3000, 3000],
    ]);
    // A VLAN change at the same port is reported at once.
    expect(t.sight(see(11_100, p(S1, 3), null, M, 20))).toMatchObject([{ type: 'host.seen', host: { vlan: 20 } }]);
  });

  it('moves a host when the new access port itself sees it, after the settle wait', () => {
    const t = tracker();
    t.sight(see(0, p(S1, 3)));
    t.tick(1000);
    t.sight(see(5000, p(S2, 4), '10.0.0.1'));
    expect(t.tick(5500)).toEqual([]);
    expect(t.tick(6000)).toEqual([
      { type: 'host.moved', at: 6000, mac: M, from: p(S1, 3), to: p(S2, 4), vlan: null },
      { type: 'host.ip', at: 6000, mac: M, ip: { address: '10.0.0.1', version: 4, firstSeen: 5000, lastSeen: 5000 } },
    ]);
    expect(t.get(M)?.port).toEqual(p(S2, 4));
    expect(t.counters.moves).toBe(1);
  });

  it('a copy that came in through a switch-to-switch link never moves a host; a sighting older than the last one at its port does not either', () => {
    const t = tracker();
    t.setInterSwitch(p(S2, 1), true, 0);
    t.sight(see(0, p(S1, 3)));
    t.tick(1000);
    t.sight(see(2000, p(S2, 1)));
    expect(t.tick(4000)).toEqual([]);
    // Seen at another access port, then again at its own port after: not a move (duplicate or flood).
    t.sight(see(5000, p(S2, 5)));
    t.sight(see(5100, p(S1, 3)));
    expect(t.tick(7000)).toEqual([]);
    expect(t.counters.movesRejected).toBe(1);
    expect(t.get(M)?.port).toEqual(p(S1, 3));
  });

  it('holds a flapping MAC: at most one move per moveHoldMs', () => {
    const t = tracker();
    t.sight(see(0, p(S1, 3)));
    t.tick(1000);
    t.sight(see(2000, p(S1, 4)));
    expect(types(t.tick(3000))).toEqual(['host.moved']);
    t.sight(see(3100, p(S1, 3)));
    expect(t.tick(4100)).toEqual([]); // moved back within 2 s of the last move: held
    expect(t.counters.movesHeld).toBe(1);
    t.sight(see(5200, p(S1, 3)));
    expect(t.tick(6200)).toMatchObject([{ type: 'host.moved', from: p(S1, 4), to: p(S1, 3) }]);
  });

  it('a port that turns out to be switch-to-switch loses the hosts placed on it (host.gone), which are placed again when seen', () => {
    const t = tracker();
    t.sight(see(0, p(S2, 1)));
    t.tick(1000);
    expect(t.setInterSwitch(p(S2, 1), true, 1500)).toEqual([{ type: 'host.gone', at: 1500, mac: M, reason: 'inter-switch-port' }]);
    expect(t.size).toBe(0);
    t.sight(see(1600, p(S1, 3)));
    expect(t.tick(2600)).toMatchObject([{ type: 'host.seen', host: { port: p(S1, 3) } }]);
    expect(t.isInterSwitch(p(S2, 1))).toBe(true);
    t.portDown(p(S2, 1));
    expect(t.isInterSwitch(p(S2, 1))).toBe(false);
  });

  it('is bounded: the least recently seen host is evicted (counted), addresses per host are capped', () => {
    const t = tracker({ maxHosts: 3, maxIpsPerHost: 2 });
    const mac = (i: number) => `00:00:00:00:01:0${i}`;
    for (let i = 0; i < 3; i++) t.sight(see(i, p(S1, 10 + i), null, mac(i)));
    t.tick(2000);
    t.sight(see(2100, p(S1, 10), null, mac(0))); // mac(0) is now the most recently seen
    t.sight(see(2200, p(S1, 20), null, mac(9)));
    expect(t.tick(3200)).toEqual([
      { type: 'host.gone', at: 3200, mac: mac(1), reason: 'evicted' },
      expect.objectContaining({ type: 'host.seen' }),
    ]);
    expect(t.size).toBe(3);
    expect(t.counters.evictions).toBe(1);
    for (const [i, ip] of ['10.0.0.1', '10.0.0.2', '10.0.0.3'].entries()) t.sight(see(4000 + i, p(S1, 10), ip, mac(0)));
    expect(t.get(mac(0))!.ips.map((x) => x.address)).toEqual(['10.0.0.2', '10.0.0.3']);
  });

  it('bounds undecided MACs too', () => {
    const t = tracker({ maxPending: 2 });
    for (let i = 0; i < 5; i++) t.sight(see(0, p(S1, 3), null, `00:00:00:00:02:0${i}`));
    expect(t.pendingSize).toBe(2);
    expect(t.counters.pendingDropped).toBe(3);
  });

  it('gives up on candidates whose port never settles after maxWaitMs', () => {
    const t = tracker({ maxWaitMs: 5000 });
    t.portUp(p(S1, 3), 0);
    t.sight(see(0, p(S1, 3)));
    t.portUp(p(S1, 3), 900); // the port keeps flapping
    expect(t.tick(1500)).toEqual([]);
    t.portUp(p(S1, 3), 4500);
    expect(t.tick(5000)).toEqual([]);
    expect(t.pendingSize).toBe(0);
  });
});
