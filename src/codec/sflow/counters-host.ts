/**
 * Host sFlow counter records (sflow_host.txt): host description (0:2000), adapters (0:2001), parent
 * (0:2002), CPU (0:2003), memory (0:2004), disk I/O (0:2005), network I/O (0:2006). A hypervisor sends
 * them for itself and (with host_parent pointing at it) for each VM; the VM's own state is in the
 * virtual records (counters-virtual.ts).
 */
import { macToString } from '../addr.js';
import { readLayout, type FromLayout } from './layout.js';
import type { XdrReader } from './xdr.js';

export interface HostDescriptionRecord {
  type: 'host_description';
  hostname: string;
  /** 8-4-4-4-12 lowercase hex (all zeros when unknown). */
  uuid: string;
  /** machine_type enumeration: 0 unknown, 1 other, 2 x86, 3 x86_64, 4 ia64, 5 sparc, 6 alpha, 7 powerpc, 8 m68k, 9 mips, 10 arm, 11 hppa, 12 s390. */
  machineType: number;
  /** os_name enumeration: 0 unknown, 1 other, 2 linux, 3 windows, 4 darwin, 5 hpux, 6 aix, 7 dragonfly, 8 freebsd, 9 netbsd, 10 openbsd, 11 osf, 12 solaris. */
  osName: number;
  osRelease: string;
}

export interface HostAdapter {
  /** ifIndex of the adapter (0 when unknown). */
  ifIndex: number;
  macs: string[];
}

export interface HostAdaptersRecord {
  type: 'host_adapters';
  adapters: HostAdapter[];
}

export const HOST_PARENT_LAYOUT = [
  /** sFlowDataSource class of the container (e.g. 2, a physical entity: the hypervisor). */
  ['containerType', 'u32'],
  ['containerIndex', 'u32'],
] as const;

/** Load averages as floats; times in milliseconds; cpuSpeed in MHz; uptime in seconds. */
export const HOST_CPU_LAYOUT = [
  ['loadOne', 'f32'],
  ['loadFive', 'f32'],
  ['loadFifteen', 'f32'],
  ['procRun', 'u32'],
  ['procTotal', 'u32'],
  ['cpuNum', 'u32'],
  ['cpuSpeed', 'u32'],
  ['uptime', 'u32'],
  ['cpuUser', 'u32'],
  ['cpuNice', 'u32'],
  ['cpuSystem', 'u32'],
  ['cpuIdle', 'u32'],
  ['cpuWio', 'u32'],
  ['cpuIntr', 'u32'],
  ['cpuSintr', 'u32'],
  ['interrupts', 'u32'],
  ['contexts', 'u32'],
] as const;

/** Added by the second host-sFlow revision (an 80-byte host_cpu record). */
export const HOST_CPU_EXTENSION_LAYOUT = [
  ['cpuSteal', 'u32'],
  ['cpuGuest', 'u32'],
  ['cpuGuestNice', 'u32'],
] as const;

export const HOST_MEMORY_LAYOUT = [
  ['memTotal', 'u64'],
  ['memFree', 'u64'],
  ['memShared', 'u64'],
  ['memBuffers', 'u64'],
  ['memCached', 'u64'],
  ['swapTotal', 'u64'],
  ['swapFree', 'u64'],
  ['pageIn', 'u32'],
  ['pageOut', 'u32'],
  ['swapIn', 'u32'],
  ['swapOut', 'u32'],
] as const;

/** partMaxUsed in hundredths of a percent; times in milliseconds. */
export const HOST_DISK_IO_LAYOUT = [
  ['diskTotal', 'u64'],
  ['diskFree', 'u64'],
  ['partMaxUsed', 'u32'],
  ['reads', 'u32'],
  ['bytesRead', 'u64'],
  ['readTime', 'u32'],
  ['writes', 'u32'],
  ['bytesWritten', 'u64'],
  ['writeTime', 'u32'],
] as const;

export const NET_IO_LAYOUT = [
  ['bytesIn', 'u64'],
  ['pktsIn', 'u32'],
  ['errsIn', 'u32'],
  ['dropsIn', 'u32'],
  ['bytesOut', 'u64'],
  ['pktsOut', 'u32'],
  ['errsOut', 'u32'],
  ['dropsOut', 'u32'],
] as const;

export type HostParentRecord = { type: 'host_parent' } & FromLayout<typeof HOST_PARENT_LAYOUT>;
export type HostCpuRecord = { type: 'host_cpu' } & FromLayout<typeof HOST_CPU_LAYOUT> & Partial<FromLayout<typeof HOST_CPU_EXTENSION_LAYOUT>>;
export type HostMemoryRecord = { type: 'host_memory' } & FromLayout<typeof HOST_MEMORY_LAYOUT>;
export type HostDiskIoRecord = { type: 'host_disk_io' } & FromLayout<typeof HOST_DISK_IO_LAYOUT>;
export type HostNetIoRecord = { type: 'host_net_io' } & FromLayout<typeof NET_IO_LAYOUT>;

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

export function uuidToString(b: Uint8Array, o = 0): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[b[o + i]!]!;
  }
  return s;
}

export function decodeHostDescription(r: XdrReader): HostDescriptionRecord {
  const hostname = r.string('hostname');
  const uuid = uuidToString(r.fixedView(16, 'uuid'));
  const machineType = r.u32('machine_type');
  const osName = r.u32('os_name');
  const osRelease = r.string('os_release');
  return { type: 'host_description', hostname, uuid, machineType, osName, osRelease };
}

export function decodeHostAdapters(r: XdrReader): HostAdaptersRecord {
  const n = r.count('adapters', 8);
  const adapters: HostAdapter[] = [];
  for (let i = 0; i < n; i++) {
    const ifIndex = r.u32('ifIndex');
    const m = r.count('mac_address', 8);
    const macs: string[] = [];
    for (let j = 0; j < m; j++) macs.push(macToString(r.fixedView(6, 'mac_address')));
    adapters.push({ ifIndex, macs });
  }
  return { type: 'host_adapters', adapters };
}

export function decodeHostParent(r: XdrReader): HostParentRecord {
  return readLayout(r, HOST_PARENT_LAYOUT, { type: 'host_parent' }) as HostParentRecord;
}

export function decodeHostCpu(r: XdrReader): HostCpuRecord {
  const rec = readLayout(r, HOST_CPU_LAYOUT, { type: 'host_cpu' }) as HostCpuRecord;
  if (r.remaining >= 12) readLayout(r, HOST_CPU_EXTENSION_LAYOUT, rec);
  return rec;
}

export function decodeHostMemory(r: XdrReader): HostMemoryRecord {
  return readLayout(r, HOST_MEMORY_LAYOUT, { type: 'host_memory' }) as HostMemoryRecord;
}

export function decodeHostDiskIo(r: XdrReader): HostDiskIoRecord {
  return readLayout(r, HOST_DISK_IO_LAYOUT, { type: 'host_disk_io' }) as HostDiskIoRecord;
}

export function decodeHostNetIo(r: XdrReader): HostNetIoRecord {
  return readLayout(r, NET_IO_LAYOUT, { type: 'host_net_io' }) as HostNetIoRecord;
}
