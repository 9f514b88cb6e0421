/**
 * Field-by-field comparison of the walker's reused views with decodeDatagram's objects for the same
 * sample: every field of the first record of each kind (the one a view keeps). Returns the differences.
 */
import { ipv4ToString, ipv6ToString } from '../../../../src/codec/addr.js';
import { CounterBit, uuidToString, type CounterSample, type CounterSampleView, type FlowSample, type FlowSampleView } from '../../../../src/codec/sflow/index.js';

const utf8 = new TextDecoder();

function cmp(diffs: string[], path: string, view: unknown, object: unknown): void {
  const want = typeof object === 'bigint' ? Number(object) : object;
  if (!Object.is(view, want)) diffs.push(`${path}: view ${String(view)} object ${String(want)}`);
}

function fields(diffs: string[], path: string, view: object, record: object): void {
  for (const [k, v] of Object.entries(record)) if (k !== 'type') cmp(diffs, `${path}.${k}`, (view as Record<string, unknown>)[k], v);
}

export function flowViewDiffs(v: FlowSampleView, s: FlowSample, bytes: Uint8Array): string[] {
  const d: string[] = [];
  cmp(d, 'expanded', v.expanded, s.expanded);
  for (const k of ['sequence', 'sourceIdType', 'sourceIdIndex', 'samplingRate', 'samplePool', 'drops'] as const) cmp(d, k, v[k], s[k]);
  cmp(d, 'inputFormat', v.inputFormat, s.input.format);
  cmp(d, 'input', v.input, s.input.value);
  cmp(d, 'outputFormat', v.outputFormat, s.output.format);
  cmp(d, 'output', v.output, s.output.value);
  cmp(d, 'recordCount', v.recordCount, s.records.length);
  cmp(d, 'unknownRecords', v.unknownRecords, s.records.filter((r) => r.type === 'unknown').length);
  const raw = s.records.find((r) => r.type === 'raw_header');
  cmp(d, 'hasHeader', v.hasHeader, raw !== undefined);
  if (raw) {
    cmp(d, 'headerProtocol', v.headerProtocol, raw.headerProtocol);
    cmp(d, 'frameLength', v.frameLength, raw.frameLength);
    cmp(d, 'stripped', v.stripped, raw.stripped);
    cmp(d, 'headerLength', v.headerLength, raw.header.length);
    cmp(d, 'header bytes', Buffer.from(bytes.subarray(v.headerOffset, v.headerOffset + v.headerLength)).toString('hex'), Buffer.from(raw.header).toString('hex'));
  }
  const sw = s.records.find((r) => r.type === 'extended_switch');
  cmp(d, 'hasSwitch', v.hasSwitch, sw !== undefined);
  if (sw) fields(d, 'switch', v, sw);
  const ip = s.records.find((r) => r.type === 'sampled_ipv4' || r.type === 'sampled_ipv6');
  cmp(d, 'sampledIpVersion', v.sampledIpVersion, ip === undefined ? 0 : ip.type === 'sampled_ipv4' ? 4 : 6);
  if (ip) {
    cmp(d, 'sampledLength', v.sampledLength, ip.length);
    cmp(d, 'sampledProtocol', v.sampledProtocol, ip.protocol);
    cmp(d, 'sampledSrcPort', v.sampledSrcPort, ip.srcPort);
    cmp(d, 'sampledDstPort', v.sampledDstPort, ip.dstPort);
    cmp(d, 'sampledTcpFlags', v.sampledTcpFlags, ip.tcpFlags);
    cmp(d, 'sampledTos', v.sampledTos, ip.type === 'sampled_ipv4' ? ip.tos : ip.priority);
    const text = (b: Uint8Array): string => (ip.type === 'sampled_ipv4' ? ipv4ToString(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) : ipv6ToString(b));
    cmp(d, 'sampledSrc', text(v.sampledSrc), ip.srcIp);
    cmp(d, 'sampledDst', text(v.sampledDst), ip.dstIp);
  }
  cmp(d, 'sampledEthernet', v.sampledEthernetOffset >= 0, s.records.some((r) => r.type === 'sampled_ethernet'));
  cmp(d, 'extendedRouter', v.extendedRouterOffset >= 0, s.records.some((r) => r.type === 'extended_router'));
  cmp(d, 'extendedGateway', v.extendedGatewayOffset >= 0, s.records.some((r) => r.type === 'extended_gateway'));
  return d;
}

const VIEW_OF = {
  generic_interface: ['iface', CounterBit.GENERIC_INTERFACE],
  ethernet: ['ethernet', CounterBit.ETHERNET],
  vlan: ['vlan', CounterBit.VLAN],
  processor: ['processor', CounterBit.PROCESSOR],
  host_parent: ['hostParent', CounterBit.HOST_PARENT],
  host_memory: ['hostMemory', CounterBit.HOST_MEMORY],
  host_disk_io: ['hostDiskIo', CounterBit.HOST_DISK_IO],
  host_net_io: ['hostNetIo', CounterBit.HOST_NET_IO],
  virt_node: ['virtNode', CounterBit.VIRT_NODE],
  virt_cpu: ['virtCpu', CounterBit.VIRT_CPU],
  virt_memory: ['virtMemory', CounterBit.VIRT_MEMORY],
  virt_disk_io: ['virtDiskIo', CounterBit.VIRT_DISK_IO],
  virt_net_io: ['virtNetIo', CounterBit.VIRT_NET_IO],
} as const;

export function counterViewDiffs(v: CounterSampleView, s: CounterSample, bytes: Uint8Array): string[] {
  const d: string[] = [];
  cmp(d, 'expanded', v.expanded, s.expanded);
  for (const k of ['sequence', 'sourceIdType', 'sourceIdIndex'] as const) cmp(d, k, v[k], s[k]);
  cmp(d, 'recordCount', v.recordCount, s.records.length);
  cmp(d, 'unknownRecords', v.unknownRecords, s.records.filter((r) => r.type === 'unknown').length);
  const seen = new Set<string>();
  for (const r of s.records) {
    if (r.type === 'unknown' || seen.has(r.type)) continue;
    seen.add(r.type);
    if (r.type in VIEW_OF) {
      const [name, bit] = VIEW_OF[r.type as keyof typeof VIEW_OF];
      cmp(d, `has ${r.type}`, v.has(bit), true);
      fields(d, r.type, v[name], r);
    } else if (r.type === 'host_cpu') {
      cmp(d, 'has host_cpu', v.has(CounterBit.HOST_CPU), true);
      cmp(d, 'host_cpu.hasExtension', v.hostCpu.hasExtension, r.cpuSteal !== undefined);
      fields(d, 'host_cpu', v.hostCpu, r);
    } else if (r.type === 'openflow_port') {
      cmp(d, 'openflow_port.datapathId', ((BigInt(v.openflowPort.datapathIdHi) << 32n) | BigInt(v.openflowPort.datapathIdLo)).toString(16), r.datapathId.toString(16));
      cmp(d, 'openflow_port.portNo', v.openflowPort.portNo, r.portNo);
    } else if (r.type === 'port_name') {
      cmp(d, 'port_name', utf8.decode(bytes.subarray(v.portNameOffset, v.portNameOffset + v.portNameLength)), r.name);
    } else if (r.type === 'host_description') {
      const h = v.hostDescription;
      cmp(d, 'hostname', utf8.decode(bytes.subarray(h.hostnameOffset, h.hostnameOffset + h.hostnameLength)), r.hostname);
      cmp(d, 'uuid', uuidToString(bytes, h.uuidOffset), r.uuid);
      cmp(d, 'machineType', h.machineType, r.machineType);
      cmp(d, 'osName', h.osName, r.osName);
      cmp(d, 'osRelease', utf8.decode(bytes.subarray(h.osReleaseOffset, h.osReleaseOffset + h.osReleaseLength)), r.osRelease);
    } else if (r.type === 'host_adapters') {
      cmp(d, 'hostAdapterCount', v.hostAdapterCount, r.adapters.length);
      cmp(d, 'hostAdaptersOffset', v.hostAdaptersOffset > 0, true);
    }
  }
  for (const [type, [, bit]] of Object.entries(VIEW_OF)) if (!seen.has(type)) cmp(d, `has ${type}`, v.has(bit), false);
  return d;
}
