/**
 * The collector's socket-free core: datagrams in, SflowBatch messages out.
 *
 * Each datagram is walked once by the zero-allocation SflowWalker; its agent's sequence number and each
 * flow sample's source sequence, pool and drops are accounted (agents.ts); flow samples are packed into
 * the current batch (batch.ts), counter samples decoded into objects. A batch is emitted when it is full
 * (maxBatchSamples flow samples) and at every flush() — the receive path flushes when it has drained
 * what was queued, so batches are large under load and immediate when traffic is light.
 *
 * Malformed input never throws: a datagram the walker rejects is counted by reason and dropped (the
 * samples before the bad one, already complete and checked, are kept, as the walker documents); a
 * datagram the receive path cut short (longer than maxDatagramBytes) is counted as oversize and dropped.
 */
import { decodeCounterSample, type CounterSample } from '../../codec/sflow/counter-sample.js';
import { SflowDecodeError } from '../../codec/sflow/errors.js';
import { SflowWalker, WalkStatus, type CounterSampleView, type DatagramView, type FlowSampleView, type SflowVisitor } from '../../codec/sflow/walker.js';
import { XdrReader } from '../../codec/sflow/xdr.js';
import { AgentTable, summarizeAgent, type AgentState, type AgentSummary } from './agents.js';
import { BatchBuilder, type SflowBatch } from './batch.js';
import { SeqStep, resolveSequenceOptions, type SequenceOptions } from './sequence.js';

export interface IngestOptions {
  /** Flow samples per batch. Default 4096. */
  maxBatchSamples?: number;
  /** Keep each datagram's bytes in its batch (SflowBatch.raw: raw headers and records readable). Default true. */
  keepRaw?: boolean;
  /** Summarize raw headers (Ethernet/VLAN/IP/L4 fields) into the batch. Default true. */
  summarizeHeaders?: boolean;
  /** Agents (address + sub-agent) tracked; more are processed but not kept. Default 65536. */
  maxAgents?: number;
  /** Flow sources tracked per agent. Default 65536. */
  maxSourcesPerAgent?: number;
  sequence?: SequenceOptions;
  /** Milliseconds clock (injected for tests). Default Date.now. */
  clock?: () => number;
}

/** Running totals since the ingest was created (all monotonic). */
export class IngestStats {
  /** Every datagram handed in. */
  datagrams = 0;
  /** Walked without error. */
  accepted = 0;
  malformed = 0;
  unsupportedVersion = 0;
  /** Longer than the receive path's maxDatagramBytes (cut short by it): dropped. */
  oversize = 0;
  flowSamples = 0;
  counterSamples = 0;
  /** Samples/records of formats the walker does not know (skipped by their length). */
  unknownSamples = 0;
  /** Counter samples the walker accepted but the object decoder refused (a codec disagreement; dropped; keepRaw false only). */
  counterDecodeErrors = 0;
  /** Datagrams missing from agents' sequences (gross: every gap counted). */
  lostDatagrams = 0;
  lateDatagrams = 0;
  duplicateDatagrams = 0;
  agentRestarts = 0;
  /** Flow samples missing from sources' sequences (gross). */
  lostSamples = 0;
  /** Samples the agents report having dropped (sum of drops deltas). */
  agentDrops = 0;
  batches = 0;
  /** Datagrams of agents beyond maxAgents (processed, not tracked). */
  untrackedDatagrams = 0;
}

export class SflowIngest implements SflowVisitor {
  readonly stats = new IngestStats();
  readonly walker: SflowWalker;
  private readonly table: AgentTable;
  private readonly builder: BatchBuilder;
  private readonly clock: () => number;
  private agent: AgentState | null = null;
  private now = 0;

  constructor(
    private readonly emit: (batch: SflowBatch) => void,
    options: IngestOptions = {},
  ) {
    this.walker = new SflowWalker({ summarizeHeaders: options.summarizeHeaders ?? true });
    this.table = new AgentTable({
      maxAgents: positiveInt('maxAgents', options.maxAgents ?? 65536),
      maxSourcesPerAgent: positiveInt('maxSourcesPerAgent', options.maxSourcesPerAgent ?? 65536),
      sequence: resolveSequenceOptions(options.sequence),
    });
    this.builder = new BatchBuilder({
      maxSamples: positiveInt('maxBatchSamples', options.maxBatchSamples ?? 4096),
      keepRaw: options.keepRaw ?? true,
    });
    this.clock = options.clock ?? Date.now;
  }

  /**
   * One UDP payload, bytes[offset, offset + length) (default: all of `bytes`), only read during the call.
   * `oversize`: the receive path cut it short.
   */
  datagram(bytes: Uint8Array, oversize = false, offset = 0, length = bytes.length - offset): void {
    const st = this.stats;
    st.datagrams++;
    if (this.builder.rawFull(length)) this.flush();
    this.now = this.clock();
    this.builder.datagram(this.now);
    if (oversize) {
      st.oversize++;
      this.builder.malformed++;
      return;
    }
    this.agent = null;
    const status = this.walker.walk(bytes, this, offset, length);
    if (status === WalkStatus.OK) st.accepted++;
    else if (status === WalkStatus.UNSUPPORTED_VERSION) {
      st.unsupportedVersion++;
      this.builder.unsupportedVersion++;
    } else {
      st.malformed++;
      this.builder.malformed++;
    }
    if (this.builder.full) this.flush();
  }

  /** Emits the batch built so far, if anything arrived since the last one. */
  flush(): void {
    const b = this.builder.build();
    if (b === null) return;
    this.stats.batches++;
    this.stats.untrackedDatagrams = this.table.untrackedDatagrams;
    this.emit(b);
  }

  onDatagram(d: DatagramView): void {
    const a = this.table.lookup(d, this.now);
    this.builder.agentIndex(a);
    const r = this.table.observeDatagram(a, d, this.now);
    const st = this.stats;
    switch (r.step) {
      case SeqStep.GAP:
        st.lostDatagrams += r.lostDelta;
        break;
      case SeqStep.LATE:
        st.lateDatagrams++;
        break;
      case SeqStep.DUPLICATE:
        st.duplicateDatagrams++;
        break;
      case SeqStep.RESTART:
        st.agentRestarts++;
        break;
    }
    this.agent = a;
  }

  onFlowSample(f: FlowSampleView, d: DatagramView): void {
    const a = this.agent;
    if (a === null) return;
    if (this.builder.full) this.flush();
    const ai = this.builder.agentIndex(a);
    const s = a.source(f, this.table.options.maxSourcesPerAgent);
    const si = this.builder.sourceIndex(s, ai);
    const lost = s.seq.missed;
    const drops = s.drops;
    this.table.observeFlowSample(a, s, f);
    const st = this.stats;
    st.flowSamples++;
    st.lostSamples += s.seq.missed - lost;
    st.agentDrops += s.drops - drops;
    st.unknownSamples += f.unknownRecords;
    this.builder.addFlow(ai, si, d, f);
  }

  onCounterSample(c: CounterSampleView, d: DatagramView): void {
    const a = this.agent;
    if (a === null) return;
    a.counterSamples++;
    const b = this.builder;
    let decoded: CounterSample | null = null;
    let offset = -1;
    if (b.keepsRaw) offset = b.rawDatagram(d) + c.offset - d.offset;
    else {
      try {
        decoded = decodeCounterSample(new XdrReader(d.bytes, c.offset, c.offset + c.length, 'counters sample', 'bad-length'), c.expanded);
      } catch (e) {
        if (!(e instanceof SflowDecodeError)) throw e;
        this.stats.counterDecodeErrors++;
        return;
      }
    }
    this.stats.counterSamples++;
    b.addCounters({
      agent: b.agentIndex(a),
      datagramSequence: d.sequence,
      uptime: d.uptime,
      expanded: c.expanded,
      sequence: c.sequence,
      sourceIdType: c.sourceIdType,
      sourceIdIndex: c.sourceIdIndex,
      offset,
      length: c.length,
      decoded,
    });
  }

  /** Gives a batch's arrays back for reuse (see BatchBuilder.recycle): only when nothing reads it any more. */
  release(batch: SflowBatch): boolean {
    return this.builder.recycle(batch);
  }

  /** Agents seen so far with their accounting. */
  agents(): AgentSummary[] {
    return this.table.agents().map(summarizeAgent);
  }

  get agentCount(): number {
    return this.table.size;
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}
