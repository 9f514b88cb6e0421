/** Reconnect backoff, the manual clock the OVSDB client's timers run on in tests, remote parsing. */
import { parseRemote } from '../../../../src/southbound/ovsdb/client.js';
import { backoffDelay, defaultBackoff, ManualClock } from '../../../../src/southbound/ovsdb/clock.js';

describe('backoffDelay', () => {
  const o = { initialMs: 100, maxMs: 5000, multiplier: 2, jitter: 0 };

  it('grows exponentially from the initial delay and is capped', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((a) => backoffDelay(a, o))).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it('spreads by the jitter factor and never exceeds the cap', () => {
    const j = { ...o, jitter: 0.5 };
    expect(backoffDelay(3, j, () => 0)).toBe(200); // 400 * 0.5
    expect(backoffDelay(3, j, () => 1)).toBe(600); // 400 * 1.5
    expect(backoffDelay(3, j, () => 0.5)).toBe(400);
    expect(backoffDelay(20, j, () => 1)).toBe(5000);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(1 + (i % 8), defaultBackoff);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(defaultBackoff.maxMs);
    }
  });
});

describe('ManualClock', () => {
  it('fires timers in due order as time advances, including timers set while firing', () => {
    const c = new ManualClock(1000);
    const fired: string[] = [];
    c.setTimeout(() => fired.push('b@30'), 30);
    const h = c.setTimeout(() => fired.push('never'), 20);
    c.setTimeout(() => {
      fired.push('a@10');
      c.setTimeout(() => fired.push('c@15'), 5);
    }, 10);
    c.clearTimeout(h);
    c.advance(12);
    expect(fired).toEqual(['a@10']);
    expect(c.now()).toBe(1012);
    c.advance(100);
    expect(fired).toEqual(['a@10', 'c@15', 'b@30']);
    expect(c.pendingTimers).toBe(0);
  });
});

describe('parseRemote', () => {
  it.each([
    ['unix:/var/run/openvswitch/db.sock', { kind: 'unix', path: '/var/run/openvswitch/db.sock' }],
    ['tcp:127.0.0.1:6640', { kind: 'tcp', host: '127.0.0.1', port: 6640 }],
    ['tcp:[::1]:6640', { kind: 'tcp', host: '::1', port: 6640 }],
    ['tcp:ovsdb.lab:6641', { kind: 'tcp', host: 'ovsdb.lab', port: 6641 }],
  ])('parses %s', (text, remote) => {
    expect(parseRemote(text)).toEqual(remote);
  });

  it.each(['ssl:1.2.3.4:6640', 'unix:', 'tcp:1.2.3.4', 'tcp:1.2.3.4:0', 'tcp:1.2.3.4:70000', '/var/run/db.sock'])('refuses %s', (text) => {
    expect(() => parseRemote(text)).toThrow(RangeError);
  });
});
