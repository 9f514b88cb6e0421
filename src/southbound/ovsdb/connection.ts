/**
 * One OVSDB JSON-RPC connection over an open stream socket: request/response correlation by id with
 * timeouts, notifications as a stream, the server's "echo" requests answered, our own echo sent after
 * silence as a keepalive, and a dead peer (silent for `deadAfterMs`) detected.
 *
 * A connection is used once: any failure (malformed input, dead peer, socket error) closes it with a reason,
 * fails its pending requests with OvsdbConnectionClosedError and emits on `closed$`. Reconnecting is the
 * client's job. Malformed input never throws into socket callbacks: it is counted by reason
 * (`vigil_ovsdb_malformed_total`) and the connection is reset, since JSON-RPC has no way to resynchronise a
 * byte stream.
 */
import type { Socket } from 'node:net';
import { ReplaySubject, Subject } from 'rxjs';
import { OvsdbDecodeError, OvsdbRpcError } from '../../codec/ovsdb/errors.js';
import { JsonRpcFramer } from '../../codec/ovsdb/framer.js';
import { decodeRpcMessage, encodeRpcMessage, idKey, type JsonValue, type RpcMessage, type RpcNotification } from '../../codec/ovsdb/jsonrpc.js';
import { silentLogger, type Logger } from '../../observability/log.js';
import { Registry } from '../../observability/metrics.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { OvsdbCanceledError, OvsdbConnectionClosedError, OvsdbRequestTimeoutError } from './errors.js';

export interface ConnectionOptions {
  /** Default timeout of a request (0: none). */
  requestTimeoutMs: number;
  /** Send an echo request after this much silence from the server (0: no keepalive). */
  echoIntervalMs: number;
  /** Close the connection as dead after this much silence (0: never). */
  deadAfterMs: number;
  maxMessageBytes: number;
  clock: Clock;
  metrics: Registry;
  logger: Logger;
}

export const defaultConnectionOptions: ConnectionOptions = {
  requestTimeoutMs: 10_000,
  echoIntervalMs: 5_000,
  deadAfterMs: 15_000,
  maxMessageBytes: 64 * 1024 * 1024,
  clock: systemClock,
  metrics: new Registry(),
  logger: silentLogger,
};

export interface RequestOptions {
  /** Overrides the connection's default timeout (0: none). */
  timeoutMs?: number;
  /** Aborting sends a "cancel" notification for the request and rejects it with OvsdbCanceledError. */
  signal?: AbortSignal;
  /**
   * Called synchronously with the result when the reply is dispatched, before any message received after
   * it is handled (a monitor's initial state must be in place before its first update is applied).
   * Whatever it throws rejects the request.
   */
  onResult?: (result: JsonValue) => unknown;
}

interface Pending {
  method: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: TimerHandle | undefined;
  onResult: ((result: JsonValue) => unknown) | undefined;
  cleanup: (() => void) | undefined;
}

export interface ConnectionStats {
  messagesIn: number;
  messagesOut: number;
  /** Echo requests from the server we answered. */
  echoesAnswered: number;
  /** Keepalive echoes we sent. */
  echoesSent: number;
}

export class OvsdbConnection {
  /** Notifications (id null) from the server: update/update2/update3, locked, stolen, ... */
  readonly notification$ = new Subject<RpcNotification>();
  /** Emits the close reason once. */
  readonly closed$ = new ReplaySubject<string>(1);
  readonly stats: ConnectionStats = { messagesIn: 0, messagesOut: 0, echoesAnswered: 0, echoesSent: 0 };

  private readonly opts: ConnectionOptions;
  private readonly framer: JsonRpcFramer;
  private readonly pending = new Map<string, Pending>();
  /** Ids of requests we gave up on (timeout, cancel): their late replies are dropped quietly. */
  private readonly abandoned = new Set<string>();
  private nextId = 1;
  private lastRx: number;
  private keepaliveTimer: TimerHandle | undefined;
  private echoInFlight = false;
  private closeReason: string | undefined;
  private readonly log: Logger;

  constructor(
    private readonly socket: Socket,
    options: Partial<ConnectionOptions> = {},
    readonly remote = 'ovsdb',
  ) {
    this.opts = { ...defaultConnectionOptions, ...options };
    this.framer = new JsonRpcFramer({ maxMessageBytes: this.opts.maxMessageBytes });
    this.log = this.opts.logger.child({ remote });
    this.lastRx = this.opts.clock.now();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.close(`socket error: ${e.message}`));
    socket.on('close', () => this.close('connection closed by peer'));
    this.scheduleKeepalive();
  }

  get isOpen(): boolean {
    return this.closeReason === undefined;
  }

  get reason(): string | undefined {
    return this.closeReason;
  }

  /** Requests awaiting a reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends a request; resolves with its result, rejects with OvsdbRpcError when the reply has an error. */
  request<T = JsonValue>(method: string, params: JsonValue[], options: RequestOptions = {}): Promise<T> {
    if (!this.isOpen) return Promise.reject(new OvsdbConnectionClosedError(method, this.closeReason ?? 'closed'));
    if (options.signal?.aborted) return Promise.reject(new OvsdbCanceledError(method));
    const id = this.nextId++;
    const key = idKey(id);
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.opts.requestTimeoutMs;
      const p: Pending = { method, resolve: resolve as (v: unknown) => void, reject, timer: undefined, onResult: options.onResult, cleanup: undefined };
      if (timeoutMs > 0) {
        p.timer = this.opts.clock.setTimeout(() => {
          this.settle(key);
          this.abandoned.add(key);
          this.counter('vigil_ovsdb_request_timeouts_total', 'OVSDB requests the server did not answer in time').inc({ method });
          reject(new OvsdbRequestTimeoutError(method, timeoutMs));
        }, timeoutMs);
      }
      if (options.signal) {
        const signal = options.signal;
        const onAbort = (): void => {
          if (!this.pending.has(key)) return;
          this.settle(key);
          this.abandoned.add(key);
          // RFC 7047 §4.1.4: the server should answer the request with error "canceled"; OVS 3.1 drops it
          // silently, so the request is failed here and any late reply ignored.
          if (this.isOpen) this.write({ kind: 'notification', method: 'cancel', params: [id] });
          reject(new OvsdbCanceledError(method));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        p.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.set(key, p);
      this.write({ kind: 'request', method, params, id });
    });
  }

  /** Sends a notification (id null). */
  notify(method: string, params: JsonValue[]): void {
    if (this.isOpen) this.write({ kind: 'notification', method, params });
  }

  /** Closes the connection (idempotent); pending requests fail with OvsdbConnectionClosedError. */
  close(reason = 'closed by client'): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = reason;
    if (this.keepaliveTimer !== undefined) this.opts.clock.clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
    for (const [key, p] of [...this.pending]) {
      this.settle(key);
      p.reject(new OvsdbConnectionClosedError(p.method, reason));
    }
    this.abandoned.clear();
    this.framer.reset();
    this.socket.destroy();
    this.log.debug('ovsdb connection closed', { reason });
    this.closed$.next(reason);
    this.closed$.complete();
    this.notification$.complete();
  }

  private settle(key: string): Pending | undefined {
    const p = this.pending.get(key);
    if (!p) return undefined;
    this.pending.delete(key);
    if (p.timer !== undefined) this.opts.clock.clearTimeout(p.timer);
    p.cleanup?.();
    return p;
  }

  private write(m: RpcMessage): void {
    if (this.socket.destroyed) return;
    this.stats.messagesOut++;
    this.socket.write(encodeRpcMessage(m));
  }

  private counter(name: string, help: string) {
    return this.opts.metrics.counter(name, help);
  }

  /** Counts malformed input by reason and resets the connection (also used by the client for updates). */
  malformed(e: OvsdbDecodeError): void {
    if (!this.isOpen) return;
    this.counter('vigil_ovsdb_malformed_total', 'Malformed input from OVSDB servers, by reason (the connection is reset)').inc({ reason: e.reason });
    this.log.warn('malformed input from ovsdb server; resetting connection', { reason: e.reason, error: e.message });
    this.close(`malformed input (${e.reason}): ${e.message}`);
  }

  private onData(chunk: Buffer): void {
    if (!this.isOpen) return;
    this.lastRx = this.opts.clock.now();
    let values: unknown[];
    try {
      values = this.framer.push(chunk);
    } catch (e) {
      if (e instanceof OvsdbDecodeError) return this.malformed(e);
      throw e;
    }
    for (const v of values) {
      if (!this.isOpen) return;
      let m: RpcMessage;
      try {
        m = decodeRpcMessage(v);
      } catch (e) {
        if (e instanceof OvsdbDecodeError) return this.malformed(e);
        throw e;
      }
      this.stats.messagesIn++;
      this.dispatch(m);
    }
  }

  private dispatch(m: RpcMessage): void {
    switch (m.kind) {
      case 'response': {
        const key = idKey(m.id);
        const p = this.settle(key);
        if (!p) {
          if (this.abandoned.delete(key)) return;
          this.counter('vigil_ovsdb_unmatched_replies_total', 'OVSDB replies that answer no request of ours').inc();
          this.log.warn('ovsdb reply to no pending request', { id: m.id });
          return;
        }
        if (m.error !== null) {
          p.reject(new OvsdbRpcError(p.method, m.error));
          return;
        }
        if (p.onResult) {
          try {
            p.resolve(p.onResult(m.result));
          } catch (e) {
            p.reject(e as Error);
            // A monitor reply that cannot be applied is malformed input: the stream is not trustworthy.
            if (e instanceof OvsdbDecodeError) this.malformed(e);
          }
          return;
        }
        p.resolve(m.result);
        return;
      }
      case 'request':
        if (m.method === 'echo') {
          this.stats.echoesAnswered++;
          this.write({ kind: 'response', id: m.id, result: m.params, error: null });
        } else {
          this.counter('vigil_ovsdb_unknown_requests_total', 'Requests from OVSDB servers Vigil does not implement').inc({ method: m.method });
          this.write({ kind: 'response', id: m.id, result: null, error: 'unknown method' });
        }
        return;
      case 'notification':
        this.notification$.next(m);
        return;
    }
  }

  private scheduleKeepalive(): void {
    const { echoIntervalMs, deadAfterMs } = this.opts;
    const periods = [echoIntervalMs, deadAfterMs].filter((x) => x > 0);
    if (periods.length === 0) return;
    // Check often enough that neither the echo nor the dead-peer verdict is more than a quarter late.
    const tick = Math.max(5, Math.floor(Math.min(...periods) / 4));
    const check = (): void => {
      this.keepaliveTimer = undefined;
      if (!this.isOpen) return;
      const idle = this.opts.clock.now() - this.lastRx;
      if (deadAfterMs > 0 && idle >= deadAfterMs) {
        this.counter('vigil_ovsdb_dead_peer_total', 'OVSDB connections closed because the server went silent').inc();
        this.close(`dead peer: nothing received for ${idle} ms`);
        return;
      }
      if (echoIntervalMs > 0 && idle >= echoIntervalMs && !this.echoInFlight) {
        this.echoInFlight = true;
        this.stats.echoesSent++;
        this.request('echo', [], { timeoutMs: 0 })
          .catch(() => undefined)
          .finally(() => {
            this.echoInFlight = false;
          });
      }
      this.keepaliveTimer = this.opts.clock.setTimeout(check, tick);
    };
    this.keepaliveTimer = this.opts.clock.setTimeout(check, tick);
  }
}
