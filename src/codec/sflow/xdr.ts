/**
 * Bounds-checked XDR (RFC 4506) reader over a byte range of one datagram, for the object API. Every read
 * past `end` throws SflowDecodeError: 'truncated' when `end` is the end of the datagram, 'bad-length' when
 * it is a length the datagram declared (a sample's or a record's), so the error names the lie.
 * Offsets are absolute indexes into `bytes` (the datagram given to decodeDatagram starts at 0).
 */
import { ipv4ToString, ipv6ToString, macToString } from '../addr.js';
import { SflowDecodeError, type SflowErrorCode } from './errors.js';

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** Big-endian u32 at `o` (caller checks bounds). */
export function readU32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Big-endian u64 at `o` as a number: exact up to 2^53 (caller checks bounds). */
export function readU64Number(b: Uint8Array, o: number): number {
  return readU32(b, o) * 4294967296 + readU32(b, o + 4);
}

/** XDR float (IEEE 754 single precision, big-endian) at `o`. */
export function readF32(b: Uint8Array, o: number): number {
  u32Scratch[0] = readU32(b, o);
  return f32Scratch[0]!;
}

/** XDR pads opaque data and strings to a multiple of 4 bytes. */
export function pad4(n: number): number {
  // Not `(n + 3) & ~3`: lengths are u32 and bitwise operators would wrap them to int32.
  return n + ((4 - (n & 3)) & 3);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class XdrReader {
  offset: number;

  constructor(
    readonly bytes: Uint8Array,
    offset: number,
    readonly end: number,
    /** What this reader covers, for messages ("datagram", "flow sample", "raw_header record"...). */
    readonly what: string,
    /** Code for reads past `end`. */
    readonly overrun: SflowErrorCode = 'truncated',
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  need(n: number, field: string): void {
    if (n > this.end - this.offset) {
      const why = this.overrun === 'truncated' ? 'truncated' : `${this.what} too short for its contents:`;
      throw new SflowDecodeError(`${why} ${field} needs ${n} byte(s), ${this.end - this.offset} left in the ${this.what}`, this.overrun, this.offset);
    }
  }

  u32(field = 'u32'): number {
    this.need(4, field);
    const v = readU32(this.bytes, this.offset);
    this.offset += 4;
    return v;
  }

  u64(field = 'u64'): bigint {
    this.need(8, field);
    const v = (BigInt(readU32(this.bytes, this.offset)) << 32n) | BigInt(readU32(this.bytes, this.offset + 4));
    this.offset += 8;
    return v;
  }

  f32(field = 'float'): number {
    this.need(4, field);
    const v = readF32(this.bytes, this.offset);
    this.offset += 4;
    return v;
  }

  /** Fixed-length opaque of `n` bytes (padded): a view into the datagram. */
  fixedView(n: number, field: string): Uint8Array {
    const padded = pad4(n);
    this.need(padded, field);
    const v = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += padded;
    return v;
  }

  ipv4(field = 'IPv4 address'): string {
    this.need(4, field);
    const v = ipv4ToString(readU32(this.bytes, this.offset));
    this.offset += 4;
    return v;
  }

  ipv6(field = 'IPv6 address'): string {
    this.need(16, field);
    const v = ipv6ToString(this.bytes, this.offset);
    this.offset += 16;
    return v;
  }

  /**
   * sFlow `address` union: type 1 IPv4, 2 IPv6, 0 unknown (no bytes; returned as ''). Any other type is
   * malformed: its size is unknown, so nothing after it can be read.
   */
  address(field: string): string {
    const at = this.offset;
    const type = this.u32(`${field} type`);
    if (type === 1) return this.ipv4(field);
    if (type === 2) return this.ipv6(field);
    if (type === 0) return '';
    throw new SflowDecodeError(`${field}: address type ${type} is neither IPv4 (1) nor IPv6 (2)`, 'bad-address-type', at);
  }

  /** XDR `opaque mac[6]`: 6 bytes padded to 8. */
  mac(field = 'MAC address'): string {
    this.need(8, field);
    const v = macToString(this.bytes, this.offset);
    this.offset += 8;
    return v;
  }

  /** Variable-length opaque<>: its length word, then the bytes (padded); a copy. */
  opaque(field: string): Uint8Array {
    const at = this.offset;
    const n = this.u32(`${field} length`);
    if (pad4(n) > this.remaining) {
      throw new SflowDecodeError(`${field} length ${n} exceeds the ${this.remaining} byte(s) left in the ${this.what}`, 'bad-length', at);
    }
    return this.fixedView(n, field).slice();
  }

  /** XDR string<>: UTF-8 text (sFlow strings are ASCII/UTF-8). */
  string(field: string): string {
    const at = this.offset;
    const n = this.u32(`${field} length`);
    if (pad4(n) > this.remaining) {
      throw new SflowDecodeError(`${field} length ${n} exceeds the ${this.remaining} byte(s) left in the ${this.what}`, 'bad-length', at);
    }
    return utf8.decode(this.fixedView(n, field));
  }

  /** A count of `entrySize`-byte (at least) entries: checked against the bytes left before anything is allocated. */
  count(field: string, minEntrySize: number): number {
    const at = this.offset;
    const n = this.u32(`${field} count`);
    if (n * minEntrySize > this.remaining) {
      throw new SflowDecodeError(`${field} count ${n} cannot fit in the ${this.remaining} byte(s) left in the ${this.what}`, 'bad-count', at);
    }
    return n;
  }

  /** A copy of every byte left (an unknown record's or sample's opaque data). */
  rest(): Uint8Array {
    const v = this.bytes.slice(this.offset, this.end);
    this.offset = this.end;
    return v;
  }

  /** A reader over the next `len` bytes (padded to 4); this reader moves past them. Overruns inside are 'bad-length'. */
  sub(len: number, what: string): XdrReader {
    const at = this.offset;
    const padded = pad4(len);
    if (padded > this.remaining) {
      throw new SflowDecodeError(`${what} length ${len} exceeds the ${this.remaining} byte(s) left in the ${this.what}`, 'bad-length', at - 4);
    }
    const r = new XdrReader(this.bytes, this.offset, this.offset + len, what, 'bad-length');
    this.offset += padded;
    return r;
  }
}
