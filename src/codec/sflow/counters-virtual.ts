/**
 * Virtual-machine counter records of host sFlow: hypervisor node (0:2100), and per domain (VM) CPU
 * (0:2101), memory (0:2102), disk I/O (0:2103), network I/O (0:2104). A VM's counter sample usually also
 * carries host_description (its name and UUID) and host_parent (its hypervisor).
 */
import { NET_IO_LAYOUT } from './counters-host.js';
import { readLayout, type FromLayout } from './layout.js';
import type { XdrReader } from './xdr.js';

/** Hypervisor: expected CPU MHz, active CPUs, memory and unassigned memory (bytes), active domains. */
export const VIRT_NODE_LAYOUT = [
  ['mhz', 'u32'],
  ['cpus', 'u32'],
  ['memory', 'u64'],
  ['memoryFree', 'u64'],
  ['numDomains', 'u32'],
] as const;

/** state: libvirt virDomainState (0 nostate, 1 running, 2 blocked, 3 paused, 4 shutdown, 5 shutoff, 6 crashed). */
export const VIRT_CPU_LAYOUT = [
  ['state', 'u32'],
  /** CPU time used, milliseconds. */
  ['cpuTime', 'u32'],
  ['nrVirtCpu', 'u32'],
] as const;

export const VIRT_MEMORY_LAYOUT = [
  ['memory', 'u64'],
  ['maxMemory', 'u64'],
] as const;

export const VIRT_DISK_IO_LAYOUT = [
  ['capacity', 'u64'],
  ['allocation', 'u64'],
  ['available', 'u64'],
  ['rdReq', 'u32'],
  ['rdBytes', 'u64'],
  ['wrReq', 'u32'],
  ['wrBytes', 'u64'],
  ['errs', 'u32'],
] as const;

/** Virtual domain state names (libvirt virDomainState), indexed by VirtCpuRecord.state. */
export const VIRT_DOMAIN_STATES = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed'] as const;

export type VirtNodeRecord = { type: 'virt_node' } & FromLayout<typeof VIRT_NODE_LAYOUT>;
export type VirtCpuRecord = { type: 'virt_cpu' } & FromLayout<typeof VIRT_CPU_LAYOUT>;
export type VirtMemoryRecord = { type: 'virt_memory' } & FromLayout<typeof VIRT_MEMORY_LAYOUT>;
export type VirtDiskIoRecord = { type: 'virt_disk_io' } & FromLayout<typeof VIRT_DISK_IO_LAYOUT>;
export type VirtNetIoRecord = { type: 'virt_net_io' } & FromLayout<typeof NET_IO_LAYOUT>;

export function decodeVirtNode(r: XdrReader): VirtNodeRecord {
  return readLayout(r, VIRT_NODE_LAYOUT, { type: 'virt_node' }) as VirtNodeRecord;
}

export function decodeVirtCpu(r: XdrReader): VirtCpuRecord {
  return readLayout(r, VIRT_CPU_LAYOUT, { type: 'virt_cpu' }) as VirtCpuRecord;
}

export function decodeVirtMemory(r: XdrReader): VirtMemoryRecord {
  return readLayout(r, VIRT_MEMORY_LAYOUT, { type: 'virt_memory' }) as VirtMemoryRecord;
}

export function decodeVirtDiskIo(r: XdrReader): VirtDiskIoRecord {
  return readLayout(r, VIRT_DISK_IO_LAYOUT, { type: 'virt_disk_io' }) as VirtDiskIoRecord;
}

export function decodeVirtNetIo(r: XdrReader): VirtNetIoRecord {
  return readLayout(r, NET_IO_LAYOUT, { type: 'virt_net_io' }) as VirtNetIoRecord;
}
