/**
 * Framing layer: turns a TCP byte stream into whole OpenFlow messages, whatever the chunking.
 * Lengths are validated from the header before anything is buffered, so a peer cannot make us hold more
 * than one maximal (64 KiB) message. Partial input is kept as a list of chunks and joined once, when a
 * message is complete, so feeding a message a byte at a time costs linear, not quadratic, time.
 */
import { BadRequest, ErrType, OfpDecodeError } from './errors.js';
import { OFP_HEADER_LEN } from './header.js';

export class OfpFramer {
  private chunks: Uint8Array[] = [];
  private pendingLen = 0;

  /** Bytes received but not yet returned as a frame. */
  get pending(): number {
    return this.pendingLen;
  }

  /**
   * Feeds a chunk and returns the complete frames now available. Frames are views of buffers the framer
   * never writes to again, so they stay valid after later pushes. A header with length < 8 is
   * unrecoverable framing loss: it throws, and the session must close.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    if (chunk.length === 0) return frames;
    let buf: Uint8Array;
    if (this.pendingLen === 0) {
      buf = chunk;
    } else {
      this.chunks.push(chunk);
      this.pendingLen += chunk.length;
      if (this.pendingLen < this.needed()) return frames;
      buf = this.join();
    }
    let start = 0;
    const end = buf.length;
    while (end - start >= OFP_HEADER_LEN) {
      const len = (buf[start + 2]! << 8) | buf[start + 3]!;
      if (len < OFP_HEADER_LEN) {
        this.chunks = [];
        this.pendingLen = 0;
        throw new OfpDecodeError(`framing lost: header length ${len} < ${OFP_HEADER_LEN}`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, start);
      }
      if (end - start < len) break;
      frames.push(buf.subarray(start, start + len));
      start += len;
    }
    if (start < end) {
      this.chunks = [buf.subarray(start)];
      this.pendingLen = end - start;
    } else {
      this.chunks = [];
      this.pendingLen = 0;
    }
    return frames;
  }

  /** Bytes needed before the next frame can possibly complete. */
  private needed(): number {
    if (this.pendingLen < OFP_HEADER_LEN) return OFP_HEADER_LEN;
    const len = (this.byteAt(2) << 8) | this.byteAt(3);
    return Math.max(len, OFP_HEADER_LEN);
  }

  private byteAt(i: number): number {
    for (const c of this.chunks) {
      if (i < c.length) return c[i]!;
      i -= c.length;
    }
    return 0;
  }

  private join(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.pendingLen);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    this.chunks = [out];
    return out;
  }
}
