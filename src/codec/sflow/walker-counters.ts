/**
 * The counter records the walker exposes, as lazy views: the walker only records where each record's body
 * is (at()), and a field is read from the datagram when it is asked for (one DataView load; u64 as two).
 * Reading a counter record eagerly cost more than walking it (a generic interface record alone is 19
 * fields), and most consumers read a few fields of a few records. The fields and their offsets come from
 * the same layouts the object decoder reads (layout.ts), so the two cannot drift apart.
 *
 * 64-bit counters are numbers: exact up to 2^53 (9 PB), which a counter reaches only after days at
 * 100 Gb/s line rate; the object API (decodeDatagram) gives them as exact bigints. Like every walker view,
 * a record view is valid only during the visitor call (it reads the walker's copy of the datagram).
 */
import { OPENFLOW_PORT_LAYOUT, PROCESSOR_LAYOUT } from './counters-device.js';
import { HOST_CPU_EXTENSION_LAYOUT, HOST_CPU_LAYOUT, HOST_DISK_IO_LAYOUT, HOST_MEMORY_LAYOUT, HOST_PARENT_LAYOUT, NET_IO_LAYOUT } from './counters-host.js';
import { ETHERNET_LAYOUT, GENERIC_INTERFACE_LAYOUT, VLAN_LAYOUT } from './counters-interface.js';
import { VIRT_CPU_LAYOUT, VIRT_DISK_IO_LAYOUT, VIRT_MEMORY_LAYOUT, VIRT_NODE_LAYOUT } from './counters-virtual.js';
import { layoutSize, type FieldKind, type Layout } from './layout.js';

/** Bits of CounterSampleView.present: which records the sample carried. */
export const CounterBit = {
  GENERIC_INTERFACE: 1 << 0,
  ETHERNET: 1 << 1,
  VLAN: 1 << 2,
  PROCESSOR: 1 << 3,
  OPENFLOW_PORT: 1 << 4,
  PORT_NAME: 1 << 5,
  HOST_DESCRIPTION: 1 << 6,
  HOST_ADAPTERS: 1 << 7,
  HOST_PARENT: 1 << 8,
  HOST_CPU: 1 << 9,
  HOST_MEMORY: 1 << 10,
  HOST_DISK_IO: 1 << 11,
  HOST_NET_IO: 1 << 12,
  VIRT_NODE: 1 << 13,
  VIRT_CPU: 1 << 14,
  VIRT_MEMORY: 1 << 15,
  VIRT_DISK_IO: 1 << 16,
  VIRT_NET_IO: 1 << 17,
} as const;

/** What a view reads before it is pointed at a record, and what an absent record reads: zeros, longer than any fixed record. */
export const ZERO_VIEW = new DataView(new ArrayBuffer(256));

/** Where a record's body is; the walker points it at each record it keeps. */
export class RecordView {
  /** The walker's DataView over the datagram (valid during the visitor call). */
  view: DataView = ZERO_VIEW;
  /** Body offset in the datagram, and the body's length. */
  offset = 0;
  length = 0;

  at(view: DataView, offset: number, length: number): void {
    this.view = view;
    this.offset = offset;
    this.length = length;
  }

  /** The record's field names (on each view class's prototype). */
  declare readonly fieldNames: readonly string[];

  /** The fields as a plain object (allocates: snapshots, logs, tests). */
  toJSON(): Record<string, number | boolean> {
    const out: Record<string, number | boolean> = {};
    const self = this as unknown as Record<string, number | boolean>;
    for (const k of this.fieldNames) out[k] = self[k]!;
    return out;
  }
}
Object.defineProperty(RecordView.prototype, 'fieldNames', { value: [], writable: false, configurable: true });

function addNames(proto: object, names: readonly string[]): void {
  const own = (proto as RecordView).fieldNames;
  Object.defineProperty(proto, 'fieldNames', { value: [...own, ...names], writable: false, configurable: true });
}

/** A layout's fields as read-only numbers. */
export type NumbersOf<L extends Layout> = { readonly [E in L[number] as E[0]]: number };

function getter(kind: FieldKind, off: number): (this: RecordView) => number {
  // One small function per field: V8 inlines a prototype getter with a constant offset at a monomorphic site.
  if (kind === 'u32')
    return function (this: RecordView) {
      return this.view.getUint32(this.offset + off);
    };
  if (kind === 'f32')
    return function (this: RecordView) {
      return this.view.getFloat32(this.offset + off);
    };
  return function (this: RecordView) {
    return this.view.getUint32(this.offset + off) * 4294967296 + this.view.getUint32(this.offset + off + 4);
  };
}

/** Defines `layout`'s fields as getters on `proto`, starting at byte `start` of the body. */
function defineFields(proto: object, layout: Layout, start = 0): void {
  let off = start;
  for (const [name, kind] of layout) {
    Object.defineProperty(proto, name, { get: getter(kind, off), enumerable: true, configurable: false });
    off += kind === 'u64' ? 8 : 4;
  }
  addNames(proto, layout.map(([name]) => name));
}

/** A RecordView class whose fields are `layout`'s. */
function layoutView<L extends Layout>(layout: L): new () => RecordView & NumbersOf<L> {
  const C = class extends RecordView {};
  defineFields(C.prototype, layout);
  return C as unknown as new () => RecordView & NumbersOf<L>;
}

export const InterfaceCountersView = layoutView(GENERIC_INTERFACE_LAYOUT);
export type InterfaceCountersView = InstanceType<typeof InterfaceCountersView>;
export const EthernetCountersView = layoutView(ETHERNET_LAYOUT);
export type EthernetCountersView = InstanceType<typeof EthernetCountersView>;
export const VlanCountersView = layoutView(VLAN_LAYOUT);
export type VlanCountersView = InstanceType<typeof VlanCountersView>;
export const ProcessorView = layoutView(PROCESSOR_LAYOUT);
export type ProcessorView = InstanceType<typeof ProcessorView>;
export const HostParentView = layoutView(HOST_PARENT_LAYOUT);
export type HostParentView = InstanceType<typeof HostParentView>;
export const HostMemoryView = layoutView(HOST_MEMORY_LAYOUT);
export type HostMemoryView = InstanceType<typeof HostMemoryView>;
export const HostDiskIoView = layoutView(HOST_DISK_IO_LAYOUT);
export type HostDiskIoView = InstanceType<typeof HostDiskIoView>;
/** host_net_io and virt_net_io share this layout. */
export const NetIoView = layoutView(NET_IO_LAYOUT);
export type NetIoView = InstanceType<typeof NetIoView>;
export const VirtNodeView = layoutView(VIRT_NODE_LAYOUT);
export type VirtNodeView = InstanceType<typeof VirtNodeView>;
export const VirtCpuView = layoutView(VIRT_CPU_LAYOUT);
export type VirtCpuView = InstanceType<typeof VirtCpuView>;
export const VirtMemoryView = layoutView(VIRT_MEMORY_LAYOUT);
export type VirtMemoryView = InstanceType<typeof VirtMemoryView>;
export const VirtDiskIoView = layoutView(VIRT_DISK_IO_LAYOUT);
export type VirtDiskIoView = InstanceType<typeof VirtDiskIoView>;

const HOST_CPU_BASE = layoutSize(HOST_CPU_LAYOUT);
const HOST_CPU_EXTENDED = HOST_CPU_BASE + layoutSize(HOST_CPU_EXTENSION_LAYOUT);

/** host_cpu; the second revision's fields (cpuSteal, cpuGuest, cpuGuestNice) read 0 in a 68-byte record. */
class HostCpuRecordView extends RecordView {
  /** The record has the 80-byte revision's fields. */
  get hasExtension(): boolean {
    return this.length >= HOST_CPU_EXTENDED;
  }
}
defineFields(HostCpuRecordView.prototype, HOST_CPU_LAYOUT);
for (const [i, [name]] of HOST_CPU_EXTENSION_LAYOUT.entries()) {
  const off = HOST_CPU_BASE + 4 * i;
  Object.defineProperty(HostCpuRecordView.prototype, name, {
    get(this: HostCpuRecordView): number {
      return this.length >= HOST_CPU_EXTENDED ? this.view.getUint32(this.offset + off) : 0;
    },
    enumerable: true,
    configurable: false,
  });
}
addNames(HostCpuRecordView.prototype, ['hasExtension', ...HOST_CPU_EXTENSION_LAYOUT.map(([name]) => name)]);
export const HostCpuView = HostCpuRecordView as unknown as new () => HostCpuRecordView & NumbersOf<typeof HOST_CPU_LAYOUT> & NumbersOf<typeof HOST_CPU_EXTENSION_LAYOUT>;
export type HostCpuView = InstanceType<typeof HostCpuView>;

/** openflow_port: the 64-bit datapath id as two exact 32-bit halves (a number would round it past 2^53). */
export class OpenflowPortView extends RecordView {
  get datapathIdHi(): number {
    return this.view.getUint32(this.offset);
  }
  get datapathIdLo(): number {
    return this.view.getUint32(this.offset + 4);
  }
  get portNo(): number {
    return this.view.getUint32(this.offset + 8);
  }
}
addNames(OpenflowPortView.prototype, ['datapathIdHi', 'datapathIdLo', 'portNo']);
// The layout the object decoder reads must be the one these getters assume.
if (layoutSize(OPENFLOW_PORT_LAYOUT) !== 12) throw new Error('openflow_port layout changed: update OpenflowPortView');

/** host_description: strings stay in the datagram (offset/length), so filling it allocates nothing. */
export class HostDescriptionView {
  hostnameOffset = 0;
  hostnameLength = 0;
  /** Offset of the 16 UUID bytes. */
  uuidOffset = 0;
  machineType = 0;
  osName = 0;
  osReleaseOffset = 0;
  osReleaseLength = 0;
}

