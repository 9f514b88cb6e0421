/**
 * tshark as the oracle for the sFlow decoder: run `tshark -T json` on a capture, keep its tree in order
 * (tshark repeats keys, which JSON.parse would collapse), reduce it to what tshark decoded of each
 * datagram, and compare that, field by field, with Vigil's decode.
 *
 * Known tshark 4.0 behaviours the comparison accounts for (each seen on real data):
 *  - an unknown counter record is not skipped: tshark reads its format and length, then parses the
 *    record's body as the next record and gives up ("Malformed Packet"). Open vSwitch sends unknown (to
 *    tshark) records 1004/1005/2203 in every counter sample, so records after the first unknown one, and
 *    samples after such a sample, are not in tshark's reading. Compare them through re-framed datagrams
 *    (one sample each: reframeSamples) and against OVS itself.
 *  - sampled IPv4/IPv6 tcp_flags and the IPv4 tos are read from the first (most significant) byte of
 *    their 32-bit words, not the value: those tshark fields are not compared.
 */
import { execFileSync } from 'node:child_process';
import type { CounterRecord, FlowRecord, SflowDatagram, SflowSample } from '../../src/codec/sflow/index.js';
import type { Layer, Packet } from '../../src/codec/packet/types.js';

// ---------------------------------------------------------------- ordered JSON

export type JVal = string | number | boolean | null | JVal[] | JObj;

/** A JSON object as its ordered (key, value) pairs, duplicates kept. */
export class JObj {
  constructor(readonly entries: [string, JVal][]) {}
  get(key: string): JVal | undefined {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }
  str(key: string): string | undefined {
    const v = this.get(key);
    return typeof v === 'string' ? v : undefined;
  }
  all(key: string): JVal[] {
    return this.entries.filter(([k]) => k === key).map(([, v]) => v);
  }
}

export function parseOrderedJson(text: string): JVal {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const value = (): JVal => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, JVal][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return new JObj(entries);
      }
      for (;;) {
        ws();
        const k = value();
        if (typeof k !== 'string') throw new SyntaxError(`object key expected at ${i}`);
        ws();
        if (text[i++] !== ':') throw new SyntaxError(`':' expected at ${i}`);
        entries.push([k, value()]);
        ws();
        const sep = text[i++];
        if (sep === '}') return new JObj(entries);
        if (sep !== ',') throw new SyntaxError(`',' or '}' expected at ${i}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: JVal[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        const sep = text[i++];
        if (sep === ']') return arr;
        if (sep !== ',') throw new SyntaxError(`',' or ']' expected at ${i}`);
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1)) as string;
      i = j + 1;
      return s;
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) throw new SyntaxError(`unexpected ${JSON.stringify(text.slice(i, i + 10))} at ${i}`);
    i += m[0].length;
    return JSON.parse(m[0]) as JVal;
  };
  const v = value();
  ws();
  if (i !== text.length) throw new SyntaxError(`trailing text at ${i}`);
  return v;
}

// ---------------------------------------------------------------- tshark's reading

export interface TsharkRecord {
  /** Tree title ("Raw packet header", "Unknown sample format", ...). */
  title: string;
  format: number;
  length: number;
  /** Every leaf under the record (nested trees flattened), values in order. */
  fields: Map<string, string[]>;
  /** For raw headers: the top-level protocol trees tshark decoded inside the header. */
  headerTree?: JObj;
}

export interface TsharkSample {
  title: string;
  enterprise: number;
  format: number;
  length: number;
  fields: Map<string, string[]>;
  records: TsharkRecord[];
}

export interface TsharkDatagram {
  frame: number;
  fields: Map<string, string[]>;
  samples: TsharkSample[];
  /** tshark flagged the packet malformed (it stopped decoding somewhere). */
  malformed: boolean;
}

function leaves(o: JObj, out: Map<string, string[]>, skip: (k: string) => boolean): void {
  for (const [k, v] of o.entries) {
    if (skip(k)) continue;
    if (v instanceof JObj) leaves(v, out, skip);
    else if (typeof v === 'string') {
      const list = out.get(k) ?? [];
      list.push(v);
      out.set(k, list);
    } else if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'string') (out.get(k) ?? out.set(k, []).get(k)!).push(x);
    }
  }
}

function num(s: string | undefined): number {
  if (s === undefined) return NaN;
  return s.startsWith('0x') ? parseInt(s, 16) : Number(s);
}

export function tsharkAvailable(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** tshark's reading of every sFlow datagram in `pcap` (UDP ports `ports` decoded as sFlow). */
export function tsharkSflow(pcap: string, ports: number | number[] = 6343): TsharkDatagram[] {
  const decodeAs = (Array.isArray(ports) ? ports : [ports]).flatMap((p) => ['-d', `udp.port==${p},sflow`]);
  const text = execFileSync('tshark', ['-r', pcap, ...decodeAs, '-T', 'json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const root = parseOrderedJson(text);
  if (!Array.isArray(root)) throw new Error('tshark -T json: not an array');
  const out: TsharkDatagram[] = [];
  for (const pkt of root) {
    const layers = ((pkt as JObj).get('_source') as JObj).get('layers') as JObj;
    const frame = num((layers.get('frame') as JObj).str('frame.number'));
    const sflow = layers.get('sflow');
    if (!(sflow instanceof JObj)) continue;
    const dg: TsharkDatagram = { frame, fields: new Map(), samples: [], malformed: layers.get('_ws.malformed') !== undefined };
    for (const [k, v] of sflow.entries) {
      if (typeof v === 'string') dg.fields.set(k, [...(dg.fields.get(k) ?? []), v]);
      else if (v instanceof JObj && v.get('sflow_245.sampletype') !== undefined) dg.samples.push(readSample(k, v));
    }
    out.push(dg);
  }
  return out;
}

function readSample(title: string, o: JObj): TsharkSample {
  const s: TsharkSample = {
    title,
    enterprise: num(o.str('sflow.enterprise')),
    format: num(o.str('sflow_245.sampletype')),
    length: num(o.str('sflow_5.sample_length')),
    fields: new Map(),
    records: [],
  };
  for (const [k, v] of o.entries) {
    if (v instanceof JObj && (v.get('sflow_245.flow_record_format') !== undefined || v.get('sflow_245.counters_record_format') !== undefined || v.get('sflow.enterprise.length') !== undefined)) {
      const fields = new Map<string, string[]>();
      leaves(v, fields, (key) => key === 'sflow_245.header_tree');
      const ht = v.get('sflow_245.header_tree');
      s.records.push({
        title: k,
        format: num(v.str('sflow_245.flow_record_format') ?? v.str('sflow_245.counters_record_format')),
        length: num(v.str('sflow_5.flow_data_length') ?? v.str('sflow.enterprise.length')),
        fields,
        ...(ht instanceof JObj ? { headerTree: ht } : {}),
      });
    } else if (typeof v === 'string') {
      s.fields.set(k, [...(s.fields.get(k) ?? []), v]);
    } else if (v instanceof JObj) {
      leaves(v, s.fields, () => false);
    }
  }
  return s;
}

// ---------------------------------------------------------------- comparison

/** Record formats tshark 4.0 decodes (enterprise 0); any other stops tshark's reading of a counter sample. */
const TSHARK_FLOW_FORMATS = new Set([1, 2, 3, 4, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017]);
const TSHARK_COUNTER_FORMATS = new Set([1, 2, 3, 4, 5, 6, 7, 1001, 1002]);

type Getter = [tsharkField: string, value: (r: never) => unknown];

const FLOW_RECORD_FIELDS: Record<string, Getter[]> = {
  raw_header: [
    ['sflow_245.header_protocol', (r: { headerProtocol: number }) => r.headerProtocol],
    ['sflow_245.header.frame_length', (r: { frameLength: number }) => r.frameLength],
    ['sflow_245.header.payload_stripped', (r: { stripped: number }) => r.stripped],
    ['sflow_245.header.sampled_header_length', (r: { header: Uint8Array }) => r.header.length],
  ],
  sampled_ethernet: [
    ['sflow_245.ethernet.length', (r: { length: number }) => r.length],
    ['sflow_245.ethernet.source_mac_address', (r: { srcMac: string }) => r.srcMac],
    ['sflow_245.ethernet.destination_mac_address', (r: { dstMac: string }) => r.dstMac],
    ['sflow_245.ethernet.packet_type', (r: { ethType: number }) => r.ethType],
  ],
  sampled_ipv4: [
    ['sflow_245.ip.length', (r: { length: number }) => r.length],
    ['sflow.ip_protocol', (r: { protocol: number }) => r.protocol],
    ['sflow_245.ipv4_src', (r: { srcIp: string }) => r.srcIp],
    ['sflow_245.ipv4_dst', (r: { dstIp: string }) => r.dstIp],
    ['sflow_245.ip.source_port', (r: { srcPort: number }) => r.srcPort],
    ['sflow.ip.destination_port', (r: { dstPort: number }) => r.dstPort],
  ],
  sampled_ipv6: [
    ['sflow_245.ip.length', (r: { length: number }) => r.length],
    ['sflow.ip_protocol', (r: { protocol: number }) => r.protocol],
    ['sflow_245.ipv6_src', (r: { srcIp: string }) => r.srcIp],
    ['sflow_245.ipv6_dst', (r: { dstIp: string }) => r.dstIp],
    ['sflow_245.ip.source_port', (r: { srcPort: number }) => r.srcPort],
    ['sflow.ip.destination_port', (r: { dstPort: number }) => r.dstPort],
    ['sflow_245.ipv6_priority', (r: { priority: number }) => r.priority],
  ],
  extended_switch: [
    ['sflow_245.vlan.in', (r: { srcVlan: number }) => r.srcVlan],
    ['sflow_245.pri.in', (r: { srcPriority: number }) => r.srcPriority],
    ['sflow_245.vlan.out', (r: { dstVlan: number }) => r.dstVlan],
    ['sflow_245.pri.out', (r: { dstPriority: number }) => r.dstPriority],
  ],
  extended_router: [
    ['sflow_245.nexthop.src_mask', (r: { srcMaskLen: number }) => r.srcMaskLen],
    ['sflow_245.nexthop.dst_mask', (r: { dstMaskLen: number }) => r.dstMaskLen],
  ],
  extended_gateway: [
    ['sflow_245.as', (r: { as: number }) => r.as],
    ['sflow_245.srcAS', (r: { srcAs: number }) => r.srcAs],
    ['sflow_245.peerAS', (r: { srcPeerAs: number }) => r.srcPeerAs],
    ['sflow_245.dstASentries', (r: { dstAsPath: unknown[] }) => r.dstAsPath.length],
    ['sflow.as_type', (r: { dstAsPath: { type: number }[] }) => r.dstAsPath.map((s) => s.type)],
    // tshark labels the AS numbers and the communities both dstAS, in order.
    ['sflow_245.dstAS', (r: { dstAsPath: { asns: number[] }[]; communities: number[] }) => [...r.dstAsPath.flatMap((s) => s.asns), ...r.communities]],
    ['sflow_245.communityEntries', (r: { communities: number[] }) => r.communities.length],
    ['sflow_245.localpref', (r: { localPref: number }) => r.localPref],
  ],
};

const COUNTER_RECORD_FIELDS: Record<string, Getter[]> = {
  generic_interface: [
    ['sflow_245.ifindex', (r: { ifIndex: number }) => r.ifIndex],
    ['sflow_245.iftype', (r: { ifType: number }) => r.ifType],
    ['sflow_245.ifspeed', (r: { ifSpeed: bigint }) => r.ifSpeed],
    ['sflow_245.ifdirection', (r: { ifDirection: number }) => r.ifDirection],
    ['sflow_245.ifadmin_status', (r: { ifStatus: number }) => r.ifStatus & 1],
    ['sflow_245.ifoper_status', (r: { ifStatus: number }) => (r.ifStatus >> 1) & 1],
    ['sflow_245.ifinoct', (r: { ifInOctets: bigint }) => r.ifInOctets],
    ['sflow_245.ifinpkt', (r: { ifInUcastPkts: number }) => r.ifInUcastPkts],
    ['sflow_245.ifinmcast', (r: { ifInMulticastPkts: number }) => r.ifInMulticastPkts],
    ['sflow_245.ifinbcast', (r: { ifInBroadcastPkts: number }) => r.ifInBroadcastPkts],
    ['sflow_245.ifindisc', (r: { ifInDiscards: number }) => r.ifInDiscards],
    ['sflow_245.ifinerr', (r: { ifInErrors: number }) => r.ifInErrors],
    ['sflow_245.ifinunk', (r: { ifInUnknownProtos: number }) => r.ifInUnknownProtos],
    ['sflow_245.ifoutoct', (r: { ifOutOctets: bigint }) => r.ifOutOctets],
    ['sflow_245.ifoutpkt', (r: { ifOutUcastPkts: number }) => r.ifOutUcastPkts],
    ['sflow_245.ifoutmcast', (r: { ifOutMulticastPkts: number }) => r.ifOutMulticastPkts],
    ['sflow_245.ifoutbcast', (r: { ifOutBroadcastPkts: number }) => r.ifOutBroadcastPkts],
    ['sflow_245.ifoutdisc', (r: { ifOutDiscards: number }) => r.ifOutDiscards],
    ['sflow_245.ifouterr', (r: { ifOutErrors: number }) => r.ifOutErrors],
    ['sflow_245.ifpromisc', (r: { ifPromiscuousMode: number }) => r.ifPromiscuousMode],
  ],
  ethernet: [
    'AlignmentErrors', 'FCSErrors', 'SingleCollisionFrames', 'MultipleCollisionFrames', 'SQETestErrors', 'DeferredTransmissions',
    'LateCollisions', 'ExcessiveCollisions', 'InternalMacTransmitErrors', 'CarrierSenseErrors', 'FrameTooLongs',
    'InternalMacReceiveErrors', 'SymbolErrors',
  ].map((n): Getter => [`sflow_245.dot3Stats${n}`, (r: Record<string, number>) => r[`dot3Stats${n}`]]),
  vlan: [
    ['sflow_245.vlan_id', (r: { vlanId: number }) => r.vlanId],
    ['sflow_245.octets', (r: { octets: bigint }) => r.octets],
    ['sflow_245.ucastPkts', (r: { ucastPkts: number }) => r.ucastPkts],
    ['sflow_245.multicastPkts', (r: { multicastPkts: number }) => r.multicastPkts],
    ['sflow_245.broadcastPkts', (r: { broadcastPkts: number }) => r.broadcastPkts],
    ['sflow_245.discards', (r: { discards: number }) => r.discards],
  ],
  processor: [
    ['sflow_5.cpu_5s', (r: { cpu5s: number }) => r.cpu5s],
    ['sflow_5.cpu_1m', (r: { cpu1m: number }) => r.cpu1m],
    ['sflow_5.cpu_5m', (r: { cpu5m: number }) => r.cpu5m],
    ['sflow_5.total_memory', (r: { totalMemory: bigint }) => r.totalMemory],
    ['sflow_5.free_memory', (r: { freeMemory: bigint }) => r.freeMemory],
  ],
};

/** Vigil's record format number for a decoded record (the spec's, as tshark prints it). */
const FLOW_FORMAT: Record<string, number> = { raw_header: 1, sampled_ethernet: 2, sampled_ipv4: 3, sampled_ipv6: 4, extended_switch: 1001, extended_router: 1002, extended_gateway: 1003 };
const COUNTER_FORMAT: Record<string, number> = {
  generic_interface: 1, ethernet: 2, vlan: 5, processor: 1001, openflow_port: 1004, port_name: 1005, host_description: 2000, host_adapters: 2001,
  host_parent: 2002, host_cpu: 2003, host_memory: 2004, host_disk_io: 2005, host_net_io: 2006, virt_node: 2100, virt_cpu: 2101,
  virt_memory: 2102, virt_disk_io: 2103, virt_net_io: 2104,
};

function formatOf(r: FlowRecord | CounterRecord, table: Record<string, number>): number {
  return r.type === 'unknown' ? r.format : table[r.type]!;
}

export class Comparison {
  readonly mismatches: string[] = [];
  /** Fields compared (a comparison that compared nothing proves nothing). */
  compared = 0;
  samplesCompared = 0;
  recordsCompared = 0;
  /** Raw headers whose decoded protocol fields were compared. */
  headersCompared = 0;

  eq(path: string, tshark: string | string[] | undefined, vigil: unknown): void {
    if (tshark === undefined) return;
    const want = Array.isArray(vigil) ? vigil.map(String) : [String(vigil)];
    const got = Array.isArray(tshark) ? tshark : [tshark];
    this.compared++;
    if (JSON.stringify(got) !== JSON.stringify(want)) this.mismatches.push(`${path}: tshark ${JSON.stringify(got)} vigil ${JSON.stringify(want)}`);
  }

  /** Compares every field tshark decoded of one datagram with Vigil's decode of the same bytes. */
  datagram(path: string, t: TsharkDatagram, v: SflowDatagram): void {
    const f = (k: string): string[] | undefined => t.fields.get(k);
    this.eq(`${path}.version`, f('sflow_245.version'), v.version);
    this.eq(`${path}.agent`, f('sflow_245.agent') ?? f('sflow_245.agent.v6'), v.agent);
    this.eq(`${path}.agentType`, f('sflow_245.agenttype'), v.agent.includes(':') ? 2 : 1);
    this.eq(`${path}.subAgentId`, f('sflow_245.sub_agent_id'), v.subAgentId);
    this.eq(`${path}.sequence`, f('sflow_245.sequence_number'), v.sequence);
    this.eq(`${path}.uptime`, f('sflow_245.sysuptime'), v.uptime);
    this.eq(`${path}.numSamples`, f('sflow_245.numsamples'), v.samples.length);
    if (t.samples.length > v.samples.length) this.mismatches.push(`${path}: tshark read ${t.samples.length} samples, vigil ${v.samples.length}`);
    t.samples.forEach((ts, i) => {
      const vs = v.samples[i];
      if (vs !== undefined) this.sample(`${path}.samples[${i}]`, ts, vs, i === t.samples.length - 1 && t.malformed);
    });
  }

  sample(path: string, t: TsharkSample, v: SflowSample, lastOfMalformed: boolean): void {
    const f = (k: string): string[] | undefined => t.fields.get(k);
    this.samplesCompared++;
    const vFormat = v.kind === 'flow' ? (v.expanded ? 3 : 1) : v.kind === 'counters' ? (v.expanded ? 4 : 2) : v.format;
    this.eq(`${path}.format`, String(t.format), vFormat);
    this.eq(`${path}.enterprise`, String(t.enterprise), v.kind === 'unknown' ? v.enterprise : 0);
    if (v.kind === 'unknown') return;
    if (v.kind === 'flow') {
      this.eq(`${path}.sequence`, f('sflow.flow_sample.sequence_number'), v.sequence);
      this.eq(`${path}.sourceIdType`, f('sflow.flow_sample.source_id_class') ?? f('sflow.flow_sample.source_id_type'), v.sourceIdType);
      this.eq(`${path}.sourceIdIndex`, f('sflow.flow_sample.index') ?? f('sflow.flow_sample.source_id_index'), v.sourceIdIndex);
      this.eq(`${path}.samplingRate`, f('sflow.flow_sample.sampling_rate'), v.samplingRate);
      this.eq(`${path}.samplePool`, f('sflow.flow_sample.sample_pool'), v.samplePool);
      this.eq(`${path}.drops`, f('sflow.flow_sample.dropped_packets'), v.drops);
      if (v.expanded) {
        this.eq(`${path}.input.format`, f('sflow.flow_sample.input_interface_format'), v.input.format);
        this.eq(`${path}.input.value`, f('sflow.flow_sample.input_interface_value'), v.input.value);
        this.eq(`${path}.output.format`, f('sflow.flow_sample.output_interface.format'), v.output.format);
        this.eq(`${path}.output.value`, f('sflow.flow_sample.output_interface_value'), v.output.value);
      } else {
        // Compact: tshark shows the input word whole, the output word split when its format is 0.
        this.eq(`${path}.input`, f('sflow.flow_sample.input_interface'), ((v.input.format << 30) | v.input.value) >>> 0);
        this.eq(`${path}.output.format`, f('sflow.flow_sample.output_interface_format'), v.output.format);
        this.eq(`${path}.output.value`, f('sflow.flow_sample.output_interface_value'), v.output.value);
      }
      this.eq(`${path}.recordCount`, f('sflow.flow_sample.flow_record'), v.records.length);
    } else {
      this.eq(`${path}.sequence`, f('sflow.counters_sample.sequence_number'), v.sequence);
      this.eq(`${path}.sourceIdType`, f('sflow.counters_sample.source_id_type') ?? f('sflow.counters_sample.source_id_class'), v.sourceIdType);
      this.eq(`${path}.sourceIdIndex`, f('sflow.counters_sample.source_id_index') ?? f('sflow.counters_sample.index'), v.sourceIdIndex);
      this.eq(`${path}.recordCount`, f('sflow.counters_sample.counters_records'), v.records.length);
    }
    const known = v.kind === 'flow' ? TSHARK_FLOW_FORMATS : TSHARK_COUNTER_FORMATS;
    const table = v.kind === 'flow' ? FLOW_FORMAT : COUNTER_FORMAT;
    for (let i = 0; i < t.records.length; i++) {
      const tr = t.records[i]!;
      const vr = v.records[i];
      if (vr === undefined) {
        if (!lastOfMalformed) this.mismatches.push(`${path}.records[${i}]: tshark has a record vigil does not`);
        break;
      }
      this.recordsCompared++;
      this.eq(`${path}.records[${i}].format`, String(tr.format), formatOf(vr, table));
      this.eq(`${path}.records[${i}].length`, String(tr.length), recordLength(vr));
      if (!known.has(tr.format)) break; // tshark does not skip it: what it shows next is not a record
      const getters = (v.kind === 'flow' ? FLOW_RECORD_FIELDS : COUNTER_RECORD_FIELDS)[vr.type] ?? [];
      for (const [key, get] of getters) this.eq(`${path}.records[${i}].${key}`, tr.fields.get(key), (get as (r: unknown) => unknown)(vr));
      if (vr.type === 'extended_router' || vr.type === 'extended_gateway') {
        this.eq(`${path}.records[${i}].nexthop`, tr.fields.get('sflow_245.nexthop') ?? tr.fields.get('sflow_245.nexthop.v6'), vr.nextHop);
      }
      if (vr.type === 'raw_header') {
        // tshark shows the header with its XDR padding: compare the header's own bytes.
        const hex = [...vr.header].map((b) => b.toString(16).padStart(2, '0')).join(':');
        this.eq(`${path}.records[${i}].header`, tr.fields.get('sflow_245.header')?.map((h) => h.slice(0, hex.length)), hex);
      }
      if (vr.type === 'raw_header' && tr.headerTree !== undefined && vr.packet !== null) this.header(`${path}.records[${i}].packet`, tr.headerTree, vr.packet);
    }
  }

  /** The protocol fields tshark decoded inside a sampled header vs the packet codec's layers (outermost of each kind). */
  header(path: string, tree: JObj, p: Packet): void {
    const first = <T extends Layer['type']>(type: T): Extract<Layer, { type: T }> | undefined => p.layers.find((l): l is Extract<Layer, { type: T }> => l.type === type && l.depth === 0);
    const sub = (name: string): JObj | undefined => {
      const v = tree.get(name);
      return v instanceof JObj ? v : undefined;
    };
    const before = this.compared;
    const eth = sub('eth');
    const e = first('ethernet');
    if (eth && e) {
      this.eq(`${path}.eth.src`, eth.str('eth.src'), e.src);
      this.eq(`${path}.eth.dst`, eth.str('eth.dst'), e.dst);
      this.eq(`${path}.eth.type`, eth.str('eth.type') === undefined ? undefined : String(num(eth.str('eth.type'))), e.etherType);
    }
    const ip = sub('ip');
    const v4 = first('ipv4');
    if (ip && v4) {
      this.eq(`${path}.ip.src`, ip.str('ip.src'), v4.src);
      this.eq(`${path}.ip.dst`, ip.str('ip.dst'), v4.dst);
      this.eq(`${path}.ip.proto`, ip.str('ip.proto'), v4.protocol);
      this.eq(`${path}.ip.ttl`, ip.str('ip.ttl'), v4.ttl);
    } else if (ip || v4) this.mismatches.push(`${path}: IPv4 layer only in ${ip ? 'tshark' : 'vigil'}`);
    const ip6 = sub('ipv6');
    const v6 = first('ipv6');
    if (ip6 && v6) {
      this.eq(`${path}.ipv6.src`, ip6.str('ipv6.src'), v6.src);
      this.eq(`${path}.ipv6.dst`, ip6.str('ipv6.dst'), v6.dst);
      this.eq(`${path}.ipv6.nxt`, ip6.str('ipv6.nxt'), v6.nextHeader);
    } else if (ip6 || v6) this.mismatches.push(`${path}: IPv6 layer only in ${ip6 ? 'tshark' : 'vigil'}`);
    for (const proto of ['tcp', 'udp'] as const) {
      const t = sub(proto);
      const l = first(proto);
      if (t && l) {
        this.eq(`${path}.${proto}.srcport`, t.str(`${proto}.srcport`), l.srcPort);
        this.eq(`${path}.${proto}.dstport`, t.str(`${proto}.dstport`), l.dstPort);
      } else if (t || l) this.mismatches.push(`${path}: ${proto} layer only in ${t ? 'tshark' : 'vigil'}`);
    }
    const icmp = sub('icmp');
    const ic = first('icmp');
    if (icmp && ic) {
      this.eq(`${path}.icmp.type`, icmp.str('icmp.type'), ic.icmpType);
      this.eq(`${path}.icmp.code`, icmp.str('icmp.code'), ic.code);
    }
    const icmp6 = sub('icmpv6');
    const ic6 = first('icmpv6');
    if (icmp6 && ic6) {
      this.eq(`${path}.icmpv6.type`, icmp6.str('icmpv6.type'), ic6.icmpType);
      this.eq(`${path}.icmpv6.code`, icmp6.str('icmpv6.code'), ic6.code);
    }
    const arp = sub('arp');
    const a = first('arp');
    if (arp && a) {
      this.eq(`${path}.arp.opcode`, arp.str('arp.opcode'), a.opcode);
      this.eq(`${path}.arp.src.proto_ipv4`, arp.str('arp.src.proto_ipv4'), a.senderProtocol);
      this.eq(`${path}.arp.dst.proto_ipv4`, arp.str('arp.dst.proto_ipv4'), a.targetProtocol);
    }
    if (this.compared > before) this.headersCompared++;
  }
}

/** The record's length on the wire as Vigil decoded it (what tshark prints as its data length). */
function recordLength(r: FlowRecord | CounterRecord): number {
  switch (r.type) {
    case 'unknown':
      return r.data.length;
    case 'raw_header':
      return 16 + ((r.header.length + 3) & ~3);
    case 'port_name':
      return 4 + ((Buffer.byteLength(r.name) + 3) & ~3);
    case 'extended_router':
      return 4 + (r.nextHop === '' ? 0 : r.nextHop.includes(':') ? 16 : 4) + 8;
    case 'extended_gateway':
      return 4 + (r.nextHop === '' ? 0 : r.nextHop.includes(':') ? 16 : 4) + 12 + 4 + r.dstAsPath.reduce((n, s) => n + 8 + 4 * s.asns.length, 0) + 4 + 4 * r.communities.length + 4;
    case 'host_description':
      return 4 + ((Buffer.byteLength(r.hostname) + 3) & ~3) + 16 + 8 + 4 + ((Buffer.byteLength(r.osRelease) + 3) & ~3);
    case 'host_adapters':
      return 4 + r.adapters.reduce((n, a) => n + 8 + 8 * a.macs.length, 0);
    case 'host_cpu':
      return r.cpuSteal === undefined ? 68 : 80;
    default:
      return FIXED_LENGTHS[r.type]!;
  }
}

const FIXED_LENGTHS: Record<string, number> = {
  sampled_ethernet: 24, sampled_ipv4: 32, sampled_ipv6: 56, extended_switch: 16, generic_interface: 88, ethernet: 52, vlan: 28,
  processor: 28, openflow_port: 12, host_parent: 8, host_memory: 72, host_disk_io: 52, host_net_io: 40, virt_node: 28, virt_cpu: 12,
  virt_memory: 16, virt_disk_io: 52, virt_net_io: 40,
};

/**
 * Re-frames a datagram into one datagram per sample (the original header with num_samples = 1 and that
 * sample's bytes), so tshark reads every sample from its start even where it gave up on the original.
 * Sample boundaries come from the datagram's own length words.
 */
export function reframeSamples(bytes: Uint8Array): Uint8Array[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = dv.getUint32(4) === 2 ? 36 : 24;
  const n = dv.getUint32(headerLen);
  const out: Uint8Array[] = [];
  let o = headerLen + 4;
  for (let i = 0; i < n; i++) {
    const len = dv.getUint32(o + 4);
    const one = new Uint8Array(headerLen + 4 + 8 + len);
    one.set(bytes.subarray(0, headerLen), 0);
    new DataView(one.buffer).setUint32(headerLen, 1);
    one.set(bytes.subarray(o, o + 8 + len), headerLen + 4);
    out.push(one);
    o += 8 + ((len + 3) & ~3);
  }
  return out;
}

// ---------------------------------------------------------------- stored readings (golden fixtures)

type Fields = Record<string, string[]>;
interface StoredRecord { title: string; format: number; length: number; fields: Fields; headerTree?: Record<string, Record<string, string>> }
interface StoredSample { title: string; enterprise: number; format: number; length: number; fields: Fields; records: StoredRecord[] }
export interface StoredDatagram { frame: number; malformed: boolean; fields: Fields; samples: StoredSample[] }

/** The header-tree fields Comparison.header reads. */
const HEADER_FIELDS = new Set([
  'eth.src', 'eth.dst', 'eth.type', 'ip.src', 'ip.dst', 'ip.proto', 'ip.ttl', 'ipv6.src', 'ipv6.dst', 'ipv6.nxt', 'tcp.srcport', 'tcp.dstport',
  'udp.srcport', 'udp.dstport', 'icmp.type', 'icmp.code', 'icmpv6.type', 'icmpv6.code', 'arp.opcode', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4',
]);

/**
 * tshark's reading as plain JSON: header trees reduced to the fields the comparison reads; with
 * `records: false` only the datagram and sample fields (a re-framed reading holds the records).
 */
export function storeTshark(dgs: TsharkDatagram[], opts: { records?: boolean } = {}): StoredDatagram[] {
  const tree = (t: JObj): Record<string, Record<string, string>> => {
    const out: Record<string, Record<string, string>> = {};
    for (const [proto, v] of t.entries) {
      if (!(v instanceof JObj) || proto in out) continue;
      const leavesOf: Record<string, string> = {};
      for (const [k, x] of v.entries) if (typeof x === 'string' && HEADER_FIELDS.has(k) && !(k in leavesOf)) leavesOf[k] = x;
      out[proto] = leavesOf;
    }
    return out;
  };
  const withRecords = opts.records ?? true;
  return dgs.map((d) => ({
    frame: d.frame,
    malformed: d.malformed,
    fields: Object.fromEntries(d.fields),
    samples: d.samples.map((s) => ({
      title: s.title,
      enterprise: s.enterprise,
      format: s.format,
      length: s.length,
      fields: Object.fromEntries(s.fields),
      records: withRecords ? s.records.map((r) => ({ title: r.title, format: r.format, length: r.length, fields: Object.fromEntries(r.fields), ...(r.headerTree ? { headerTree: tree(r.headerTree) } : {}) })) : [],
    })),
  }));
}

export function loadTshark(stored: StoredDatagram[]): TsharkDatagram[] {
  const obj = (t: Record<string, Record<string, string>>): JObj => new JObj(Object.entries(t).map(([p, f]) => [p, new JObj(Object.entries(f))]));
  return stored.map((d) => ({
    frame: d.frame,
    malformed: d.malformed,
    fields: new Map(Object.entries(d.fields)),
    samples: d.samples.map((s) => ({
      title: s.title,
      enterprise: s.enterprise,
      format: s.format,
      length: s.length,
      fields: new Map(Object.entries(s.fields)),
      records: s.records.map((r) => ({ title: r.title, format: r.format, length: r.length, fields: new Map(Object.entries(r.fields)), ...(r.headerTree ? { headerTree: obj(r.headerTree) } : {}) })),
    })),
  }));
}
