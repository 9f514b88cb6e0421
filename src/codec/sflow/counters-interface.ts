/** Interface counter records: generic interface (0:1), Ethernet (0:2), VLAN (0:5). */
import { readLayout, type FromLayout } from './layout.js';
import type { XdrReader } from './xdr.js';

/** if_counters (RFC 2233 names). ifStatus bit 0: admin up, bit 1: oper up. ifDirection 1 full, 2 half duplex. */
export const GENERIC_INTERFACE_LAYOUT = [
  ['ifIndex', 'u32'],
  ['ifType', 'u32'],
  ['ifSpeed', 'u64'],
  ['ifDirection', 'u32'],
  ['ifStatus', 'u32'],
  ['ifInOctets', 'u64'],
  ['ifInUcastPkts', 'u32'],
  ['ifInMulticastPkts', 'u32'],
  ['ifInBroadcastPkts', 'u32'],
  ['ifInDiscards', 'u32'],
  ['ifInErrors', 'u32'],
  ['ifInUnknownProtos', 'u32'],
  ['ifOutOctets', 'u64'],
  ['ifOutUcastPkts', 'u32'],
  ['ifOutMulticastPkts', 'u32'],
  ['ifOutBroadcastPkts', 'u32'],
  ['ifOutDiscards', 'u32'],
  ['ifOutErrors', 'u32'],
  ['ifPromiscuousMode', 'u32'],
] as const;

/** ethernet_counters (RFC 2358). */
export const ETHERNET_LAYOUT = [
  ['dot3StatsAlignmentErrors', 'u32'],
  ['dot3StatsFCSErrors', 'u32'],
  ['dot3StatsSingleCollisionFrames', 'u32'],
  ['dot3StatsMultipleCollisionFrames', 'u32'],
  ['dot3StatsSQETestErrors', 'u32'],
  ['dot3StatsDeferredTransmissions', 'u32'],
  ['dot3StatsLateCollisions', 'u32'],
  ['dot3StatsExcessiveCollisions', 'u32'],
  ['dot3StatsInternalMacTransmitErrors', 'u32'],
  ['dot3StatsCarrierSenseErrors', 'u32'],
  ['dot3StatsFrameTooLongs', 'u32'],
  ['dot3StatsInternalMacReceiveErrors', 'u32'],
  ['dot3StatsSymbolErrors', 'u32'],
] as const;

/** vlan_counters. */
export const VLAN_LAYOUT = [
  ['vlanId', 'u32'],
  ['octets', 'u64'],
  ['ucastPkts', 'u32'],
  ['multicastPkts', 'u32'],
  ['broadcastPkts', 'u32'],
  ['discards', 'u32'],
] as const;

export type GenericInterfaceRecord = { type: 'generic_interface' } & FromLayout<typeof GENERIC_INTERFACE_LAYOUT>;
export type EthernetCountersRecord = { type: 'ethernet' } & FromLayout<typeof ETHERNET_LAYOUT>;
export type VlanCountersRecord = { type: 'vlan' } & FromLayout<typeof VLAN_LAYOUT>;

export function decodeGenericInterface(r: XdrReader): GenericInterfaceRecord {
  return readLayout(r, GENERIC_INTERFACE_LAYOUT, { type: 'generic_interface' }) as GenericInterfaceRecord;
}

export function decodeEthernetCounters(r: XdrReader): EthernetCountersRecord {
  return readLayout(r, ETHERNET_LAYOUT, { type: 'ethernet' }) as EthernetCountersRecord;
}

export function decodeVlanCounters(r: XdrReader): VlanCountersRecord {
  return readLayout(r, VLAN_LAYOUT, { type: 'vlan' }) as VlanCountersRecord;
}
