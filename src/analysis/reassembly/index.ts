/**
 * Fragment reassembly (IPv4 and IPv6) with target-based overlap policies, bounded memory and
 * `fragment_evasion` findings.
 *   Reassembler   — push(bytes, linkType, ts) -> whole / held / reassembled / dropped; expire(now); stats
 *   reassemble()  — the same as an RxJS operator over RawPacket { ts, linkType, bytes }
 */
export { Reassembler, DEFAULTS as REASSEMBLY_DEFAULTS, MAX_DATAGRAM } from './reassembler.js';
export { reassemble, reassembledPackets, fragmentEvasions, type ReassemblyEvent, type ReassembledPacketEvent, type ReassembleOptions } from './operator.js';
export { OVERLAP_POLICIES, DEFAULT_POLICY, isOverlapPolicy, newDataWins, type OverlapPolicy } from './policy.js';
export { ipv4HeaderChecksum } from './rebuild.js';
export * from './types.js';
