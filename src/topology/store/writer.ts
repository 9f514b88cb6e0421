/**
 * TopologyWriter: mirrors TopologyEvents into Neo4j off the control path.
 *
 *   push(event) ──► EventQueue (bounded, coalescing) ──► pump: take ≤ batchSize ──► planBatch ──► backend.write
 *      O(1), never throws, never waits                        (one transaction per batch, one UNWIND per run of a type)
 *
 * - push() only enqueues (and schedules the pump on the clock); discovery and the packet path never wait
 *   on Neo4j. attach(events$) subscribes push to an Observable.
 * - Start-up (start()): migrations, then a full resync from the snapshot provider (the graph may hold a
 *   previous run's state), then queued events.
 * - Failures (connection.ts classifyFailure):
 *     unavailable → the batch stays queued; retry after an exponential, capped backoff (neo4j.retryMs ..
 *                   neo4j.retryMaxMs); the store is reported down; on the first success the migrations run
 *                   again (a restarted Neo4j may be empty) and a full resync replaces the queue;
 *     transient   → the batch stays queued; retry with the same backoff (no resync: the server kept state);
 *     permanent   → the batch is dropped (counted) and a resync is scheduled (the graph converges to the
 *                   controller's state without the offending write); a failing resync is retried;
 *     reset       → the database is not the one migrated (StoreResetError): migrate and resync at once.
 *   A change of state (up ↔ down) is logged once, with the error; every failure is counted.
 * - Overflow: when a push does not fit (queue at neo4j.queueLimit after coalescing), the queue is dropped
 *   and a resync is due; until it takes its snapshot, pushes are dropped as well (they are in the
 *   snapshot), so memory stays bounded however long Neo4j is away. Without a snapshot provider there is no
 *   resync: the overflowing event is dropped and the queue kept.
 * - A resync takes the snapshot synchronously and drops the queued events at that same moment (the snapshot
 *   reflects them); events pushed while it is written queue normally and follow it.
 *
 * Metrics: vigil_topology_writes_total (events written), vigil_topology_write_errors_total{kind},
 * vigil_topology_queue_depth, vigil_topology_dropped_events_total{reason=overflow|superseded|failed},
 * vigil_topology_coalesced_events_total{reason=coalesced|throttled}, vigil_topology_resyncs_total{reason},
 * vigil_topology_store_up.
 */
import { BehaviorSubject, type Observable, type Subscription } from 'rxjs';
import type { Logger } from '../../observability/log.js';
import type { Counter, Gauge, Registry } from '../../observability/metrics.js';
import { backoffDelay, systemClock, type BackoffOptions, type Clock, type TimerHandle } from '../../southbound/ovsdb/clock.js';
import type { TopologyEvent, TopologySnapshot } from '../model.js';
import { StoreResetError, type StoreBackend } from './backend.js';
import { classifyFailure, describeError, type FailureKind } from './connection.js';
import { MigrationError } from './migrations.js';
import { planBatch } from './plan.js';
import { EventQueue } from './queue.js';

export type ResyncReason = 'start' | 'reconnect' | 'overflow' | 'reset' | 'failed-batch';

export interface StoreStatus {
  /** The last Neo4j operation succeeded. */
  up: boolean;
  /** Events waiting (at the time of this status). */
  queued: number;
  /** The last failure, as text (null until one happens; kept after recovery). */
  lastError: string | null;
  /** Resyncs completed. */
  resyncs: number;
  /** A resync is due (start-up, after an outage, an overflow or a rejected batch). */
  needsResync: boolean;
}

export interface StoreStats extends StoreStatus {
  written: number;
  batches: number;
  dropped: number;
  coalesced: number;
  throttled: number;
  errors: number;
}

export interface TopologyWriterOptions {
  /** Most events per transaction (neo4j.writeBatchSize). */
  batchSize: number;
  /** Most events queued (neo4j.queueLimit). */
  queueLimit: number;
  /** Minimum interval between written link.seen of one link (neo4j.linkSeenIntervalMs). */
  linkSeenIntervalMs: number;
  /** Retry backoff (initialMs = neo4j.retryMs, maxMs = neo4j.retryMaxMs). */
  retry: BackoffOptions;
}

export interface TopologyWriterDeps {
  backend: StoreBackend;
  /**
   * The controller's whole topology, taken synchronously; it must reflect every event already pushed.
   * Without it the writer cannot resync (it then only replays its queue).
   */
  snapshot?: () => TopologySnapshot;
  logger: Logger;
  metrics: Registry;
  clock?: Clock;
  random?: () => number;
}

interface Meters {
  writes: Counter;
  errors: Counter;
  dropped: Counter;
  coalesced: Counter;
  resyncs: Counter;
  depth: Gauge;
  up: Gauge;
}

export class TopologyWriter {
  readonly status$: BehaviorSubject<StoreStatus>;
  private readonly queue: EventQueue;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly m: Meters;
  private marker: string | null = null;
  private resyncDue: ResyncReason | null;
  /** After an overflow: drop pushes until the resync takes its snapshot. */
  private dropUntilResync = false;
  private up = false;
  private lastError: string | null = null;
  private downSince: number | null = null;
  private failures = 0;
  /** Resets detected since the last write or resync that succeeded. */
  private resetStreak = 0;
  private started = false;
  private closed = false;
  private running: Promise<void> | null = null;
  private wakeTimer: TimerHandle | null = null;
  private retryTimer: TimerHandle | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly counts = { written: 0, batches: 0, dropped: 0, coalesced: 0, throttled: 0, errors: 0, resyncs: 0 };

  constructor(
    private readonly opts: TopologyWriterOptions,
    private readonly deps: TopologyWriterDeps,
  ) {
    this.queue = new EventQueue({ limit: opts.queueLimit, linkSeenIntervalMs: opts.linkSeenIntervalMs });
    this.clock = deps.clock ?? systemClock;
    this.log = deps.logger.child({ component: 'topology-writer' });
    const r = deps.metrics;
    this.m = {
      writes: r.counter('vigil_topology_writes_total', 'Topology events written to Neo4j'),
      errors: r.counter('vigil_topology_write_errors_total', 'Failed Neo4j topology operations, by kind (unavailable, transient, permanent, reset, migration)'),
      dropped: r.counter('vigil_topology_dropped_events_total', 'Topology events not written, by reason (overflow, superseded by a resync, failed batch)'),
      coalesced: r.counter('vigil_topology_coalesced_events_total', 'Topology sightings folded into a queued one or throttled'),
      resyncs: r.counter('vigil_topology_resyncs_total', 'Full rewrites of the topology graph from the controller state, by reason'),
      depth: r.gauge('vigil_topology_queue_depth', 'Topology events waiting to be written to Neo4j'),
      up: r.gauge('vigil_topology_store_up', '1 when the last Neo4j topology operation succeeded'),
    };
    this.m.up.set(0);
    this.m.depth.set(0);
    this.resyncDue = deps.snapshot ? 'start' : null;
    this.status$ = new BehaviorSubject(this.status());
  }

  /** Starts writing: migrations, the start-up resync, then the queue. Returns at once. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.wake();
  }

  /** Queues an event (O(1); never throws, never waits). */
  push(e: TopologyEvent): void {
    if (this.closed) return;
    if (this.dropUntilResync) {
      this.drop('superseded', 1);
      return;
    }
    let pushed: ReturnType<EventQueue['push']>;
    try {
      pushed = this.queue.push(e);
    } catch (err) {
      // A malformed event must not break discovery: drop it (counted) and rewrite from the state.
      this.drop('failed', 1);
      this.requestResync('failed-batch');
      this.log.error('topology event refused by the writer queue', { type: (e as { type?: unknown }).type, error: err });
      this.wake();
      return;
    }
    switch (pushed) {
      case 'coalesced':
        this.counts.coalesced++;
        this.m.coalesced.inc({ reason: 'coalesced' });
        break;
      case 'throttled':
        this.counts.throttled++;
        this.m.coalesced.inc({ reason: 'throttled' });
        return;
      case 'overflow':
        this.drop('overflow', 1);
        if (this.deps.snapshot) {
          this.drop('superseded', this.queue.clear());
          this.dropUntilResync = true;
          this.requestResync('overflow');
          this.log.warn('topology queue overflow: dropped the queue, the graph will be rewritten from the controller state', { limit: this.queue.limit });
        }
        break;
      case 'queued':
        break;
    }
    this.m.depth.set(this.queue.size);
    this.wake();
  }

  /** Pushes every event of `events$` (the subscription ends with it or on unsubscribe). */
  attach(events$: Observable<TopologyEvent>): Subscription {
    return events$.subscribe({ next: (e) => this.push(e) });
  }

  stats(): StoreStats {
    return { ...this.status(), written: this.counts.written, batches: this.counts.batches, dropped: this.counts.dropped, coalesced: this.counts.coalesced, throttled: this.counts.throttled, errors: this.counts.errors };
  }

  /**
   * Resolves when there is nothing left to do: queue empty, no resync due, nothing being written (tests,
   * orderly shutdown). While Neo4j is down it keeps waiting.
   */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops: no more writes after the one in progress (queued events are left: the next start resyncs). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of [this.wakeTimer, this.retryTimer]) if (t !== null) this.clock.clearTimeout(t);
    this.wakeTimer = this.retryTimer = null;
    await this.running;
    this.status$.complete();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  // ---- the pump ------------------------------------------------------------------------------------------

  private status(): StoreStatus {
    return { up: this.up, queued: this.queue.size, lastError: this.lastError, resyncs: this.counts.resyncs, needsResync: this.resyncDue !== null };
  }

  private publish(): void {
    if (!this.closed) this.status$.next(this.status());
  }

  private isIdle(): boolean {
    return this.queue.size === 0 && this.resyncDue === null && this.marker !== null && this.running === null;
  }

  private requestResync(reason: ResyncReason): void {
    if (!this.deps.snapshot) return;
    if (this.resyncDue === null) {
      this.resyncDue = reason;
      this.publish();
    }
  }

  private drop(reason: 'overflow' | 'superseded' | 'failed', n: number): void {
    if (n <= 0) return;
    this.counts.dropped += n;
    this.m.dropped.inc({ reason }, n);
  }

  /** Runs the pump soon, unless it runs, waits for a retry, or the writer has not started. */
  private wake(): void {
    if (!this.started || this.closed || this.running || this.retryTimer !== null || this.wakeTimer !== null) return;
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = null;
      this.run();
    }, 0);
  }

  private run(): void {
    if (this.running || this.closed) return;
    this.running = this.pump().finally(() => {
      this.running = null;
      if (this.closed) return;
      if (this.retryTimer === null && (this.queue.size > 0 || this.resyncDue !== null || this.marker === null)) this.wake();
      else if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  private async pump(): Promise<void> {
    const { backend } = this.deps;
    try {
      while (!this.closed) {
        if (this.marker === null) {
          const r = await backend.migrate();
          if (r.applied.length > 0) this.log.info('topology migrations applied', { applied: r.applied });
          if (r.unknown.length > 0) this.log.warn('the Neo4j database has migrations this Vigil does not know (a newer version ran on it)', { unknown: r.unknown });
          this.marker = r.marker;
          this.succeeded();
          continue;
        }
        if (this.resyncDue !== null && this.deps.snapshot) {
          const reason = this.resyncDue;
          const snapshot = this.deps.snapshot();
          // The snapshot reflects everything queued so far.
          this.drop('superseded', this.queue.clear());
          this.dropUntilResync = false;
          this.resyncDue = null;
          this.m.depth.set(this.queue.size);
          const t0 = this.clock.now();
          try {
            const r = await backend.resync(snapshot, this.marker);
            this.counts.resyncs++;
            this.m.resyncs.inc({ reason });
            this.queue.resetThrottle();
            this.log.info('topology resync written', {
              reason,
              ms: this.clock.now() - t0,
              switches: snapshot.switches.length,
              links: snapshot.links.length,
              hosts: snapshot.hosts.length,
              vms: snapshot.vms.length,
              segments: snapshot.segments.length,
              statements: r.statements,
              removed: r.removed,
            });
          } catch (e) {
            // Not written: due again (with a fresh snapshot then).
            this.resyncDue = reason;
            throw e;
          }
          this.resetStreak = 0;
          this.succeeded();
          this.publish();
          continue;
        }
        const batch = this.queue.take(this.opts.batchSize);
        if (batch.events.length === 0) {
          this.queue.release(batch);
          break;
        }
        try {
          await backend.write(planBatch(batch.events), this.marker);
        } catch (e) {
          if (classifyFailure(e) === 'permanent' && !(e instanceof StoreResetError) && !(e instanceof MigrationError)) {
            this.queue.commit(batch);
            this.drop('failed', batch.events.length);
            this.requestResync('failed-batch');
          } else this.queue.release(batch);
          throw e;
        }
        this.queue.commit(batch);
        this.counts.written += batch.events.length;
        this.counts.batches++;
        this.m.writes.inc({}, batch.events.length);
        this.m.depth.set(this.queue.size);
        this.resetStreak = 0;
        this.succeeded();
      }
    } catch (e) {
      this.failed(e);
    }
  }

  private succeeded(): void {
    this.failures = 0;
    if (this.up) return;
    this.up = true;
    this.m.up.set(1);
    if (this.downSince !== null) this.log.info('Neo4j topology store is back', { downMs: this.clock.now() - this.downSince });
    else this.log.info('Neo4j topology store up');
    this.downSince = null;
    this.publish();
  }

  private failed(e: unknown): void {
    const kind: FailureKind | 'reset' | 'migration' = e instanceof StoreResetError ? 'reset' : e instanceof MigrationError ? 'migration' : classifyFailure(e);
    const text = describeError(e);
    this.counts.errors++;
    this.m.errors.inc({ kind });
    this.m.depth.set(this.queue.size);
    if (kind === 'reset') {
      // Not an outage: the database is another one. Migrate and resync right away — unless it happens
      // again before anything could be written (someone keeps wiping it): then back off like a failure.
      this.marker = null;
      this.requestResync('reset');
      if (this.resetStreak++ === 0) {
        this.log.warn('the Neo4j database was reset: migrating and rewriting the topology', { error: text });
        this.lastError = text;
        this.publish();
        return;
      }
    }
    if (kind === 'unavailable') {
      // It may come back empty: migrate again, then resync (which also replaces the queue).
      this.marker = null;
      this.requestResync('reconnect');
    }
    const wasUp = this.up || this.downSince === null;
    const changed = this.lastError !== text;
    this.lastError = text;
    if (wasUp) {
      this.up = false;
      this.m.up.set(0);
      this.downSince = this.clock.now();
      const statement = (e as { statement?: unknown } | null)?.statement;
      const fields = { kind, error: text, queued: this.queue.size, ...(typeof statement === 'string' ? { statement } : {}) };
      if (kind === 'unavailable' || kind === 'transient') this.log.warn('Neo4j topology store down: events queue and are retried', fields);
      else this.log.error('Neo4j topology write failed', fields);
    } else this.log.debug('Neo4j topology store still down', { kind, error: text, attempt: this.failures + 1 });
    this.failures++;
    const delay = backoffDelay(this.failures, this.opts.retry, this.deps.random);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      this.run();
    }, delay);
    if (wasUp || changed) this.publish();
  }
}
