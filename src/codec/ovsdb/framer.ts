/**
 * Framing layer of OVSDB's JSON-RPC stream (RFC 7047 §4: JSON-RPC 1.0 over a stream, no delimiters).
 *
 * Messages are found by scanning bytes, not by newlines: the scanner tracks string/escape state and the
 * depth of `{`/`[` nesting, and a message ends where the depth returns to zero. The scan is byte-exact over
 * UTF-8: every byte of a multi-byte character is >= 0x80 and so never mistaken for a quote, a backslash or
 * a bracket, and characters split between chunks are decoded only once the whole message is there.
 *
 * The scan state is kept between pushes, so input is looked at once (linear time however it is chunked).
 * The size limit is checked before a partial message is buffered; the depth limit and bracket matching
 * (`[}` is refused as soon as it arrives) as the scan goes; everything else JSON.parse checks when the
 * message is complete.
 * Malformed input throws `OvsdbDecodeError` and leaves the framer reset: the stream cannot be trusted any
 * more, the connection is closed and re-established by its owner.
 */
import { OvsdbDecodeError, type OvsdbDecodeReason } from './errors.js';

export interface JsonFramerOptions {
  /** Largest message accepted, in bytes. Default 64 MiB (a full initial monitor reply can be large). */
  maxMessageBytes?: number;
  /** Deepest nesting of objects/arrays accepted. Default 512 (OVSDB messages nest about 8 deep). */
  maxDepth?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class JsonRpcFramer {
  readonly maxMessageBytes: number;
  readonly maxDepth: number;
  /** Pieces of the message in progress (views of the pushed chunks). */
  private chunks: Uint8Array[] = [];
  private pendingLen = 0;
  private depth = 0;
  /** Opening bracket of each open level (index = depth - 1), to catch `[}` as soon as it arrives. */
  private readonly stack: Uint8Array;
  private inString = false;
  private escape = false;
  /** Stream offset of the first byte of the chunk being scanned (for error offsets). */
  private streamOffset = 0;

  constructor(options: JsonFramerOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.stack = new Uint8Array(this.maxDepth + 1);
  }

  /** Bytes of a message received but not yet complete. */
  get pending(): number {
    return this.pendingLen;
  }

  /** Forgets any partial message (after the connection was reset). */
  reset(): void {
    this.chunks = [];
    this.pendingLen = 0;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.streamOffset = 0;
  }

  /**
   * Feeds a chunk and returns the JSON values of the messages it completed, in order. The framer keeps
   * views of `chunk` while a message is incomplete: the caller must not overwrite it afterwards (sockets
   * hand out fresh buffers).
   */
  push(chunk: Uint8Array): unknown[] {
    const out: unknown[] = [];
    const n = chunk.length;
    // Start (in this chunk) of the message being scanned: 0 when it began in an earlier chunk.
    let start = this.depth > 0 ? 0 : -1;
    // Index at which the message in progress would exceed the size limit.
    let stopAt = start === 0 ? this.maxMessageBytes - this.pendingLen : Infinity;
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    // Next quote/backslash at or after the scan position (Infinity: none in the rest of the chunk; -1: not
    // looked for yet). Cached so that skipping string bodies with indexOf looks at each byte once.
    let nextQuote = -1;
    let nextBackslash = -1;
    let i = 0;
    while (i < n) {
      if (i >= stopAt) {
        this.fail('too-large', `message exceeds ${this.maxMessageBytes} bytes`, i);
      }
      if (inString) {
        if (escape) {
          escape = false;
          i++;
          continue;
        }
        // Skip the string body up to its closing quote or the next escape, whichever comes first.
        if (nextQuote !== Infinity && nextQuote < i) {
          const q = chunk.indexOf(QUOTE, i);
          nextQuote = q < 0 ? Infinity : q;
        }
        if (nextBackslash !== Infinity && nextBackslash < i) {
          const b = chunk.indexOf(BACKSLASH, i);
          nextBackslash = b < 0 ? Infinity : b;
        }
        if (nextBackslash < nextQuote) {
          escape = true;
          i = nextBackslash + 1;
        } else if (nextQuote === Infinity) {
          i = n;
        } else {
          inString = false;
          i = nextQuote + 1;
        }
        continue;
      }
      const b = chunk[i]!;
      if (depth === 0) {
        if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) {
          i++;
          continue;
        }
        if (b !== OPEN_BRACE && b !== OPEN_BRACKET) {
          this.fail('bad-top-level', `unexpected ${describeByte(b)} between messages`, i);
        }
        depth = 1;
        this.stack[0] = b;
        start = i;
        stopAt = i + this.maxMessageBytes;
        i++;
        continue;
      }
      if (b === QUOTE) {
        inString = true;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (depth >= this.maxDepth) this.fail('too-deep', `nesting deeper than ${this.maxDepth}`, i);
        this.stack[depth++] = b;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (this.stack[depth - 1] !== (b === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET)) {
          this.fail('json-syntax', `malformed JSON: '${String.fromCharCode(b)}' closes '${String.fromCharCode(this.stack[depth - 1]!)}'`, i);
        }
        if (--depth === 0) {
          const piece = chunk.subarray(start, i + 1);
          let bytes = piece;
          if (this.pendingLen > 0) {
            this.chunks.push(piece);
            bytes = this.join(this.pendingLen + piece.length);
            this.chunks = [];
            this.pendingLen = 0;
          }
          out.push(this.parse(bytes, i));
          start = -1;
          stopAt = Infinity;
        }
      }
      i++;
    }
    if (depth > 0) {
      const rest = chunk.subarray(start);
      // stopAt already bounded the scan, so this cannot exceed the limit; kept as the invariant's guard.
      if (this.pendingLen + rest.length > this.maxMessageBytes) this.fail('too-large', `message exceeds ${this.maxMessageBytes} bytes`, n);
      this.chunks.push(rest);
      this.pendingLen += rest.length;
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    this.streamOffset += n;
    return out;
  }

  private parse(bytes: Uint8Array, endIndex: number): unknown {
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      this.fail('utf8', 'message is not valid UTF-8', endIndex);
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      this.fail('json-syntax', `malformed JSON: ${(e as Error).message}`, endIndex);
    }
  }

  private join(total: number): Uint8Array {
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  private fail(reason: OvsdbDecodeReason, message: string, indexInChunk: number): never {
    const offset = this.streamOffset + indexInChunk;
    this.reset();
    throw new OvsdbDecodeError(message, reason, undefined, offset);
  }
}

function describeByte(b: number): string {
  return b >= 0x21 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}
