/**
 * readCapture: iterate the packets of a pcap/pcapng file held in memory.
 *
 * Error policy (the same for openCapture):
 *  - Malformed structure (unknown magic, bad block length or trailer, caplen beyond the limit, a packet on an
 *    undeclared interface) throws CaptureFormatError with the file offset, at the point iteration reaches it;
 *    the packets before it have already been yielded.
 *  - A file that ends inside a record (a capture cut short, e.g. a tcpdump killed mid-write) is *not* an
 *    exception: iteration ends after the last complete packet, and `truncatedTail` says where the
 *    incomplete record starts and how many bytes it lacked. A file whose magic is right but whose file
 *    header is cut short is such a file with no packets. `strict: true` turns this into a
 *    CaptureFormatError('truncated-record') thrown after the last complete packet instead.
 */
import { CaptureFormatError } from './errors.js';
import { CaptureParser, type ParserOptions } from './parser.js';
import type { CaptureFormat, CaptureInterface, CapturedPacket, TruncatedTail } from './types.js';

export interface ReadCaptureOptions extends ParserOptions {
  /** Throw CaptureFormatError('truncated-record') at the end instead of reporting a truncated tail. */
  strict?: boolean;
}

export class CaptureReader implements Iterable<CapturedPacket> {
  /** Set once iteration has reached a final record cut short by the end of the data. */
  truncatedTail: TruncatedTail | null = null;
  private parser: CaptureParser;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly options: ReadCaptureOptions = {},
  ) {
    this.parser = new CaptureParser(options);
  }

  /** 'pcap' or 'pcapng' once iteration has seen the file's magic (null before). */
  get format(): CaptureFormat | null {
    return this.parser.format ?? this.parser.announced;
  }

  /** Interfaces of the current section (classic pcap: one). */
  get interfaces(): readonly CaptureInterface[] {
    return this.parser.interfaces;
  }

  *[Symbol.iterator](): Iterator<CapturedPacket> {
    const bytes = this.bytes;
    const parser = new CaptureParser(this.options);
    this.parser = parser;
    this.truncatedTail = null;
    let pos = 0;
    while (pos < bytes.length) {
      const step = parser.next(bytes, pos);
      if (step.kind === 'need') {
        endOfData(parser, pos, step.needed, bytes.length - pos, this, this.options.strict === true);
        return;
      }
      pos = step.next;
      if (step.kind === 'packet') yield step.packet;
    }
    if (parser.format === null) throw new CaptureFormatError('empty file: no pcap or pcapng header', 0, 'bad-magic');
  }
}

/** Ends iteration at the end of the data with `needed` bytes wanted at `pos` but only `have` present. */
export function endOfData(parser: CaptureParser, pos: number, needed: number, have: number, sink: { truncatedTail: TruncatedTail | null }, strict: boolean): void {
  if (parser.announced === null) {
    throw new CaptureFormatError(`file of ${have} byte(s) is too short for a pcap or pcapng header`, pos, 'bad-magic');
  }
  const tail: TruncatedTail = { offset: pos, needed, have };
  if (strict) {
    throw new CaptureFormatError(`capture ends inside a record: ${have} of ${needed} byte(s) present`, pos, 'truncated-record');
  }
  sink.truncatedTail = tail;
}

/**
 * The packets of a pcap or pcapng file in memory, in file order. Each packet's `data` is a view of `bytes`.
 * Iterate the returned reader once or several times; see the module comment for the error policy.
 */
export function readCapture(bytes: Uint8Array, options: ReadCaptureOptions = {}): CaptureReader {
  return new CaptureReader(bytes, options);
}
