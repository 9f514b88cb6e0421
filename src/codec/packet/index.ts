/**
 * Packet codec: Ethernet/802.3, VLAN stacks, Linux cooked (SLL/SLL2), ARP, IPv4, IPv6 (+ extension headers),
 * AH/ESP, TCP, UDP, ICMP, ICMPv6, GRE, VXLAN; LLDP frames (lldp.ts: encode and decode, for link discovery).
 *   decodePacket   — the full object tree (library, CLI, tests)
 *   summarizePacket — zero-allocation fill of a reused PacketSummary (sFlow collector hot path)
 */
export { decodePacket } from './decode.js';
export { summarizePacket } from './summarize.js';
export { PacketSummary, FragFlag, TunnelType, AddressOf } from './summary-types.js';
export * from './types.js';
export * from './lldp.js';
