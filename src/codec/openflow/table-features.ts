/**
 * OpenFlow 1.3.5 table features (§7.3.5.5.1): one ofp_table_features element of an OFPMP_TABLE_FEATURES
 * request/reply body, with every property type. Each property is padded to 8 bytes; unknown property
 * types are kept opaque so decode -> encode reproduces the bytes.
 */
import { Reader, type Writer } from './buffer.js';
import { ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { TableFeaturesFailedCode as TableFeaturesFailed } from './error-codes.js';
import { decodeActionIds, encodeActionIds, type ActionId } from './actions.js';
import { decodeInstructionIds, encodeInstructionIds, type InstructionId } from './instructions.js';
import { decodeOxmId, encodeOxmId, showValue, type OxmId } from './oxm.js';

export type TableFeatureProp =
  | { type: 'instructions' | 'instructions_miss'; instructionIds: InstructionId[] }
  | { type: 'next_tables' | 'next_tables_miss'; tableIds: number[] }
  | { type: 'write_actions' | 'write_actions_miss' | 'apply_actions' | 'apply_actions_miss'; actionIds: ActionId[] }
  | {
      type: 'match' | 'wildcards' | 'write_setfield' | 'write_setfield_miss' | 'apply_setfield' | 'apply_setfield_miss';
      oxmIds: OxmId[];
    }
  | { type: 'experimenter' | 'experimenter_miss'; experimenter: number; expType: number; data: Uint8Array }
  | { type: 'unknown'; propType: number; data: Uint8Array };

export interface TableFeatures {
  tableId: number;
  name: string;
  metadataMatch: bigint;
  metadataWrite: bigint;
  config: number;
  maxEntries: number;
  properties: TableFeatureProp[];
}

/** ofp_table_features_failed_code (error type OFPET_TABLE_FEATURES_FAILED): the table in error-codes.ts. */
export { TableFeaturesFailed };

/** ofp_table_feature_prop_type codes. */
export const OFPTFPT = {
  INSTRUCTIONS: 0,
  INSTRUCTIONS_MISS: 1,
  NEXT_TABLES: 2,
  NEXT_TABLES_MISS: 3,
  WRITE_ACTIONS: 4,
  WRITE_ACTIONS_MISS: 5,
  APPLY_ACTIONS: 6,
  APPLY_ACTIONS_MISS: 7,
  MATCH: 8,
  WILDCARDS: 10,
  WRITE_SETFIELD: 12,
  WRITE_SETFIELD_MISS: 13,
  APPLY_SETFIELD: 14,
  APPLY_SETFIELD_MISS: 15,
  EXPERIMENTER: 0xfffe,
  EXPERIMENTER_MISS: 0xffff,
} as const;

type KnownPropType = Exclude<TableFeatureProp['type'], 'unknown'>;

const PROP_CODES: { [K in KnownPropType]: number } = {
  instructions: OFPTFPT.INSTRUCTIONS,
  instructions_miss: OFPTFPT.INSTRUCTIONS_MISS,
  next_tables: OFPTFPT.NEXT_TABLES,
  next_tables_miss: OFPTFPT.NEXT_TABLES_MISS,
  write_actions: OFPTFPT.WRITE_ACTIONS,
  write_actions_miss: OFPTFPT.WRITE_ACTIONS_MISS,
  apply_actions: OFPTFPT.APPLY_ACTIONS,
  apply_actions_miss: OFPTFPT.APPLY_ACTIONS_MISS,
  match: OFPTFPT.MATCH,
  wildcards: OFPTFPT.WILDCARDS,
  write_setfield: OFPTFPT.WRITE_SETFIELD,
  write_setfield_miss: OFPTFPT.WRITE_SETFIELD_MISS,
  apply_setfield: OFPTFPT.APPLY_SETFIELD,
  apply_setfield_miss: OFPTFPT.APPLY_SETFIELD_MISS,
  experimenter: OFPTFPT.EXPERIMENTER,
  experimenter_miss: OFPTFPT.EXPERIMENTER_MISS,
};
const PROP_NAMES = new Map<number, KnownPropType>();
for (const [name, code] of Object.entries(PROP_CODES)) PROP_NAMES.set(code, name as KnownPropType);

/** Fixed part of ofp_table_features before the properties. */
export const TABLE_FEATURES_FIXED_LEN = 64;
const NAME_LEN = 32;

function badLen(msg: string, offset: number): OfpDecodeError {
  return new OfpDecodeError(msg, ErrType.TABLE_FEATURES_FAILED, TableFeaturesFailed.BAD_LEN, offset);
}

function decodeProp(r: Reader, type: number, body: Reader, p: number, plen: number): TableFeatureProp {
  const name = PROP_NAMES.get(type);
  switch (name) {
    case 'instructions':
    case 'instructions_miss':
      return { type: name, instructionIds: decodeInstructionIds(body) };
    case 'next_tables':
    case 'next_tables_miss': {
      const tableIds: number[] = [];
      for (let i = body.offset; i < body.end; i++) tableIds.push(r.bytes[i]!);
      return { type: name, tableIds };
    }
    case 'write_actions':
    case 'write_actions_miss':
    case 'apply_actions':
    case 'apply_actions_miss':
      return { type: name, actionIds: decodeActionIds(body) };
    case 'match':
    case 'wildcards':
    case 'write_setfield':
    case 'write_setfield_miss':
    case 'apply_setfield':
    case 'apply_setfield_miss': {
      const oxmIds: OxmId[] = [];
      while (body.offset < body.end) oxmIds.push(decodeOxmId(body));
      return { type: name, oxmIds };
    }
    case 'experimenter':
    case 'experimenter_miss':
      if (plen < 12) throw badLen(`table feature property ${name} at offset ${p} has length ${plen} < 12`, p + 2);
      return { type: name, experimenter: r.view.getUint32(p + 4), expType: r.view.getUint32(p + 8), data: r.bytes.slice(p + 12, p + plen) };
    default:
      return { type: 'unknown', propType: type, data: r.bytes.slice(p + 4, p + plen) };
  }
}

/** One ofp_table_features element (reads its own length). */
export function decodeTableFeatures(r: Reader): TableFeatures {
  const start = r.offset;
  if (start + 2 > r.end) throw badLen(`truncated ofp_table_features at offset ${start}`, start);
  const length = r.view.getUint16(start);
  if (length < TABLE_FEATURES_FIXED_LEN) throw badLen(`ofp_table_features length ${length} < ${TABLE_FEATURES_FIXED_LEN}`, start);
  const s = r.sub(length, 'ofp_table_features', ErrType.TABLE_FEATURES_FAILED, TableFeaturesFailed.BAD_LEN);
  s.skip(2);
  const tableId = s.u8();
  s.skip(5);
  const name = s.fixedString(NAME_LEN);
  const metadataMatch = s.u64();
  const metadataWrite = s.u64();
  const config = s.u32();
  const maxEntries = s.u32();
  const properties: TableFeatureProp[] = [];
  while (s.offset < s.end) {
    const p = s.offset;
    s.need(4, 'table feature property header');
    const type = s.view.getUint16(p);
    const plen = s.view.getUint16(p + 2);
    if (plen < 4) throw badLen(`table feature property type ${type} at offset ${p} has length ${plen} < 4`, p + 2);
    const padded = (plen + 7) & ~7;
    if (p + padded > s.end) {
      throw badLen(`table feature property type ${type} at offset ${p}: length ${plen} (${padded} padded) exceeds the ${s.end - p} byte(s) left`, p + 2);
    }
    const body = new Reader(s.bytes, p + 4, p + plen, ErrType.TABLE_FEATURES_FAILED, TableFeaturesFailed.BAD_LEN, s.view);
    properties.push(decodeProp(s, type, body, p, plen));
    s.offset = p + padded; // padding is skipped, not checked
  }
  return { tableId, name, metadataMatch, metadataWrite, config, maxEntries, properties };
}

/** ofp_table_features elements until r.end. */
export function decodeTableFeaturesList(r: Reader): TableFeatures[] {
  const list: TableFeatures[] = [];
  while (r.offset < r.end) list.push(decodeTableFeatures(r));
  return list;
}

function fail(path: string, message: string): never {
  throw new OfpEncodeError(`${path}: ${message}`, path);
}

function checkInt(v: unknown, max: number, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(path, `${showValue(v)} is out of range 0..${max}`);
  return v;
}

function checkU64(v: unknown, path: string): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) fail(path, `${showValue(v)} must be a bigint in 0..2^64-1`);
  return v;
}

function checkBytes(v: unknown, path: string): Uint8Array {
  if (!(v instanceof Uint8Array)) fail(path, 'must be a Uint8Array');
  return v;
}

function checkArray(v: unknown, path: string): void {
  if (!Array.isArray(v)) fail(path, 'must be an array');
}

function writeProp(w: Writer, prop: TableFeatureProp, at: string): void {
  if (typeof prop !== 'object' || prop === null) fail(at, 'not a table feature property object');
  const p = w.offset;
  w.u16(0);
  w.u16(0);
  let code: number;
  switch (prop.type) {
    case 'instructions':
    case 'instructions_miss':
      code = PROP_CODES[prop.type];
      encodeInstructionIds(w, prop.instructionIds, `${at}.instructionIds`);
      break;
    case 'next_tables':
    case 'next_tables_miss':
      code = PROP_CODES[prop.type];
      checkArray(prop.tableIds, `${at}.tableIds`);
      for (let i = 0; i < prop.tableIds.length; i++) w.u8(checkInt(prop.tableIds[i], 0xff, `${at}.tableIds[${i}]`));
      break;
    case 'write_actions':
    case 'write_actions_miss':
    case 'apply_actions':
    case 'apply_actions_miss':
      code = PROP_CODES[prop.type];
      encodeActionIds(w, prop.actionIds, `${at}.actionIds`);
      break;
    case 'match':
    case 'wildcards':
    case 'write_setfield':
    case 'write_setfield_miss':
    case 'apply_setfield':
    case 'apply_setfield_miss':
      code = PROP_CODES[prop.type];
      checkArray(prop.oxmIds, `${at}.oxmIds`);
      for (let i = 0; i < prop.oxmIds.length; i++) encodeOxmId(w, prop.oxmIds[i]!, `${at}.oxmIds[${i}]`);
      break;
    case 'experimenter':
    case 'experimenter_miss':
      code = PROP_CODES[prop.type];
      w.u32(checkInt(prop.experimenter, 0xffffffff, `${at}.experimenter`));
      w.u32(checkInt(prop.expType, 0xffffffff, `${at}.expType`));
      w.bytes(checkBytes(prop.data, `${at}.data`));
      break;
    case 'unknown':
      code = checkInt(prop.propType, 0xffff, `${at}.propType`);
      if (PROP_NAMES.has(code)) fail(`${at}.propType`, `${code} is the known property type '${PROP_NAMES.get(code)!}'; use that variant`);
      w.bytes(checkBytes(prop.data, `${at}.data`));
      break;
    default:
      fail(`${at}.type`, `unknown table feature property type ${showValue((prop as { type: unknown }).type)}`);
  }
  const len = w.offset - p;
  if (len > 0xffff) fail(at, `property length ${len} exceeds 65535`);
  w.patchU16(p, code);
  w.patchU16(p + 2, len);
  w.padTo(p, 8);
}

/** The name must survive the 32-byte NUL-terminated field: <= 31 chars, each 1..255. */
function validName(name: unknown): boolean {
  if (typeof name !== 'string' || name.length >= NAME_LEN) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0 || c > 0xff) return false;
  }
  return true;
}

/** One ofp_table_features element; throws OfpEncodeError with a path like `tableFeatures.properties[2].oxmIds[0]`. */
export function encodeTableFeatures(w: Writer, t: TableFeatures, path = 'tableFeatures'): void {
  const start = w.offset;
  try {
    const tableId = checkInt(t.tableId, 0xff, `${path}.tableId`);
    if (!validName(t.name)) {
      fail(`${path}.name`, `must be a string of at most ${NAME_LEN - 1} 8-bit characters without NUL`);
    }
    w.u16(0);
    w.u8(tableId);
    w.zeros(5);
    w.fixedString(t.name, NAME_LEN);
    w.u64(checkU64(t.metadataMatch, `${path}.metadataMatch`));
    w.u64(checkU64(t.metadataWrite, `${path}.metadataWrite`));
    w.u32(checkInt(t.config, 0xffffffff, `${path}.config`));
    w.u32(checkInt(t.maxEntries, 0xffffffff, `${path}.maxEntries`));
    if (!Array.isArray(t.properties)) fail(`${path}.properties`, 'must be an array');
    for (let i = 0; i < t.properties.length; i++) writeProp(w, t.properties[i]!, `${path}.properties[${i}]`);
    const len = w.offset - start;
    if (len > 0xffff) fail(path, `ofp_table_features length ${len} exceeds 65535`);
    w.patchU16(start, len);
  } catch (e) {
    w.offset = start;
    throw e;
  }
}

export function encodeTableFeaturesList(w: Writer, list: readonly TableFeatures[], path = 'tableFeatures'): void {
  for (let i = 0; i < list.length; i++) encodeTableFeatures(w, list[i]!, `${path}[${i}]`);
}
