/**
 * SflowBatch: the collector's output message. Samples leave the collector in batches so that a flood of
 * millions of samples per second costs a few allocations per batch, not objects per sample:
 *
 *  - flow samples are rows of a packed table (FlowColumns): one Int32Array of FLOW_STRIDE numbers per
 *    sample (FlowField names the columns; u32 values are stored as their bit pattern, read them with
 *    `>>> 0`; MACs and IPv4 addresses are numbers there too), a side table of 16-byte addresses for the
 *    samples that have IPv6 or tunnelled addresses (AddrField, FlowField.ADDR_ROW), and the bytes of the
 *    datagrams that carried them (`raw`: each datagram copied once, so a sample's raw packet header, or
 *    any record a consumer wants to decode further, is a range of it);
 *  - counter samples are rare (one per port per polling interval) and travel as decoded objects;
 *  - the agents and flow sources that occur in the batch, with their accounting deltas over the batch
 *    (datagrams, lost datagrams, lost samples, sample-pool and drops deltas, estimated totals).
 *
 * A batch holds only plain data (objects, arrays, typed arrays, bigints in counter records): it survives
 * structuredClone / v8.serialize / postMessage unchanged, so a stage can move to another process.
 * `flowAt(batch, i)` gives one row as a plain object (allocates: for tests, the API and slow consumers).
 */
import { ipv4ToString, ipv6ToString, macToString } from '../../codec/addr.js';
import { decodeCounterSample, type CounterSample } from '../../codec/sflow/counter-sample.js';
import type { SflowInterface } from '../../codec/sflow/flow-sample.js';
import { AddressOf } from '../../codec/packet/summary-types.js';
import { HeaderProtocol } from '../../codec/sflow/formats.js';
import type { DatagramView, FlowSampleView } from '../../codec/sflow/walker.js';
import { XdrReader } from '../../codec/sflow/xdr.js';
import type { AgentState, SourceState } from './agents.js';

/** Columns of FlowColumns.fields (row-major: row i starts at i * FLOW_STRIDE). */
export const FlowField = {
  /** Index into SflowBatch.agents. */
  AGENT: 0,
  /** Index into SflowBatch.sources. */
  SOURCE: 1,
  DATAGRAM_SEQUENCE: 2,
  /** Agent uptime (ms) from the datagram header. */
  UPTIME: 3,
  SEQUENCE: 4,
  SOURCE_ID_TYPE: 5,
  SOURCE_ID_INDEX: 6,
  SAMPLING_RATE: 7,
  SAMPLE_POOL: 8,
  DROPS: 9,
  INPUT_FORMAT: 10,
  INPUT: 11,
  OUTPUT_FORMAT: 12,
  OUTPUT: 13,
  /** FlowFlag bits. */
  FLAGS: 14,
  /** raw_header: header_protocol, frame_length, stripped, header length as sent. */
  HEADER_PROTOCOL: 15,
  FRAME_LENGTH: 16,
  STRIPPED: 17,
  HEADER_LENGTH: 18,
  /** Where the header bytes are in SflowBatch.raw (-1: not kept), and where the sample's datagram starts there. */
  HEADER_OFFSET: 19,
  DATAGRAM_OFFSET: 20,
  /** Packet summary (from the raw header, or from a sampled_ipv4/ipv6 record: FlowFlag.SAMPLED_IP). -1 = absent. */
  ETHERTYPE: 21,
  VLAN_COUNT: 22,
  OUTER_VLAN: 23,
  INNER_VLAN: 24,
  IP_VERSION: 25,
  IP_PROTO: 26,
  TTL: 27,
  IP_LENGTH: 28,
  FRAG_FLAGS: 29,
  FRAG_OFFSET: 30,
  SRC_PORT: 31,
  DST_PORT: 32,
  TCP_FLAGS: 33,
  ICMP_TYPE: 34,
  ICMP_CODE: 35,
  TUNNEL: 36,
  VNI: 37,
  INNER_IP_VERSION: 38,
  INNER_IP_PROTO: 39,
  INNER_SRC_PORT: 40,
  INNER_DST_PORT: 41,
  /** extended_switch: source and destination VLAN (-1 without the record). */
  SRC_VLAN: 42,
  DST_VLAN: 43,
  /** Ethernet addresses: the first 2 bytes (HI) and the last 4 (LO) as big-endian numbers (0 without). */
  SRC_MAC_HI: 44,
  SRC_MAC_LO: 45,
  DST_MAC_HI: 46,
  DST_MAC_LO: 47,
  /** IPv4 source/destination as u32 (0 unless IP_VERSION is 4). */
  SRC_V4: 48,
  DST_V4: 49,
  /** Row of FlowColumns.addrs with this sample's IPv6 and/or tunnelled addresses, -1 when it has none. */
  ADDR_ROW: 50,
} as const;
export const FLOW_STRIDE = 51;

/** Offsets within one row of FlowColumns.addrs (IPv4 addresses use the first 4 of their 16 bytes). */
export const AddrField = { SRC_IP: 0, DST_IP: 16, INNER_SRC_IP: 32, INNER_DST_IP: 48 } as const;
export const ADDR_STRIDE = 64;

export const FlowFlag = {
  EXPANDED: 1,
  HAS_HEADER: 2,
  /** The packet fields come from the raw header (summarized by the packet codec). */
  SUMMARIZED: 4,
  HAS_SWITCH: 8,
  /** The IP fields come from a sampled_ipv4/sampled_ipv6 record (no usable raw header). */
  SAMPLED_IP: 16,
  /** The header was cut short (by the agent's header length). */
  SUMMARY_TRUNCATED: 32,
  SUMMARY_MALFORMED: 64,
} as const;

export interface FlowColumns {
  count: number;
  /** count × FLOW_STRIDE numbers. */
  fields: Int32Array;
  /** ADDR_STRIDE bytes per row, for the samples whose ADDR_ROW is set; an address a sample does not have is zeros. */
  addrs: Uint8Array;
}

/** An agent that occurs in a batch, with its accounting over the batch. */
export interface BatchAgent {
  address: string;
  subAgentId: number;
  /** Datagrams from it in this batch (accepted by the walker). */
  datagrams: number;
  /** Net datagrams found missing in this batch (sequence gaps less late arrivals that filled one). */
  lostDatagrams: number;
  lateDatagrams: number;
  duplicateDatagrams: number;
  restarts: number;
  lastSequence: number;
}

/** A flow data source that occurs in a batch, with its accounting over the batch. */
export interface BatchSource {
  /** Index into SflowBatch.agents. */
  agent: number;
  sourceIdType: number;
  sourceIdIndex: number;
  samplingRate: number;
  samples: number;
  /** Samples missing from the source's sequence (lost with their datagrams). */
  lostSamples: number;
  /** Packets the agent's sampler saw in this batch's span (sample_pool delta). */
  samplePoolPackets: number;
  /** Samples the agent dropped for lack of resources (drops delta). */
  drops: number;
  /** samples × samplingRate, and the sum of frame_length × samplingRate. */
  estimatedPackets: number;
  estimatedBytes: number;
}

/**
 * A counter sample. Its records are decoded on demand (counterSampleAt) from the batch's raw bytes: the
 * object decoder costs far more than the walk, and most consumers read few counter samples.
 */
export interface CounterSampleMessage {
  /** Index into SflowBatch.agents. */
  agent: number;
  datagramSequence: number;
  uptime: number;
  expanded: boolean;
  sequence: number;
  sourceIdType: number;
  sourceIdIndex: number;
  /** The sample body (after its format and length words) in SflowBatch.raw; -1 when raw bytes are not kept. */
  offset: number;
  length: number;
  /** The decoded sample when raw bytes are not kept (decoded at once then), else null. */
  decoded: CounterSample | null;
}

export interface SflowBatch {
  type: 'sflow.batch';
  /** Numbers batches of one collector from 1. */
  id: number;
  /** Clock time (ms) of the first and last datagram in the batch. */
  firstMs: number;
  lastMs: number;
  /** Datagrams received in the batch (every one, malformed included). */
  datagrams: number;
  malformed: number;
  unsupportedVersion: number;
  agents: BatchAgent[];
  sources: BatchSource[];
  flows: FlowColumns;
  counters: CounterSampleMessage[];
  /**
   * The bytes of the datagrams that carried the samples, each copied once, 8-aligned (empty when the
   * collector keeps no raw bytes). FlowField.DATAGRAM_OFFSET/HEADER_OFFSET and counter offsets index it.
   */
  raw: Uint8Array;
}

// Baseline slots in AgentState.batchBase / SourceState.batchBase.
const A_RECEIVED = 0;
const A_LOST = 1;
const A_LATE = 2;
const A_DUP = 3;
const A_RESTARTS = 4;
const S_RECEIVED = 0;
const S_LOST = 1;
const S_POOL = 2;
const S_DROPS = 3;
const S_PACKETS = 4;
const S_BYTES = 5;

export interface BatchBuilderOptions {
  /** Flow samples per batch (the builder's capacity). */
  maxSamples: number;
  /** Keep the datagrams' bytes (SflowBatch.raw) so headers and counter records can be read. */
  keepRaw: boolean;
}

/** Bytes of raw datagram kept per batch sample of capacity (a batch also ends when this fills up). */
const RAW_PER_SAMPLE = 384;
/** Recycled staging arrays kept at most. */
const POOL = 4;
const MIN_RAW = 65536 + 8;

const F = FlowField;
const HEADER_ETHERNET = HeaderProtocol.ETHERNET;

/**
 * Fills a batch in preallocated staging arrays (no allocation per sample) and copies them out,
 * right-sized, at build().
 */
export class BatchBuilder {
  private fields: Int32Array;
  private addrs: Uint8Array;
  private raw: Uint8Array;
  private count = 0;
  private addrRows = 0;
  private rawUsed = 0;
  /** Where the datagram being walked was copied in `raw` (-1: not yet). */
  private datagramAt = -1;
  private agents: AgentState[] = [];
  private sources: SourceState[] = [];
  private counters: CounterSampleMessage[] = [];
  /** Staging arrays given back with recycle(), reused before new memory is taken. */
  private readonly freeFields: Int32Array[] = [];
  private readonly freeRaw: Uint8Array[] = [];
  /** Batches whose arrays are the builder's own (handed over), so recycle() may take them back once. */
  private readonly lent = new WeakSet<SflowBatch>();
  private id = 1;
  private firstMs = 0;
  private lastMs = 0;
  datagrams = 0;
  malformed = 0;
  unsupportedVersion = 0;

  constructor(readonly options: BatchBuilderOptions) {
    if (!Number.isInteger(options.maxSamples) || options.maxSamples < 1) throw new RangeError(`maxSamples must be a positive integer, got ${options.maxSamples}`);
    this.fields = uninitializedInt32(options.maxSamples * FLOW_STRIDE);
    this.addrs = new Uint8Array(options.maxSamples * ADDR_STRIDE);
    this.raw = uninitializedBytes(options.keepRaw ? Math.max(MIN_RAW, options.maxSamples * RAW_PER_SAMPLE) : 0);
  }

  /** No room for another flow sample (checked before each one). */
  get full(): boolean {
    return this.count >= this.options.maxSamples;
  }

  /** No room for another datagram's bytes of `length` (checked before each datagram). */
  rawFull(length: number): boolean {
    return this.options.keepRaw && this.rawUsed + length > this.raw.length;
  }

  get empty(): boolean {
    return this.datagrams === 0 && this.count === 0 && this.counters.length === 0;
  }

  get flowCount(): number {
    return this.count;
  }

  /** Notes a datagram arriving at `nowMs` (any datagram, before it is walked). */
  datagram(nowMs: number): void {
    if (this.datagrams === 0 && this.count === 0) this.firstMs = nowMs;
    this.lastMs = nowMs;
    this.datagrams++;
    this.datagramAt = -1;
  }

  /** The agent's index in this batch, registering it (and its baseline) on first use. */
  agentIndex(a: AgentState): number {
    if (a.batchId === this.id) return a.batchIndex;
    a.batchId = this.id;
    a.batchIndex = this.agents.length;
    this.agents.push(a);
    const b = a.batchBase;
    b[A_RECEIVED] = a.seq.received;
    b[A_LOST] = a.seq.lost;
    b[A_LATE] = a.seq.late;
    b[A_DUP] = a.seq.duplicates;
    b[A_RESTARTS] = a.seq.restarts;
    return a.batchIndex;
  }

  /** The source's index in this batch, registering it (and its baseline) on first use. */
  sourceIndex(s: SourceState, agent: number): number {
    if (s.batchId === this.id) return s.batchIndex;
    s.batchId = this.id;
    s.batchIndex = this.sources.length;
    s.batchAgent = agent;
    this.sources.push(s);
    const b = s.batchBase;
    b[S_RECEIVED] = s.seq.received;
    b[S_LOST] = s.seq.lost;
    b[S_POOL] = s.poolPackets;
    b[S_DROPS] = s.drops;
    b[S_PACKETS] = s.estimatedPackets;
    b[S_BYTES] = s.estimatedBytes;
    return s.batchIndex;
  }

  /** Appends a flow sample (the caller checks `full` first and registered agent and source). */
  addFlow(agent: number, source: number, d: DatagramView, f: FlowSampleView): void {
    const i = this.count++;
    const r = this.fields;
    const o = i * FLOW_STRIDE;
    r[o + F.AGENT] = agent;
    r[o + F.SOURCE] = source;
    r[o + F.DATAGRAM_SEQUENCE] = d.sequence;
    r[o + F.UPTIME] = d.uptime;
    r[o + F.SEQUENCE] = f.sequence;
    r[o + F.SOURCE_ID_TYPE] = f.sourceIdType;
    r[o + F.SOURCE_ID_INDEX] = f.sourceIdIndex;
    r[o + F.SAMPLING_RATE] = f.samplingRate;
    r[o + F.SAMPLE_POOL] = f.samplePool;
    r[o + F.DROPS] = f.drops;
    r[o + F.INPUT_FORMAT] = f.inputFormat;
    r[o + F.INPUT] = f.input;
    r[o + F.OUTPUT_FORMAT] = f.outputFormat;
    r[o + F.OUTPUT] = f.output;
    let flags = f.expanded ? FlowFlag.EXPANDED : 0;
    if (f.hasHeader) {
      flags |= FlowFlag.HAS_HEADER;
      r[o + F.HEADER_PROTOCOL] = f.headerProtocol;
      r[o + F.FRAME_LENGTH] = f.frameLength;
      r[o + F.STRIPPED] = f.stripped;
      r[o + F.HEADER_LENGTH] = f.headerLength;
    } else {
      r[o + F.HEADER_PROTOCOL] = -1;
      r[o + F.FRAME_LENGTH] = 0;
      r[o + F.STRIPPED] = 0;
      r[o + F.HEADER_LENGTH] = 0;
    }
    if (this.options.keepRaw) {
      const at = this.rawDatagram(d);
      r[o + F.DATAGRAM_OFFSET] = at;
      r[o + F.HEADER_OFFSET] = f.hasHeader ? at + f.headerOffset - d.offset : -1;
    } else {
      r[o + F.DATAGRAM_OFFSET] = -1;
      r[o + F.HEADER_OFFSET] = -1;
    }
    if (f.summarized) {
      const s = f.summary;
      flags |= FlowFlag.SUMMARIZED;
      if (s.truncated) flags |= FlowFlag.SUMMARY_TRUNCATED;
      if (s.malformed) flags |= FlowFlag.SUMMARY_MALFORMED;
      r[o + F.ETHERTYPE] = s.ethertype;
      r[o + F.VLAN_COUNT] = s.vlanCount;
      r[o + F.OUTER_VLAN] = s.outerVlan;
      r[o + F.INNER_VLAN] = s.innerVlan;
      r[o + F.IP_VERSION] = s.ipVersion;
      r[o + F.IP_PROTO] = s.ipProto;
      r[o + F.TTL] = s.ttl;
      r[o + F.IP_LENGTH] = s.ipTotalLength;
      r[o + F.FRAG_FLAGS] = s.fragFlags;
      r[o + F.FRAG_OFFSET] = s.fragOffset;
      r[o + F.SRC_PORT] = s.srcPort;
      r[o + F.DST_PORT] = s.dstPort;
      r[o + F.TCP_FLAGS] = s.tcpFlags;
      r[o + F.ICMP_TYPE] = s.icmpType;
      r[o + F.ICMP_CODE] = s.icmpCode;
      r[o + F.TUNNEL] = s.tunnel;
      r[o + F.VNI] = s.vni;
      r[o + F.INNER_IP_VERSION] = s.innerIpVersion;
      r[o + F.INNER_IP_PROTO] = s.innerIpProto;
      r[o + F.INNER_SRC_PORT] = s.innerSrcPort;
      r[o + F.INNER_DST_PORT] = s.innerDstPort;
      r[o + F.SRC_MAC_HI] = s.srcMacHi;
      r[o + F.SRC_MAC_LO] = s.srcMacLo;
      r[o + F.DST_MAC_HI] = s.dstMacHi;
      r[o + F.DST_MAC_LO] = s.dstMacLo;
      r[o + F.SRC_V4] = s.srcV4;
      r[o + F.DST_V4] = s.dstV4;
      if (s.ipVersion === 6 || s.innerIpVersion !== 0) {
        const row = this.addrRows++;
        const a = this.addrs;
        const ao = row * ADDR_STRIDE;
        s.copyAddress(AddressOf.SRC, a, ao + AddrField.SRC_IP);
        s.copyAddress(AddressOf.DST, a, ao + AddrField.DST_IP);
        s.copyAddress(AddressOf.INNER_SRC, a, ao + AddrField.INNER_SRC_IP);
        s.copyAddress(AddressOf.INNER_DST, a, ao + AddrField.INNER_DST_IP);
        r[o + F.ADDR_ROW] = row;
      } else {
        r[o + F.ADDR_ROW] = -1;
      }
    } else {
      const ip = f.sampledIpVersion;
      if (ip !== 0) flags |= FlowFlag.SAMPLED_IP;
      r[o + F.ETHERTYPE] = ip === 4 ? 0x0800 : ip === 6 ? 0x86dd : -1;
      r[o + F.VLAN_COUNT] = 0;
      r[o + F.OUTER_VLAN] = -1;
      r[o + F.INNER_VLAN] = -1;
      r[o + F.IP_VERSION] = ip;
      r[o + F.IP_PROTO] = ip !== 0 ? f.sampledProtocol : -1;
      r[o + F.TTL] = -1;
      r[o + F.IP_LENGTH] = ip !== 0 ? f.sampledLength : 0;
      r[o + F.FRAG_FLAGS] = 0;
      r[o + F.FRAG_OFFSET] = 0;
      r[o + F.SRC_PORT] = ip !== 0 ? f.sampledSrcPort : -1;
      r[o + F.DST_PORT] = ip !== 0 ? f.sampledDstPort : -1;
      r[o + F.TCP_FLAGS] = ip !== 0 ? f.sampledTcpFlags : 0;
      r[o + F.ICMP_TYPE] = -1;
      r[o + F.ICMP_CODE] = -1;
      r[o + F.TUNNEL] = 0;
      r[o + F.VNI] = -1;
      r[o + F.INNER_IP_VERSION] = 0;
      r[o + F.INNER_IP_PROTO] = -1;
      r[o + F.INNER_SRC_PORT] = -1;
      r[o + F.INNER_DST_PORT] = -1;
      r[o + F.SRC_MAC_HI] = 0;
      r[o + F.SRC_MAC_LO] = 0;
      r[o + F.DST_MAC_HI] = 0;
      r[o + F.DST_MAC_LO] = 0;
      const ss = f.sampledSrc;
      const ds = f.sampledDst;
      r[o + F.SRC_V4] = ip === 4 ? (ss[0]! << 24) | (ss[1]! << 16) | (ss[2]! << 8) | ss[3]! : 0;
      r[o + F.DST_V4] = ip === 4 ? (ds[0]! << 24) | (ds[1]! << 16) | (ds[2]! << 8) | ds[3]! : 0;
      if (ip === 6) {
        const row = this.addrRows++;
        const a = this.addrs;
        const ao = row * ADDR_STRIDE;
        copy16(ss, a, ao + AddrField.SRC_IP);
        copy16(ds, a, ao + AddrField.DST_IP);
        a.fill(0, ao + AddrField.INNER_SRC_IP, ao + ADDR_STRIDE);
        r[o + F.ADDR_ROW] = row;
      } else {
        r[o + F.ADDR_ROW] = -1;
      }
    }
    if (f.hasSwitch) {
      flags |= FlowFlag.HAS_SWITCH;
      r[o + F.SRC_VLAN] = f.srcVlan;
      r[o + F.DST_VLAN] = f.dstVlan;
    } else {
      r[o + F.SRC_VLAN] = -1;
      r[o + F.DST_VLAN] = -1;
    }
    r[o + F.FLAGS] = flags;
  }

  /** Where the datagram being walked is in `raw`, copying it there (once, one memcpy) on first use. */
  rawDatagram(d: DatagramView): number {
    let at = this.datagramAt;
    if (at < 0) {
      at = this.datagramAt = this.rawUsed;
      this.raw.set(d.bytes.subarray(d.offset, d.offset + d.length), at);
      this.rawUsed = at + ((d.length + 7) & ~7);
    }
    return at;
  }

  get keepsRaw(): boolean {
    return this.options.keepRaw;
  }

  addCounters(msg: CounterSampleMessage): void {
    this.counters.push(msg);
  }

  /** The batch built so far (null when nothing arrived since the last one); the builder starts afresh. */
  build(): SflowBatch | null {
    if (this.empty && this.malformed === 0 && this.unsupportedVersion === 0) return null;
    const n = this.count;
    const agents: BatchAgent[] = this.agents.map((a) => {
      const b = a.batchBase;
      return {
        address: a.address,
        subAgentId: a.subAgentId,
        datagrams: a.seq.received - b[A_RECEIVED]!,
        lostDatagrams: a.seq.lost - b[A_LOST]!,
        lateDatagrams: a.seq.late - b[A_LATE]!,
        duplicateDatagrams: a.seq.duplicates - b[A_DUP]!,
        restarts: a.seq.restarts - b[A_RESTARTS]!,
        lastSequence: a.seq.last,
      };
    });
    const sources: BatchSource[] = this.sources.map((s) => {
      const b = s.batchBase;
      return {
        agent: s.batchAgent,
        sourceIdType: s.sourceIdType,
        sourceIdIndex: s.sourceIdIndex,
        samplingRate: s.samplingRate,
        samples: s.seq.received - b[S_RECEIVED]!,
        lostSamples: s.seq.lost - b[S_LOST]!,
        samplePoolPackets: s.poolPackets - b[S_POOL]!,
        drops: s.drops - b[S_DROPS]!,
        estimatedPackets: s.estimatedPackets - b[S_PACKETS]!,
        estimatedBytes: s.estimatedBytes - b[S_BYTES]!,
      };
    });
    const taken = this.take(n);
    const batch: SflowBatch = {
      type: 'sflow.batch',
      id: this.id,
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      datagrams: this.datagrams,
      malformed: this.malformed,
      unsupportedVersion: this.unsupportedVersion,
      agents,
      sources,
      counters: this.counters,
      flows: taken.flows,
      raw: taken.raw,
    };
    if (taken.lent) this.lent.add(batch);
    this.id++;
    this.count = 0;
    this.rawUsed = 0;
    this.datagramAt = -1;
    this.agents = [];
    this.sources = [];
    this.counters = [];
    this.datagrams = 0;
    this.malformed = 0;
    this.unsupportedVersion = 0;
    return batch;
  }

  /**
   * The rows so far. A well-filled batch takes the staging arrays themselves (no copy) and the builder
   * starts on fresh zeroed ones; a small batch (light traffic) gets right-sized copies instead, so it does
   * not pin the builder's full capacity.
   */
  private take(n: number): { flows: FlowColumns; raw: Uint8Array; lent: boolean } {
    const cap = this.options.maxSamples;
    const addrs = this.addrs.slice(0, this.addrRows * ADDR_STRIDE);
    this.addrRows = 0;
    if (n * 4 < cap && this.rawUsed * 4 < this.raw.length) {
      return { flows: { count: n, fields: this.fields.slice(0, n * FLOW_STRIDE), addrs }, raw: this.raw.slice(0, this.rawUsed), lent: false };
    }
    const out = { flows: { count: n, fields: this.fields.subarray(0, n * FLOW_STRIDE), addrs }, raw: this.raw.subarray(0, this.rawUsed), lent: true };
    // Every field of a row is written, and only written bytes of `raw` are read: no need to zero them.
    this.fields = this.freeFields.pop() ?? uninitializedInt32(cap * FLOW_STRIDE);
    this.raw = this.freeRaw.pop() ?? uninitializedBytes(this.raw.length);
    return out;
  }

  /**
   * Takes back the arrays of a batch this builder emitted, to fill again (fresh memory costs page faults on
   * every batch). Only for a batch nothing reads any more; a batch is taken back at most once, and batches
   * of other builders or with copied (small) arrays are ignored. Returns whether it took them.
   */
  recycle(batch: SflowBatch): boolean {
    if (!this.lent.delete(batch)) return false;
    const f = batch.flows.fields;
    const r = batch.raw;
    if (this.freeFields.length < POOL && f.buffer.byteLength === this.options.maxSamples * FLOW_STRIDE * 4) this.freeFields.push(new Int32Array(f.buffer, f.byteOffset, this.options.maxSamples * FLOW_STRIDE));
    if (this.freeRaw.length < POOL && r.buffer.byteLength === this.raw.length) this.freeRaw.push(new Uint8Array(r.buffer, r.byteOffset, this.raw.length));
    return true;
  }
}

/** Memory that is not zeroed first (Buffer.allocUnsafeSlow: not from the shared pool, its own ArrayBuffer). */
function uninitializedBytes(n: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

function uninitializedInt32(n: number): Int32Array {
  const b = Buffer.allocUnsafeSlow(n * 4);
  return new Int32Array(b.buffer, b.byteOffset, n);
}

function copy16(from: Uint8Array, to: Uint8Array, at: number): void {
  for (let k = 0; k < 16; k++) to[at + k] = from[k]!;
}

/** One flow sample of a batch as a plain object. */
export interface FlowSampleRecord {
  agent: string;
  subAgentId: number;
  datagramSequence: number;
  uptimeMs: number;
  sequence: number;
  expanded: boolean;
  sourceIdType: number;
  sourceIdIndex: number;
  samplingRate: number;
  samplePool: number;
  drops: number;
  input: SflowInterface;
  output: SflowInterface;
  /** The raw_header record (bytes: null when the collector keeps no raw bytes), or null. */
  header: { protocol: number; frameLength: number; stripped: number; length: number; bytes: Uint8Array | null } | null;
  /** Packet fields, from the raw header or a sampled_ipv4/ipv6 record; null when neither was usable. */
  packet: {
    from: 'header' | 'sampled-ip';
    srcMac: string | null;
    dstMac: string | null;
    ethertype: number;
    vlans: number[];
    ipVersion: number;
    src: string | null;
    dst: string | null;
    ipProto: number;
    ttl: number;
    ipLength: number;
    srcPort: number;
    dstPort: number;
    tcpFlags: number;
    icmpType: number;
    icmpCode: number;
    truncated: boolean;
    malformed: boolean;
  } | null;
  /** extended_switch VLANs, or null. */
  switch: { srcVlan: number; dstVlan: number } | null;
}

function macText(hi: number, lo: number): string {
  return macToString(new Uint8Array([hi >>> 8, hi, lo >>> 24, lo >>> 16, lo >>> 8, lo]));
}

/** Row `i` of `batch.flows` as a FlowSampleRecord. */
export function flowAt(batch: SflowBatch, i: number): FlowSampleRecord {
  const { fields: r, addrs: a } = batch.flows;
  const raw = batch.raw;
  if (!Number.isInteger(i) || i < 0 || i >= batch.flows.count) throw new RangeError(`flow ${i} is outside 0..${batch.flows.count - 1}`);
  const o = i * FLOW_STRIDE;
  const u = (k: number): number => r[o + k]! >>> 0;
  const s = (k: number): number => r[o + k]!;
  const flags = s(F.FLAGS);
  const agent = batch.agents[s(F.AGENT)];
  const ipVersion = s(F.IP_VERSION);
  const fromHeader = (flags & FlowFlag.SUMMARIZED) !== 0;
  const hasPacket = fromHeader || (flags & FlowFlag.SAMPLED_IP) !== 0;
  const vlans: number[] = [];
  if (s(F.OUTER_VLAN) >= 0) vlans.push(s(F.OUTER_VLAN));
  if (s(F.INNER_VLAN) >= 0) vlans.push(s(F.INNER_VLAN));
  return {
    agent: agent?.address ?? '',
    subAgentId: agent?.subAgentId ?? 0,
    datagramSequence: u(F.DATAGRAM_SEQUENCE),
    uptimeMs: u(F.UPTIME),
    sequence: u(F.SEQUENCE),
    expanded: (flags & FlowFlag.EXPANDED) !== 0,
    sourceIdType: u(F.SOURCE_ID_TYPE),
    sourceIdIndex: u(F.SOURCE_ID_INDEX),
    samplingRate: u(F.SAMPLING_RATE),
    samplePool: u(F.SAMPLE_POOL),
    drops: u(F.DROPS),
    input: { format: u(F.INPUT_FORMAT), value: u(F.INPUT) },
    output: { format: u(F.OUTPUT_FORMAT), value: u(F.OUTPUT) },
    header:
      (flags & FlowFlag.HAS_HEADER) !== 0
        ? {
            protocol: u(F.HEADER_PROTOCOL),
            frameLength: u(F.FRAME_LENGTH),
            stripped: u(F.STRIPPED),
            length: u(F.HEADER_LENGTH),
            bytes: s(F.HEADER_OFFSET) >= 0 ? raw.slice(s(F.HEADER_OFFSET), s(F.HEADER_OFFSET) + u(F.HEADER_LENGTH)) : null,
          }
        : null,
    packet: hasPacket
      ? {
          from: fromHeader ? 'header' : 'sampled-ip',
          srcMac: fromHeader && s(F.HEADER_PROTOCOL) === HEADER_ETHERNET ? macText(s(F.SRC_MAC_HI), s(F.SRC_MAC_LO)) : null,
          dstMac: fromHeader && s(F.HEADER_PROTOCOL) === HEADER_ETHERNET ? macText(s(F.DST_MAC_HI), s(F.DST_MAC_LO)) : null,
          ethertype: s(F.ETHERTYPE),
          vlans,
          ipVersion,
          src: ipVersion === 4 ? ipv4ToString(u(F.SRC_V4)) : ipVersion === 6 ? ipv6ToString(a, s(F.ADDR_ROW) * ADDR_STRIDE + AddrField.SRC_IP) : null,
          dst: ipVersion === 4 ? ipv4ToString(u(F.DST_V4)) : ipVersion === 6 ? ipv6ToString(a, s(F.ADDR_ROW) * ADDR_STRIDE + AddrField.DST_IP) : null,
          ipProto: s(F.IP_PROTO),
          ttl: s(F.TTL),
          ipLength: u(F.IP_LENGTH),
          srcPort: s(F.SRC_PORT),
          dstPort: s(F.DST_PORT),
          tcpFlags: s(F.TCP_FLAGS),
          icmpType: s(F.ICMP_TYPE),
          icmpCode: s(F.ICMP_CODE),
          truncated: (flags & FlowFlag.SUMMARY_TRUNCATED) !== 0,
          malformed: (flags & FlowFlag.SUMMARY_MALFORMED) !== 0,
        }
      : null,
    switch: (flags & FlowFlag.HAS_SWITCH) !== 0 ? { srcVlan: u(F.SRC_VLAN), dstVlan: u(F.DST_VLAN) } : null,
  };
}

/** Counter sample `i` of a batch, decoded (throws SflowDecodeError only if the batch was tampered with). */
export function counterSampleAt(batch: SflowBatch, i: number): CounterSample {
  const m = batch.counters[i];
  if (m === undefined) throw new RangeError(`counter sample ${i} is outside 0..${batch.counters.length - 1}`);
  if (m.decoded) return m.decoded;
  return decodeCounterSample(new XdrReader(batch.raw, m.offset, m.offset + m.length, 'counters sample', 'bad-length'), m.expanded);
}

/** Every flow sample of a batch as plain objects. */
export function flowsOf(batch: SflowBatch): FlowSampleRecord[] {
  const out: FlowSampleRecord[] = [];
  for (let i = 0; i < batch.flows.count; i++) out.push(flowAt(batch, i));
  return out;
}
