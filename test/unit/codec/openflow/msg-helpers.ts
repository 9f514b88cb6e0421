/** Shared helpers for the OpenFlow message-family tests (not a test file itself). */
import { expect } from '@jest/globals';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { OfpDecodeError, OfpEncodeError } from '../../../../src/codec/openflow/errors.js';
import type { OfpMessage } from '../../../../src/codec/openflow/messages.js';
import { haveOvsOfctl, ofpPrint } from '../../../support/ofp-print.js';

export const hasOvs = haveOvsOfctl();
/** `it` when ovs-ofctl is installed, `it.skip` otherwise. */
export const itOvs = hasOvs ? it : it.skip;

export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2) throw new Error('odd hex');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** bytes -> message -> bytes must be identity; returns the message. */
export function bytesRoundTrip(bytes: Uint8Array): OfpMessage {
  const m = decode(bytes);
  expect(toHex(encode(m))).toBe(toHex(bytes));
  return m;
}

/** message -> bytes -> message must be deep-equal (and bytes -> message -> bytes identity); returns the bytes. */
export function msgRoundTrip(m: OfpMessage): Uint8Array {
  const bytes = encode(m);
  const back = decode(bytes);
  expect(back).toEqual(m);
  expect(toHex(encode(back))).toBe(toHex(bytes));
  return bytes;
}

export function expectDecodeError(bytes: Uint8Array, errType: number, errCode: number): OfpDecodeError {
  let caught: unknown;
  try {
    decode(bytes);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(OfpDecodeError);
  const e = caught as OfpDecodeError;
  expect({ errType: e.errType, errCode: e.errCode, message: e.message }).toEqual({ errType, errCode, message: e.message });
  return e;
}

export function expectEncodeError(m: unknown, path?: string): OfpEncodeError {
  let caught: unknown;
  try {
    encode(m as OfpMessage);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(OfpEncodeError);
  const e = caught as OfpEncodeError;
  if (path !== undefined) expect(e.path).toBe(path);
  return e;
}

/** A copy of `bytes` with the header length patched to the array's length. */
export function withLength(bytes: Uint8Array): Uint8Array {
  const b = bytes.slice();
  new DataView(b.buffer).setUint16(2, b.length);
  return b;
}

/** `bytes` cut to `n` bytes with the header length patched to match (a consistent but short message). */
export function truncated(bytes: Uint8Array, n: number): Uint8Array {
  return withLength(bytes.slice(0, n));
}

/** OVS's text for the message, whitespace normalised; fails the test if OVS cannot decode it. */
export function ovs(bytes: Uint8Array, verbosity = 2): string {
  const text = ofpPrint(bytes, verbosity);
  if (/decode error|only uses \d+ bytes|\*\*\*/.test(text)) throw new Error(`ovs-ofctl could not decode the message:\n${text}`);
  return text.replace(/\s+/g, ' ').trim();
}

/** Every decode failure must be an OfpDecodeError (never a RangeError, TypeError, ...). */
export function decodeOrDecodeError(bytes: Uint8Array): void {
  try {
    decode(bytes);
  } catch (e) {
    if (!(e instanceof OfpDecodeError)) throw e;
  }
}
