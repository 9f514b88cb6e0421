/**
 * The OVSDB client (RFC 7047 + ovsdb-server(7) extensions) over a unix socket or TCP.
 *
 *   const client = new OvsdbClient({ remote: 'unix:/var/run/openvswitch/db.sock' });
 *   await client.connect();
 *   const [{ uuid }] = await client.transact('Open_vSwitch', [op.insert('Bridge', { name: 'br0' }, 'br')]);
 *   const mon = await client.monitorVswitch({ Bridge: { columns: ['name', 'ports'] } });
 *   mon.replica.table$('Bridge').subscribe(...)
 *
 * The client keeps one connection and re-establishes it after any loss, with exponential backoff on the
 * injected clock; monitors (with their replicas) and locks are restored on the new connection before it is
 * reported as connected. Requests made while disconnected wait for the connection up to their timeout;
 * requests in flight when a connection drops fail with OvsdbConnectionClosedError (a transaction may or may
 * not have committed: check before retrying). Transactions are validated against the server's schema before
 * they are sent (OvsdbValidationError) and refusals come back as OvsdbTransactionError.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { BehaviorSubject, firstValueFrom, Subject } from 'rxjs';
import { OvsdbDecodeError, OvsdbRpcError } from '../../codec/ovsdb/errors.js';
import { type JsonValue, type RpcNotification } from '../../codec/ovsdb/jsonrpc.js';
import { decodeTransactResult, encodeTransact, type Operation, type TransactResults } from '../../codec/ovsdb/operations.js';
import { parseSchema, type DatabaseSchema } from '../../codec/ovsdb/schema.js';
import { validateTransaction } from '../../codec/ovsdb/validate.js';
import { isId } from '../../codec/ovsdb/value.js';
import { silentLogger, type Logger } from '../../observability/log.js';
import { Registry } from '../../observability/metrics.js';
import { backoffDelay, defaultBackoff, systemClock, type BackoffOptions, type Clock, type TimerHandle } from './clock.js';
import { OvsdbConnection } from './connection.js';
import { OvsdbConnectionClosedError, OvsdbNotSupportedError, OvsdbRequestTimeoutError, OvsdbSchemaMismatchError } from './errors.js';
import { Monitor, type MonitorMethod, type MonitorRequests, type MonitorTableRequest } from './monitor.js';
import type { ReplicaRow, RowTypes } from './replica.js';
import { VSWITCH_DB, vswitchSchemaProblems, type VswitchColumn, type VswitchRows, type VswitchTableName } from './vswitch.js';

export const DEFAULT_OVSDB_REMOTE = 'unix:/var/run/openvswitch/db.sock';

export interface OvsdbClientOptions {
  /** `unix:PATH`, `tcp:HOST:PORT` or `tcp:[IPv6]:PORT` (ovs-vsctl's syntax). */
  remote: string;
  /** Default timeout of a request, including waiting for a connection (0: none). */
  requestTimeoutMs: number;
  /** Keepalive: echo after this much silence from the server (0: none). */
  echoIntervalMs: number;
  /** Dead-peer verdict after this much silence (0: never). */
  deadAfterMs: number;
  connectTimeoutMs: number;
  /** Reconnect backoff, or false to give up after the first loss. */
  reconnect: BackoffOptions | false;
  maxMessageBytes: number;
  /** Validate transactions and monitor conditions against the schema before sending. */
  validate: boolean;
  clock: Clock;
  random: () => number;
  metrics: Registry;
  logger: Logger;
}

export const defaultClientOptions: OvsdbClientOptions = {
  remote: DEFAULT_OVSDB_REMOTE,
  requestTimeoutMs: 10_000,
  echoIntervalMs: 5_000,
  deadAfterMs: 15_000,
  connectTimeoutMs: 5_000,
  reconnect: defaultBackoff,
  maxMessageBytes: 64 * 1024 * 1024,
  validate: true,
  clock: systemClock,
  random: Math.random,
  metrics: new Registry(),
  logger: silentLogger,
};

export type ClientState = 'idle' | 'connecting' | 'connected' | 'backoff' | 'closed';

export type LockEvent = { lock: string; event: 'locked' | 'stolen' | 'lost' };
export type LockState = 'locked' | 'waiting' | 'stolen';

export interface TransactOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Overrides the client's `validate` for this transaction. */
  validate?: boolean;
}

export type Remote = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/** Parses `unix:PATH`, `tcp:HOST:PORT`, `tcp:[IPv6]:PORT`. */
export function parseRemote(remote: string): Remote {
  if (remote.startsWith('unix:')) {
    const path = remote.slice(5);
    if (path.length === 0) throw new RangeError('unix: remote needs a socket path');
    return { kind: 'unix', path };
  }
  if (remote.startsWith('tcp:')) {
    const rest = remote.slice(4);
    const m = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(rest) ?? /^([^:\s]+):(\d+)$/.exec(rest);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) throw new RangeError(`tcp: remote must be tcp:HOST:PORT, got ${JSON.stringify(remote)}`);
    return { kind: 'tcp', host: m[1]!, port };
  }
  throw new RangeError(`unsupported OVSDB remote ${JSON.stringify(remote)} (use unix:PATH or tcp:HOST:PORT)`);
}

interface Waiter {
  resolve(c: OvsdbConnection): void;
  reject(e: Error): void;
  timer: TimerHandle | undefined;
}

export class OvsdbClient {
  readonly options: OvsdbClientOptions;
  readonly remote: Remote;
  readonly state$ = new BehaviorSubject<ClientState>('idle');
  /** Emits each time a connection is up and monitors/locks are restored on it. */
  readonly connected$ = new Subject<{ reconnect: boolean }>();
  /** Emits the reason each time an established connection is lost. */
  readonly disconnected$ = new Subject<string>();
  readonly lockEvents$ = new Subject<LockEvent>();
  /** Notifications the client does not handle itself. */
  readonly notification$ = new Subject<RpcNotification>();

  private conn: OvsdbConnection | undefined;
  private generation = 0;
  private readonly monitors = new Map<string, Monitor<RowTypes>>();
  private readonly locks = new Map<string, LockState>();
  private readonly schemas = new Map<string, Promise<DatabaseSchema>>();
  private readonly unsupported = new Set<string>();
  private waiters: Waiter[] = [];
  private loop: Promise<void> | undefined;
  private closing = false;
  private sleepTimer: TimerHandle | undefined;
  private connecting: Socket | undefined;
  private wake: (() => void) | undefined;
  private monitorSeq = 0;
  private everConnected = false;
  private readonly log: Logger;

  constructor(options: Partial<OvsdbClientOptions> = {}) {
    this.options = { ...defaultClientOptions, ...options };
    this.remote = parseRemote(this.options.remote);
    this.log = this.options.logger.child({ ovsdb: this.options.remote });
  }

  get state(): ClientState {
    return this.state$.value;
  }

  get isConnected(): boolean {
    return this.state$.value === 'connected';
  }

  /** The current connection (for diagnostics and tests). */
  get connection(): OvsdbConnection | undefined {
    return this.conn;
  }

  /**
   * Starts the connection loop and resolves once connected. With reconnect enabled it keeps trying (and the
   * promise waits) until connected or `close()`; with `reconnect: false` it rejects on the first failure.
   */
  async connect(): Promise<void> {
    if (this.closing) throw new OvsdbConnectionClosedError('connect', 'client closed');
    if (this.isConnected) return;
    const ready = this.waitForConnection('connect', 0);
    this.loop ??= this.run();
    await ready;
  }

  /** Closes the client for good: cancels reconnects, fails pending requests, completes replicas. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.sleepTimer !== undefined) this.options.clock.clearTimeout(this.sleepTimer);
    this.wake?.();
    this.connecting?.destroy(new Error('client closed'));
    this.conn?.close('client closed');
    for (const w of this.waiters.splice(0)) {
      if (w.timer !== undefined) this.options.clock.clearTimeout(w.timer);
      w.reject(new OvsdbConnectionClosedError('request', 'client closed'));
    }
    for (const m of this.monitors.values()) m.markCanceled();
    this.monitors.clear();
    await this.loop?.catch(() => undefined);
    this.setState('closed');
    this.state$.complete();
    this.connected$.complete();
    this.disconnected$.complete();
    this.lockEvents$.complete();
    this.notification$.complete();
  }

  // ------------------------------------------------------------------------------------------ methods

  /** A raw JSON-RPC request (waits for the connection). */
  async request<T = JsonValue>(method: string, params: JsonValue[], opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? this.options.requestTimeoutMs;
    const conn = await this.waitForConnection(method, timeoutMs);
    try {
      return await conn.request<T>(method, params, { timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (e) {
      throw this.translate(method, e);
    }
  }

  async listDbs(): Promise<string[]> {
    const r = await this.request('list_dbs', []);
    if (!Array.isArray(r) || !r.every((x) => typeof x === 'string')) throw new OvsdbDecodeError('list_dbs result is not an array of names', 'bad-result', 'result');
    return r as string[];
  }

  /** The schema of a database, fetched once per connection. */
  getSchema(db: string): Promise<DatabaseSchema> {
    let p = this.schemas.get(db);
    if (!p) {
      p = this.request('get_schema', [db]).then(parseSchema);
      this.schemas.set(db, p);
      p.catch(() => this.schemas.delete(db));
    }
    return p;
  }

  /** echo: the server returns the params. */
  async echo(...params: JsonValue[]): Promise<JsonValue[]> {
    const r = await this.request('echo', params);
    if (!Array.isArray(r)) throw new OvsdbDecodeError('echo result is not an array', 'bad-result', 'result');
    return r;
  }

  /**
   * Runs a transaction. Resolves with one typed result per operation; a refusal rejects with
   * OvsdbTransactionError (error, details, index of the failing operation). `signal` cancels it.
   */
  async transact<const Ops extends readonly Operation[]>(db: string, ops: Ops, opts: TransactOptions = {}): Promise<TransactResults<Ops>> {
    const validate = opts.validate ?? this.options.validate;
    const schema = await this.getSchema(db);
    if (validate) validateTransaction(schema, ops);
    const params = encodeTransact(db, ops);
    const result = await this.request('transact', params, opts);
    return decodeTransactResult(ops, result, schema);
  }

  // ----------------------------------------------------------------------------------------- monitors

  /** RFC 7047 monitor (update notifications). */
  monitor<R extends RowTypes = Record<string, ReplicaRow>>(db: string, requests: MonitorRequests): Promise<Monitor<R>> {
    return this.startMonitor<R>(db, 'monitor', requests);
  }

  /** monitor_cond (update2 notifications with diffs). */
  monitorCond<R extends RowTypes = Record<string, ReplicaRow>>(db: string, requests: MonitorRequests): Promise<Monitor<R>> {
    return this.startMonitor<R>(db, 'monitor_cond', requests);
  }

  /** monitor_cond_since (update3; resumes from the last transaction after a reconnect when the server can). */
  monitorCondSince<R extends RowTypes = Record<string, ReplicaRow>>(db: string, requests: MonitorRequests): Promise<Monitor<R>> {
    return this.startMonitor<R>(db, 'monitor_cond_since', requests);
  }

  /** The best monitor the server supports: monitor_cond_since, else monitor_cond, else monitor. */
  async watch<R extends RowTypes = Record<string, ReplicaRow>>(db: string, requests: MonitorRequests): Promise<Monitor<R>> {
    const hasWhere = Object.values(requests).some((r) => r.where !== undefined);
    const methods: MonitorMethod[] = hasWhere ? ['monitor_cond_since', 'monitor_cond'] : ['monitor_cond_since', 'monitor_cond', 'monitor'];
    let last: Error | undefined;
    for (const m of methods) {
      if (this.unsupported.has(m)) continue;
      try {
        return await this.startMonitor<R>(db, m, requests);
      } catch (e) {
        if (!(e instanceof OvsdbNotSupportedError)) throw e;
        last = e;
      }
    }
    throw last ?? new OvsdbNotSupportedError(methods.join('/'));
  }

  /** Typed monitor of Open_vSwitch tables Vigil uses (best method the server supports). */
  monitorVswitch<const T extends VswitchTableName>(requests: {
    [K in T]: Omit<MonitorTableRequest, 'columns'> & { columns?: readonly VswitchColumn<K>[] };
  }): Promise<Monitor<VswitchRows>> {
    return this.watch<VswitchRows>(VSWITCH_DB, requests as MonitorRequests);
  }

  /** Fetches the Open_vSwitch schema and throws OvsdbSchemaMismatchError if Vigil's typed tables do not fit. */
  async checkVswitchSchema(): Promise<DatabaseSchema> {
    const schema = await this.getSchema(VSWITCH_DB);
    const problems = vswitchSchemaProblems(schema);
    if (problems.length > 0) throw new OvsdbSchemaMismatchError(VSWITCH_DB, problems);
    return schema;
  }

  private async startMonitor<R extends RowTypes>(db: string, method: MonitorMethod, requests: MonitorRequests): Promise<Monitor<R>> {
    if (this.unsupported.has(method)) throw new OvsdbNotSupportedError(method);
    const schema = await this.getSchema(db);
    const id = `vigil-${++this.monitorSeq}`;
    const m = new Monitor<R>(id, db, method, requests, schema, (mon) => this.cancelMonitor(mon as unknown as Monitor<RowTypes>), this.options.validate);
    const timeoutMs = this.options.requestTimeoutMs;
    const conn = await this.waitForConnection(method, timeoutMs);
    this.monitors.set(id, m as unknown as Monitor<RowTypes>);
    try {
      await this.establish(conn, m as unknown as Monitor<RowTypes>, timeoutMs);
    } catch (e) {
      this.monitors.delete(id);
      m.markCanceled();
      throw this.translate(method, e);
    }
    this.counter('vigil_ovsdb_monitors_started_total', 'OVSDB monitors started, by method').inc({ method });
    return m;
  }

  private establish(conn: OvsdbConnection, m: Monitor<RowTypes>, timeoutMs: number): Promise<unknown> {
    return conn.request(m.method, m.params(), { timeoutMs, onResult: (r) => m.handleReply(r) });
  }

  private async cancelMonitor(m: Monitor<RowTypes>): Promise<void> {
    const known = this.monitors.delete(m.id);
    if (!known || !this.conn?.isOpen || !this.isConnected) return;
    try {
      await this.conn.request('monitor_cancel', [m.id]);
    } catch (e) {
      throw this.translate('monitor_cancel', e);
    }
  }

  // -------------------------------------------------------------------------------------------- locks

  /**
   * Requests a lock (RFC 7047 §4.1.8). Resolves true when granted at once; otherwise false, and a
   * `locked` event follows on lockEvents$ when it is granted. The lock is requested again after a reconnect.
   */
  async lock(name: string): Promise<boolean> {
    checkLockName(name);
    const state = this.locks.get(name);
    if (state === 'locked') return true;
    if (state === 'waiting') return false;
    // ovsdb-server keeps a stolen lock's request until "unlock" ("must issue unlock before new lock").
    if (state === 'stolen') await this.request('unlock', [name]);
    this.locks.set(name, 'waiting');
    const r = await this.request<{ locked?: unknown }>('lock', [name]);
    const locked = r !== null && typeof r === 'object' && r.locked === true;
    if (locked) this.locks.set(name, 'locked');
    return locked;
  }

  /** Takes a lock from its owner (RFC 7047 §4.1.9); the owner gets "stolen". */
  async steal(name: string): Promise<void> {
    checkLockName(name);
    // ovsdb-server refuses a steal while this session still waits for the lock ("must issue unlock").
    if (this.locks.has(name)) await this.request('unlock', [name]);
    this.locks.set(name, 'waiting');
    await this.request('steal', [name]);
    this.locks.set(name, 'locked');
  }

  async unlock(name: string): Promise<void> {
    checkLockName(name);
    this.locks.delete(name);
    await this.request('unlock', [name]);
  }

  lockState(name: string): LockState | undefined {
    return this.locks.get(name);
  }

  // ------------------------------------------------------------------------------------- connection loop

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closing) {
      this.setState('connecting');
      let conn: OvsdbConnection | undefined;
      try {
        const socket = await this.openSocket();
        conn = new OvsdbConnection(
          socket,
          {
            requestTimeoutMs: this.options.requestTimeoutMs,
            echoIntervalMs: this.options.echoIntervalMs,
            deadAfterMs: this.options.deadAfterMs,
            maxMessageBytes: this.options.maxMessageBytes,
            clock: this.options.clock,
            metrics: this.options.metrics,
            logger: this.options.logger,
          },
          this.options.remote,
        );
        const c = conn;
        c.notification$.subscribe((n) => this.onNotification(c, n));
        this.conn = conn;
        this.generation++;
        this.schemas.clear();
        this.unsupported.clear();
        await this.restore(conn);
        if (this.closing) break;
        if (!conn.isOpen) throw new Error(conn.reason ?? 'connection closed during restore');
      } catch (e) {
        conn?.close(`restore failed: ${(e as Error).message}`);
        this.counter('vigil_ovsdb_connect_failures_total', 'Failed attempts to connect to OVSDB').inc();
        this.log.debug('ovsdb connect failed', { error: (e as Error).message, attempt });
        if (this.closing) break;
        if (this.options.reconnect === false) {
          this.failWaiters(new OvsdbConnectionClosedError('connect', (e as Error).message));
          this.setState('closed');
          return;
        }
        attempt++;
        this.setState('backoff');
        await this.sleep(backoffDelay(attempt, this.options.reconnect, this.options.random));
        continue;
      }
      attempt = 0;
      const reconnect = this.everConnected;
      if (reconnect) this.counter('vigil_ovsdb_reconnects_total', 'OVSDB connections re-established after a loss').inc();
      this.everConnected = true;
      this.setState('connected');
      this.options.metrics.gauge('vigil_ovsdb_connected', 'Whether the OVSDB connection is up').set(1, { remote: this.options.remote });
      this.log.info('ovsdb connected', { reconnect, monitors: this.monitors.size });
      for (const w of this.waiters.splice(0)) {
        if (w.timer !== undefined) this.options.clock.clearTimeout(w.timer);
        w.resolve(conn);
      }
      this.connected$.next({ reconnect });
      const reason = await firstValueFrom(conn.closed$);
      this.options.metrics.gauge('vigil_ovsdb_connected', 'Whether the OVSDB connection is up').set(0, { remote: this.options.remote });
      if (this.closing) break;
      this.counter('vigil_ovsdb_disconnects_total', 'OVSDB connections lost').inc();
      this.log.warn('ovsdb connection lost', { reason });
      for (const [name, st] of this.locks) {
        if (st === 'locked') this.lockEvents$.next({ lock: name, event: 'lost' });
        this.locks.set(name, 'waiting');
      }
      this.disconnected$.next(reason);
      if (this.options.reconnect === false) {
        this.failWaiters(new OvsdbConnectionClosedError('request', `connection lost (${reason}); reconnect is off`));
        this.setState('closed');
        for (const m of this.monitors.values()) m.markCanceled();
        this.monitors.clear();
        return;
      }
      attempt = 1;
      this.setState('backoff');
      await this.sleep(backoffDelay(attempt, this.options.reconnect, this.options.random));
    }
  }

  /** Re-establishes monitors and locks on a new connection (before it is reported connected). */
  private async restore(conn: OvsdbConnection): Promise<void> {
    const timeoutMs = this.options.requestTimeoutMs;
    for (const m of [...this.monitors.values()]) {
      if (m.isCanceled) continue;
      try {
        await this.establish(conn, m, timeoutMs);
      } catch (e) {
        if (!(e instanceof OvsdbRpcError)) throw e;
        // The server refuses the request it accepted before (schema changed, database gone): retrying
        // cannot help, so the monitor ends (its replica's observables complete) and the rest goes on.
        this.monitors.delete(m.id);
        m.markCanceled();
        this.counter('vigil_ovsdb_monitors_dropped_total', 'Monitors the server refused to re-establish after a reconnect').inc();
        this.log.error('ovsdb monitor could not be re-established', { monitor: m.id, error: e.message });
      }
    }
    for (const name of [...this.locks.keys()]) {
      const r = await conn.request<{ locked?: unknown }>('lock', [name], { timeoutMs });
      if (r !== null && typeof r === 'object' && r.locked === true) {
        this.locks.set(name, 'locked');
        this.lockEvents$.next({ lock: name, event: 'locked' });
      }
    }
  }

  private onNotification(conn: OvsdbConnection, n: RpcNotification): void {
    if (conn !== this.conn) return;
    switch (n.method) {
      case 'update':
      case 'update2':
      case 'update3': {
        const mid = n.params[0];
        const m = typeof mid === 'string' ? this.monitors.get(mid) : undefined;
        if (!m) {
          this.counter('vigil_ovsdb_stray_updates_total', 'Monitor updates for no active monitor').inc({ method: n.method });
          return;
        }
        try {
          m.handleNotification(n.method, n.params);
        } catch (e) {
          if (e instanceof OvsdbDecodeError) {
            // The replica can no longer be trusted: reset; the reconnect resynchronises it.
            conn.malformed(e);
            return;
          }
          throw e;
        }
        return;
      }
      case 'locked':
      case 'stolen': {
        const name = n.params[0];
        if (typeof name !== 'string') {
          conn.malformed(new OvsdbDecodeError(`${n.method} notification without a lock name`, 'bad-message', 'params[0]'));
          return;
        }
        if (n.method === 'locked') this.locks.set(name, 'locked');
        else if (this.locks.has(name)) this.locks.set(name, 'stolen');
        this.lockEvents$.next({ lock: name, event: n.method });
        return;
      }
      case 'monitor_canceled': {
        const m = this.monitors.get(String(n.params[0]));
        if (m) {
          this.monitors.delete(m.id);
          m.markCanceled();
        }
        return;
      }
      default:
        this.notification$.next(n);
    }
  }

  private openSocket(): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const r = this.remote;
      const socket = r.kind === 'unix' ? netConnect({ path: r.path }) : netConnect({ host: r.host, port: r.port });
      this.connecting = socket;
      const timer = this.options.clock.setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect timeout after ${this.options.connectTimeoutMs} ms`));
      }, this.options.connectTimeoutMs);
      socket.once('connect', () => {
        this.connecting = undefined;
        this.options.clock.clearTimeout(timer);
        socket.removeAllListeners('error');
        if (r.kind === 'tcp') socket.setNoDelay(true);
        resolve(socket);
      });
      socket.once('error', (e) => {
        this.connecting = undefined;
        this.options.clock.clearTimeout(timer);
        socket.destroy();
        reject(e);
      });
    });
  }

  private waitForConnection(method: string, timeoutMs: number): Promise<OvsdbConnection> {
    if (this.closing) return Promise.reject(new OvsdbConnectionClosedError(method, 'client closed'));
    if (this.isConnected && this.conn?.isOpen) return Promise.resolve(this.conn);
    if (!this.loop && method !== 'connect') return Promise.reject(new OvsdbConnectionClosedError(method, 'not connected (call connect() first)'));
    if (this.state === 'closed') return Promise.reject(new OvsdbConnectionClosedError(method, 'client closed'));
    return new Promise<OvsdbConnection>((resolve, reject) => {
      const w: Waiter = { resolve, reject, timer: undefined };
      if (timeoutMs > 0) {
        w.timer = this.options.clock.setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new OvsdbRequestTimeoutError(method, timeoutMs));
        }, timeoutMs);
      }
      this.waiters.push(w);
    });
  }

  private failWaiters(e: Error): void {
    for (const w of this.waiters.splice(0)) {
      if (w.timer !== undefined) this.options.clock.clearTimeout(w.timer);
      w.reject(e);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
      this.sleepTimer = this.options.clock.setTimeout(() => {
        this.sleepTimer = undefined;
        this.wake?.();
      }, ms);
    });
  }

  private setState(s: ClientState): void {
    if (this.state$.value !== s && !this.state$.closed) this.state$.next(s);
  }

  private counter(name: string, help: string) {
    return this.options.metrics.counter(name, help);
  }

  /** "unknown method" replies become OvsdbNotSupportedError (remembered for this connection). */
  private translate(method: string, e: unknown): unknown {
    if (e instanceof OvsdbRpcError && e.code === 'unknown method') {
      this.unsupported.add(method);
      return new OvsdbNotSupportedError(method);
    }
    return e;
  }
}

function checkLockName(name: string): void {
  // ovsdb-server refuses lock names that are not <id>s ("lock request params must be <id>").
  if (!isId(name)) throw new RangeError(`lock name must be letters, digits and underscores: ${JSON.stringify(name)}`);
}
