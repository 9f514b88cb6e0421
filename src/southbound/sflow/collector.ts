/**
 * The sFlow collector: a UDP listener (IPv4 or IPv6, large receive buffer) whose datagrams go through
 * SflowIngest and leave as an RxJS stream of SflowBatch messages (`batches$`).
 *
 * Receive path: the native recvmmsg ring when the addon is built (transport 'auto' or 'native'), else
 * Node's dgram ('auto' falls back with a warning; 'native' fails). The stream is synchronous: a slow
 * subscriber slows the drain, the ring and then the kernel buffer fill, and the kernel's drops are
 * counted (vigil_sflow_receive_drops_total) — back-pressure is visible, never silent memory growth.
 *
 * Counters go to the metrics Registry (published at every batch and on stats()):
 *   vigil_sflow_datagrams_total, vigil_sflow_dropped_datagrams_total{reason},
 *   vigil_sflow_samples_total{kind}, vigil_sflow_lost_datagrams_total, vigil_sflow_late_datagrams_total,
 *   vigil_sflow_duplicate_datagrams_total, vigil_sflow_agent_restarts_total, vigil_sflow_lost_samples_total,
 *   vigil_sflow_agent_dropped_samples_total, vigil_sflow_receive_drops_total, vigil_sflow_batches_total,
 *   gauges vigil_sflow_agents, vigil_sflow_receive_buffer_bytes.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Observable, Subject } from 'rxjs';
import type { Logger } from '../../observability/log.js';
import { Registry, type Counter, type Gauge } from '../../observability/metrics.js';
import type { AgentSummary } from './agents.js';
import type { SflowBatch } from './batch.js';
import { DgramSource } from './dgram-source.js';
import { IngestStats, SflowIngest, type IngestOptions } from './ingest.js';
import { NativeSource, loadAddon, type NativeReceiverStats } from './native-source.js';
import type { BoundSource, DatagramSource, SourceOptions } from './source.js';

export type SflowTransport = 'auto' | 'native' | 'dgram';

export interface SflowCollectorOptions extends IngestOptions {
  /** Address to bind: a literal IPv4/IPv6 address or a name (resolved once). Default '0.0.0.0'. */
  host?: string;
  /** UDP port (0: ephemeral). Default 6343. */
  port?: number;
  /** SO_RCVBUF to ask for. Default 16 MiB. */
  receiveBufferBytes?: number;
  transport?: SflowTransport;
  /** Native ring size. Default 32 MiB. */
  ringBytes?: number;
  /** Longest datagram accepted whole. Default 65535. */
  maxDatagramBytes?: number;
  /** Datagrams per event-loop turn. Default 4096. */
  maxPerTurn?: number;
  metrics?: Registry;
  log?: Logger;
  /**
   * Sees every datagram as received (and injected), before the ingest: for tools that want the bytes
   * themselves (`vigil sflow listen` decodes each into objects). `bytes` is valid only during the call;
   * `oversize`: cut short by the receive path. Must not throw.
   */
  tap?: (bytes: Uint8Array, oversize: boolean) => void;
}

export class SflowCollectorError extends Error {
  override readonly name = 'SflowCollectorError';
  constructor(
    message: string,
    readonly code: 'bind-failed' | 'native-unavailable' | 'already-started',
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export interface CollectorAddress extends BoundSource {
  transport: 'native' | 'dgram';
}

/** Totals since start (monotonic), for tests, the API and benchmarks. */
export interface CollectorStats {
  transport: 'native' | 'dgram' | null;
  ingest: IngestStats;
  /** Datagrams read from the socket by the source. */
  received: number;
  /** Datagrams the kernel dropped on our socket for want of receive buffer (-1: unknown with dgram). */
  receiveDrops: number;
}

const REASONS = ['truncated', 'bad-length', 'bad-count', 'bad-address-type', 'trailing-bytes'] as const;

class CollectorMetrics {
  private readonly datagrams: Counter;
  private readonly dropped: Counter;
  private readonly samples: Counter;
  private readonly lost: Counter;
  private readonly late: Counter;
  private readonly duplicates: Counter;
  private readonly restarts: Counter;
  private readonly lostSamples: Counter;
  private readonly agentDrops: Counter;
  private readonly receiveDrops: Counter;
  private readonly batches: Counter;
  readonly agents: Gauge;
  readonly receiveBuffer: Gauge;
  private readonly prev = new Map<string, number>();

  constructor(r: Registry) {
    this.datagrams = r.counter('vigil_sflow_datagrams_total', 'sFlow datagrams received.');
    this.dropped = r.counter('vigil_sflow_dropped_datagrams_total', 'sFlow datagrams dropped, by reason (malformed kinds, unsupported-version, oversize).');
    this.samples = r.counter('vigil_sflow_samples_total', 'sFlow samples accepted, by kind (flow, counters).');
    this.lost = r.counter('vigil_sflow_lost_datagrams_total', 'sFlow datagrams missing from agent sequence numbers.');
    this.late = r.counter('vigil_sflow_late_datagrams_total', 'sFlow datagrams that arrived out of order.');
    this.duplicates = r.counter('vigil_sflow_duplicate_datagrams_total', 'sFlow datagrams that repeated a sequence number.');
    this.restarts = r.counter('vigil_sflow_agent_restarts_total', 'sFlow agent restarts and sequence resets.');
    this.lostSamples = r.counter('vigil_sflow_lost_samples_total', 'sFlow flow samples missing from source sequence numbers.');
    this.agentDrops = r.counter('vigil_sflow_agent_dropped_samples_total', 'Flow samples the agents report having dropped (drops field deltas).');
    this.receiveDrops = r.counter('vigil_sflow_receive_drops_total', 'sFlow datagrams the kernel dropped on the collector socket (receive buffer full).');
    this.batches = r.counter('vigil_sflow_batches_total', 'sFlow sample batches emitted.');
    this.agents = r.gauge('vigil_sflow_agents', 'sFlow agents (address, sub-agent) tracked.');
    this.receiveBuffer = r.gauge('vigil_sflow_receive_buffer_bytes', 'SO_RCVBUF of the sFlow socket as the kernel reports it.');
  }

  private add(c: Counter, key: string, now: number, labels: Record<string, string> = {}): void {
    const before = this.prev.get(key) ?? 0;
    if (now > before) c.inc(labels, now - before);
    this.prev.set(key, now);
  }

  publish(s: IngestStats, walkerReasons: Record<(typeof REASONS)[number], number>, receiveDrops: number, agents: number): void {
    this.add(this.datagrams, 'datagrams', s.datagrams);
    for (const r of REASONS) this.add(this.dropped, `dropped:${r}`, walkerReasons[r], { reason: r });
    this.add(this.dropped, 'dropped:unsupported-version', s.unsupportedVersion, { reason: 'unsupported-version' });
    this.add(this.dropped, 'dropped:oversize', s.oversize, { reason: 'oversize' });
    this.add(this.samples, 'samples:flow', s.flowSamples, { kind: 'flow' });
    this.add(this.samples, 'samples:counters', s.counterSamples, { kind: 'counters' });
    this.add(this.lost, 'lost', s.lostDatagrams);
    this.add(this.late, 'late', s.lateDatagrams);
    this.add(this.duplicates, 'duplicates', s.duplicateDatagrams);
    this.add(this.restarts, 'restarts', s.agentRestarts);
    this.add(this.lostSamples, 'lostSamples', s.lostSamples);
    this.add(this.agentDrops, 'agentDrops', s.agentDrops);
    if (receiveDrops >= 0) this.add(this.receiveDrops, 'receiveDrops', receiveDrops);
    this.add(this.batches, 'batches', s.batches);
    this.agents.set(agents);
  }
}

export class SflowCollector {
  private readonly subject = new Subject<SflowBatch>();
  /** Sample batches, in arrival order. Completes when the collector stops. */
  readonly batches$: Observable<SflowBatch> = this.subject.asObservable();
  private readonly ingest: SflowIngest;
  private readonly metrics: CollectorMetrics;
  private source: DatagramSource | null = null;
  private state: 'new' | 'running' | 'stopped' = 'new';
  private kernelDropsAtStart = 0;

  constructor(private readonly options: SflowCollectorOptions = {}) {
    this.metrics = new CollectorMetrics(options.metrics ?? new Registry());
    this.ingest = new SflowIngest((b) => {
      this.publish();
      this.subject.next(b);
    }, options);
  }

  /** Binds the socket and starts receiving. Rejects with SflowCollectorError('bind-failed') when it cannot bind. */
  async start(): Promise<CollectorAddress> {
    if (this.state !== 'new') throw new SflowCollectorError('the sFlow collector was already started', 'already-started');
    this.state = 'running';
    const o = this.options;
    let host = o.host ?? '0.0.0.0';
    if (isIP(host) === 0) host = (await lookup(host)).address;
    const sourceOptions: SourceOptions = {
      host,
      port: o.port ?? 6343,
      receiveBufferBytes: o.receiveBufferBytes ?? 16 * 1024 * 1024,
      maxDatagramBytes: o.maxDatagramBytes,
      ringBytes: o.ringBytes,
      maxPerTurn: o.maxPerTurn,
    };
    const transport = o.transport ?? 'auto';
    let source: DatagramSource;
    if (transport === 'dgram') source = new DgramSource(sourceOptions);
    else {
      const { addon, error } = loadAddon();
      if (addon) source = new NativeSource(addon, sourceOptions);
      else if (transport === 'native') {
        this.state = 'stopped';
        throw new SflowCollectorError(`the native sFlow receive path is unavailable: ${error ?? 'unknown'}`, 'native-unavailable');
      } else {
        o.log?.warn('sFlow collector: native receive path unavailable, using dgram (lower peak rate)', { reason: error });
        source = new DgramSource(sourceOptions);
      }
    }
    let bound: BoundSource;
    try {
      const ingest = this.ingest;
      const tap = o.tap;
      const datagram = tap
        ? (b: Uint8Array, oversize: boolean, offset = 0, length = b.length - offset): void => {
            tap(offset === 0 && length === b.length ? b : b.subarray(offset, offset + length), oversize);
            ingest.datagram(b, oversize, offset, length);
          }
        : (b: Uint8Array, oversize: boolean, offset?: number, length?: number): void => ingest.datagram(b, oversize, offset, length);
      bound = await source.start({ datagram, flush: () => ingest.flush() });
    } catch (e) {
      this.state = 'stopped';
      const why = e instanceof Error ? e.message : String(e);
      throw new SflowCollectorError(`cannot bind the sFlow collector to ${host} port ${sourceOptions.port}: ${why}`, 'bind-failed', e);
    }
    this.source = source;
    this.kernelDropsAtStart = Math.max(0, source.stats().kernelDrops);
    this.metrics.receiveBuffer.set(bound.receiveBufferBytes);
    o.log?.info('sFlow collector listening', { address: bound.address, port: bound.port, transport: source.kind, receiveBufferBytes: bound.receiveBufferBytes });
    return { ...bound, transport: source.kind };
  }

  /**
   * Feeds one datagram as if it had been received (pcap replay, tests), then flushes: the batch is
   * emitted synchronously.
   */
  inject(bytes: Uint8Array): void {
    this.datagram(bytes, false);
    this.ingest.flush();
  }

  private datagram(bytes: Uint8Array, oversize: boolean): void {
    this.options.tap?.(bytes, oversize);
    this.ingest.datagram(bytes, oversize);
  }

  private publish(): void {
    const w = this.ingest.walker.stats;
    const drops = this.source ? this.source.stats().kernelDrops : -1;
    this.metrics.publish(
      this.ingest.stats,
      { truncated: w.truncated, 'bad-length': w.badLength, 'bad-count': w.badCount, 'bad-address-type': w.badAddressType, 'trailing-bytes': w.trailingBytes },
      drops < 0 ? -1 : drops - this.kernelDropsAtStart,
      this.ingest.agentCount,
    );
  }

  stats(): CollectorStats {
    this.publish();
    const s = this.source?.stats();
    return {
      transport: this.source?.kind ?? null,
      ingest: { ...this.ingest.stats },
      received: s?.datagrams ?? 0,
      receiveDrops: s === undefined || s.kernelDrops < 0 ? -1 : s.kernelDrops - this.kernelDropsAtStart,
    };
  }

  /**
   * Optional: hands a batch back when no subscriber reads it any more, so its arrays are filled again
   * instead of taking fresh memory (about a tenth of the ingest cost under a flood). Never required.
   */
  release(batch: SflowBatch): boolean {
    return this.ingest.release(batch);
  }

  /** The native receive thread's own counters (null with the dgram path). */
  receiveStats(): NativeReceiverStats | null {
    return this.source instanceof NativeSource ? this.source.nativeStats() : null;
  }

  /** Every agent seen, with its datagram and sample accounting. */
  agents(): AgentSummary[] {
    return this.ingest.agents();
  }

  /** Stops receiving, emits what is left, completes batches$. Idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    const s = this.source;
    if (s) await s.close();
    this.ingest.flush();
    this.publish();
    this.subject.complete();
  }
}
