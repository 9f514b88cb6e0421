/**
 * Public library entry point `vigil-sdn/sflow`: sFlow v5 datagrams.
 *   decodeDatagram(bytes)          — full objects (throws SflowDecodeError on malformed input)
 *   new SflowWalker().walk(bytes, visitor) / walkDatagram — zero-allocation walk into reused views,
 *                                    never throws, counts drops (the collector's hot path)
 */
export { decodeDatagram, MIN_DATAGRAM_LENGTH, type DecodeOptions, type SflowDatagram, type SflowSample, type UnknownSample } from './datagram.js';
export { decodeFlowSample, type FlowSample, type FlowRecord, type SflowInterface, type UnknownRecord } from './flow-sample.js';
export { decodeCounterSample, type CounterSample, type CounterRecord } from './counter-sample.js';
export type { RawHeaderRecord, SampledEthernetRecord, SampledIpv4Record, SampledIpv6Record } from './flow-records-sampled.js';
export { linkTypeOfHeaderProtocol } from './flow-records-sampled.js';
export type { ExtendedSwitchRecord, ExtendedRouterRecord, ExtendedGatewayRecord, AsPathSegment } from './flow-records-extended.js';
export type { GenericInterfaceRecord, EthernetCountersRecord, VlanCountersRecord } from './counters-interface.js';
export type { ProcessorRecord, OpenflowPortRecord, PortNameRecord } from './counters-device.js';
export type {
  HostDescriptionRecord,
  HostAdaptersRecord,
  HostAdapter,
  HostParentRecord,
  HostCpuRecord,
  HostMemoryRecord,
  HostDiskIoRecord,
  HostNetIoRecord,
} from './counters-host.js';
export { uuidToString } from './counters-host.js';
export type { VirtNodeRecord, VirtCpuRecord, VirtMemoryRecord, VirtDiskIoRecord, VirtNetIoRecord } from './counters-virtual.js';
export { VIRT_DOMAIN_STATES } from './counters-virtual.js';
export { SflowDecodeError, type SflowErrorCode } from './errors.js';
export * from './formats.js';
export {
  SflowWalker,
  walkDatagram,
  WalkStatus,
  SflowStats,
  DatagramView,
  FlowSampleView,
  CounterSampleView,
  CounterBit,
  type SflowVisitor,
  type WalkerOptions,
} from './walker.js';
export * from './walker-counters.js';
