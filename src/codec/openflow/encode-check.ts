/**
 * Range checks for encoders: every out-of-range or mistyped field becomes an OfpEncodeError naming its
 * path instead of silently wrapping on the wire. Written to be cheap on the hot path (no allocation
 * unless the check fails).
 */
import type { Writer } from './buffer.js';
import { OfpEncodeError } from './errors.js';
import { macInto } from '../addr.js';

const U64_MAX = (1n << 64n) - 1n;

function fail(path: string, what: string, v: unknown): never {
  const shown = typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? JSON.stringify(v) : String(v);
  throw new OfpEncodeError(`${path}: expected ${what}, got ${shown}`, path);
}

export function checkU8(v: number, path: string): void {
  if ((v & 0xff) !== v) fail(path, 'an integer in 0..255', v);
}

export function checkU16(v: number, path: string): void {
  if ((v & 0xffff) !== v) fail(path, 'an integer in 0..65535', v);
}

export function checkU32(v: number, path: string): void {
  if (v >>> 0 !== v) fail(path, 'an integer in 0..4294967295', v);
}

export function checkU64(v: bigint, path: string): void {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) fail(path, 'a bigint in 0..2^64-1', v);
}

export function checkBytes(v: Uint8Array, path: string): void {
  if (!(v instanceof Uint8Array)) fail(path, 'a Uint8Array', v);
}

/** Writes a 6-byte MAC from its text form; a malformed string is an OfpEncodeError at `path`. */
export function writeMac(w: Writer, mac: string, path: string): void {
  w.ensure(6);
  try {
    macInto(mac, w.buf, w.offset);
  } catch {
    fail(path, 'a MAC address "aa:bb:cc:dd:ee:ff"', mac);
  }
  w.offset += 6;
}
