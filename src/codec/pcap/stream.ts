/**
 * openCapture: the packets of a pcap/pcapng file read in chunks (memory stays near one chunk plus the
 * largest record, whatever the file size). Same error policy as readCapture.
 *
 * Each packet's `data` is a view of a chunk buffer that is never written again, so it stays valid for as long
 * as it is referenced (holding many packets holds their chunks).
 */
import { open } from 'node:fs/promises';
import { endOfData } from './reader.js';
import { CaptureParser, type ParserOptions } from './parser.js';
import type { CaptureFormat, CaptureInterface, CapturedPacket, TruncatedTail } from './types.js';

export interface OpenCaptureOptions extends ParserOptions {
  /** Bytes per read (default 1 MiB). */
  chunkSize?: number;
  /** Throw CaptureFormatError('truncated-record') at the end instead of reporting a truncated tail. */
  strict?: boolean;
}

export class CaptureStream implements AsyncIterable<CapturedPacket> {
  truncatedTail: TruncatedTail | null = null;
  private parser: CaptureParser;

  constructor(
    readonly path: string,
    private readonly options: OpenCaptureOptions = {},
  ) {
    this.parser = new CaptureParser(options);
  }

  get format(): CaptureFormat | null {
    return this.parser.format ?? this.parser.announced;
  }

  get interfaces(): readonly CaptureInterface[] {
    return this.parser.interfaces;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CapturedPacket> {
    const chunkSize = Math.max(64, this.options.chunkSize ?? 1 << 20);
    const parser = new CaptureParser(this.options);
    this.parser = parser;
    this.truncatedTail = null;
    const fh = await open(this.path, 'r');
    try {
      let buf: Uint8Array = new Uint8Array(0);
      let pos = 0;
      /** File offset of buf[0]. */
      let base = 0;
      let eof = false;
      for (;;) {
        const step = pos < buf.length || eof ? parser.next(buf, pos, base) : { kind: 'need' as const, needed: 1 };
        if (step.kind === 'packet') {
          pos = step.next;
          yield step.packet;
          continue;
        }
        if (step.kind === 'skip') {
          pos = step.next;
          continue;
        }
        if (pos >= buf.length && eof) {
          if (parser.announced === null) endOfData(parser, base + pos, 4, 0, this, false);
          return;
        }
        if (eof) {
          endOfData(parser, base + pos, step.needed, buf.length - pos, this, this.options.strict === true);
          return;
        }
        // Read more: a fresh buffer holding the unconsumed rest plus at least one chunk (and the whole
        // record when its size is known), so views handed out earlier are never overwritten.
        const rest = buf.length - pos;
        const want = Math.max(chunkSize, step.needed - rest);
        const next = new Uint8Array(rest + want);
        next.set(buf.subarray(pos), 0);
        let filled = rest;
        while (filled < next.length) {
          const { bytesRead } = await fh.read(next, filled, next.length - filled, null);
          if (bytesRead === 0) {
            eof = true;
            break;
          }
          filled += bytesRead;
        }
        base += pos;
        buf = next.subarray(0, filled);
        pos = 0;
      }
    } finally {
      await fh.close();
    }
  }
}

/** The packets of the capture file at `path`, read in chunks. */
export function openCapture(path: string, options: OpenCaptureOptions = {}): CaptureStream {
  return new CaptureStream(path, options);
}
