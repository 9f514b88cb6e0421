/**
 * Zero-allocation sFlow v5 walker: the collector's hot path.
 *
 * `SflowWalker.walk(bytes, visitor)` reads one datagram into structures the walker owns and reuses
 * (DatagramView, FlowSampleView with the raw header's PacketSummary, CounterSampleView) and calls the
 * visitor once per sample. It allocates nothing per datagram or sample and never throws on input: a
 * malformed datagram is counted (by reason) in `stats` and reported by the returned status.
 *
 * A sample reaches the visitor only after all of it (every record) has been checked, so a visitor never
 * sees half a sample; the samples of a datagram before a malformed one have already been visited when
 * the walk stops (samples are independent, each with its own length). The views are valid only during
 * the visitor call: copy what must outlive it.
 *
 * Where it reads: a datagram in a buffer the walker has seen before (the receive ring, datagram after
 * datagram) is read in place through one DataView over that buffer, kept for the next datagram; any other
 * is copied once into the walker's own buffer (a DataView per caller's buffer would allocate per datagram,
 * and byte-by-byte reads were measured 2-3x slower). Either way DatagramView.bytes/offset say where the
 * datagram is, every view offset indexes DatagramView.bytes, and the caller's buffer is free again once
 * walk() returns. Error offsets (errorOffset) count from the datagram's first byte.
 *
 * The checks are exactly decodeDatagram's (same error codes and offsets; a property test holds them
 * together), so the object API and the collector agree on what is malformed.
 */
import { LinkType } from '../packet/types.js';
import { summarizePacket } from '../packet/summarize.js';
import { PacketSummary } from '../packet/summary-types.js';
import { ipv4ToString, ipv6ToString } from '../addr.js';
import type { SflowErrorCode } from './errors.js';
import { CounterFormat, FlowFormat, HeaderProtocol, SFLOW_VERSION, SampleFormat } from './formats.js';
import { pad4 } from './xdr.js';
import { OPENFLOW_PORT_LAYOUT, PROCESSOR_LAYOUT } from './counters-device.js';
import { HOST_CPU_LAYOUT, HOST_DISK_IO_LAYOUT, HOST_MEMORY_LAYOUT, NET_IO_LAYOUT } from './counters-host.js';
import { ETHERNET_LAYOUT, GENERIC_INTERFACE_LAYOUT, VLAN_LAYOUT } from './counters-interface.js';
import { VIRT_DISK_IO_LAYOUT, VIRT_MEMORY_LAYOUT, VIRT_NODE_LAYOUT } from './counters-virtual.js';
import type { Layout } from './layout.js';
import {
  CounterBit,
  EthernetCountersView,
  HostCpuView,
  HostDescriptionView,
  HostDiskIoView,
  HostMemoryView,
  HostParentView,
  InterfaceCountersView,
  NetIoView,
  OpenflowPortView,
  ProcessorView,
  VirtCpuView,
  VirtDiskIoView,
  VirtMemoryView,
  VirtNodeView,
  VlanCountersView,
  ZERO_VIEW,
} from './walker-counters.js';

export { CounterBit } from './walker-counters.js';

/** What walk() returns. */
export const WalkStatus = {
  /** Every sample was checked and visited. */
  OK: 0,
  /** The datagram is malformed (walker.errorCode/errorOffset say why and where); samples before the bad one were visited. */
  MALFORMED: 1,
  /** Not sFlow version 5: dropped, nothing visited. */
  UNSUPPORTED_VERSION: 2,
} as const;
export type WalkStatus = (typeof WalkStatus)[keyof typeof WalkStatus];

/** Running counts of everything the walker saw and dropped (export them as metrics). */
export class SflowStats {
  datagrams = 0;
  /** Datagrams walked without error. */
  ok = 0;
  malformed = 0;
  unsupportedVersion = 0;
  /** Samples visited. */
  samples = 0;
  flowSamples = 0;
  counterSamples = 0;
  /** Samples of unknown format/enterprise, skipped by their length. */
  unknownSamples = 0;
  /** Records of unknown format/enterprise inside visited samples, skipped by their length. */
  unknownFlowRecords = 0;
  unknownCounterRecords = 0;
  /** Malformed datagrams by reason. */
  truncated = 0;
  badLength = 0;
  badCount = 0;
  badAddressType = 0;
  trailingBytes = 0;

  reset(): void {
    this.datagrams = this.ok = this.malformed = this.unsupportedVersion = 0;
    this.samples = this.flowSamples = this.counterSamples = this.unknownSamples = 0;
    this.unknownFlowRecords = this.unknownCounterRecords = 0;
    this.truncated = this.badLength = this.badCount = this.badAddressType = this.trailingBytes = 0;
  }
}

export class DatagramView {
  /**
   * The bytes holding the datagram being walked: bytes[offset, offset + length). Every offset in the views
   * (headerOffset, portNameOffset, ...) indexes into it.
   */
  bytes: Uint8Array = new Uint8Array(0);
  offset = 0;
  length = 0;
  version = 0;
  /** 4 or 6. */
  agentIpVersion = 0;
  /** IPv4 agent address as an unsigned 32-bit number (0 for IPv6). */
  agentV4 = 0;
  /**
   * The agent address as four big-endian 32-bit words: IPv6 in all four, IPv4 in the first (the rest 0).
   * Numbers, not a byte array: filling a typed array per datagram cost more than reading the header.
   */
  agent0 = 0;
  agent1 = 0;
  agent2 = 0;
  agent3 = 0;
  subAgentId = 0;
  sequence = 0;
  uptime = 0;
  sampleCount = 0;

  /** The agent address as text (allocates: not for the per-sample path). */
  agentString(): string {
    return this.agentIpVersion === 4 ? ipv4ToString(this.agentV4) : ipv6ToString(this.agentBytes());
  }

  /** The agent address bytes: 4 for IPv4, 16 for IPv6 (allocates). */
  agentBytes(): Uint8Array {
    const out = new Uint8Array(this.agentIpVersion === 4 ? 4 : 16);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.agent0);
    if (out.length === 16) {
      v.setUint32(4, this.agent1);
      v.setUint32(8, this.agent2);
      v.setUint32(12, this.agent3);
    }
    return out;
  }
}

export class FlowSampleView {
  expanded = false;
  sequence = 0;
  sourceIdType = 0;
  sourceIdIndex = 0;
  samplingRate = 0;
  samplePool = 0;
  drops = 0;
  /** Interface format (0 ifIndex, 1 discarded, 2 multiple) and value, as in FlowSample.input/output. */
  inputFormat = 0;
  input = 0;
  outputFormat = 0;
  output = 0;
  recordCount = 0;
  unknownRecords = 0;
  /** The sample's body within the datagram. */
  offset = 0;
  length = 0;

  /** The first raw packet header record. */
  hasHeader = false;
  headerProtocol = 0;
  frameLength = 0;
  stripped = 0;
  headerOffset = 0;
  headerLength = 0;
  /** True when `summary` holds this sample's header (Ethernet/IPv4/IPv6 header and summarizing on). */
  summarized = false;
  readonly summary = new PacketSummary();

  /** The first extended switch record. */
  hasSwitch = false;
  srcVlan = 0;
  srcPriority = 0;
  dstVlan = 0;
  dstPriority = 0;

  /** The first sampled IPv4 or IPv6 record (0: none). */
  sampledIpVersion = 0;
  sampledLength = 0;
  sampledProtocol = 0;
  /** IPv6 in all 16 bytes, IPv4 in the first 4. */
  readonly sampledSrc = new Uint8Array(16);
  readonly sampledDst = new Uint8Array(16);
  sampledSrcPort = 0;
  sampledDstPort = 0;
  sampledTcpFlags = 0;
  /** IPv4 TOS or IPv6 priority. */
  sampledTos = 0;

  /** Body offsets of the other records (-1 when absent): decode them on demand. */
  sampledEthernetOffset = -1;
  extendedRouterOffset = -1;
  extendedGatewayOffset = -1;
}

export class CounterSampleView {
  expanded = false;
  sequence = 0;
  sourceIdType = 0;
  sourceIdIndex = 0;
  recordCount = 0;
  unknownRecords = 0;
  offset = 0;
  length = 0;
  /** CounterBit flags of the views that point at a record (the walker's bookkeeping: see clearRecords). */
  live = 0;
  /** CounterBit flags of the records present (the first of each kind is kept). */
  present = 0;

  readonly iface = new InterfaceCountersView();
  readonly ethernet = new EthernetCountersView();
  readonly vlan = new VlanCountersView();
  readonly processor = new ProcessorView();
  readonly openflowPort = new OpenflowPortView();
  portNameOffset = 0;
  portNameLength = 0;
  readonly hostDescription = new HostDescriptionView();
  /** Body offset of the host_adapters record (decode on demand) and its adapter count. */
  hostAdaptersOffset = -1;
  hostAdapterCount = 0;
  readonly hostParent = new HostParentView();
  readonly hostCpu = new HostCpuView();
  readonly hostMemory = new HostMemoryView();
  readonly hostDiskIo = new HostDiskIoView();
  readonly hostNetIo = new NetIoView();
  readonly virtNode = new VirtNodeView();
  readonly virtCpu = new VirtCpuView();
  readonly virtMemory = new VirtMemoryView();
  readonly virtDiskIo = new VirtDiskIoView();
  readonly virtNetIo = new NetIoView();

  has(bit: number): boolean {
    return (this.present & bit) !== 0;
  }

  /**
   * Points the views of the records in `stale` (CounterBit flags) at zeros, so an absent record reads 0
   * (never a previous sample's values, never out of range).
   */
  clearRecords(stale: number): void {
    const p = stale;
    if (p === 0) return;
    const z = ZERO_VIEW;
    if (p & CounterBit.GENERIC_INTERFACE) this.iface.at(z, 0, 0);
    if (p & CounterBit.ETHERNET) this.ethernet.at(z, 0, 0);
    if (p & CounterBit.VLAN) this.vlan.at(z, 0, 0);
    if (p & CounterBit.PROCESSOR) this.processor.at(z, 0, 0);
    if (p & CounterBit.OPENFLOW_PORT) this.openflowPort.at(z, 0, 0);
    if (p & CounterBit.HOST_PARENT) this.hostParent.at(z, 0, 0);
    if (p & CounterBit.HOST_CPU) this.hostCpu.at(z, 0, 0);
    if (p & CounterBit.HOST_MEMORY) this.hostMemory.at(z, 0, 0);
    if (p & CounterBit.HOST_DISK_IO) this.hostDiskIo.at(z, 0, 0);
    if (p & CounterBit.HOST_NET_IO) this.hostNetIo.at(z, 0, 0);
    if (p & CounterBit.VIRT_NODE) this.virtNode.at(z, 0, 0);
    if (p & CounterBit.VIRT_CPU) this.virtCpu.at(z, 0, 0);
    if (p & CounterBit.VIRT_MEMORY) this.virtMemory.at(z, 0, 0);
    if (p & CounterBit.VIRT_DISK_IO) this.virtDiskIo.at(z, 0, 0);
    if (p & CounterBit.VIRT_NET_IO) this.virtNetIo.at(z, 0, 0);
    this.live &= ~p;
  }
}

export interface SflowVisitor {
  /** After the datagram header was read, before its samples. */
  onDatagram?(datagram: DatagramView): void;
  onFlowSample?(sample: FlowSampleView, datagram: DatagramView): void;
  onCounterSample?(sample: CounterSampleView, datagram: DatagramView): void;
}

export interface WalkerOptions {
  /** Summarize raw headers into FlowSampleView.summary with the packet codec. Default true. */
  summarizeHeaders?: boolean;
}

// Field sizes of the fixed structures, used only to report where a too-short one ends (error path). The
// counter records' come from the layouts the object decoder and the record views read.
const U32x3 = [4, 4, 4];
const SAMPLED_ETHERNET_FIELDS = [4, 8, 8, 4];
const SAMPLED_IPV4_FIELDS = [4, 4, 4, 4, 4, 4, 4, 4];
const SAMPLED_IPV6_FIELDS = [4, 4, 16, 16, 4, 4, 4, 4];
const fieldSizes = (layout: Layout): number[] => layout.map(([, kind]) => (kind === 'u64' ? 8 : 4));
const GENERIC_FIELDS = fieldSizes(GENERIC_INTERFACE_LAYOUT);
const ETHERNET_FIELDS = fieldSizes(ETHERNET_LAYOUT);
const VLAN_FIELDS = fieldSizes(VLAN_LAYOUT);
const PROCESSOR_FIELDS = fieldSizes(PROCESSOR_LAYOUT);
const OPENFLOW_PORT_FIELDS = fieldSizes(OPENFLOW_PORT_LAYOUT);
const HOST_CPU_FIELDS = fieldSizes(HOST_CPU_LAYOUT);
const HOST_MEMORY_FIELDS = fieldSizes(HOST_MEMORY_LAYOUT);
const HOST_DISK_FIELDS = fieldSizes(HOST_DISK_IO_LAYOUT);
const NET_IO_FIELDS = fieldSizes(NET_IO_LAYOUT);
const VIRT_NODE_FIELDS = fieldSizes(VIRT_NODE_LAYOUT);
const VIRT_MEMORY_FIELDS = fieldSizes(VIRT_MEMORY_LAYOUT);
const VIRT_DISK_FIELDS = fieldSizes(VIRT_DISK_IO_LAYOUT);

/** Offset of the first field of `sizes` (laid out from `base`) that does not fit before `end`. */
function firstOverrun(base: number, end: number, sizes: readonly number[]): number {
  let o = base;
  for (const s of sizes) {
    if (s > end - o) return o;
    o += s;
  }
  return o;
}

function sizeOf(sizes: readonly number[]): number {
  let n = 0;
  for (const s of sizes) n += s;
  return n;
}

const SIZE = {
  sampledEthernet: sizeOf(SAMPLED_ETHERNET_FIELDS),
  sampledIpv4: sizeOf(SAMPLED_IPV4_FIELDS),
  sampledIpv6: sizeOf(SAMPLED_IPV6_FIELDS),
  generic: sizeOf(GENERIC_FIELDS),
  ethernet: sizeOf(ETHERNET_FIELDS),
  vlan: sizeOf(VLAN_FIELDS),
  processor: sizeOf(PROCESSOR_FIELDS),
  openflowPort: sizeOf(OPENFLOW_PORT_FIELDS),
  hostCpu: sizeOf(HOST_CPU_FIELDS),
  hostMemory: sizeOf(HOST_MEMORY_FIELDS),
  hostDisk: sizeOf(HOST_DISK_FIELDS),
  netIo: sizeOf(NET_IO_FIELDS),
  virtNode: sizeOf(VIRT_NODE_FIELDS),
  virtMemory: sizeOf(VIRT_MEMORY_FIELDS),
  virtDisk: sizeOf(VIRT_DISK_FIELDS),
} as const;

export class SflowWalker {
  readonly stats = new SflowStats();
  /**
   * The walker's own buffer, where a datagram from an unknown buffer is copied: 64 KiB holds any UDP
   * payload; a larger input grows it.
   */
  private own = new Uint8Array(65536);
  private ownView = new DataView(this.own.buffer);
  /** The last caller's buffer seen, and the one read in place (with its views). */
  private seen: ArrayBufferLike | null = null;
  private place: ArrayBufferLike | null = null;
  private placeBytes: Uint8Array = this.own;
  private placeView: DataView = this.ownView;
  /** What the walk in progress reads: bytes, DataView, and where the datagram starts. */
  private buf: Uint8Array = this.own;
  private view: DataView = this.ownView;
  private base = 0;
  readonly datagram = new DatagramView();
  readonly flow = new FlowSampleView();
  readonly counters = new CounterSampleView();
  /** Why the last walk() returned MALFORMED (null otherwise), and where. */
  errorCode: SflowErrorCode | null = null;
  errorOffset = -1;
  summarizeHeaders: boolean;

  constructor(options: WalkerOptions = {}) {
    this.summarizeHeaders = options.summarizeHeaders ?? true;
  }

  /**
   * Walks the datagram at bytes[offset, offset + length) (default: all of `bytes`). Throws RangeError only
   * for an offset/length outside `bytes` (a caller's bug); never for what the datagram holds.
   */
  walk(bytes: Uint8Array, visitor: SflowVisitor, offset = 0, length = bytes.length - offset): WalkStatus {
    if (!(offset >= 0 && length >= 0 && offset + length <= bytes.length)) throw new RangeError(`datagram [${offset}, +${length}) is outside a ${bytes.length}-byte buffer`);
    const stats = this.stats;
    stats.datagrams++;
    this.errorCode = null;
    this.errorOffset = -1;
    this.locate(bytes, offset, length);
    const status = this.walkDatagram(this.base, this.base + length, visitor);
    if (status === WalkStatus.OK) stats.ok++;
    else if (status === WalkStatus.UNSUPPORTED_VERSION) stats.unsupportedVersion++;
    else {
      stats.malformed++;
      switch (this.errorCode as SflowErrorCode | null) {
        case 'truncated':
          stats.truncated++;
          break;
        case 'bad-length':
          stats.badLength++;
          break;
        case 'bad-count':
          stats.badCount++;
          break;
        case 'bad-address-type':
          stats.badAddressType++;
          break;
        default:
          stats.trailingBytes++;
      }
    }
    return status;
  }

  /** Points buf/view/base at the datagram: in place in a buffer seen before, else copied into `own`. */
  private locate(bytes: Uint8Array, offset: number, length: number): void {
    const ab = bytes.buffer;
    if (ab !== this.place && ab === this.seen) {
      // A second datagram from the same buffer: a receive ring. Read it in place from now on.
      this.place = ab;
      this.placeBytes = new Uint8Array(ab);
      this.placeView = new DataView(ab);
    }
    if (ab === this.place) {
      this.buf = this.placeBytes;
      this.view = this.placeView;
      this.base = bytes.byteOffset + offset;
      return;
    }
    this.seen = ab;
    if (length > this.own.length) {
      this.own = new Uint8Array(length);
      this.ownView = new DataView(this.own.buffer);
    }
    this.own.set(offset === 0 && length === bytes.length ? bytes : bytes.subarray(offset, offset + length));
    this.buf = this.own;
    this.view = this.ownView;
    this.base = 0;
  }

  /** Records why and where (counted from the datagram's first byte) the walk stopped. */
  private fail(code: SflowErrorCode, offset: number): false {
    this.errorCode = code;
    this.errorOffset = offset - this.base;
    return false;
  }

  /** Walks the datagram at buf[s, n). */
  private walkDatagram(s: number, n: number, visitor: SflowVisitor): WalkStatus {
    const v = this.view;
    const M = WalkStatus.MALFORMED;
    const size = n - s;
    if (size < 4) return this.fail('truncated', s) || M;
    if (v.getUint32(s) !== SFLOW_VERSION) return WalkStatus.UNSUPPORTED_VERSION;
    if (size < 8) return this.fail('truncated', s + 4) || M;
    const d = this.datagram;
    d.bytes = this.buf;
    d.offset = s;
    d.length = size;
    d.version = SFLOW_VERSION;
    const addrType = v.getUint32(s + 4);
    let o: number;
    if (addrType === 1) {
      if (size < 12) return this.fail('truncated', s + 8) || M;
      d.agentIpVersion = 4;
      d.agentV4 = d.agent0 = v.getUint32(s + 8);
      d.agent1 = d.agent2 = d.agent3 = 0;
      o = s + 12;
    } else if (addrType === 2) {
      if (size < 24) return this.fail('truncated', s + 8) || M;
      d.agentIpVersion = 6;
      d.agentV4 = 0;
      d.agent0 = v.getUint32(s + 8);
      d.agent1 = v.getUint32(s + 12);
      d.agent2 = v.getUint32(s + 16);
      d.agent3 = v.getUint32(s + 20);
      o = s + 24;
    } else {
      return this.fail('bad-address-type', s + 4) || M;
    }
    if (n - o < 16) return this.fail('truncated', o + 4 * ((n - o) >> 2)) || M;
    d.subAgentId = v.getUint32(o);
    d.sequence = v.getUint32(o + 4);
    d.uptime = v.getUint32(o + 8);
    const count = v.getUint32(o + 12);
    d.sampleCount = count;
    o += 16;
    if (count * 8 > n - o) return this.fail('bad-count', o - 4) || M;
    visitor.onDatagram?.(d);
    const stats = this.stats;
    for (let i = 0; i < count; i++) {
      if (n - o < 4) return this.fail('truncated', o) || M;
      if (n - o < 8) return this.fail('truncated', o + 4) || M;
      const tag = v.getUint32(o);
      const len = v.getUint32(o + 4);
      const body = o + 8;
      if (pad4(len) > n - body) return this.fail('bad-length', o + 4) || M;
      const end = body + len;
      if (tag === SampleFormat.FLOW || tag === SampleFormat.FLOW_EXPANDED) {
        if (!this.flowSample(body, end, tag === SampleFormat.FLOW_EXPANDED)) return M;
        stats.samples++;
        stats.flowSamples++;
        stats.unknownFlowRecords += this.flow.unknownRecords;
        visitor.onFlowSample?.(this.flow, d);
      } else if (tag === SampleFormat.COUNTERS || tag === SampleFormat.COUNTERS_EXPANDED) {
        if (!this.counterSample(body, end, tag === SampleFormat.COUNTERS_EXPANDED)) {
          this.counters.live |= this.counters.present; // views set before the bad record
          return M;
        }
        stats.samples++;
        stats.counterSamples++;
        stats.unknownCounterRecords += this.counters.unknownRecords;
        visitor.onCounterSample?.(this.counters, d);
      } else {
        stats.unknownSamples++;
      }
      o = body + pad4(len);
    }
    if (o !== n) return this.fail('trailing-bytes', o) || M;
    return WalkStatus.OK;
  }

  private flowSample(s: number, end: number, expanded: boolean): boolean {
    const v = this.view;
    const b = this.buf;
    const f = this.flow;
    const fixed = expanded ? 44 : 32;
    if (end - s < fixed) return this.fail('bad-length', s + 4 * ((end - s) >> 2));
    f.expanded = expanded;
    f.offset = s;
    f.length = end - s;
    f.sequence = v.getUint32(s);
    let o: number;
    if (expanded) {
      f.sourceIdType = v.getUint32(s + 4);
      f.sourceIdIndex = v.getUint32(s + 8);
      f.samplingRate = v.getUint32(s + 12);
      f.samplePool = v.getUint32(s + 16);
      f.drops = v.getUint32(s + 20);
      f.inputFormat = v.getUint32(s + 24);
      f.input = v.getUint32(s + 28);
      f.outputFormat = v.getUint32(s + 32);
      f.output = v.getUint32(s + 36);
      o = s + 40;
    } else {
      const src = v.getUint32(s + 4);
      f.sourceIdType = src >>> 24;
      f.sourceIdIndex = src & 0xffffff;
      f.samplingRate = v.getUint32(s + 8);
      f.samplePool = v.getUint32(s + 12);
      f.drops = v.getUint32(s + 16);
      const input = v.getUint32(s + 20);
      const output = v.getUint32(s + 24);
      f.inputFormat = input >>> 30;
      f.input = input & 0x3fffffff;
      f.outputFormat = output >>> 30;
      f.output = output & 0x3fffffff;
      o = s + 28;
    }
    const n = v.getUint32(o);
    f.recordCount = n;
    o += 4;
    if (n * 8 > end - o) return this.fail('bad-count', o - 4);
    f.unknownRecords = 0;
    f.hasHeader = false;
    f.summarized = false;
    f.hasSwitch = false;
    f.sampledIpVersion = 0;
    f.sampledEthernetOffset = -1;
    f.extendedRouterOffset = -1;
    f.extendedGatewayOffset = -1;
    for (let i = 0; i < n; i++) {
      if (end - o < 8) return this.fail('bad-length', end - o < 4 ? o : o + 4);
      const tag = v.getUint32(o);
      const len = v.getUint32(o + 4);
      if (len > end - o - 8 || pad4(len) > end - o - 8) return this.fail('bad-length', o + 4);
      const r = o + 8;
      const rend = r + len;
      switch (tag) {
        case FlowFormat.RAW_HEADER: {
          if (rend - r < 16) return this.fail('bad-length', r + 4 * ((rend - r) >> 2));
          const hlen = v.getUint32(r + 12);
          if (pad4(hlen) > rend - r - 16) return this.fail('bad-length', r + 12);
          if (!f.hasHeader) {
            f.hasHeader = true;
            f.headerProtocol = v.getUint32(r);
            f.frameLength = v.getUint32(r + 4);
            f.stripped = v.getUint32(r + 8);
            f.headerOffset = r + 16;
            f.headerLength = hlen;
            if (this.summarizeHeaders) {
              const p = f.headerProtocol;
              const lt = p === HeaderProtocol.ETHERNET ? LinkType.ETHERNET : p === HeaderProtocol.IPV4 ? LinkType.IPV4 : p === HeaderProtocol.IPV6 ? LinkType.IPV6 : -1;
              if (lt >= 0) {
                summarizePacket(b, r + 16, hlen, f.summary, lt);
                f.summarized = true;
              }
            }
          }
          break;
        }
        case FlowFormat.SAMPLED_ETHERNET:
          if (rend - r < SIZE.sampledEthernet) return this.fail('bad-length', firstOverrun(r, rend, SAMPLED_ETHERNET_FIELDS));
          if (f.sampledEthernetOffset < 0) f.sampledEthernetOffset = r;
          break;
        case FlowFormat.SAMPLED_IPV4:
          if (rend - r < SIZE.sampledIpv4) return this.fail('bad-length', firstOverrun(r, rend, SAMPLED_IPV4_FIELDS));
          if (f.sampledIpVersion === 0) {
            f.sampledIpVersion = 4;
            f.sampledLength = v.getUint32(r);
            f.sampledProtocol = v.getUint32(r + 4);
            f.sampledSrc.fill(0);
            f.sampledDst.fill(0);
            for (let k = 0; k < 4; k++) {
              f.sampledSrc[k] = b[r + 8 + k]!;
              f.sampledDst[k] = b[r + 12 + k]!;
            }
            f.sampledSrcPort = v.getUint32(r + 16);
            f.sampledDstPort = v.getUint32(r + 20);
            f.sampledTcpFlags = v.getUint32(r + 24);
            f.sampledTos = v.getUint32(r + 28);
          }
          break;
        case FlowFormat.SAMPLED_IPV6:
          if (rend - r < SIZE.sampledIpv6) return this.fail('bad-length', firstOverrun(r, rend, SAMPLED_IPV6_FIELDS));
          if (f.sampledIpVersion === 0) {
            f.sampledIpVersion = 6;
            f.sampledLength = v.getUint32(r);
            f.sampledProtocol = v.getUint32(r + 4);
            for (let k = 0; k < 16; k++) {
              f.sampledSrc[k] = b[r + 8 + k]!;
              f.sampledDst[k] = b[r + 24 + k]!;
            }
            f.sampledSrcPort = v.getUint32(r + 40);
            f.sampledDstPort = v.getUint32(r + 44);
            f.sampledTcpFlags = v.getUint32(r + 48);
            f.sampledTos = v.getUint32(r + 52);
          }
          break;
        case FlowFormat.EXTENDED_SWITCH:
          if (rend - r < 16) return this.fail('bad-length', r + 4 * ((rend - r) >> 2));
          if (!f.hasSwitch) {
            f.hasSwitch = true;
            f.srcVlan = v.getUint32(r);
            f.srcPriority = v.getUint32(r + 4);
            f.dstVlan = v.getUint32(r + 8);
            f.dstPriority = v.getUint32(r + 12);
          }
          break;
        case FlowFormat.EXTENDED_ROUTER: {
          const a = this.address(r, rend);
          if (a < 0) return false;
          if (rend - a < 8) return this.fail('bad-length', a + 4 * ((rend - a) >> 2));
          if (f.extendedRouterOffset < 0) f.extendedRouterOffset = r;
          break;
        }
        case FlowFormat.EXTENDED_GATEWAY:
          if (!this.gateway(r, rend)) return false;
          if (f.extendedGatewayOffset < 0) f.extendedGatewayOffset = r;
          break;
        default:
          f.unknownRecords++;
      }
      o = r + pad4(len);
    }
    if (o !== end) return this.fail('trailing-bytes', o);
    return true;
  }

  /** Checks an sFlow address at `o`; returns the offset after it, or -1 (failed). */
  private address(o: number, end: number): number {
    const v = this.view;
    if (end - o < 4) return this.fail('bad-length', o) || -1;
    const type = v.getUint32(o);
    const size = type === 1 ? 4 : type === 2 ? 16 : type === 0 ? 0 : -1;
    if (size < 0) return this.fail('bad-address-type', o) || -1;
    if (size > end - o - 4) return this.fail('bad-length', o + 4) || -1;
    return o + 4 + size;
  }

  /** Checks a u32 list (count, entries) at `o`; returns the offset after it, or -1. */
  private u32List(o: number, end: number): number {
    const v = this.view;
    if (end - o < 4) return this.fail('bad-length', o) || -1;
    const n = v.getUint32(o);
    if (n * 4 > end - o - 4) return this.fail('bad-count', o) || -1;
    return o + 4 + n * 4;
  }

  private gateway(r: number, rend: number): boolean {
    const v = this.view;
    let o = this.address(r, rend);
    if (o < 0) return false;
    if (rend - o < 12) return this.fail('bad-length', o + 4 * ((rend - o) >> 2));
    o += 12;
    if (rend - o < 4) return this.fail('bad-length', o);
    const segments = v.getUint32(o);
    if (segments * 8 > rend - o - 4) return this.fail('bad-count', o);
    o += 4;
    for (let i = 0; i < segments; i++) {
      if (rend - o < 4) return this.fail('bad-length', o);
      o = this.u32List(o + 4, rend);
      if (o < 0) return false;
    }
    o = this.u32List(o, rend);
    if (o < 0) return false;
    if (rend - o < 4) return this.fail('bad-length', o);
    return true;
  }

  /** Checks an XDR string at `o`; returns the offset after it (padded), or -1. */
  private string(o: number, end: number): number {
    const v = this.view;
    if (end - o < 4) return this.fail('bad-length', o) || -1;
    const n = v.getUint32(o);
    if (pad4(n) > end - o - 4) return this.fail('bad-length', o) || -1;
    return o + 4 + pad4(n);
  }

  private counterSample(s: number, end: number, expanded: boolean): boolean {
    const v = this.view;
    const c = this.counters;
    const fixed = expanded ? 16 : 12;
    if (end - s < fixed) return this.fail('bad-length', s + 4 * ((end - s) >> 2));
    c.expanded = expanded;
    c.offset = s;
    c.length = end - s;
    c.sequence = v.getUint32(s);
    let o: number;
    if (expanded) {
      c.sourceIdType = v.getUint32(s + 4);
      c.sourceIdIndex = v.getUint32(s + 8);
      o = s + 12;
    } else {
      const src = v.getUint32(s + 4);
      c.sourceIdType = src >>> 24;
      c.sourceIdIndex = src & 0xffffff;
      o = s + 8;
    }
    const n = v.getUint32(o);
    c.recordCount = n;
    o += 4;
    if (n * 8 > end - o) return this.fail('bad-count', o - 4);
    c.unknownRecords = 0;
    // Views of records this sample does not carry are cleared after the walk (most samples carry the
    // same records as the last one: nothing to clear).
    c.present = 0;
    c.hostAdaptersOffset = -1;
    c.hostAdapterCount = 0;
    for (let i = 0; i < n; i++) {
      if (end - o < 8) return this.fail('bad-length', end - o < 4 ? o : o + 4);
      const tag = v.getUint32(o);
      const len = v.getUint32(o + 4);
      if (len > end - o - 8 || pad4(len) > end - o - 8) return this.fail('bad-length', o + 4);
      const r = o + 8;
      const rend = r + len;
      const avail = rend - r;
      switch (tag) {
        case CounterFormat.GENERIC_INTERFACE:
          if (avail < SIZE.generic) return this.fail('bad-length', firstOverrun(r, rend, GENERIC_FIELDS));
          if (!(c.present & CounterBit.GENERIC_INTERFACE)) c.iface.at(v, r, avail);
          c.present |= CounterBit.GENERIC_INTERFACE;
          break;
        case CounterFormat.ETHERNET:
          if (avail < SIZE.ethernet) return this.fail('bad-length', firstOverrun(r, rend, ETHERNET_FIELDS));
          if (!(c.present & CounterBit.ETHERNET)) c.ethernet.at(v, r, avail);
          c.present |= CounterBit.ETHERNET;
          break;
        case CounterFormat.VLAN:
          if (avail < SIZE.vlan) return this.fail('bad-length', firstOverrun(r, rend, VLAN_FIELDS));
          if (!(c.present & CounterBit.VLAN)) c.vlan.at(v, r, avail);
          c.present |= CounterBit.VLAN;
          break;
        case CounterFormat.PROCESSOR:
          if (avail < SIZE.processor) return this.fail('bad-length', firstOverrun(r, rend, PROCESSOR_FIELDS));
          if (!(c.present & CounterBit.PROCESSOR)) c.processor.at(v, r, avail);
          c.present |= CounterBit.PROCESSOR;
          break;
        case CounterFormat.OPENFLOW_PORT:
          if (avail < SIZE.openflowPort) return this.fail('bad-length', firstOverrun(r, rend, OPENFLOW_PORT_FIELDS));
          if (!(c.present & CounterBit.OPENFLOW_PORT)) c.openflowPort.at(v, r, avail);
          c.present |= CounterBit.OPENFLOW_PORT;
          break;
        case CounterFormat.PORT_NAME:
          if (this.string(r, rend) < 0) return false;
          if (!(c.present & CounterBit.PORT_NAME)) {
            c.portNameOffset = r + 4;
            c.portNameLength = v.getUint32(r);
          }
          c.present |= CounterBit.PORT_NAME;
          break;
        case CounterFormat.HOST_DESCRIPTION: {
          const h = this.string(r, rend);
          if (h < 0) return false;
          if (rend - h < 16) return this.fail('bad-length', h);
          if (rend - h - 16 < 8) return this.fail('bad-length', h + 16 + 4 * ((rend - h - 16) >> 2));
          const rel = h + 24;
          if (this.string(rel, rend) < 0) return false;
          if (!(c.present & CounterBit.HOST_DESCRIPTION)) {
            const hd = c.hostDescription;
            hd.hostnameOffset = r + 4;
            hd.hostnameLength = v.getUint32(r);
            hd.uuidOffset = h;
            hd.machineType = v.getUint32(h + 16);
            hd.osName = v.getUint32(h + 20);
            hd.osReleaseOffset = rel + 4;
            hd.osReleaseLength = v.getUint32(rel);
          }
          c.present |= CounterBit.HOST_DESCRIPTION;
          break;
        }
        case CounterFormat.HOST_ADAPTERS: {
          if (avail < 4) return this.fail('bad-length', r);
          const adapters = v.getUint32(r);
          if (adapters * 8 > avail - 4) return this.fail('bad-count', r);
          let a = r + 4;
          for (let k = 0; k < adapters; k++) {
            if (rend - a < 4) return this.fail('bad-length', a);
            if (rend - a < 8) return this.fail('bad-length', a + 4);
            const macs = v.getUint32(a + 4);
            if (macs * 8 > rend - a - 8) return this.fail('bad-count', a + 4);
            a += 8 + macs * 8;
          }
          if (!(c.present & CounterBit.HOST_ADAPTERS)) {
            c.hostAdaptersOffset = r;
            c.hostAdapterCount = adapters;
          }
          c.present |= CounterBit.HOST_ADAPTERS;
          break;
        }
        case CounterFormat.HOST_PARENT:
          if (avail < 8) return this.fail('bad-length', r + 4 * (avail >> 2));
          if (!(c.present & CounterBit.HOST_PARENT)) c.hostParent.at(v, r, avail);
          c.present |= CounterBit.HOST_PARENT;
          break;
        case CounterFormat.HOST_CPU:
          if (avail < SIZE.hostCpu) return this.fail('bad-length', firstOverrun(r, rend, HOST_CPU_FIELDS));
          if (!(c.present & CounterBit.HOST_CPU)) c.hostCpu.at(v, r, avail);
          c.present |= CounterBit.HOST_CPU;
          break;
        case CounterFormat.HOST_MEMORY:
          if (avail < SIZE.hostMemory) return this.fail('bad-length', firstOverrun(r, rend, HOST_MEMORY_FIELDS));
          if (!(c.present & CounterBit.HOST_MEMORY)) c.hostMemory.at(v, r, avail);
          c.present |= CounterBit.HOST_MEMORY;
          break;
        case CounterFormat.HOST_DISK_IO:
          if (avail < SIZE.hostDisk) return this.fail('bad-length', firstOverrun(r, rend, HOST_DISK_FIELDS));
          if (!(c.present & CounterBit.HOST_DISK_IO)) c.hostDiskIo.at(v, r, avail);
          c.present |= CounterBit.HOST_DISK_IO;
          break;
        case CounterFormat.HOST_NET_IO:
          if (avail < SIZE.netIo) return this.fail('bad-length', firstOverrun(r, rend, NET_IO_FIELDS));
          if (!(c.present & CounterBit.HOST_NET_IO)) c.hostNetIo.at(v, r, avail);
          c.present |= CounterBit.HOST_NET_IO;
          break;
        case CounterFormat.VIRT_NODE:
          if (avail < SIZE.virtNode) return this.fail('bad-length', firstOverrun(r, rend, VIRT_NODE_FIELDS));
          if (!(c.present & CounterBit.VIRT_NODE)) c.virtNode.at(v, r, avail);
          c.present |= CounterBit.VIRT_NODE;
          break;
        case CounterFormat.VIRT_CPU:
          if (avail < 12) return this.fail('bad-length', firstOverrun(r, rend, U32x3));
          if (!(c.present & CounterBit.VIRT_CPU)) c.virtCpu.at(v, r, avail);
          c.present |= CounterBit.VIRT_CPU;
          break;
        case CounterFormat.VIRT_MEMORY:
          if (avail < SIZE.virtMemory) return this.fail('bad-length', firstOverrun(r, rend, VIRT_MEMORY_FIELDS));
          if (!(c.present & CounterBit.VIRT_MEMORY)) c.virtMemory.at(v, r, avail);
          c.present |= CounterBit.VIRT_MEMORY;
          break;
        case CounterFormat.VIRT_DISK_IO:
          if (avail < SIZE.virtDisk) return this.fail('bad-length', firstOverrun(r, rend, VIRT_DISK_FIELDS));
          if (!(c.present & CounterBit.VIRT_DISK_IO)) c.virtDiskIo.at(v, r, avail);
          c.present |= CounterBit.VIRT_DISK_IO;
          break;
        case CounterFormat.VIRT_NET_IO:
          if (avail < SIZE.netIo) return this.fail('bad-length', firstOverrun(r, rend, NET_IO_FIELDS));
          if (!(c.present & CounterBit.VIRT_NET_IO)) c.virtNetIo.at(v, r, avail);
          c.present |= CounterBit.VIRT_NET_IO;
          break;
        default:
          c.unknownRecords++;
      }
      o = r + pad4(len);
    }
    if (o !== end) return this.fail('trailing-bytes', o);
    c.clearRecords(c.live & ~c.present);
    c.live = c.present;
    return true;
  }
}

const defaultWalker = new SflowWalker();

/**
 * Walks one datagram with a shared default walker (see SflowWalker.walk). Collectors that need their own
 * stats or options create an SflowWalker.
 */
export function walkDatagram(bytes: Uint8Array, visitor: SflowVisitor, walker: SflowWalker = defaultWalker): WalkStatus {
  return walker.walk(bytes, visitor);
}
