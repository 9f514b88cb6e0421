/**
 * sFlow v5 numbers (sflow_version_5.txt and the sFlow structure registry). A data format is
 * `enterprise << 12 | format`; everything here is enterprise 0 (sFlow.org standard structures).
 */

export const SFLOW_VERSION = 5;

/** The default sFlow collector port (IANA). */
export const SFLOW_PORT = 6343;

/** Address type of the agent address / next hop (XDR union discriminant). */
export const AddressType = { UNKNOWN: 0, IPV4: 1, IPV6: 2 } as const;

/** sample_data formats. */
export const SampleFormat = {
  FLOW: 1,
  COUNTERS: 2,
  FLOW_EXPANDED: 3,
  COUNTERS_EXPANDED: 4,
} as const;

/** flow_data formats this codec decodes (others are kept as opaque `unknown` records). */
export const FlowFormat = {
  RAW_HEADER: 1,
  SAMPLED_ETHERNET: 2,
  SAMPLED_IPV4: 3,
  SAMPLED_IPV6: 4,
  EXTENDED_SWITCH: 1001,
  EXTENDED_ROUTER: 1002,
  EXTENDED_GATEWAY: 1003,
} as const;

/** counter_data formats this codec decodes (others are kept as opaque `unknown` records). */
export const CounterFormat = {
  GENERIC_INTERFACE: 1,
  ETHERNET: 2,
  VLAN: 5,
  PROCESSOR: 1001,
  /** OpenFlow port (datapath id, port number): sent by Open vSwitch. */
  OPENFLOW_PORT: 1004,
  /** Port name: sent by Open vSwitch. */
  PORT_NAME: 1005,
  HOST_DESCRIPTION: 2000,
  HOST_ADAPTERS: 2001,
  HOST_PARENT: 2002,
  HOST_CPU: 2003,
  HOST_MEMORY: 2004,
  HOST_DISK_IO: 2005,
  HOST_NET_IO: 2006,
  VIRT_NODE: 2100,
  VIRT_CPU: 2101,
  VIRT_MEMORY: 2102,
  VIRT_DISK_IO: 2103,
  VIRT_NET_IO: 2104,
} as const;

/** sampled_header.protocol (header_protocol enumeration). */
export const HeaderProtocol = {
  ETHERNET: 1,
  TOKENBUS: 2,
  TOKENRING: 3,
  FDDI: 4,
  FRAME_RELAY: 5,
  X25: 6,
  PPP: 7,
  SMDS: 8,
  AAL5: 9,
  AAL5_IP: 10,
  IPV4: 11,
  IPV6: 12,
  MPLS: 13,
  POS: 14,
  IEEE80211_MAC: 15,
  IEEE80211_AMPDU: 16,
  IEEE80211_AMSDU_SUBFRAME: 17,
} as const;

/** Interface format (the top 2 bits of a compact interface, or the expanded format word). */
export const InterfaceFormat = {
  /** value = ifIndex (0x3fffffff: the device itself). */
  SINGLE: 0,
  /** value = reason the packet was discarded. */
  DISCARDED: 1,
  /** value = number of output interfaces (0: unknown, more than one). */
  MULTIPLE: 2,
} as const;

/** sFlowDataSource class (the top byte of a compact source id). */
export const SourceIdType = { IF_INDEX: 0, SMON_VLAN: 1, ENT_PHYSICAL: 2, ENT_LOGICAL: 3 } as const;

/** Minimum byte sizes of the fixed-size structures (a longer record is accepted; extra bytes are ignored). */
export const RecordSize = {
  GENERIC_INTERFACE: 88,
  ETHERNET: 52,
  VLAN: 28,
  PROCESSOR: 28,
  OPENFLOW_PORT: 12,
  HOST_PARENT: 8,
  /** 68 in the first host-sFlow revision; 80 with cpu_steal, cpu_guest, cpu_guest_nice. */
  HOST_CPU: 68,
  HOST_CPU_EXTENDED: 80,
  HOST_MEMORY: 72,
  HOST_DISK_IO: 52,
  HOST_NET_IO: 40,
  VIRT_NODE: 28,
  VIRT_CPU: 12,
  VIRT_MEMORY: 16,
  VIRT_DISK_IO: 52,
  VIRT_NET_IO: 40,
  SAMPLED_ETHERNET: 24,
  SAMPLED_IPV4: 32,
  SAMPLED_IPV6: 56,
  EXTENDED_SWITCH: 16,
} as const;
