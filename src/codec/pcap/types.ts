/** One packet record from a pcap or pcapng file. */
export interface CapturedPacket {
  /** Capture time in nanoseconds since the Unix epoch. */
  timestampNs: bigint;
  /** LINKTYPE_* of the packet's interface (1 Ethernet, 101 raw IP, 113 SLL, 228/229 IPv4/IPv6, 276 SLL2). */
  linkType: number;
  /** Bytes captured (= data.length). */
  caplen: number;
  /** Length of the packet on the wire. */
  origLen: number;
  /** The captured bytes: a view into the file buffer (copy it if it must outlive the buffer/chunk). */
  data: Uint8Array;
  /** pcapng interface id (0 for classic pcap). */
  interfaceId: number;
}

export interface CaptureInterface {
  linkType: number;
  snaplen: number;
  /** Nanoseconds per timestamp unit numerator/denominator are folded into this: ns = ts * 10^9 / unitsPerSecond. */
  unitsPerSecond: bigint;
  /** Timestamp offset in seconds (pcapng if_tsoffset). */
  tsOffsetSec: bigint;
  name?: string;
}

/** A final record cut short by the end of the file (reported, not thrown: see readCapture). */
export interface TruncatedTail {
  /** Offset of the incomplete record. */
  offset: number;
  /** Bytes the record header declared (or the minimum header size). */
  needed: number;
  /** Bytes present from `offset` to end of file. */
  have: number;
}

export type CaptureFormat = 'pcap' | 'pcapng';
