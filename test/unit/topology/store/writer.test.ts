/**
 * TopologyWriter with a fake backend and a manual clock: start-up (migrate, resync, queue), batching,
 * retry with capped exponential backoff, what each kind of failure does (unreachable: queue + resync on
 * return; transient: retry the batch; permanent: drop it + resync; reset: migrate + resync), overflow,
 * logging once per state change, status and metrics.
 */
import { Neo4jError } from 'neo4j-driver';
import type { Logger } from '../../../../src/observability/log.js';
import { Registry } from '../../../../src/observability/metrics.js';
import { ManualClock } from '../../../../src/southbound/ovsdb/clock.js';
import type { TopologyEvent, TopologySnapshot } from '../../../../src/topology/model.js';
import { StoreResetError, type ResyncResult, type StoreBackend } from '../../../../src/topology/store/backend.js';
import type { MigrateResult } from '../../../../src/topology/store/migrations.js';
import type { Statement } from '../../../../src/topology/store/plan.js';
import { TopologyWriter, type StoreStatus, type TopologyWriterOptions } from '../../../../src/topology/store/writer.js';

const unavailable = () => new Neo4jError('connect ECONNREFUSED 127.0.0.1:7687', 'ServiceUnavailable' as never, '08000', 'x');
const transient = () => new Neo4jError('deadlock', 'Neo.TransientError.Transaction.DeadlockDetected' as never, '50N42', 'x');
const permanent = () => new Neo4jError('bad', 'Neo.ClientError.Statement.SyntaxError' as never, '42001', 'x');

type Call = { op: 'migrate' } | { op: 'write'; kinds: string[]; events: number } | { op: 'resync'; at: number };

class FakeBackend implements StoreBackend {
  calls: Call[] = [];
  /** Failures to throw, in order, for the next calls (any op). */
  failures: (Error | null)[] = [];
  /** When set, write() waits for it. */
  gate: Promise<void> | null = null;
  marker = 'm1';

  private fail(): void {
    const f = this.failures.shift();
    if (f) throw f;
  }

  async migrate(): Promise<MigrateResult> {
    this.calls.push({ op: 'migrate' });
    this.fail();
    return { applied: [], alreadyApplied: [1], unknown: [], marker: this.marker };
  }

  async write(statements: readonly Statement[], marker: string): Promise<void> {
    this.calls.push({ op: 'write', kinds: statements.map((s) => s.kind), events: statements.reduce((n, s) => n + s.rows.length, 0) });
    if (this.gate) await this.gate;
    this.fail();
    if (marker !== this.marker) throw new StoreResetError(this.marker, marker);
  }

  async resync(snapshot: TopologySnapshot): Promise<ResyncResult> {
    this.calls.push({ op: 'resync', at: snapshot.at });
    this.fail();
    return { statements: 1, removed: { switchesDisconnected: 0, links: 0, hostsDetached: 0, vms: 0 } };
  }

  ops(): string[] {
    return this.calls.map((c) => (c.op === 'write' ? `write:${c.events}` : c.op));
  }
}

function recordingLogger(): Logger & { lines: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const mk = (): Logger => ({
    debug: (msg, fields) => lines.push({ level: 'debug', msg, ...(fields ? { fields } : {}) }),
    info: (msg, fields) => lines.push({ level: 'info', msg, ...(fields ? { fields } : {}) }),
    warn: (msg, fields) => lines.push({ level: 'warn', msg, ...(fields ? { fields } : {}) }),
    error: (msg, fields) => lines.push({ level: 'error', msg, ...(fields ? { fields } : {}) }),
    child: () => mk(),
  });
  return Object.assign(mk(), { lines });
}

const seg = (at: number, id = at): TopologyEvent => ({ type: 'segment.seen', at, segment: { kind: 'vlan', id, name: `v${id}` } });
const snap = (at: number): TopologySnapshot => ({ at, switches: [], links: [], hosts: [], vms: [], segments: [], portSegments: [] });

/** Lets the writer's promise chains run (the fake backend resolves at once). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

function setup(opts: Partial<TopologyWriterOptions> = {}, withSnapshot = true) {
  const backend = new FakeBackend();
  const clock = new ManualClock(1_000_000);
  const log = recordingLogger();
  const metrics = new Registry();
  let snapshots = 0;
  const writer = new TopologyWriter(
    { batchSize: 3, queueLimit: 100, linkSeenIntervalMs: 0, retry: { initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0 }, ...opts },
    { backend, logger: log, metrics, clock, ...(withSnapshot ? { snapshot: () => snap(++snapshots) } : {}) },
  );
  const statuses: StoreStatus[] = [];
  writer.status$.subscribe((s) => statuses.push(s));
  /** Advances the clock and lets the pump run. */
  const step = async (ms = 0): Promise<void> => {
    clock.advance(ms);
    await settle();
    // work the pump scheduled for "now" (setTimeout 0) while settling
    for (let i = 0; i < 5; i++) {
      clock.advance(0);
      await settle();
    }
  };
  return { backend, clock, log, metrics, writer, statuses, step };
}

describe('TopologyWriter', () => {
  it('starts with migrations and a resync, then writes the queue in batches (one write per batch)', async () => {
    const { backend, writer, step, metrics, statuses } = setup();
    for (let i = 1; i <= 7; i++) writer.push(seg(i));
    await step();
    expect(backend.calls).toEqual([]); // nothing before start()
    writer.start();
    await step();
    // the start-up resync's snapshot reflects everything queued so far: the queue is dropped
    expect(backend.ops()).toEqual(['migrate', 'resync']);
    expect(writer.stats()).toMatchObject({ up: true, queued: 0, resyncs: 1, needsResync: false, dropped: 7 });
    for (let i = 8; i <= 14; i++) writer.push(seg(i));
    expect(writer.stats().queued).toBe(7);
    await step();
    expect(backend.ops()).toEqual(['migrate', 'resync', 'write:3', 'write:3', 'write:1']);
    expect(writer.stats()).toMatchObject({ written: 7, batches: 3, queued: 0 });
    expect(metrics.counter('vigil_topology_writes_total', '').total()).toBe(7);
    expect(metrics.counter('vigil_topology_resyncs_total', '').get({ reason: 'start' })).toBe(1);
    expect(metrics.gauge('vigil_topology_store_up', '').get()).toBe(1);
    expect(metrics.gauge('vigil_topology_queue_depth', '').get()).toBe(0);
    expect(statuses.map((s) => s.up)).toEqual([false, true, true]);
    await writer.idle();
    await writer.close();
  });

  it('groups a batch by runs of a type', async () => {
    const { backend, writer, step } = setup({ batchSize: 10 });
    writer.start();
    await step();
    const A = { dpid: '0000000000000001', portNo: 1 };
    writer.push(seg(1));
    writer.push(seg(2));
    writer.push({ type: 'vm.gone', at: 3, uuid: 'x' });
    writer.push(seg(4));
    writer.push({ type: 'link.down', at: 5, src: A, dst: A, reason: 'timeout' });
    await step();
    expect(backend.calls.at(-1)).toEqual({ op: 'write', kinds: ['segment.seen', 'vm.gone', 'segment.seen', 'link.down'], events: 5 });
  });

  it('Neo4j unreachable: keeps the batch, retries with capped exponential backoff, logs once, resyncs on return', async () => {
    const { backend, writer, step, log, metrics, statuses } = setup();
    writer.start();
    await step();
    backend.calls = [];
    backend.failures = [unavailable(), unavailable(), unavailable(), unavailable(), unavailable(), unavailable()];
    writer.push(seg(1));
    writer.push(seg(2));
    await step();
    // write failed; then each retry starts with migrate (a restarted Neo4j may be empty)
    expect(backend.ops()).toEqual(['write:2']);
    expect(writer.stats()).toMatchObject({ up: false, queued: 2, needsResync: true });
    expect(writer.stats().lastError).toMatch(/ServiceUnavailable/);
    const attempts: number[] = [];
    for (const delay of [100, 200, 400, 800, 1000]) {
      await step(delay - 1);
      attempts.push(backend.calls.length);
      await step(1);
      attempts.push(backend.calls.length);
    }
    expect(attempts).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    expect(backend.ops().slice(1)).toEqual(['migrate', 'migrate', 'migrate', 'migrate', 'migrate']);
    // events keep queueing meanwhile
    writer.push(seg(3));
    expect(writer.stats().queued).toBe(3);
    // back: migrate, then a resync replaces the queue
    await step(1000);
    expect(backend.ops().slice(6)).toEqual(['migrate', 'resync']);
    expect(writer.stats()).toMatchObject({ up: true, queued: 0, needsResync: false, resyncs: 2 });
    expect(metrics.counter('vigil_topology_resyncs_total', '').get({ reason: 'reconnect' })).toBe(1);
    expect(metrics.counter('vigil_topology_write_errors_total', '').get({ kind: 'unavailable' })).toBe(6);
    expect(metrics.counter('vigil_topology_dropped_events_total', '').get({ reason: 'superseded' })).toBe(3);
    // one warning for going down, one info for coming back; the retries only at debug level
    const loud = log.lines.filter((l) => l.level !== 'debug' && /store/.test(l.msg));
    expect(loud.map((l) => `${l.level}: ${l.msg}`)).toEqual(['info: Neo4j topology store up', 'warn: Neo4j topology store down: events queue and are retried', 'info: Neo4j topology store is back']);
    expect(statuses.filter((s, i) => i === 0 || s.up !== statuses[i - 1]!.up).map((s) => s.up)).toEqual([false, true, false, true]);
    await writer.close();
  });

  it('Neo4j unreachable at start-up: retries until it answers, never throws', async () => {
    const { backend, writer, step } = setup();
    backend.failures = [unavailable(), unavailable()];
    writer.start();
    writer.push(seg(1));
    await step();
    expect(writer.stats().up).toBe(false);
    await step(100);
    await step(200);
    expect(backend.ops()).toEqual(['migrate', 'migrate', 'migrate', 'resync']);
    expect(writer.stats()).toMatchObject({ up: true, queued: 0, resyncs: 1 });
  });

  it('transient error: retries the same batch, without a resync', async () => {
    const { backend, writer, step } = setup();
    writer.start();
    await step();
    backend.calls = [];
    backend.failures = [transient()];
    writer.push(seg(1));
    await step();
    expect(writer.stats()).toMatchObject({ up: false, queued: 1, needsResync: false });
    await step(100);
    expect(backend.ops()).toEqual(['write:1', 'write:1']);
    expect(writer.stats()).toMatchObject({ up: true, queued: 0, written: 1, resyncs: 1 });
  });

  it('permanent error: drops the batch (counted), logs an error, resyncs', async () => {
    const { backend, writer, step, log, metrics } = setup();
    writer.start();
    await step();
    backend.calls = [];
    backend.failures = [permanent()];
    writer.push(seg(1));
    writer.push(seg(2));
    await step();
    expect(metrics.counter('vigil_topology_dropped_events_total', '').get({ reason: 'failed' })).toBe(2);
    expect(log.lines.some((l) => l.level === 'error' && /write failed/.test(l.msg))).toBe(true);
    await step(100);
    expect(backend.ops()).toEqual(['write:2', 'resync']);
    expect(metrics.counter('vigil_topology_resyncs_total', '').get({ reason: 'failed-batch' })).toBe(1);
    expect(writer.stats()).toMatchObject({ up: true, queued: 0 });
  });

  it('a reset database (marker changed): migrates and resyncs at once', async () => {
    const { backend, writer, step, metrics } = setup();
    writer.start();
    await step();
    backend.calls = [];
    backend.marker = 'm2'; // Neo4j restarted empty and was migrated by someone else
    writer.push(seg(1));
    await step();
    expect(backend.ops()).toEqual(['write:1', 'migrate', 'resync']);
    expect(metrics.counter('vigil_topology_resyncs_total', '').get({ reason: 'reset' })).toBe(1);
    expect(writer.stats()).toMatchObject({ up: true, queued: 0, resyncs: 2 });
  });

  it('a database reset again and again before anything is written: backs off', async () => {
    const { backend, writer, step } = setup();
    writer.start();
    await step();
    backend.calls = [];
    const reset = () => new StoreResetError('m1', null);
    // write: reset; migrate: ok; resync: reset; migrate: ok; resync: reset; migrate: ok; resync: ok
    backend.failures = [reset(), null, reset(), null, reset(), null, null];
    writer.push(seg(1));
    await step();
    // first reset: at once; the resync meets a reset too: now it waits
    expect(backend.ops()).toEqual(['write:1', 'migrate', 'resync']);
    await step(99);
    expect(backend.ops()).toHaveLength(3);
    await step(1);
    expect(backend.ops()).toEqual(['write:1', 'migrate', 'resync', 'migrate', 'resync']);
    await step(200);
    expect(backend.ops()).toEqual(['write:1', 'migrate', 'resync', 'migrate', 'resync', 'migrate', 'resync']);
    expect(writer.stats()).toMatchObject({ up: true, queued: 0 });
  });

  it('overflow: drops the queue and what follows until the resync takes its snapshot', async () => {
    const { backend, writer, step, metrics } = setup({ queueLimit: 10, batchSize: 5 });
    writer.start();
    await step();
    backend.calls = [];
    let open!: () => void;
    backend.gate = new Promise((r) => (open = r));
    for (let i = 1; i <= 10; i++) writer.push(seg(i)); // the first 5 are being written (slowly)
    await step();
    writer.push(seg(11)); // does not fit
    expect(writer.stats()).toMatchObject({ queued: 0, needsResync: true });
    writer.push(seg(12));
    writer.push(seg(13));
    expect(writer.stats().queued).toBe(0);
    expect(metrics.counter('vigil_topology_dropped_events_total', '').get({ reason: 'overflow' })).toBe(1);
    expect(metrics.counter('vigil_topology_dropped_events_total', '').get({ reason: 'superseded' })).toBe(12);
    backend.gate = null;
    open();
    await step();
    expect(backend.ops()).toEqual(['write:5', 'resync']);
    expect(metrics.counter('vigil_topology_resyncs_total', '').get({ reason: 'overflow' })).toBe(1);
    // after the snapshot, events queue again
    writer.push(seg(14));
    await step();
    expect(backend.ops()).toEqual(['write:5', 'resync', 'write:1']);
  });

  it('without a snapshot provider: no resync; an overflow drops only the event; the queue replays after an outage', async () => {
    const { backend, writer, step, metrics } = setup({ queueLimit: 3 }, false);
    writer.start();
    await step();
    expect(backend.ops()).toEqual(['migrate']);
    backend.failures = [unavailable()];
    for (let i = 1; i <= 4; i++) writer.push(seg(i));
    await step();
    expect(metrics.counter('vigil_topology_dropped_events_total', '').get({ reason: 'overflow' })).toBe(1);
    expect(writer.stats()).toMatchObject({ up: false, queued: 3, needsResync: false });
    await step(100);
    expect(backend.ops()).toEqual(['migrate', 'write:3', 'migrate', 'write:3']);
    expect(writer.stats()).toMatchObject({ up: true, queued: 0, written: 3 });
  });

  it('a failing resync is retried with a fresh snapshot', async () => {
    const { backend, writer, step } = setup();
    backend.failures = [null, unavailable()];
    writer.start();
    await step();
    expect(backend.calls).toEqual([{ op: 'migrate' }, { op: 'resync', at: 1 }]);
    await step(100);
    expect(backend.calls.slice(2)).toEqual([{ op: 'migrate' }, { op: 'resync', at: 2 }]);
    expect(writer.stats().resyncs).toBe(1);
  });

  it('push never throws and close() stops the retries', async () => {
    const { backend, writer, step, clock } = setup();
    backend.failures = Array.from({ length: 100 }, unavailable);
    writer.start();
    await step();
    expect(() => writer.push(seg(1))).not.toThrow();
    await writer.close();
    expect(clock.pendingTimers).toBe(0);
    const n = backend.calls.length;
    writer.push(seg(2));
    await step(60_000);
    expect(backend.calls.length).toBe(n);
  });
});
