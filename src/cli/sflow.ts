/**
 * `vigil sflow decode <capture> [--json] [--port N]`: the sFlow datagrams in a pcap/pcapng capture, one
 * line per sample (text, or one compact JSON object like sflowtool's), a summary on stderr. Malformed
 * datagrams are reported and counted, never fatal.
 *
 * `vigil sflow listen [--json] [--count N] [--duration S] ...`: the same lines, live, from an
 * SflowCollector bound to a UDP port. Each datagram the collector receives is seen through its tap and
 * decoded by the same object decoder and formatted by the same functions as `decode`, so both print
 * identical objects for the same datagram (less the capture's packet number, which a live socket does not
 * have); the collector's own accounting gives the lost datagrams per agent and the kernel's receive drops.
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
import { loadConfig } from '../config/config.js';
import { createLogger } from '../observability/log.js';
import { SflowCollector, SflowCollectorError, type CollectorAddress, type SflowTransport } from '../southbound/sflow/collector.js';

export const SFLOW_HELP = `Usage: vigil sflow decode <file.pcap|file.pcapng> [--json] [--port N]
       vigil sflow listen [--host ADDR] [--port N] [--json] [--count N] [--duration S]
                          [--transport auto|native|dgram] [--config FILE]

decode: the sFlow v5 datagrams (UDP payloads to port 6343, or --port) in a capture file:
one line per sample, then a summary on standard error.
  --json      one compact JSON object per sample (agent, subAgentId, datagramSequence, kind,
              sequence, sourceId, and for flow samples samplingRate, samplePool, drops, input,
              output; the decoded records), and the summary as a JSON object
  --port N    the UDP destination port carrying sFlow (default 6343)
Exit status: 0 if every datagram decoded, 1 if any was malformed or the capture is damaged,
2 on a usage error.

listen: receives sFlow v5 datagrams on a UDP port and prints one line per sample as it arrives
(the lines and JSON objects of decode, without the capture's packet number; text lines are
numbered by datagram) on standard output, nothing else. Stops after --count samples, --duration
seconds, or on SIGINT/SIGTERM, then writes a summary on standard error: datagrams, samples,
malformed, unsupported version, oversize, lost datagrams per agent, kernel receive drops.
Malformed datagrams are counted, never fatal.
  --host ADDR       address to bind (default sflow.host: 0.0.0.0; '::' for IPv6 too)
  --port N          UDP port (default sflow.port: VIGIL_SFLOW_PORT or 6343; 0 = any free port)
  --json            one compact JSON object per sample; the listening address and the summary
                    on standard error as JSON objects
  --count N         exit after N samples
  --duration S      exit after S seconds
  --transport T     auto (the native recvmmsg path when built, else dgram), native, dgram
  -c, --config FILE YAML configuration (sflow.host, sflow.port, sflow.receiveBufferBytes)
Exit status: 0 when stopped, 1 if the port cannot be bound, 2 on a usage error.

  -h, --help  this help`;

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

/** What decode and listen count alike. */
export interface SampleCounts {
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
}

export interface DecodeSummary extends SampleCounts {
  packets: number;
  fragments: number;
  otherPackets: number;
  captureError: string | null;
}

/** Decodes one datagram, counting it in `sum` (a decode error as malformed or unsupported). */
function decodeCounted(payload: Uint8Array, sum: SampleCounts): SflowDatagram | SflowDecodeError {
  sum.datagrams++;
  try {
    return decodeDatagram(payload);
  } catch (e) {
    if (!(e instanceof SflowDecodeError)) throw e;
    if (e.code === 'unsupported-version') sum.unsupported++;
    else sum.malformed++;
    return e;
  }
}

function countSample(sum: SampleCounts, s: SflowSample): void {
  sum.samples++;
  if (s.kind === 'flow') sum.flowSamples++;
  else if (s.kind === 'counters') sum.counterSamples++;
  else sum.unknownSamples++;
  if (s.kind !== 'unknown') sum.unknownRecords += s.records.filter((r) => r.type === 'unknown').length;
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
      const d = decodeCounted(payload, sum);
      if (d instanceof SflowDecodeError) {
        out(opts.json ? JSON.stringify({ packet: sum.packets, error: d.message, code: d.code, offset: d.offset }) : `#${sum.packets} ${d.code === 'unsupported-version' ? 'unsupported' : 'malformed'}: ${d.message}`);
        continue;
      }
      for (const s of d.samples) {
        countSample(sum, s);
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
  if (sub === 'decode') return decodeCommand(rest);
  if (sub === 'listen') return listenCommand(rest);
  process.stderr.write(`${sub === undefined ? 'vigil sflow: name a subcommand' : `vigil sflow: unknown subcommand '${sub}'`}\n${SFLOW_HELP}\n`);
  return 2;
}

async function decodeCommand(rest: string[]): Promise<number> {
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

/** What `vigil sflow listen` reports when it stops (on standard error; a JSON object with --json). */
export interface ListenSummary extends SampleCounts {
  /** Datagrams longer than the receive path takes whole (cut short: counted, not decoded). */
  oversize: number;
  /** Datagrams missing from the agents' sequence numbers: in all, and per agent below. */
  lostDatagrams: number;
  agents: { agent: string; subAgentId: number; datagrams: number; lostDatagrams: number; lateDatagrams: number; duplicateDatagrams: number; restarts: number }[];
  /** Datagrams the kernel dropped on the socket for want of receive buffer; null when the transport cannot tell (dgram). */
  receiveDrops: number | null;
  transport: 'native' | 'dgram';
  seconds: number;
  /** 'count', 'duration', 'SIGINT', 'SIGTERM' or 'stdout closed'. */
  stoppedBy: string;
}

function listenSummaryText(s: ListenSummary): string {
  const agents = s.agents.map((a) => `${a.agent}/${a.subAgentId}: ${a.lostDatagrams}`).join(', ');
  return (
    `sflow listen: ${s.datagrams} datagram(s), ${s.samples} sample(s) (${s.flowSamples} flow, ${s.counterSamples} counters), ` +
    `${s.malformed} malformed, ${s.unsupported} unsupported version, ${s.oversize} oversize, ${s.unknownSamples} unknown sample(s) and ` +
    `${s.unknownRecords} unknown record(s) skipped; lost datagrams: ${s.lostDatagrams}${agents ? ` (${agents})` : ''}; ` +
    `receive drops: ${s.receiveDrops ?? 'unknown'}; ${s.seconds.toFixed(1)} s (${s.transport}), stopped by ${s.stoppedBy}`
  );
}

const TRANSPORTS: readonly SflowTransport[] = ['auto', 'native', 'dgram'];
/** setTimeout's longest delay, in whole seconds. */
const MAX_DURATION_S = Math.floor(0x7fffffff / 1000);

async function listenCommand(rest: string[]): Promise<number> {
  const usage = (msg: string): number => {
    process.stderr.write(`vigil sflow listen: ${msg}\n`);
    return 2;
  };
  let values: { host?: string; port?: string; json?: boolean; count?: string; duration?: string; transport?: string; config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        json: { type: 'boolean' },
        count: { type: 'string' },
        duration: { type: 'string' },
        transport: { type: 'string' },
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return usage((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(SFLOW_HELP + '\n');
    return 0;
  }
  const port = values.port === undefined ? undefined : /^\d+$/.test(values.port) ? Number(values.port) : NaN;
  if (port !== undefined && !(port >= 0 && port <= 65535)) return usage(`--port must be 0..65535, not ${JSON.stringify(values.port)}`);
  const count = values.count === undefined ? undefined : /^\d+$/.test(values.count) ? Number(values.count) : NaN;
  if (count !== undefined && !(Number.isSafeInteger(count) && count >= 1)) return usage(`--count must be a positive integer, not ${JSON.stringify(values.count)}`);
  const duration = values.duration === undefined ? undefined : values.duration.trim() === '' ? NaN : Number(values.duration);
  if (duration !== undefined && !(duration > 0 && duration <= MAX_DURATION_S)) return usage(`--duration must be a number of seconds above 0 (at most ${MAX_DURATION_S}), not ${JSON.stringify(values.duration)}`);
  const transport = (values.transport ?? 'auto') as SflowTransport;
  if (!TRANSPORTS.includes(transport)) return usage(`--transport must be one of ${TRANSPORTS.join(', ')}, not ${JSON.stringify(values.transport)}`);
  if (values.host === '') return usage('--host must not be empty');
  let sflowConfig;
  try {
    sflowConfig = loadConfig({ file: values.config }).sflow;
  } catch (e) {
    return usage((e as Error).message);
  }
  const json = values.json ?? false;

  // Sample lines go out in one write per event-loop turn (or per 512 lines under load).
  const lines: string[] = [];
  let flushScheduled = false;
  const flush = (): void => {
    flushScheduled = false;
    if (lines.length === 0) return;
    process.stdout.write(lines.join('\n') + '\n');
    lines.length = 0;
  };
  const line = (l: string): void => {
    lines.push(l);
    if (lines.length >= 512) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };

  let stop!: (why: string) => void;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const sum: SampleCounts & { oversize: number } = { datagrams: 0, samples: 0, flowSamples: 0, counterSamples: 0, malformed: 0, unsupported: 0, unknownSamples: 0, unknownRecords: 0, oversize: 0 };
  /** Set once nothing more is to be printed (--count reached, stdout gone, stopped). */
  let done = false;
  let decoderFailures = 0;
  const tap = (bytes: Uint8Array, oversize: boolean): void => {
    if (done) return;
    if (oversize) {
      sum.datagrams++;
      sum.oversize++;
      return;
    }
    let d: SflowDatagram | SflowDecodeError;
    try {
      d = decodeCounted(bytes, sum);
    } catch (e) {
      // Not a decode error but a decoder failure (a bug): the input is still only counted, never fatal.
      sum.malformed++;
      if (++decoderFailures <= 5) process.stderr.write(`vigil sflow listen: decoder failure on datagram ${sum.datagrams} (counted as malformed): ${e instanceof Error ? e.message : String(e)}\n`);
      return;
    }
    if (d instanceof SflowDecodeError) return;
    for (const s of d.samples) {
      countSample(sum, s);
      line(json ? JSON.stringify(sampleJson(d, s)) : sampleText(d, s, sum.datagrams));
      if (sum.samples === count) {
        done = true;
        stop('count');
        return;
      }
    }
  };

  const collector = new SflowCollector({
    host: values.host ?? sflowConfig.host,
    port: port ?? sflowConfig.port,
    receiveBufferBytes: sflowConfig.receiveBufferBytes,
    transport,
    summarizeHeaders: false,
    tap,
    log: createLogger('warn'),
  });
  let addr: CollectorAddress;
  try {
    addr = await collector.start();
  } catch (e) {
    const hint = e instanceof SflowCollectorError && e.code === 'bind-failed' ? ' (choose another with --port, sflow.port or VIGIL_SFLOW_PORT)' : '';
    process.stderr.write(`vigil sflow listen: ${e instanceof Error ? e.message : String(e)}${hint}\n`);
    await collector.stop();
    return 1;
  }
  const started = performance.now();
  process.stderr.write(
    json
      ? JSON.stringify({ listening: { address: addr.address, port: addr.port, family: addr.family, transport: addr.transport, receiveBufferBytes: addr.receiveBufferBytes } }) + '\n'
      : `vigil sflow listen: listening on ${addr.address} port ${addr.port} (${addr.transport} receive path, receive buffer ${addr.receiveBufferBytes} B)\n`,
  );

  const onSigint = (): void => stop('SIGINT');
  const onSigterm = (): void => stop('SIGTERM');
  // A reader that went away (`| head`): stop quietly; the summary still goes to stderr.
  let stdoutClosed = false;
  const onStdoutError = (): void => {
    stdoutClosed = true;
    done = true;
    lines.length = 0;
    stop('stdout closed');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.stdout.on('error', onStdoutError);
  const timer = duration === undefined ? null : setTimeout(() => stop('duration'), duration * 1000);

  const stoppedBy = await stopped;
  if (timer) clearTimeout(timer);
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  // Stopping hands over what the receive path already holds (printed unless --count was reached).
  await collector.stop();
  done = true;
  // The stdout error listener stays: a reader may still go away during this last write.
  if (!stdoutClosed) flush();
  const st = collector.stats();
  const agents = collector.agents().map((a) => ({
    agent: a.address,
    subAgentId: a.subAgentId,
    datagrams: a.datagrams,
    lostDatagrams: a.lostDatagrams,
    lateDatagrams: a.lateDatagrams,
    duplicateDatagrams: a.duplicateDatagrams,
    restarts: a.restarts,
  }));
  const summary: ListenSummary = {
    ...sum,
    lostDatagrams: agents.reduce((n, a) => n + a.lostDatagrams, 0),
    agents,
    receiveDrops: st.receiveDrops < 0 ? null : st.receiveDrops,
    transport: addr.transport,
    seconds: Math.round(performance.now() - started) / 1000,
    stoppedBy,
  };
  process.stderr.write((json ? JSON.stringify(summary) : listenSummaryText(summary)) + '\n');
  return 0;
}
