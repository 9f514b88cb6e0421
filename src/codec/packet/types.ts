/**
 * The full object tree of a decoded packet (the library/CLI/test API; the hot path uses PacketSummary).
 *
 * A packet is a flat list of layers, outermost first. Tunnels (VXLAN, GRE) are followed in the same list by
 * the layers they carry; every layer says its encapsulation `depth` (0 = outer frame, 1 = inside the first
 * tunnel, ...). Every layer records `offset` and
 * `headerLength` (bytes of this layer's own header that were present). Offsets count from the frame's first
 * byte (the `offset` given to decodePacket), not from the start of the underlying buffer.
 *
 * Decoding never throws on packet content. When the capture ends inside a header, `Packet.truncated` names
 * that layer: a layer whose variable part (IPv4/TCP options, IPv6 extension headers) is cut short is returned
 * with what was present; one whose fixed part is cut short is not returned (the layers before it are); values that violate the protocol (IHL < 5, lengths past the end,
 * option lengths < 2 ...) are reported in `Packet.issues` and decoding stops or continues as is safe.
 */

/** Link-layer header types (tcpdump.org LINKTYPE_* numbers) decodePacket can start from. */
export const LinkType = {
  ETHERNET: 1,
  /** LINKTYPE_RAW: raw IPv4 or IPv6, version nibble decides (DLT 12/14 on some systems map here). */
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
  TEB: 0x6558,
} as const;

export const IpProto = {
  HOPOPTS: 0,
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  ROUTING: 43,
  FRAGMENT: 44,
  GRE: 47,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NONE: 59,
  DSTOPTS: 60,
} as const;

/** TCP flag bits as in the header's low 12 bits (NS is bit 8). */
export const TcpFlag = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  NS: 0x100,
} as const;

export const VXLAN_PORT = 4789;
/** Tunnels nested deeper than this are not followed (the rest is payload; an issue is recorded). */
export const MAX_TUNNEL_DEPTH = 4;

interface LayerBase {
  /** Byte offset of the layer's first byte, from the frame's first byte. */
  offset: number;
  /** Bytes of this layer's header present in the capture (less than declared when truncated). */
  headerLength: number;
  /** Encapsulation depth: 0 for the outer frame, +1 inside each VXLAN/GRE tunnel. */
  depth: number;
}

export interface EthernetLayer extends LayerBase {
  type: 'ethernet';
  dst: string;
  src: string;
  /** EtherType (>= 0x0600) after the MAC addresses; for 802.3 frames the length field (see `llc`). */
  etherType: number;
}

/** An IEEE 802.3 frame: the field after the MACs is a length (<= 1500). Decoding stops here. */
export interface LlcLayer extends LayerBase {
  type: 'llc';
  length: number;
  dsap: number;
  ssap: number;
  control: number;
}

/** One 802.1Q / 802.1ad tag. `tpid` is the EtherType that announced it (0x8100, 0x88a8, 0x9100). */
export interface VlanLayer extends LayerBase {
  type: 'vlan';
  tpid: number;
  pcp: number;
  dei: number;
  vid: number;
  /** EtherType of what follows the tag. */
  etherType: number;
}

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL). */
export interface SllLayer extends LayerBase {
  type: 'sll';
  packetType: number;
  arphrd: number;
  addressLength: number;
  /** Link-layer address bytes as text (MAC form when 6 bytes; hex with ':' otherwise). */
  address: string;
  protocol: number;
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2). */
export interface Sll2Layer extends LayerBase {
  type: 'sll2';
  protocol: number;
  interfaceIndex: number;
  arphrd: number;
  packetType: number;
  addressLength: number;
  address: string;
}

export interface ArpLayer extends LayerBase {
  type: 'arp';
  hardwareType: number;
  protocolType: number;
  hardwareSize: number;
  protocolSize: number;
  opcode: number;
  /** MAC / IPv4 text when the sizes are 6 / 4 (Ethernet/IPv4 ARP); hex otherwise. */
  senderHardware: string;
  senderProtocol: string;
  targetHardware: string;
  targetProtocol: string;
}

export interface Ipv4Option {
  /** Option type byte (copied flag, class and number). */
  type: number;
  /** Total option length including type and length bytes (1 for EOL/NOP). */
  length: number;
  data: Uint8Array;
}

export interface Ipv4Layer extends LayerBase {
  type: 'ipv4';
  version: number;
  ihl: number;
  dscp: number;
  ecn: number;
  totalLength: number;
  id: number;
  /** Reserved ("evil") bit. */
  reservedFlag: boolean;
  dontFragment: boolean;
  moreFragments: boolean;
  /** Fragment offset in 8-byte units, as on the wire. */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  /** Header checksum as on the wire (not verified). */
  checksum: number;
  src: string;
  dst: string;
  options: Ipv4Option[];
}

/** An IPv6 extension header; `length` is its size in bytes, `offset` from the frame's first byte. */
export type Ipv6Extension =
  | { type: 'hop-by-hop' | 'destination-options'; nextHeader: number; length: number; offset: number; options: Uint8Array }
  | { type: 'routing'; nextHeader: number; length: number; offset: number; routingType: number; segmentsLeft: number; data: Uint8Array }
  | { type: 'fragment'; nextHeader: number; length: number; offset: number; fragmentOffset: number; moreFragments: boolean; id: number }
  | { type: 'ah'; nextHeader: number; length: number; offset: number; spi: number; sequence: number; icv: Uint8Array };

export interface Ipv6Layer extends LayerBase {
  type: 'ipv6';
  version: number;
  trafficClass: number;
  flowLabel: number;
  payloadLength: number;
  /** Next Header of the fixed header. */
  nextHeader: number;
  hopLimit: number;
  src: string;
  dst: string;
  /** Extension headers in order; `headerLength` counts the fixed header and all of these. */
  extensions: Ipv6Extension[];
  /** Protocol after the extension chain (TCP 6, UDP 17, ESP 50, No Next Header 59, ...). */
  upperProtocol: number;
}

/** IPsec AH over IPv4 (over IPv6 it is an Ipv6Extension). */
export interface AhLayer extends LayerBase {
  type: 'ah';
  nextHeader: number;
  /** Payload Length field ((length in 4-octet units) - 2). */
  length: number;
  spi: number;
  sequence: number;
  icv: Uint8Array;
}

/** IPsec ESP: SPI and sequence number, then encrypted payload. Decoding stops here. */
export interface EspLayer extends LayerBase {
  type: 'esp';
  spi: number;
  sequence: number;
}

export type TcpOption =
  | { kind: 0; name: 'eol' }
  | { kind: 1; name: 'nop' }
  | { kind: 2; name: 'mss'; mss: number }
  | { kind: 3; name: 'wscale'; shift: number }
  | { kind: 4; name: 'sack-permitted' }
  | { kind: 5; name: 'sack'; blocks: Array<{ left: number; right: number }> }
  | { kind: 8; name: 'timestamp'; tsval: number; tsecr: number }
  | { kind: number; name: 'other'; length: number; data: Uint8Array };

export interface TcpLayer extends LayerBase {
  type: 'tcp';
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** Data offset in 32-bit words. */
  dataOffset: number;
  /** The 9 flag bits (TcpFlag). */
  flags: number;
  window: number;
  checksum: number;
  urgentPointer: number;
  options: TcpOption[];
}

export interface UdpLayer extends LayerBase {
  type: 'udp';
  srcPort: number;
  dstPort: number;
  length: number;
  checksum: number;
}

export interface IcmpLayer extends LayerBase {
  type: 'icmp';
  icmpType: number;
  code: number;
  checksum: number;
  /** Identifier and sequence number for echo/timestamp/info/address-mask messages; undefined otherwise. */
  id?: number;
  seq?: number;
  /** Gateway address for redirects (type 5). */
  gateway?: string;
}

export interface Icmpv6Layer extends LayerBase {
  type: 'icmpv6';
  icmpType: number;
  code: number;
  checksum: number;
  /** Echo request/reply (128/129). */
  id?: number;
  seq?: number;
  /** Neighbor Solicitation/Advertisement (135/136) and Redirect (137) target address. */
  target?: string;
  /** Neighbor Advertisement flags (R, S, O in the top 3 bits of the byte). */
  naFlags?: number;
}

export interface GreLayer extends LayerBase {
  type: 'gre';
  /** The 16 flag/version bits as on the wire. */
  flagsVersion: number;
  checksumPresent: boolean;
  keyPresent: boolean;
  sequencePresent: boolean;
  version: number;
  protocol: number;
  checksum?: number;
  key?: number;
  sequence?: number;
}

export interface VxlanLayer extends LayerBase {
  type: 'vxlan';
  flags: number;
  vni: number;
}

/** Bytes after the last decoded header (application data, or what could not be decoded further). */
export interface PayloadLayer extends LayerBase {
  type: 'payload';
  /** A view of the payload bytes present. */
  data: Uint8Array;
}

export type Layer =
  | EthernetLayer
  | LlcLayer
  | VlanLayer
  | SllLayer
  | Sll2Layer
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | AhLayer
  | EspLayer
  | TcpLayer
  | UdpLayer
  | IcmpLayer
  | Icmpv6Layer
  | GreLayer
  | VxlanLayer
  | PayloadLayer;

export type LayerType = Layer['type'];

/** A protocol violation found while decoding (the packet is still returned). */
export interface PacketIssue {
  layer: LayerType;
  /** Stable machine-readable code, e.g. 'ipv4-ihl-too-small', 'tcp-bad-option-length'. */
  code: string;
  message: string;
  /** Byte offset where the problem was found. */
  offset: number;
  /** Encapsulation depth of the layer. */
  depth: number;
}

export interface Truncation {
  /** The layer whose header (or declared options) ran past the end of the captured bytes. */
  layer: LayerType;
  /** Offset where the missing bytes begin. */
  offset: number;
  /** Bytes the layer needed beyond what was captured. */
  missing: number;
  /** Encapsulation depth of that layer. */
  depth: number;
}

export interface Packet {
  /** Captured bytes decoded (the `length` given to decodePacket). */
  length: number;
  linkType: number;
  layers: Layer[];
  /** Set when a header was cut short by the capture length; the layers before it are complete. */
  truncated: Truncation | null;
  issues: PacketIssue[];
}
