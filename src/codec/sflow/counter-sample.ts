/** counters_sample (0:2) and counters_sample_expanded (0:4) with their counter records. */
import { decodeOpenflowPort, decodePortName, decodeProcessor, type OpenflowPortRecord, type PortNameRecord, type ProcessorRecord } from './counters-device.js';
import {
  decodeHostAdapters,
  decodeHostCpu,
  decodeHostDescription,
  decodeHostDiskIo,
  decodeHostMemory,
  decodeHostNetIo,
  decodeHostParent,
  type HostAdaptersRecord,
  type HostCpuRecord,
  type HostDescriptionRecord,
  type HostDiskIoRecord,
  type HostMemoryRecord,
  type HostNetIoRecord,
  type HostParentRecord,
} from './counters-host.js';
import {
  decodeEthernetCounters,
  decodeGenericInterface,
  decodeVlanCounters,
  type EthernetCountersRecord,
  type GenericInterfaceRecord,
  type VlanCountersRecord,
} from './counters-interface.js';
import {
  decodeVirtCpu,
  decodeVirtDiskIo,
  decodeVirtMemory,
  decodeVirtNetIo,
  decodeVirtNode,
  type VirtCpuRecord,
  type VirtDiskIoRecord,
  type VirtMemoryRecord,
  type VirtNetIoRecord,
  type VirtNodeRecord,
} from './counters-virtual.js';
import { SflowDecodeError } from './errors.js';
import { CounterFormat } from './formats.js';
import type { UnknownRecord } from './flow-sample.js';
import type { XdrReader } from './xdr.js';

export type CounterRecord =
  | GenericInterfaceRecord
  | EthernetCountersRecord
  | VlanCountersRecord
  | ProcessorRecord
  | OpenflowPortRecord
  | PortNameRecord
  | HostDescriptionRecord
  | HostAdaptersRecord
  | HostParentRecord
  | HostCpuRecord
  | HostMemoryRecord
  | HostDiskIoRecord
  | HostNetIoRecord
  | VirtNodeRecord
  | VirtCpuRecord
  | VirtMemoryRecord
  | VirtDiskIoRecord
  | VirtNetIoRecord
  | UnknownRecord;

export interface CounterSample {
  kind: 'counters';
  /** counters_sample_expanded (0:4) rather than the compact counters_sample (0:2). */
  expanded: boolean;
  /** Incremented with each counter sample of this source. */
  sequence: number;
  /** sFlowDataSource: type (0 ifIndex, 2 physical entity, 3 logical entity...) and index. */
  sourceIdType: number;
  sourceIdIndex: number;
  records: CounterRecord[];
}

type CounterDecoder = (r: XdrReader) => CounterRecord;

const decoders = new Map<number, [string, CounterDecoder]>([
  [CounterFormat.GENERIC_INTERFACE, ['generic_interface', decodeGenericInterface]],
  [CounterFormat.ETHERNET, ['ethernet', decodeEthernetCounters]],
  [CounterFormat.VLAN, ['vlan', decodeVlanCounters]],
  [CounterFormat.PROCESSOR, ['processor', decodeProcessor]],
  [CounterFormat.OPENFLOW_PORT, ['openflow_port', decodeOpenflowPort]],
  [CounterFormat.PORT_NAME, ['port_name', decodePortName]],
  [CounterFormat.HOST_DESCRIPTION, ['host_description', decodeHostDescription]],
  [CounterFormat.HOST_ADAPTERS, ['host_adapters', decodeHostAdapters]],
  [CounterFormat.HOST_PARENT, ['host_parent', decodeHostParent]],
  [CounterFormat.HOST_CPU, ['host_cpu', decodeHostCpu]],
  [CounterFormat.HOST_MEMORY, ['host_memory', decodeHostMemory]],
  [CounterFormat.HOST_DISK_IO, ['host_disk_io', decodeHostDiskIo]],
  [CounterFormat.HOST_NET_IO, ['host_net_io', decodeHostNetIo]],
  [CounterFormat.VIRT_NODE, ['virt_node', decodeVirtNode]],
  [CounterFormat.VIRT_CPU, ['virt_cpu', decodeVirtCpu]],
  [CounterFormat.VIRT_MEMORY, ['virt_memory', decodeVirtMemory]],
  [CounterFormat.VIRT_DISK_IO, ['virt_disk_io', decodeVirtDiskIo]],
  [CounterFormat.VIRT_NET_IO, ['virt_net_io', decodeVirtNetIo]],
]);

export function decodeCounterRecord(r: XdrReader): CounterRecord {
  const tag = r.u32('counter record format');
  const len = r.u32('counter record length');
  const enterprise = tag >>> 12;
  const format = tag & 0xfff;
  const known = enterprise === 0 ? decoders.get(format) : undefined;
  if (known === undefined) return { type: 'unknown', enterprise, format, data: r.sub(len, 'counter record').rest() };
  return known[1](r.sub(len, `${known[0]} record`));
}

/** Decodes the body of a counters sample (after its format and length words); `r` covers exactly the sample. */
export function decodeCounterSample(r: XdrReader, expanded: boolean): CounterSample {
  const sequence = r.u32('sequence_number');
  let sourceIdType: number;
  let sourceIdIndex: number;
  if (expanded) {
    sourceIdType = r.u32('source_id_type');
    sourceIdIndex = r.u32('source_id_index');
  } else {
    const sourceId = r.u32('source_id');
    sourceIdType = sourceId >>> 24;
    sourceIdIndex = sourceId & 0xffffff;
  }
  const n = r.count('counter records', 8);
  const records: CounterRecord[] = [];
  for (let i = 0; i < n; i++) records.push(decodeCounterRecord(r));
  if (r.remaining !== 0) throw new SflowDecodeError(`${r.remaining} byte(s) after the ${n} counter record(s) of the counters sample`, 'trailing-bytes', r.offset);
  return { kind: 'counters', expanded, sequence, sourceIdType, sourceIdIndex, records };
}
