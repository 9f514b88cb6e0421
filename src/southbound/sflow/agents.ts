/**
 * Per-agent state of the collector: an agent is an (agent address, sub-agent id) pair, as the sFlow
 * spec numbers datagrams per sub-agent. Each agent keeps its datagram sequence accounting and, per flow
 * data source (source id type + index), the sample sequence, sample pool and drops deltas from which the
 * estimated totals follow (every received sample stands for `samplingRate` packets).
 *
 * Lookups happen once per datagram and once per flow sample, so they allocate nothing: agents are found
 * by a hash of the address words in a Map of chains, sources by a small number key, each behind a
 * one-entry cache. The tables are bounded (maxAgents, maxSourcesPerAgent): past the bound, a new agent or
 * source gets a transient state that is not kept (counted as untracked), so spoofed agent addresses
 * cannot grow memory.
 */
import { ipv4ToString, ipv6ToString } from '../../codec/addr.js';
import type { DatagramView, FlowSampleView } from '../../codec/sflow/walker.js';
import { SeqStep, SequenceCounter, type ResolvedSequenceOptions } from './sequence.js';

export class SourceState {
  readonly seq = new SequenceCounter();
  samplingRate = 0;
  lastPool = 0;
  lastDrops = 0;
  /** The epoch of the agent when this source was last (re)started. */
  epoch = -1;
  /** Sum of pool deltas: packets the sampler saw (sampled or skipped) since tracking began. */
  poolPackets = 0;
  /** Sum of drops deltas: samples the agent dropped for lack of resources. */
  drops = 0;
  /** Received samples × sampling rate, and × frame length. */
  estimatedPackets = 0;
  estimatedBytes = 0;
  samplingRateChanges = 0;
  /** Batch bookkeeping (owned by the batch builder). */
  batchId = -1;
  batchIndex = -1;
  batchAgent = -1;
  batchBase = new Float64Array(6);
  next: SourceState | null = null;

  constructor(
    readonly key: number,
    readonly sourceIdType: number,
    readonly sourceIdIndex: number,
  ) {}
}

export class AgentState {
  readonly seq = new SequenceCounter();
  lastUptime = 0;
  /** Incremented at each restart: sources compare it to know they must restart too. */
  epoch = 0;
  firstSeenMs = 0;
  lastSeenMs = 0;
  flowSamples = 0;
  counterSamples = 0;
  readonly sources = new Map<number, SourceState>();
  sourceCount = 0;
  untrackedSources = 0;
  private lastSource: SourceState | null = null;
  /** Batch bookkeeping (owned by the batch builder). */
  batchId = -1;
  batchIndex = -1;
  batchBase = new Float64Array(6);
  /** Hash chain. */
  next: AgentState | null = null;
  /** The address as DatagramView's four words (agent0..agent3), compared per datagram. */
  private readonly words: readonly [number, number, number, number];

  constructor(
    readonly ipVersion: 4 | 6,
    /** The address bytes (IPv4 in the first 4). */
    readonly addressBytes: Uint8Array,
    readonly subAgentId: number,
    /** Text form (RFC 5952 for IPv6), computed once. */
    readonly address: string,
    readonly hash: number,
    readonly tracked: boolean,
  ) {
    const v = new DataView(addressBytes.buffer, addressBytes.byteOffset, addressBytes.byteLength);
    const w = (i: number): number => (addressBytes.length >= i + 4 ? v.getUint32(i) : 0);
    this.words = [w(0), w(4), w(8), w(12)];
  }

  matches(d: DatagramView): boolean {
    if (d.subAgentId !== this.subAgentId || d.agentIpVersion !== this.ipVersion) return false;
    const w = this.words;
    return d.agent0 === w[0] && d.agent1 === w[1] && d.agent2 === w[2] && d.agent3 === w[3];
  }

  /** The state of the flow source of `f`, created on first sight (bounded by `max`). */
  source(f: FlowSampleView, max: number): SourceState {
    const key = f.sourceIdType * 0x100000000 + f.sourceIdIndex;
    const last = this.lastSource;
    if (last !== null && last.key === key) return last;
    let s = this.sources.get(key);
    if (s === undefined) {
      s = new SourceState(key, f.sourceIdType, f.sourceIdIndex);
      if (this.sourceCount < max) {
        this.sources.set(key, s);
        this.sourceCount++;
      } else {
        this.untrackedSources++;
        return s;
      }
    }
    this.lastSource = s;
    return s;
  }
}

function mix(h: number, w: number): number {
  h = Math.imul(h ^ w, 0x85ebca6b);
  return h ^ (h >>> 13);
}

function hashOf(d: DatagramView): number {
  let h = mix(Math.imul(d.subAgentId ^ 0x5bd1e995, 0x9e3779b1), d.agent0);
  if (d.agentIpVersion !== 4) h = mix(mix(mix(h, d.agent1), d.agent2), d.agent3);
  return h & 0x3fffffff;
}

export interface AgentTableOptions {
  maxAgents: number;
  maxSourcesPerAgent: number;
  sequence: ResolvedSequenceOptions;
}

/** What observeDatagram() found, for the caller's counters. */
export class DatagramStep {
  step: SeqStep = SeqStep.FIRST;
  /** Datagrams newly counted lost (GAP), or -1 when a late one filled a hole. */
  lostDelta = 0;
}

export class AgentTable {
  private readonly chains = new Map<number, AgentState>();
  private last: AgentState | null = null;
  private count = 0;
  /** Datagrams whose agent did not fit in the table (maxAgents reached). */
  untrackedDatagrams = 0;
  readonly result = new DatagramStep();

  constructor(readonly options: AgentTableOptions) {}

  get size(): number {
    return this.count;
  }

  /** The agent of the datagram being walked. */
  lookup(d: DatagramView, nowMs: number): AgentState {
    const last = this.last;
    if (last !== null && last.matches(d)) return last;
    const h = hashOf(d);
    for (let a: AgentState | null = this.chains.get(h) ?? null; a !== null; a = a.next) {
      if (a.matches(d)) {
        this.last = a;
        return a;
      }
    }
    const bytes = d.agentBytes();
    const text = d.agentIpVersion === 4 ? ipv4ToString(d.agentV4) : ipv6ToString(bytes);
    const tracked = this.count < this.options.maxAgents;
    const s = new AgentState(d.agentIpVersion === 4 ? 4 : 6, bytes, d.subAgentId, text, h, tracked);
    s.firstSeenMs = nowMs;
    if (tracked) {
      s.next = this.chains.get(h) ?? null;
      this.chains.set(h, s);
      this.count++;
      this.last = s;
    }
    return s;
  }

  /** Accounts the datagram's sequence number and uptime; the result is in `this.result`. */
  observeDatagram(a: AgentState, d: DatagramView, nowMs: number): DatagramStep {
    if (!a.tracked) this.untrackedDatagrams++;
    const o = this.options.sequence;
    const restart = a.seq.started && d.uptime + o.uptimeToleranceMs < a.lastUptime && !isSmallForwardStep(a.seq.last, d.sequence, o.reorderWindow);
    const lostBefore = a.seq.lost;
    const step = a.seq.observe(d.sequence, o, restart);
    if (step === SeqStep.RESTART) a.epoch++;
    if (step !== SeqStep.LATE && step !== SeqStep.DUPLICATE) a.lastUptime = d.uptime;
    a.lastSeenMs = nowMs;
    const r = this.result;
    r.step = step;
    r.lostDelta = a.seq.lost - lostBefore;
    return r;
  }

  /** Accounts one flow sample of agent `a`: sample sequence, pool and drops deltas, estimates. */
  observeFlowSample(a: AgentState, s: SourceState, f: FlowSampleView): SourceState {
    a.flowSamples++;
    const o = this.options.sequence;
    const restart = s.epoch !== a.epoch;
    if (restart) {
      s.epoch = a.epoch;
      s.seq.resync();
    }
    const step = s.seq.observe(f.sequence, o);
    if (step === SeqStep.NEXT || step === SeqStep.GAP) {
      s.poolPackets += (f.samplePool - s.lastPool) >>> 0;
      s.drops += (f.drops - s.lastDrops) >>> 0;
    }
    if (step !== SeqStep.LATE && step !== SeqStep.DUPLICATE) {
      s.lastPool = f.samplePool;
      s.lastDrops = f.drops;
    }
    if (s.samplingRate !== f.samplingRate) {
      if (s.samplingRate !== 0) s.samplingRateChanges++;
      s.samplingRate = f.samplingRate;
    }
    const rate = f.samplingRate;
    s.estimatedPackets += rate;
    s.estimatedBytes += rate * (f.hasHeader ? f.frameLength : f.sampledIpVersion !== 0 ? f.sampledLength : 0);
    return s;
  }

  agents(): AgentState[] {
    const out: AgentState[] = [];
    for (const head of this.chains.values()) {
      for (let x: AgentState | null = head; x !== null; x = x.next) out.push(x);
    }
    return out;
  }
}

/** True when seq is at most `window` ahead of last: an uptime wrap/jitter, not a restart. */
function isSmallForwardStep(last: number, seq: number, window: number): boolean {
  const delta = (seq - last) | 0;
  return delta > 0 && delta <= window;
}

/** A serializable summary of one agent (for the API, logs and tests). */
export interface AgentSummary {
  address: string;
  subAgentId: number;
  datagrams: number;
  lostDatagrams: number;
  lateDatagrams: number;
  duplicateDatagrams: number;
  restarts: number;
  lastSequence: number;
  lastUptimeMs: number;
  flowSamples: number;
  counterSamples: number;
  firstSeenMs: number;
  lastSeenMs: number;
  sources: SourceSummary[];
}

export interface SourceSummary {
  sourceIdType: number;
  sourceIdIndex: number;
  samplingRate: number;
  samples: number;
  lostSamples: number;
  /** Packets the sampler saw, from sample_pool deltas. */
  samplePoolPackets: number;
  /** Samples the agent dropped for lack of resources, from drops deltas. */
  drops: number;
  /** Received samples × sampling rate (and × frame length). */
  estimatedPackets: number;
  estimatedBytes: number;
}

export function summarizeAgent(a: AgentState): AgentSummary {
  const sources: SourceSummary[] = [];
  for (const s of a.sources.values()) {
    sources.push({
      sourceIdType: s.sourceIdType,
      sourceIdIndex: s.sourceIdIndex,
      samplingRate: s.samplingRate,
      samples: s.seq.received,
      lostSamples: s.seq.lost,
      samplePoolPackets: s.poolPackets,
      drops: s.drops,
      estimatedPackets: s.estimatedPackets,
      estimatedBytes: s.estimatedBytes,
    });
  }
  sources.sort((x, y) => x.sourceIdType - y.sourceIdType || x.sourceIdIndex - y.sourceIdIndex);
  return {
    address: a.address,
    subAgentId: a.subAgentId,
    datagrams: a.seq.received,
    lostDatagrams: a.seq.lost,
    lateDatagrams: a.seq.late,
    duplicateDatagrams: a.seq.duplicates,
    restarts: a.seq.restarts,
    lastSequence: a.seq.last,
    lastUptimeMs: a.lastUptime,
    flowSamples: a.flowSamples,
    counterSamples: a.counterSamples,
    firstSeenMs: a.firstSeenMs,
    lastSeenMs: a.lastSeenMs,
    sources,
  };
}
