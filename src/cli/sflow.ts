/**
 * `vigil sflow decode <capture> [--json] [--port N]`: the sFlow datagrams in a pcap/pcapng capture, one
 * line per sample (text, or one compact JSON object like sflowtool's), a summary on stderr. Malformed
 * datagrams are reported and counted, never fatal. (`vigil sflow listen` belongs to the collector.)
 */
import { parseArgs } from 'node:util';
import { stat } from 'node:fs/promises';
import { decodePacket } from '../codec/packet/decode.js';
import type { Packet } from '../codec/packet/types.js';
import { CaptureFormatError } from '../codec/pcap/errors.js';
import { openCapture } from '../codec/pcap/stream.js';
import type { CapturedPacket } from '../codec/pcap/types.js';
import type { CounterRecord } from '../codec/sflow/counter-sample.js';
import { decodeDatagram, type SflowDatagram, type SflowSample } from '../codec/sflow/datagram.js';
import { SflowDecodeError } from '../codec/sflow/errors.js';
import type { FlowRecord } from '../codec/sflow/flow-sample.js';
import { SFLOW_PORT } from '../codec/sflow/formats.js';

export const SFLOW_HELP = `Usage: vigil sflow decode <file.pcap|file.pcapng> [--json] [--port N]

Decodes the sFlow v5 datagrams (UDP payloads to port 6343, or --port) in a capture file:
one line per sample, then a summary on standard error.
  --json      one compact JSON object per sample (agent, subAgentId, datagramSequence, kind,
              sequence, sourceId, and for flow samples samplingRate, samplePool, drops, input,
              output; the decoded records), and the summary as a JSON object
  --port N    the UDP destination port carrying sFlow (default 6343)
  -h, --help  this help
Exit status: 0 if every datagram decoded, 1 if any was malformed or the capture is damaged,
2 on a usage error.`;

export interface ExtractStats {
  packets: number;
  /** Packets that are not UDP to the sFlow port. */
  otherPackets: number;
  /** IP fragments of datagrams to the port (not reassembled: each is counted and skipped). */
  fragments: number;
}

/**
 * The UDP payload of `pkt` when it is a datagram to `port` (IPv4 or IPv6), trimmed to the UDP length
 * (Ethernet padding is not sFlow) and to what was captured; 'fragment' for an IP fragment; null otherwise.
 */
export function udpPayload(pkt: Pick<CapturedPacket, 'data' | 'linkType'>, port: number): Uint8Array | 'fragment' | null {
  const p = decodePacket(pkt.data, 0, pkt.data.length, pkt.linkType);
  return udpPayloadOf(p, pkt.data, port);
}

function udpPayloadOf(p: Packet, data: Uint8Array, port: number): Uint8Array | 'fragment' | null {
  let fragment = false;
  for (const l of p.layers) {
    if (l.depth !== 0) break;
    if (l.type === 'ipv4' && (l.moreFragments || l.fragmentOffset > 0)) fragment = true;
    if (l.type === 'ipv6' && l.extensions.some((e) => e.type === 'fragment')) fragment = true;
    if (l.type === 'udp') {
      if (l.dstPort !== port) return null;
      if (fragment) return 'fragment';
      const start = l.offset + 8;
      const end = Math.min(data.length, l.offset + Math.max(8, l.length));
      return data.subarray(Math.min(start, end), end);
    }
  }
  return null;
}

/** A JSON-ready copy: bytes as hex, 64-bit counters as numbers (strings past 2^53), packet layers compact. */
export function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonValue(x);
    return out;
  }
  return v;
}

function recordJson(r: FlowRecord | CounterRecord): unknown {
  if (r.type === 'raw_header') {
    const { packet, header, ...rest } = r;
    return {
      ...rest,
      headerLength: header.length,
      header: jsonValue(header),
      ...(packet ? { layers: jsonValue(packet.layers), ...(packet.truncated ? { truncated: packet.truncated.layer } : {}) } : {}),
    };
  }
  return jsonValue(r);
}

/** One sample as the flat JSON object `vigil sflow decode --json` prints. */
export function sampleJson(d: SflowDatagram, s: SflowSample, packet?: number): Record<string, unknown> {
  const head: Record<string, unknown> = {
    ...(packet !== undefined ? { packet } : {}),
    agent: d.agent,
    subAgentId: d.subAgentId,
    datagramSequence: d.sequence,
    uptime: d.uptime,
  };
  if (s.kind === 'unknown') return { ...head, kind: 'unknown', enterprise: s.enterprise, format: s.format, length: s.data.length };
  const common = { ...head, kind: s.kind, expanded: s.expanded, sequence: s.sequence, sourceId: `${s.sourceIdType}:${s.sourceIdIndex}` };
  if (s.kind === 'counters') return { ...common, records: s.records.map(recordJson) };
  return {
    ...common,
    samplingRate: s.samplingRate,
    samplePool: s.samplePool,
    drops: s.drops,
    input: s.input.value,
    inputFormat: s.input.format,
    output: s.output.value,
    outputFormat: s.output.format,
    records: s.records.map(recordJson),
  };
}

function headerText(p: Packet): string {
  const parts: string[] = [];
  for (const l of p.layers) {
    switch (l.type) {
      case 'ethernet':
        parts.push(`eth ${l.src}>${l.dst}`);
        break;
      case 'vlan':
        parts.push(`vlan ${l.vid}`);
        break;
      case 'arp':
        parts.push(`arp ${l.opcode === 1 ? 'who-has' : l.opcode === 2 ? 'reply' : `op${l.opcode}`} ${l.senderProtocol}>${l.targetProtocol}`);
        break;
      case 'ipv4':
      case 'ipv6':
        parts.push(`${l.type} ${l.src}>${l.dst}`);
        break;
      case 'tcp':
      case 'udp':
        parts.push(`${l.type} ${l.srcPort}>${l.dstPort}`);
        break;
      case 'icmp':
      case 'icmpv6':
        parts.push(`${l.type} ${l.icmpType}/${l.code}`);
        break;
      case 'vxlan':
        parts.push(`vxlan ${l.vni}`);
        break;
      case 'gre':
        parts.push('gre');
        break;
      default:
    }
  }
  if (p.truncated) parts.push(`(truncated in ${p.truncated.layer})`);
  return parts.join(' ');
}

function recordText(r: FlowRecord | CounterRecord): string {
  switch (r.type) {
    case 'raw_header':
      return `header proto=${r.headerProtocol} frame=${r.frameLength} stripped=${r.stripped} len=${r.header.length}${r.packet ? ` ${headerText(r.packet)}` : ''}`;
    case 'sampled_ethernet':
      return `ethernet ${r.srcMac}>${r.dstMac} type=0x${r.ethType.toString(16)} len=${r.length}`;
    case 'sampled_ipv4':
    case 'sampled_ipv6':
      return `${r.type.slice(8)} ${r.srcIp}:${r.srcPort}>${r.dstIp}:${r.dstPort} proto=${r.protocol} len=${r.length}`;
    case 'extended_switch':
      return `switch vlan ${r.srcVlan}>${r.dstVlan} pri ${r.srcPriority}>${r.dstPriority}`;
    case 'extended_router':
      return `router nexthop=${r.nextHop || '?'} masks=${r.srcMaskLen}/${r.dstMaskLen}`;
    case 'extended_gateway':
      return `gateway nexthop=${r.nextHop || '?'} as=${r.as} src_as=${r.srcAs} path=${r.dstAsPath.map((s) => s.asns.join(',')).join(' ')}`;
    case 'generic_interface':
      return `interface if=${r.ifIndex} speed=${r.ifSpeed} status=${r.ifStatus} in=${r.ifInOctets}B/${r.ifInUcastPkts}p out=${r.ifOutOctets}B/${r.ifOutUcastPkts}p`;
    case 'openflow_port':
      return `openflow_port dpid=${r.datapathId.toString(16).padStart(16, '0')} port=${r.portNo}`;
    case 'port_name':
      return `port_name ${JSON.stringify(r.name)}`;
    case 'host_description':
      return `host ${JSON.stringify(r.hostname)} uuid=${r.uuid} os=${r.osName} ${JSON.stringify(r.osRelease)}`;
    case 'host_adapters':
      return `adapters ${r.adapters.map((a) => `${a.ifIndex}=${a.macs.join(',')}`).join(' ')}`;
    case 'host_parent':
      return `parent ${r.containerType}:${r.containerIndex}`;
    case 'host_cpu':
      return `cpu load=${r.loadOne.toFixed(2)} cpus=${r.cpuNum} uptime=${r.uptime}s`;
    case 'virt_cpu':
      return `vcpu state=${r.state} time=${r.cpuTime}ms vcpus=${r.nrVirtCpu}`;
    case 'unknown':
      return `unknown ${r.enterprise}:${r.format} (${r.data.length} B)`;
    default:
      return r.type;
  }
}

function sampleText(d: SflowDatagram, s: SflowSample, packet: number): string {
  const head = `#${packet} ${d.agent}/${d.subAgentId} dgram=${d.sequence}`;
  if (s.kind === 'unknown') return `${head} UNKNOWN sample ${s.enterprise}:${s.format} (${s.data.length} B)`;
  const src = `src=${s.sourceIdType}:${s.sourceIdIndex}`;
  const records = s.records.map((r) => ` | ${recordText(r)}`).join('');
  if (s.kind === 'counters') return `${head} COUNTERS seq=${s.sequence} ${src}${records}`;
  const iface = (i: { format: number; value: number }): string => (i.format === 0 ? String(i.value) : i.format === 1 ? `discard(${i.value})` : `multiple(${i.value})`);
  return `${head} FLOW seq=${s.sequence} ${src} rate=${s.samplingRate} pool=${s.samplePool} drops=${s.drops} in=${iface(s.input)} out=${iface(s.output)}${records}`;
}

export interface DecodeSummary {
  packets: number;
  datagrams: number;
  samples: number;
  flowSamples: number;
  counterSamples: number;
  malformed: number;
  /** Datagrams of another sFlow version. */
  unsupported: number;
  /** Samples and records of unknown formats, skipped by their length. */
  unknownSamples: number;
  unknownRecords: number;
  fragments: number;
  otherPackets: number;
  captureError: string | null;
}

/** Decodes every sFlow datagram of a capture file, writing sample lines through `out`. */
export async function decodeCaptureFile(path: string, opts: { json: boolean; port: number }, out: (line: string) => void): Promise<DecodeSummary> {
  const sum: DecodeSummary = {
    packets: 0, datagrams: 0, samples: 0, flowSamples: 0, counterSamples: 0, malformed: 0, unsupported: 0,
    unknownSamples: 0, unknownRecords: 0, fragments: 0, otherPackets: 0, captureError: null,
  };
  try {
    for await (const pkt of openCapture(path)) {
      sum.packets++;
      const payload = udpPayload(pkt, opts.port);
      if (payload === null) {
        sum.otherPackets++;
        continue;
      }
      if (payload === 'fragment') {
        sum.fragments++;
        continue;
      }
      sum.datagrams++;
      let d: SflowDatagram;
      try {
        d = decodeDatagram(payload);
      } catch (e) {
        if (!(e instanceof SflowDecodeError)) throw e;
        if (e.code === 'unsupported-version') sum.unsupported++;
        else sum.malformed++;
        out(opts.json ? JSON.stringify({ packet: sum.packets, error: e.message, code: e.code, offset: e.offset }) : `#${sum.packets} ${e.code === 'unsupported-version' ? 'unsupported' : 'malformed'}: ${e.message}`);
        continue;
      }
      for (const s of d.samples) {
        sum.samples++;
        if (s.kind === 'flow') sum.flowSamples++;
        else if (s.kind === 'counters') sum.counterSamples++;
        else sum.unknownSamples++;
        if (s.kind !== 'unknown') sum.unknownRecords += s.records.filter((r) => r.type === 'unknown').length;
        out(opts.json ? JSON.stringify(sampleJson(d, s, sum.packets)) : sampleText(d, s, sum.packets));
      }
    }
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
    sum.captureError = e.message;
  }
  return sum;
}

function summaryText(s: DecodeSummary): string {
  return (
    `sflow: ${s.datagrams} datagram(s), ${s.samples} sample(s) (${s.flowSamples} flow, ${s.counterSamples} counters), ` +
    `${s.malformed} malformed, ${s.unsupported} unsupported version, ${s.unknownSamples} unknown sample(s) and ` +
    `${s.unknownRecords} unknown record(s) skipped, ${s.fragments} fragment(s) skipped, ${s.otherPackets} other packet(s)` +
    (s.captureError ? `; capture error: ${s.captureError}` : '')
  );
}

export async function sflowCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(SFLOW_HELP + '\n');
    return 0;
  }
  if (sub !== 'decode') {
    process.stderr.write(`${sub === undefined ? 'vigil sflow: name a subcommand' : `vigil sflow: unknown subcommand '${sub}'`}\n${SFLOW_HELP}\n`);
    return 2;
  }
  let values: { json?: boolean; port?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    process.stderr.write(`vigil sflow decode: ${(e as Error).message}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(SFLOW_HELP + '\n');
    return 0;
  }
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    process.stderr.write('vigil sflow decode: name one capture file (pcap or pcapng)\n');
    return 2;
  }
  const port = values.port === undefined ? SFLOW_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`vigil sflow decode: --port must be 1..65535, not ${JSON.stringify(values.port)}\n`);
    return 2;
  }
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a regular file');
  } catch (e) {
    process.stderr.write(`vigil sflow decode: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  const json = values.json ?? false;
  const lines: string[] = [];
  const flush = (): void => {
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
    lines.length = 0;
  };
  const summary = await decodeCaptureFile(file, { json, port }, (l) => {
    lines.push(l);
    if (lines.length >= 512) flush();
  });
  flush();
  process.stderr.write((json ? JSON.stringify(summary) : summaryText(summary)) + '\n');
  return summary.malformed > 0 || summary.captureError !== null ? 1 : 0;
}
