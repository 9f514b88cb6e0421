/**
 * Framing layer: turns a TCP byte stream into whole OpenFlow messages, whatever the chunking.
 * Lengths are validated from the header before anything is buffered, so a peer cannot make us hold more
 * than one maximal (64 KiB) message.
 */
import { BadRequest, ErrType, OfpDecodeError } from './errors.js';
import { OFP_HEADER_LEN } from './header.js';

export class OfpFramer {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;

  /** Bytes received but not yet returned as a frame. */
  get pending(): number {
    return this.end - this.start;
  }

  /**
   * Feeds a chunk and returns the complete frames now available. Frames are views of buffers the framer
   * never writes to again, so they stay valid after later pushes. A header with length < 8 is unrecoverable framing loss: it throws, and the session must close.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    this.append(chunk);
    const frames: Uint8Array[] = [];
    while (this.end - this.start >= OFP_HEADER_LEN) {
      const len = (this.buf[this.start + 2]! << 8) | this.buf[this.start + 3]!;
      if (len < OFP_HEADER_LEN) {
        throw new OfpDecodeError(`framing lost: header length ${len} < ${OFP_HEADER_LEN}`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, this.start);
      }
      if (this.end - this.start < len) break; // need more bytes
      frames.push(this.buf.subarray(this.start, this.start + len));
      this.start += len;
    }
    return frames;
  }

  private append(chunk: Uint8Array): void {
    if (this.start === this.end) {
      // Fast path: nothing pending, frame straight out of the chunk (no copy).
      this.buf = chunk;
      this.start = 0;
      this.end = chunk.length;
      return;
    }
    const pending = this.end - this.start;
    const next = new Uint8Array(pending + chunk.length);
    next.set(this.buf.subarray(this.start, this.end), 0);
    next.set(chunk, pending);
    this.buf = next;
    this.start = 0;
    this.end = next.length;
  }
}
