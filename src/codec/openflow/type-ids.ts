/**
 * Type-id lists of TABLE_FEATURES properties (OpenFlow 1.3.5 §7.3.5.18.2): action ids and instruction
 * ids share one layout, type u16 + len u16 (4 bytes) per id; experimenter ids add the experimenter id and
 * any further bytes. actions.ts and instructions.ts bind these codecs to their own type tables.
 *
 * Malformations are reported with the reader's own error type/code (the table-features decoder bounds
 * the list with TABLE_FEATURES_FAILED/BAD_LEN); an unknown type with the kind's own error.
 */
import type { Reader, Writer } from './buffer.js';
import { OfpDecodeError, OfpEncodeError } from './errors.js';
import { showValue } from './oxm.js';

export type ExperimenterTypeId = { type: 'experimenter'; experimenter: number; data: Uint8Array };

/** One entry of a type-id list: a known type name (N), or an experimenter id. */
export type TypeId<N extends string> = { type: N } | ExperimenterTypeId;

/** How one kind of id list names its types. */
export interface TypeIdKind<N extends string> {
  /** 'action' or 'instruction', for messages and error paths. */
  readonly kind: string;
  /** Type code to name; undefined for codes the kind does not define (and for the experimenter code). */
  readonly names: readonly (N | undefined)[];
  /** Type name to code, 'experimenter' included (see `typeCodes`). */
  readonly codes: Readonly<Record<string, number | undefined>>;
  /** The experimenter type code (0xffff for actions and instructions alike). */
  readonly experimenter: number;
  /** Error type and code for a type the kind does not define. */
  readonly unknownType: readonly [errType: number, errCode: number];
}

/** The inverse of a code-to-name table, with 'experimenter' mapped to `experimenter`. */
export function typeCodes(names: readonly (string | undefined)[], experimenter: number): Record<string, number | undefined> {
  const codes = Object.create(null) as Record<string, number | undefined>;
  names.forEach((n, code) => {
    if (n !== undefined) codes[n] = code;
  });
  codes.experimenter = experimenter;
  return codes;
}

export function decodeTypeIds<N extends string>(r: Reader, k: TypeIdKind<N>): TypeId<N>[] {
  const ids: TypeId<N>[] = [];
  const view = r.view;
  while (r.offset < r.end) {
    const p = r.offset;
    r.need(4, `${k.kind} id`);
    const type = view.getUint16(p);
    const len = view.getUint16(p + 2);
    if (type === k.experimenter) {
      if (len < 8) throw new OfpDecodeError(`experimenter ${k.kind} id at offset ${p} has length ${len} < 8`, r.errType, r.errCode, p + 2);
      r.need(len, `experimenter ${k.kind} id`);
      ids.push({ type: 'experimenter', experimenter: view.getUint32(p + 4), data: r.bytes.slice(p + 8, p + len) });
      r.offset = p + len;
      continue;
    }
    const name = k.names[type];
    if (name === undefined) {
      throw new OfpDecodeError(`unknown ${k.kind} type ${type} in ${k.kind} id at offset ${p}`, k.unknownType[0], k.unknownType[1], p);
    }
    if (len !== 4) throw new OfpDecodeError(`${k.kind} id ${name} at offset ${p} has length ${len}, expected 4`, r.errType, r.errCode, p + 2);
    ids.push({ type: name });
    r.offset = p + 4;
  }
  return ids;
}

function fail(path: string, message: string): never {
  throw new OfpEncodeError(`${path}: ${message}`, path);
}

/** Errors carry paths like `actionIds[2].experimenter`. */
export function encodeTypeIds<N extends string>(w: Writer, ids: readonly TypeId<N>[], path: string, k: TypeIdKind<N>): void {
  if (!Array.isArray(ids)) fail(path, `must be an array of ${k.kind} ids`);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const at = `${path}[${i}]`;
    if (typeof id !== 'object' || id === null) fail(at, `not an ${k.kind} id object`);
    if (id.type === 'experimenter') {
      const { experimenter, data } = id as ExperimenterTypeId;
      if (typeof experimenter !== 'number' || !Number.isInteger(experimenter) || experimenter < 0 || experimenter > 0xffffffff) {
        fail(`${at}.experimenter`, `${showValue(experimenter)} is out of range 0..0xffffffff`);
      }
      if (!(data instanceof Uint8Array)) fail(`${at}.data`, 'must be a Uint8Array');
      if (data.length + 8 > 0xffff) fail(`${at}.data`, `length ${data.length} is too long`);
      w.u16(k.experimenter);
      w.u16(8 + data.length);
      w.u32(experimenter);
      w.bytes(data);
      continue;
    }
    const code = k.codes[id.type];
    if (code === undefined) fail(`${at}.type`, `unknown ${k.kind} type ${showValue(id.type)}`);
    w.u16(code);
    w.u16(4);
  }
}
