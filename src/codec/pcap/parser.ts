/**
 * The capture-file parser core shared by readCapture (whole file in memory) and openCapture (chunked file
 * reads). It is a pull parser over a window of bytes: `next(buf, pos, eof)` returns the next packet, or says
 * how many bytes it needs from `pos`, or that the window ends inside a record (a truncated tail when `eof`).
 *
 * Formats:
 *  - classic pcap: magic a1b2c3d4 (microseconds) / a1b23c4d (nanoseconds), either byte order; also the
 *    "modified" (Kuznetzov) a1b2cd34 variant, whose record headers carry 8 extra bytes.
 *  - pcapng: SHB in either byte order (a file may hold several sections, each with its own byte order and
 *    interfaces), IDB (link type, snaplen, if_tsresol, if_tsoffset, if_name), EPB, SPB, the obsolete PB;
 *    every other block is skipped by its length.
 */
import { CaptureFormatError } from './errors.js';
import type { CaptureFormat, CaptureInterface, CapturedPacket } from './types.js';

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;
const BLOCK_IDB = 1;
const BLOCK_PB = 2;
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;

/** libpcap's per-record ceiling for most link types (MAXIMUM_SNAPLEN). */
export const DEFAULT_MAX_CAPLEN = 262144;
/** Largest pcapng block accepted (Wireshark uses the same 16 MiB bound). */
export const MAX_BLOCK_LENGTH = 16 * 1024 * 1024;

export interface ParserOptions {
  /** Largest caplen accepted in a record before it is called malformed (default max(262144, snaplen)). */
  maxCaplen?: number;
}

export type ParseStep =
  | { kind: 'packet'; packet: CapturedPacket; next: number }
  | { kind: 'skip'; next: number }
  /** `needed` bytes from `pos` are required to make progress. */
  | { kind: 'need'; needed: number };

const NS_PER_SEC = 1_000_000_000n;

export class CaptureParser {
  format: CaptureFormat | null = null;
  /** The format the first 4 bytes announce (set before the whole file header has been read). */
  announced: CaptureFormat | null = null;
  /** Interfaces of the current pcapng section (one synthetic entry for classic pcap). */
  interfaces: CaptureInterface[] = [];
  /** Byte order of the current file/section. */
  littleEndian = true;
  private nanos = false;
  private modified = false;
  private readonly maxCaplenOpt: number | undefined;
  private lastBuf: Uint8Array | null = null;
  private lastView: DataView | null = null;

  constructor(options: ParserOptions = {}) {
    this.maxCaplenOpt = options.maxCaplen;
  }

  /**
   * Parses one step at `pos`. `base` is the file offset of buf[0] (for error offsets). Throws
   * CaptureFormatError on malformed input.
   */
  next(buf: Uint8Array, pos: number, base = 0): ParseStep {
    const avail = buf.length - pos;
    let view = this.lastView;
    if (buf !== this.lastBuf || view === null) {
      view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.lastBuf = buf;
      this.lastView = view;
    }
    if (this.format === null) {
      if (avail < 4) return { kind: 'need', needed: 4 };
      const be = view.getUint32(pos, false);
      const le = view.getUint32(pos, true);
      if (be === PCAPNG_SHB) {
        this.announced = 'pcapng';
        return this.shb(buf, view, pos, base);
      }
      if (isPcapMagic(be) || isPcapMagic(le)) {
        this.announced = 'pcap';
        return this.pcapHeader(view, pos, avail, base);
      }
      throw new CaptureFormatError(`not a pcap or pcapng file: magic 0x${be.toString(16).padStart(8, '0')}`, base + pos, 'bad-magic');
    }
    return this.format === 'pcap' ? this.pcapRecord(buf, view, pos, avail, base) : this.block(buf, view, pos, avail, base);
  }

  private maxCaplen(snaplen: number): number {
    return this.maxCaplenOpt ?? Math.max(DEFAULT_MAX_CAPLEN, snaplen);
  }

  // ---- classic pcap ----

  private pcapHeader(view: DataView, pos: number, avail: number, base: number): ParseStep {
    if (avail < 24) return { kind: 'need', needed: 24 };
    const be = view.getUint32(pos, false);
    this.littleEndian = !isPcapMagic(be);
    const magic = view.getUint32(pos, this.littleEndian);
    this.nanos = magic === PCAP_MAGIC_NS;
    this.modified = magic === PCAP_MAGIC_MODIFIED;
    const major = view.getUint16(pos + 4, this.littleEndian);
    if (major !== 2) throw new CaptureFormatError(`unsupported pcap version ${major}`, base + pos + 4, 'bad-version');
    const snaplen = view.getUint32(pos + 16, this.littleEndian);
    // LinkType is the low 16 bits; the upper bits may carry FCS information (draft-ietf-opsawg-pcap).
    const linkType = view.getUint32(pos + 20, this.littleEndian) & 0xffff;
    this.format = 'pcap';
    this.interfaces = [{ linkType, snaplen, unitsPerSecond: this.nanos ? NS_PER_SEC : 1_000_000n, tsOffsetSec: 0n }];
    return { kind: 'skip', next: pos + 24 };
  }

  private pcapRecord(buf: Uint8Array, view: DataView, pos: number, avail: number, base: number): ParseStep {
    const hdr = this.modified ? 24 : 16;
    if (avail < hdr) return { kind: 'need', needed: hdr };
    const le = this.littleEndian;
    const sec = view.getUint32(pos, le);
    const frac = view.getUint32(pos + 4, le);
    const caplen = view.getUint32(pos + 8, le);
    const origLen = view.getUint32(pos + 12, le);
    const iface = this.interfaces[0]!;
    if (caplen > this.maxCaplen(iface.snaplen)) {
      throw new CaptureFormatError(`pcap record caplen ${caplen} exceeds the limit ${this.maxCaplen(iface.snaplen)}`, base + pos + 8, 'bad-caplen');
    }
    if (frac >= (this.nanos ? 1_000_000_000 : 1_000_000)) {
      throw new CaptureFormatError(`pcap record ${this.nanos ? 'nanosecond' : 'microsecond'} field ${frac} out of range`, base + pos + 4, 'bad-timestamp');
    }
    if (avail < hdr + caplen) return { kind: 'need', needed: hdr + caplen };
    const timestampNs = BigInt(sec) * NS_PER_SEC + BigInt(this.nanos ? frac : frac * 1000);
    const start = pos + hdr;
    return {
      kind: 'packet',
      packet: { timestampNs, linkType: iface.linkType, caplen, origLen, data: buf.subarray(start, start + caplen), interfaceId: 0 },
      next: start + caplen,
    };
  }

  // ---- pcapng ----

  private shb(buf: Uint8Array, view: DataView, pos: number, base: number): ParseStep {
    const avail = buf.length - pos;
    if (avail < 12) return { kind: 'need', needed: 12 };
    const bom = view.getUint32(pos + 8, false);
    let le: boolean;
    if (bom === PCAPNG_BOM) le = false;
    else if (view.getUint32(pos + 8, true) === PCAPNG_BOM) le = true;
    else throw new CaptureFormatError(`pcapng section header with bad byte-order magic 0x${bom.toString(16).padStart(8, '0')}`, base + pos + 8, 'bad-magic');
    const total = view.getUint32(pos + 4, le);
    if (total < 28 || total % 4 !== 0 || total > MAX_BLOCK_LENGTH) {
      throw new CaptureFormatError(`pcapng section header block length ${total} is invalid`, base + pos + 4, 'bad-block-length');
    }
    if (avail < total) return { kind: 'need', needed: total };
    this.checkTrailer(view, pos, total, le, base);
    const major = view.getUint16(pos + 12, le);
    if (major !== 1) throw new CaptureFormatError(`unsupported pcapng version ${major}`, base + pos + 12, 'bad-version');
    this.format = 'pcapng';
    this.littleEndian = le;
    this.interfaces = [];
    return { kind: 'skip', next: pos + total };
  }

  private checkTrailer(view: DataView, pos: number, total: number, le: boolean, base: number): void {
    const trailer = view.getUint32(pos + total - 4, le);
    if (trailer !== total) {
      throw new CaptureFormatError(`pcapng block length trailer ${trailer} differs from header ${total}`, base + pos + total - 4, 'bad-block-length');
    }
  }

  private block(buf: Uint8Array, view: DataView, pos: number, avail: number, base: number): ParseStep {
    if (avail < 8) return { kind: 'need', needed: 8 };
    const le = this.littleEndian;
    const type = view.getUint32(pos, le);
    if (type === PCAPNG_SHB) return this.shb(buf, view, pos, base);
    const total = view.getUint32(pos + 4, le);
    if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK_LENGTH) {
      throw new CaptureFormatError(`pcapng block (type 0x${type.toString(16)}) length ${total} is invalid`, base + pos + 4, 'bad-block-length');
    }
    if (avail < total) return { kind: 'need', needed: total };
    this.checkTrailer(view, pos, total, le, base);
    const body = pos + 8;
    const bodyLen = total - 12;
    switch (type) {
      case BLOCK_IDB:
        this.idb(buf, view, body, bodyLen, base);
        return { kind: 'skip', next: pos + total };
      case BLOCK_EPB:
        return { kind: 'packet', packet: this.epb(buf, view, body, bodyLen, base), next: pos + total };
      case BLOCK_SPB:
        return { kind: 'packet', packet: this.spb(buf, view, body, bodyLen, base), next: pos + total };
      case BLOCK_PB:
        return { kind: 'packet', packet: this.pb(buf, view, body, bodyLen, base), next: pos + total };
      default:
        return { kind: 'skip', next: pos + total };
    }
  }

  private idb(buf: Uint8Array, view: DataView, body: number, bodyLen: number, base: number): void {
    const le = this.littleEndian;
    if (bodyLen < 8) throw new CaptureFormatError(`pcapng interface description block body of ${bodyLen} bytes is too short`, base + body, 'bad-block-length');
    const iface: CaptureInterface = {
      linkType: view.getUint16(body, le),
      snaplen: view.getUint32(body + 4, le),
      unitsPerSecond: 1_000_000n,
      tsOffsetSec: 0n,
    };
    let p = body + 8;
    const end = body + bodyLen;
    while (p + 4 <= end) {
      const code = view.getUint16(p, le);
      const len = view.getUint16(p + 2, le);
      const v = p + 4;
      if (code === 0) break; // opt_endofopt
      if (v + len > end) throw new CaptureFormatError(`pcapng option ${code} length ${len} runs past its block`, base + p + 2, 'bad-option-length');
      if (code === 9 && len >= 1) {
        // if_tsresol: MSB clear -> 10^-n seconds, set -> 2^-n seconds.
        const r = buf[v]!;
        const n = r & 0x7f;
        if ((r & 0x80) === 0 ? n > 18 : n > 63) {
          throw new CaptureFormatError(`pcapng if_tsresol 0x${r.toString(16)} is out of range`, base + v, 'bad-option');
        }
        iface.unitsPerSecond = (r & 0x80) === 0 ? 10n ** BigInt(n) : 1n << BigInt(n);
      } else if (code === 14 && len >= 8) {
        iface.tsOffsetSec = le ? view.getBigInt64(v, true) : view.getBigInt64(v, false);
      } else if (code === 2 && len > 0) {
        iface.name = new TextDecoder().decode(buf.subarray(v, v + len)).replace(/\0+$/, '');
      }
      p = v + ((len + 3) & ~3);
    }
    this.interfaces.push(iface);
  }

  private iface(id: number, at: number): CaptureInterface {
    const i = this.interfaces[id];
    if (i === undefined) {
      throw new CaptureFormatError(`packet refers to interface ${id}, but the section describes ${this.interfaces.length}`, at, 'unknown-interface');
    }
    return i;
  }

  private timestamp(iface: CaptureInterface, hi: number, lo: number): bigint {
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    const ns = iface.unitsPerSecond === NS_PER_SEC ? units : (units * NS_PER_SEC) / iface.unitsPerSecond;
    return ns + iface.tsOffsetSec * NS_PER_SEC;
  }

  private epb(buf: Uint8Array, view: DataView, body: number, bodyLen: number, base: number): CapturedPacket {
    const le = this.littleEndian;
    if (bodyLen < 20) throw new CaptureFormatError(`pcapng enhanced packet block body of ${bodyLen} bytes is too short`, base + body, 'bad-block-length');
    const interfaceId = view.getUint32(body, le);
    const iface = this.iface(interfaceId, base + body);
    const caplen = view.getUint32(body + 12, le);
    const origLen = view.getUint32(body + 16, le);
    if (caplen > bodyLen - 20) {
      throw new CaptureFormatError(`pcapng enhanced packet block caplen ${caplen} exceeds its block (${bodyLen - 20} bytes)`, base + body + 12, 'bad-caplen');
    }
    const start = body + 20;
    return {
      timestampNs: this.timestamp(iface, view.getUint32(body + 4, le), view.getUint32(body + 8, le)),
      linkType: iface.linkType,
      caplen,
      origLen,
      data: buf.subarray(start, start + caplen),
      interfaceId,
    };
  }

  private spb(buf: Uint8Array, view: DataView, body: number, bodyLen: number, base: number): CapturedPacket {
    if (bodyLen < 4) throw new CaptureFormatError(`pcapng simple packet block body of ${bodyLen} bytes is too short`, base + body, 'bad-block-length');
    const iface = this.iface(0, base + body);
    const origLen = view.getUint32(body, this.littleEndian);
    let caplen = Math.min(origLen, bodyLen - 4);
    if (iface.snaplen !== 0 && caplen > iface.snaplen) caplen = iface.snaplen;
    const start = body + 4;
    // An SPB carries no timestamp.
    return { timestampNs: 0n, linkType: iface.linkType, caplen, origLen, data: buf.subarray(start, start + caplen), interfaceId: 0 };
  }

  private pb(buf: Uint8Array, view: DataView, body: number, bodyLen: number, base: number): CapturedPacket {
    const le = this.littleEndian;
    if (bodyLen < 20) throw new CaptureFormatError(`pcapng packet block body of ${bodyLen} bytes is too short`, base + body, 'bad-block-length');
    const interfaceId = view.getUint16(body, le);
    const iface = this.iface(interfaceId, base + body);
    const caplen = view.getUint32(body + 12, le);
    const origLen = view.getUint32(body + 16, le);
    if (caplen > bodyLen - 20) {
      throw new CaptureFormatError(`pcapng packet block caplen ${caplen} exceeds its block (${bodyLen - 20} bytes)`, base + body + 12, 'bad-caplen');
    }
    const start = body + 20;
    return {
      timestampNs: this.timestamp(iface, view.getUint32(body + 4, le), view.getUint32(body + 8, le)),
      linkType: iface.linkType,
      caplen,
      origLen,
      data: buf.subarray(start, start + caplen),
      interfaceId,
    };
  }
}

function isPcapMagic(m: number): boolean {
  return m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || m === PCAP_MAGIC_MODIFIED;
}
