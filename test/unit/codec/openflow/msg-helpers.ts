/** Shared helpers for the OpenFlow codec tests (not a test file itself). */
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { Reader, Writer } from '../../../../src/codec/openflow/buffer.js';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { OfpDecodeError, OfpEncodeError } from '../../../../src/codec/openflow/errors.js';
import type { OfpMessage } from '../../../../src/codec/openflow/messages.js';
import { haveOvsOfctl, hex, ofpPrint } from '../../../support/ofp-print.js';

// The ovs-ofctl oracle is part of the unit tier (lab/install provides it): never skip it silently.
if (!haveOvsOfctl()) throw new Error('ovs-ofctl is needed for the OpenFlow oracle tests: run lab/install');
/** Oracle tests (kept as a name so they read as such). */
export const itOvs = it;

// ---------------------------------------------------------------------------------------------------
// Bytes

export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2) throw new Error('odd hex');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const toHex: (b: Uint8Array) => string = hex;

// Wire builders, independent of the encoder: big-endian byte lists and whole messages.
export const u16 = (v: number): number[] => [v >> 8, v & 0xff];
export const u32 = (v: number): number[] => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
export const u64 = (v: bigint): number[] => [...u32(Number(v >> 32n)), ...u32(Number(v & 0xffffffffn))];
export const zeros = (n: number): number[] => new Array<number>(n).fill(0);

/** An OpenFlow 1.3 message of `type` with `body`, built by hand. */
export function msg(type: number, body: number[], xid = 0x12345678): Uint8Array {
  const len = 8 + body.length;
  return Uint8Array.from([4, type, len >> 8, len & 0xff, xid >>> 24, (xid >>> 16) & 0xff, (xid >>> 8) & 0xff, xid & 0xff, ...body]);
}

/** A copy of `bytes` with the big-endian u16 at `at` set to `v` (to corrupt one length or type field). */
export function withU16(bytes: Uint8Array, at: number, v: number): Uint8Array {
  const b = bytes.slice();
  new DataView(b.buffer).setUint16(at, v);
  return b;
}

/** A copy of `bytes` with the header length patched to the array's length. */
export function withLength(bytes: Uint8Array): Uint8Array {
  return withU16(bytes, 2, bytes.length);
}

/** `bytes` cut to `n` bytes with the header length patched to match (a consistent but short message). */
export function truncated(bytes: Uint8Array, n: number): Uint8Array {
  return withLength(bytes.slice(0, n));
}

// fast-check arbitraries for unsigned wire fields.
export const arbU8 = fc.integer({ min: 0, max: 0xff });
export const arbU16 = fc.integer({ min: 0, max: 0xffff });
export const arbU32 = fc.integer({ min: 0, max: 0xffffffff });
export const arbU64 = fc.bigUintN(64);

// ---------------------------------------------------------------------------------------------------
// Element codecs (actions, instructions, OXM, table features) outside a message

/** The bytes `write` puts into a fresh Writer. */
export function written(write: (w: Writer) => void): Uint8Array {
  const w = new Writer(8);
  write(w);
  return w.toBytes();
}

/** `read` over the whole of `bytes`; fails the test if it leaves bytes unread. */
export function readWhole<T>(bytes: Uint8Array, read: (r: Reader) => T): T {
  const r = new Reader(bytes);
  const value = read(r);
  expect(r.offset).toBe(bytes.length);
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Round trips

/** bytes -> message -> bytes must be identity; returns the message. */
export function bytesRoundTrip(bytes: Uint8Array): OfpMessage {
  const m = decode(bytes);
  expect(toHex(encode(m))).toBe(toHex(bytes));
  return m;
}

/**
 * message -> bytes -> message must be deep-equal (and bytes -> message -> bytes identity); returns the
 * bytes, which must be `expected` when given.
 */
export function msgRoundTrip(m: OfpMessage, expected?: Uint8Array): Uint8Array {
  const bytes = encode(m);
  if (expected) expect(toHex(bytes)).toBe(toHex(expected));
  const back = decode(bytes);
  expect(back).toEqual(m);
  expect(toHex(encode(back))).toBe(toHex(bytes));
  return bytes;
}

// ---------------------------------------------------------------------------------------------------
// Errors

function thrown<E>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as E;
  }
  throw new Error(`expected ${type.name} to be thrown`);
}

/** The OfpDecodeError `fn` throws; fails the test if it throws nothing or anything else. */
export function decodeErr(fn: () => unknown): OfpDecodeError {
  return thrown(fn, OfpDecodeError);
}

/** The OfpEncodeError `fn` throws; fails the test if it throws nothing or anything else. */
export function encodeErr(fn: () => unknown): OfpEncodeError {
  return thrown(fn, OfpEncodeError);
}

/** The OfpDecodeError decoding `bytes` throws. */
export function decodeError(bytes: Uint8Array): OfpDecodeError {
  return decodeErr(() => decode(bytes));
}

/** The OfpEncodeError encoding `m` throws. */
export function encodeError(m: unknown): OfpEncodeError {
  return encodeErr(() => encode(m as OfpMessage));
}

export function expectDecodeError(bytes: Uint8Array, errType: number, errCode: number): OfpDecodeError {
  const e = decodeError(bytes);
  expect({ errType: e.errType, errCode: e.errCode, message: e.message }).toEqual({ errType, errCode, message: e.message });
  return e;
}

export function expectEncodeError(m: unknown, path?: string): OfpEncodeError {
  const e = encodeError(m);
  if (path !== undefined) expect(e.path).toBe(path);
  return e;
}

/** Every decode failure must be an OfpDecodeError (never a RangeError, TypeError, ...). */
export function decodeOrDecodeError(bytes: Uint8Array): void {
  try {
    decode(bytes);
  } catch (e) {
    if (!(e instanceof OfpDecodeError)) throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Open vSwitch as an oracle

/** OVS's text for the message, whitespace normalised; fails the test if OVS cannot decode it. */
export function ovs(bytes: Uint8Array, verbosity = 2): string {
  const text = ofpPrint(bytes, verbosity);
  if (/decode error|only uses \d+ bytes|\*\*\*/.test(text)) throw new Error(`ovs-ofctl could not decode the message:\n${text}`);
  return text.replace(/\s+/g, ' ').trim();
}
