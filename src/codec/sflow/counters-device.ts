/**
 * Device counter records: processor (0:1001), and the two Open vSwitch sends with every interface:
 * OpenFlow port (0:1004: datapath id and port number) and port name (0:1005).
 */
import { readLayout, type FromLayout } from './layout.js';
import type { XdrReader } from './xdr.js';

/** processor: CPU utilisation in hundredths of a percent (100 = 1%), memory in bytes. */
export const PROCESSOR_LAYOUT = [
  ['cpu5s', 'u32'],
  ['cpu1m', 'u32'],
  ['cpu5m', 'u32'],
  ['totalMemory', 'u64'],
  ['freeMemory', 'u64'],
] as const;

export const OPENFLOW_PORT_LAYOUT = [
  ['datapathId', 'u64'],
  ['portNo', 'u32'],
] as const;

export type ProcessorRecord = { type: 'processor' } & FromLayout<typeof PROCESSOR_LAYOUT>;
export type OpenflowPortRecord = { type: 'openflow_port' } & FromLayout<typeof OPENFLOW_PORT_LAYOUT>;

export interface PortNameRecord {
  type: 'port_name';
  name: string;
}

export function decodeProcessor(r: XdrReader): ProcessorRecord {
  return readLayout(r, PROCESSOR_LAYOUT, { type: 'processor' }) as ProcessorRecord;
}

export function decodeOpenflowPort(r: XdrReader): OpenflowPortRecord {
  return readLayout(r, OPENFLOW_PORT_LAYOUT, { type: 'openflow_port' }) as OpenflowPortRecord;
}

export function decodePortName(r: XdrReader): PortNameRecord {
  return { type: 'port_name', name: r.string('name') };
}
