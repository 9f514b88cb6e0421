/**
 * Flow records that describe the sampled packet itself: raw packet header (0:1, decoded with the packet
 * codec), sampled Ethernet (0:2), sampled IPv4 (0:3) and sampled IPv6 (0:4).
 */
import { decodePacket } from '../packet/decode.js';
import { LinkType, type Packet } from '../packet/types.js';
import { HeaderProtocol } from './formats.js';
import type { XdrReader } from './xdr.js';

export interface RawHeaderRecord {
  type: 'raw_header';
  /** HeaderProtocol (1 Ethernet, 11 IPv4, 12 IPv6, ...). */
  headerProtocol: number;
  /** Length of the original frame (including any stripped bytes). */
  frameLength: number;
  /** Bytes removed from the frame before the header was taken (e.g. the 4-byte FCS). */
  stripped: number;
  /** The sampled header bytes (a copy). */
  header: Uint8Array;
  /** The header decoded by the packet codec (Ethernet, IPv4 and IPv6 headers); null for other protocols or when not asked. */
  packet: Packet | null;
}

export interface SampledEthernetRecord {
  type: 'sampled_ethernet';
  /** Length of the MAC packet in bytes. */
  length: number;
  srcMac: string;
  dstMac: string;
  ethType: number;
}

export interface SampledIpv4Record {
  type: 'sampled_ipv4';
  /** Length of the IP packet excluding lower-layer encapsulations. */
  length: number;
  protocol: number;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  tos: number;
}

export interface SampledIpv6Record {
  type: 'sampled_ipv6';
  length: number;
  protocol: number;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  priority: number;
}

/** The LinkType to decode a sampled header of `headerProtocol` with, or -1 when the packet codec cannot. */
export function linkTypeOfHeaderProtocol(headerProtocol: number): number {
  switch (headerProtocol) {
    case HeaderProtocol.ETHERNET:
      return LinkType.ETHERNET;
    case HeaderProtocol.IPV4:
      return LinkType.IPV4;
    case HeaderProtocol.IPV6:
      return LinkType.IPV6;
    default:
      return -1;
  }
}

export function decodeRawHeader(r: XdrReader, decodeHeaders: boolean): RawHeaderRecord {
  const headerProtocol = r.u32('header_protocol');
  const frameLength = r.u32('frame_length');
  const stripped = r.u32('stripped');
  const header = r.opaque('header');
  const linkType = linkTypeOfHeaderProtocol(headerProtocol);
  const packet = decodeHeaders && linkType >= 0 ? decodePacket(header, 0, header.length, linkType) : null;
  return { type: 'raw_header', headerProtocol, frameLength, stripped, header, packet };
}

export function decodeSampledEthernet(r: XdrReader): SampledEthernetRecord {
  const length = r.u32('length');
  const srcMac = r.mac('src_mac');
  const dstMac = r.mac('dst_mac');
  const ethType = r.u32('type');
  return { type: 'sampled_ethernet', length, srcMac, dstMac, ethType };
}

export function decodeSampledIpv4(r: XdrReader): SampledIpv4Record {
  return {
    type: 'sampled_ipv4',
    length: r.u32('length'),
    protocol: r.u32('protocol'),
    srcIp: r.ipv4('src_ip'),
    dstIp: r.ipv4('dst_ip'),
    srcPort: r.u32('src_port'),
    dstPort: r.u32('dst_port'),
    tcpFlags: r.u32('tcp_flags'),
    tos: r.u32('tos'),
  };
}

export function decodeSampledIpv6(r: XdrReader): SampledIpv6Record {
  return {
    type: 'sampled_ipv6',
    length: r.u32('length'),
    protocol: r.u32('protocol'),
    srcIp: r.ipv6('src_ip'),
    dstIp: r.ipv6('dst_ip'),
    srcPort: r.u32('src_port'),
    dstPort: r.u32('dst_port'),
    tcpFlags: r.u32('tcp_flags'),
    priority: r.u32('priority'),
  };
}
