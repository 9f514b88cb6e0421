/**
 * Types of the fragment-reassembly stage: its options, what `Reassembler.push` returns, the
 * `fragment_evasion` findings, counters, and the minimal serializable packet the RxJS operator carries.
 */
import type { OverlapPolicy } from './policy.js';

/** A captured frame as it travels the pipeline (structured-clone/JSON friendly apart from the bytes). */
export interface RawPacket {
  /** Capture time in milliseconds since the Unix epoch (fractions allowed). */
  ts: number;
  /** LINKTYPE_* of `bytes` (1 Ethernet, 101 raw IP, 113/276 Linux cooked, 228/229 raw IPv4/IPv6). */
  linkType: number;
  bytes: Uint8Array;
}

/** A packet timestamp: nanoseconds as a bigint (CapturedPacket.timestampNs) or milliseconds as a number. */
export type Timestamp = bigint | number;

/**
 * What identifies one datagram in reassembly. IPv4: (src, dst, protocol, id, VLAN stack). IPv6: (src, dst,
 * id, VLAN stack) — RFC 8200 reassembles on source, destination and identification only, so fragments whose
 * Next Header values differ are still one datagram (and flagged); `protocol` is the upper-layer protocol
 * named by the first fragment that arrived.
 */
export interface FragmentKey {
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  protocol: number;
  /** IPv4 Identification (16 bits) or IPv6 Fragment Identification (32 bits). */
  id: number;
  /** VLAN ids outermost first (empty when untagged). */
  vlan: number[];
}

export interface ReassemblerOptions {
  /** Overlap policy for every destination (default 'linux'). */
  policy?: OverlapPolicy;
  /**
   * Per-destination policy (target-based reassembly), asked once per datagram with the destination address
   * as text; undefined falls back to `policy`.
   */
  policyFor?: (dst: string, ipVersion: 4 | 6) => OverlapPolicy | undefined;
  /** A datagram not complete this long after its first fragment is dropped (default 30000 ms). */
  timeoutMs?: number;
  /**
   * Cap on the bytes held for one datagram: payload, plus 192 bytes per held piece, 512 per datagram and
   * the saved headers (default 131072: a maximal 65,535-byte datagram in up to 256 fragments fits). A
   * fragment that would exceed it evicts the datagram (counted, the fragment is dropped).
   */
  maxDatagramBytes?: number;
  /** Cap on the pieces held for one datagram (default 256); exceeding it evicts the datagram. */
  maxFragmentsPerDatagram?: number;
  /**
   * Cap on the bytes held across all datagrams (default 16 MiB). Checked before a fragment is buffered;
   * the oldest datagrams are evicted to make room.
   */
  maxBytes?: number;
  /** Cap on datagrams in reassembly (default 8192); the oldest is evicted to start a new one. */
  maxDatagrams?: number;
  /**
   * Smallest upper-layer part a first fragment may carry before it is flagged as a tiny fragment. Default:
   * the protocol's fixed header (TCP 20, UDP 8, ICMP/ICMPv6 8, SCTP 12; other protocols not checked).
   * A number applies to every protocol.
   */
  minFirstFragmentBytes?: number;
  /**
   * How held fragments keep their bytes: 'copy' (default) copies the surviving bytes, so the caller may
   * reuse its buffers and memory accounting is exact; 'view' keeps views of the pushed arrays (no copy;
   * the caller must not overwrite them, and a view keeps its whole underlying buffer alive).
   */
  hold?: 'copy' | 'view';
}

/** Why a pushed frame produced nothing. */
export type DropReason =
  /** The capture holds less than the fragment's IP length says (a snap length cut it): cannot be reassembled. */
  | 'truncated'
  /** Offset + length reach past the largest datagram (65,535). */
  | 'oversize'
  /** IPv6: a fragment with M=1 whose length is not a multiple of 8 (RFC 8200 discards it). */
  | 'unaligned'
  /** A fragment ending past a last fragment already seen, or a second last fragment with another end. */
  | 'length-conflict'
  /** No fragmentable bytes (or none left after alignment). */
  | 'empty'
  /** Every byte was already held with the same content. */
  | 'duplicate'
  /** Every byte overlapped held data that the policy kept. */
  | 'overlap-discarded'
  /** The datagram reached maxDatagramBytes / maxFragmentsPerDatagram and was evicted. */
  | 'datagram-cap'
  /** The fragment alone does not fit in maxBytes. */
  | 'global-cap';

export const DROP_REASONS: readonly DropReason[] = ['truncated', 'oversize', 'unaligned', 'length-conflict', 'empty', 'duplicate', 'overlap-discarded', 'datagram-cap', 'global-cap'];

export type FragmentEvasionReason =
  | 'tiny-fragment'
  | 'dont-fragment'
  | 'atomic-fragment'
  | 'oversize'
  | 'inconsistent-overlap'
  | 'unaligned-fragment'
  | 'length-conflict'
  | 'next-header-mismatch';

export const FRAGMENT_EVASION_REASONS: readonly FragmentEvasionReason[] = [
  'tiny-fragment', 'dont-fragment', 'atomic-fragment', 'oversize', 'inconsistent-overlap', 'unaligned-fragment', 'length-conflict', 'next-header-mismatch',
];

/** Evidence per reason. Offsets and lengths are bytes of the fragmentable part (fragment offset × 8). */
export interface FragmentEvidence {
  /** The first fragment leaves too little of the upper-layer header (RFC 1858, RFC 7112). */
  'tiny-fragment': {
    /** Upper-layer protocol (after any IPv6 extension headers in the first fragment). */
    protocol: number;
    /** Upper-layer bytes the first fragment carries (0 when the IPv6 header chain itself is cut). */
    available: number;
    required: number;
    /** IPv6: false when the first fragment does not even hold the whole extension-header chain. */
    headerChainComplete: boolean;
  };
  /** An IPv4 fragment with Don't Fragment set. */
  'dont-fragment': { fragmentOffset: number; moreFragments: boolean };
  /** IPv6 fragment header with offset 0 and M=0 (RFC 6946): processed on its own, header removed. */
  'atomic-fragment': { nextHeader: number; payloadLength: number };
  /** The fragment reaches past 65,535 bytes of datagram (ping of death); it is dropped. */
  'oversize': { fragmentOffset: number; length: number; datagramLength: number; limit: number };
  /** Overlapping bytes differ from the bytes held; `kept` says whose bytes the policy kept. */
  'inconsistent-overlap': {
    policy: OverlapPolicy;
    /** The new fragment's range. */
    fragmentOffset: number;
    length: number;
    /** Bytes of overlap that differ, and where the first difference is. */
    differingBytes: number;
    firstDifference: number;
    kept: 'held' | 'new' | 'both';
  };
  /** A fragment with more to follow whose length is not a multiple of 8 (IPv4: trimmed; IPv6: dropped). */
  'unaligned-fragment': { fragmentOffset: number; length: number };
  /** A fragment ending past the last fragment's end, or last fragments disagreeing on the end. */
  'length-conflict': { fragmentOffset: number; fragmentEnd: number; knownEnd: number; lastFragment: boolean };
  /** IPv6 fragments of one datagram naming different Next Header values (the first one's is used). */
  'next-header-mismatch': { expected: number; got: number };
}

interface FindingBase<R extends FragmentEvasionReason> {
  type: 'fragment_evasion';
  reason: R;
  key: FragmentKey;
  /** Time of the packet that raised it (ms since the epoch). */
  ts: number;
  /** Policy of the datagram (the configured default when no datagram was created). */
  policy: OverlapPolicy;
  evidence: FragmentEvidence[R];
}

/** A typed finding for the detector stage, which turns it into an anomaly. */
export type FragmentEvasion = { [R in FragmentEvasionReason]: FindingBase<R> }[FragmentEvasionReason];

export type ReassemblyResult =
  /** Not a fragment (or not IP, or malformed IP that decodePacket will report): `bytes` is the pushed array. */
  | { kind: 'whole'; bytes: Uint8Array; findings: readonly FragmentEvasion[] }
  /** A fragment buffered: its datagram is not complete yet. */
  | { kind: 'held'; findings: readonly FragmentEvasion[] }
  /**
   * A complete datagram: the first fragment's link header, then the IP header with the total/payload length
   * set, fragment flags and offset cleared (IPv4 checksum recomputed; IPv6 fragment header removed), then the
   * payload. `ts` is the timestamp of the fragment that completed it, as pushed.
   */
  | { kind: 'reassembled'; bytes: Uint8Array; linkType: number; ts: Timestamp; fragments: number; key: FragmentKey; policy: OverlapPolicy; findings: readonly FragmentEvasion[] }
  | { kind: 'dropped'; reason: DropReason; findings: readonly FragmentEvasion[] };

export interface ReassemblyStats {
  /** Frames pushed. */
  packets: number;
  /** Frames passed through untouched. */
  whole: number;
  /** Fragments pushed (IPv4 MF or offset, IPv6 fragment header; atomic fragments included). */
  fragments: number;
  /** Datagrams completed (atomic fragments included). */
  reassembled: number;
  atomic: number;
  /** Datagrams in reassembly now, and the bytes they hold (as accounted against the caps). */
  datagrams: number;
  heldBytes: number;
  /** Fragments that overlapped held data (duplicates excluded), and those whose overlap differed. */
  overlaps: number;
  inconsistentOverlaps: number;
  duplicates: number;
  /** Datagrams dropped because they timed out, were flushed, or were evicted by a cap. */
  timeouts: number;
  flushed: number;
  evictions: { datagramCap: number; globalBytes: number; globalDatagrams: number };
  dropped: Record<DropReason, number>;
  findings: Record<FragmentEvasionReason, number>;
}
