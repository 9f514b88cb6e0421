/**
 * OFPT_HELLO (OpenFlow 1.3.5 §7.5.1) and version negotiation (§6.3.1).
 *
 * The body is a list of hello elements, each `type u16, length u16` (length excludes the padding to a
 * multiple of 8 that follows every element). OFPHET_VERSIONBITMAP keeps its raw u32 words so decode ->
 * encode is byte-exact; unknown element types are kept opaque.
 */
import type { BodyCodec } from './body-codec.js';
import type { Reader, Writer } from './buffer.js';
import { BadRequest, ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { OFP_VERSION } from './header.js';
import { checkBytes, checkU16, checkU32, checkU8 } from './encode-check.js';

/** ofp_hello_elem_type */
export const HelloElemType = { VERSIONBITMAP: 1 } as const;

export interface HelloVersionBitmap {
  type: 'VERSIONBITMAP';
  /** Raw bitmap words: bit `v % 32` of word `v / 32` set means version `v` is supported. */
  bitmaps: number[];
}

/** An element type this codec does not interpret (kept byte-exact). */
export interface HelloUnknownElement {
  type: 'UNKNOWN';
  elemType: number;
  /** The element's bytes after its 4-byte header, up to its length (padding excluded). */
  data: Uint8Array;
}

export type HelloElement = HelloVersionBitmap | HelloUnknownElement;

export interface HelloMessage {
  type: 'HELLO';
  xid: number;
  /** The header's version byte (HELLO is how versions are negotiated). Encode defaults to 0x04. */
  version?: number;
  elements: HelloElement[];
}

const ELEM_HEADER_LEN = 4;

function decodeElements(r: Reader): HelloElement[] {
  const out: HelloElement[] = [];
  while (r.offset < r.end) {
    const at = r.offset;
    r.need(ELEM_HEADER_LEN, 'hello element header');
    const elemType = r.u16();
    const len = r.u16();
    if (len < ELEM_HEADER_LEN) {
      throw new OfpDecodeError(`hello element length ${len} < ${ELEM_HEADER_LEN}`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, at + 2);
    }
    const padded = (len + 7) & ~7;
    if (at + padded > r.end) {
      throw new OfpDecodeError(
        `hello element length ${len} (padded ${padded}) exceeds the ${r.end - at} byte(s) left`,
        ErrType.BAD_REQUEST,
        BadRequest.BAD_LEN,
        at + 2,
      );
    }
    const bodyLen = len - ELEM_HEADER_LEN;
    if (elemType === HelloElemType.VERSIONBITMAP) {
      if (bodyLen % 4 !== 0) {
        throw new OfpDecodeError(`hello version bitmap length ${len} is not 4 + a multiple of 4`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, at + 2);
      }
      const bitmaps: number[] = [];
      for (let i = 0; i < bodyLen; i += 4) bitmaps.push(r.u32());
      out.push({ type: 'VERSIONBITMAP', bitmaps });
    } else {
      out.push({ type: 'UNKNOWN', elemType, data: r.bytesView(bodyLen) });
    }
    r.offset = at + padded;
  }
  return out;
}

export const helloCodec: BodyCodec<HelloMessage> = {
  decode(r, xid, version) {
    return { type: 'HELLO', xid, version, elements: decodeElements(r) };
  },
  encode(w: Writer, m) {
    if (m.version !== undefined) checkU8(m.version, 'version');
    if (!Array.isArray(m.elements)) throw new OfpEncodeError('elements: expected an array', 'elements');
    for (let i = 0; i < m.elements.length; i++) {
      const e = m.elements[i]!;
      const path = `elements[${i}]`;
      const start = w.offset;
      if (e.type === 'VERSIONBITMAP') {
        if (!Array.isArray(e.bitmaps)) throw new OfpEncodeError(`${path}.bitmaps: expected an array`, `${path}.bitmaps`);
        const len = ELEM_HEADER_LEN + 4 * e.bitmaps.length;
        checkU16(len, `${path}.bitmaps.length`);
        w.u16(HelloElemType.VERSIONBITMAP);
        w.u16(len);
        for (let j = 0; j < e.bitmaps.length; j++) {
          const b = e.bitmaps[j]!;
          checkU32(b, `${path}.bitmaps[${j}]`);
          w.u32(b);
        }
      } else if (e.type === 'UNKNOWN') {
        checkU16(e.elemType, `${path}.elemType`);
        checkBytes(e.data, `${path}.data`);
        const len = ELEM_HEADER_LEN + e.data.length;
        checkU16(len, `${path}.data.length`);
        w.u16(e.elemType);
        w.u16(len);
        w.bytes(e.data);
      } else {
        throw new OfpEncodeError(`${path}.type: unknown hello element type ${String((e as { type: unknown }).type)}`, `${path}.type`);
      }
      w.padTo(start, 8);
    }
  },
};

/** The versions (ascending) whose bits are set in a VERSIONBITMAP's words. */
export function versionsFromBitmaps(words: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]! >>> 0;
    for (let b = 0; b < 32; b++) if ((w >>> b) & 1) out.push(i * 32 + b);
  }
  return out;
}

/** Bitmap words announcing exactly `versions` (0..255; the inverse of versionsFromBitmaps). */
export function bitmapsFor(versions: readonly number[]): number[] {
  let max = -1;
  for (const v of versions) {
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`not an OpenFlow version: ${v}`);
    if (v > max) max = v;
  }
  const words = new Array<number>(max < 0 ? 0 : (max >>> 5) + 1).fill(0);
  for (const v of versions) words[v >>> 5] = (words[v >>> 5]! | (1 << (v & 31))) >>> 0;
  return words;
}

/** A HELLO announcing `versions` (header version = the highest, as §6.3.1 requires). */
export function helloFor(versions: readonly number[] = [OFP_VERSION], xid = 0): HelloMessage {
  const version = versions.length === 0 ? OFP_VERSION : Math.max(...versions);
  return { type: 'HELLO', xid, version, elements: [{ type: 'VERSIONBITMAP', bitmaps: bitmapsFor(versions) }] };
}

/**
 * The version to speak after exchanging HELLOs (OpenFlow 1.3.5 §6.3.1), assuming we sent `helloFor(ourVersions)`:
 * if the peer's HELLO carries a version bitmap, the highest version in both sets; otherwise the smaller of
 * the two header versions, provided we support it. `undefined` means negotiation failed (answer with
 * OFPET_HELLO_FAILED/OFPHFC_INCOMPATIBLE).
 */
export function negotiateVersion(ourVersions: readonly number[], hello: HelloMessage): number | undefined {
  if (ourVersions.length === 0) return undefined;
  const bitmap = hello.elements.find((e): e is HelloVersionBitmap => e.type === 'VERSIONBITMAP');
  if (bitmap !== undefined) {
    const theirs = versionsFromBitmaps(bitmap.bitmaps);
    let best: number | undefined;
    for (const v of theirs) if (ourVersions.includes(v) && (best === undefined || v > best)) best = v;
    return best;
  }
  const ours = Math.max(...ourVersions);
  const v = Math.min(ours, hello.version ?? OFP_VERSION);
  return ourVersions.includes(v) ? v : undefined;
}
