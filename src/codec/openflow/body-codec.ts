import type { Reader, Writer } from './buffer.js';

/**
 * Encode/decode pair for one message body (everything after the 8-byte header). The codec layer writes
 * the header and patches the length; a body decoder must consume exactly its reader's bytes.
 */
export interface BodyCodec<M> {
  decode(r: Reader, xid: number, version: number): M;
  encode(w: Writer, m: M): void;
}
