/**
 * Writing a reassembled datagram as a whole frame: the saved link header and IP header, the IP length set,
 * the fragment fields cleared (IPv4: flags and offset zeroed, header checksum recomputed; IPv6: the fragment
 * header left out and the Next Header that named it pointed at the upper layer), then the payload.
 */

/** One's-complement checksum of an IPv4 header of `len` bytes at `off` (the checksum field read as stored). */
export function ipv4HeaderChecksum(b: Uint8Array, off: number, len: number): number {
  let sum = 0;
  for (let i = 0; i + 1 < len; i += 2) sum += (b[off + i]! << 8) | b[off + i + 1]!;
  if ((len & 1) !== 0) sum += b[off + len - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface RebuildHeader {
  ipVersion: 4 | 6;
  /** Link header followed by the IP header (IPv4 with options; IPv6 fixed header + unfragmentable part). */
  header: Uint8Array;
  /** Where the IP header starts in `header`, and its length (header.length = ipStart + headerLen). */
  ipStart: number;
  headerLen: number;
  /** IPv6: offset in `header` of the Next Header byte to set, and the value (the fragment header's). */
  nhFieldAt: number;
  nextHeader: number;
}

/**
 * A new frame for a datagram whose fragmentable part is `payloadLen` bytes; `fill(out, at)` writes that
 * part at `at`. The caller has checked the length fits (IPv4 total / IPv6 payload length <= 65535).
 */
export function rebuild(h: RebuildHeader, payloadLen: number, fill: (out: Uint8Array, at: number) => void): Uint8Array {
  const at = h.ipStart + h.headerLen;
  const out = new Uint8Array(at + payloadLen);
  out.set(h.header.subarray(0, at), 0);
  const ip = h.ipStart;
  if (h.ipVersion === 4) {
    const total = h.headerLen + payloadLen;
    out[ip + 2] = total >>> 8;
    out[ip + 3] = total & 0xff;
    out[ip + 6] = 0;
    out[ip + 7] = 0;
    out[ip + 10] = 0;
    out[ip + 11] = 0;
    const sum = ipv4HeaderChecksum(out, ip, h.headerLen);
    out[ip + 10] = sum >>> 8;
    out[ip + 11] = sum & 0xff;
  } else {
    const plen = h.headerLen - 40 + payloadLen;
    out[ip + 4] = plen >>> 8;
    out[ip + 5] = plen & 0xff;
    out[h.nhFieldAt] = h.nextHeader;
  }
  fill(out, at);
  return out;
}
