/**
 * <database-schema> (RFC 7047 §3.2) as returned by get_schema, parsed into typed form, and decoding of
 * column values against their types: a scalar column holds an atom, a set column (including the "optional"
 * 0-or-1 kind) an OvsdbSet, a map column an OvsdbMap, whatever shorthand the JSON used. Columns omitted
 * from a row take the type's default (update2 "initial"/"insert" rows omit columns equal to it).
 */
import { OvsdbDecodeError } from './errors.js';
import type { JsonValue } from './jsonrpc.js';
import { decodeAtom, OvsdbMap, OvsdbSet, Uuid, type Atom, type Value } from './value.js';

export type AtomicType = 'integer' | 'real' | 'boolean' | 'string' | 'uuid';
const ATOMIC_TYPES: readonly string[] = ['integer', 'real', 'boolean', 'string', 'uuid'];

export interface BaseType {
  type: AtomicType;
  /** Allowed values (the schema's "enum"), as a set of atoms of `type`. */
  enum?: OvsdbSet<Atom>;
  minInteger?: number;
  maxInteger?: number;
  minReal?: number;
  maxReal?: number;
  minLength?: number;
  maxLength?: number;
  refTable?: string;
  refType?: 'strong' | 'weak';
}

export interface ColumnType {
  key: BaseType;
  value?: BaseType;
  min: number;
  /** `Infinity` for "unlimited". */
  max: number;
}

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  ephemeral: boolean;
  mutable: boolean;
}

export interface TableSchema {
  name: string;
  columns: ReadonlyMap<string, ColumnSchema>;
  maxRows?: number;
  isRoot: boolean;
  indexes: readonly (readonly string[])[];
}

export interface DatabaseSchema {
  name: string;
  version: string;
  cksum?: string;
  tables: ReadonlyMap<string, TableSchema>;
}

/** How a column's values are represented: an atom, a set (incl. 0-or-1 "optional"), or a map. */
export type ColumnKind = 'scalar' | 'optional' | 'set' | 'map';

export function columnKind(t: ColumnType): ColumnKind {
  if (t.value) return 'map';
  if (t.min === 1 && t.max === 1) return 'scalar';
  if (t.min === 0 && t.max === 1) return 'optional';
  return 'set';
}

/** The implicit columns of every table. */
export const UUID_COLUMN: ColumnSchema = { name: '_uuid', type: { key: { type: 'uuid' }, min: 1, max: 1 }, ephemeral: false, mutable: false };
export const VERSION_COLUMN: ColumnSchema = { name: '_version', type: { key: { type: 'uuid' }, min: 1, max: 1 }, ephemeral: false, mutable: false };

// ----------------------------------------------------------------------------------------------- parse

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function bad(message: string, path: string): never {
  throw new OvsdbDecodeError(message, 'bad-schema', path);
}

function optNumber(o: Record<string, unknown>, k: string, path: string, integer: boolean): number | undefined {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || (integer && !Number.isInteger(v))) bad(`"${k}" must be ${integer ? 'an integer' : 'a number'}`, `${path}.${k}`);
  return v;
}

export function parseBaseType(json: unknown, path: string): BaseType {
  if (typeof json === 'string') {
    if (!ATOMIC_TYPES.includes(json)) bad(`unknown atomic type ${JSON.stringify(json)}`, path);
    return { type: json as AtomicType };
  }
  if (!isObject(json)) bad('a base type is an atomic type name or an object', path);
  const type = json.type;
  if (typeof type !== 'string' || !ATOMIC_TYPES.includes(type)) bad(`unknown atomic type ${JSON.stringify(type)}`, `${path}.type`);
  const base: BaseType = { type: type as AtomicType };
  if (json.enum !== undefined) {
    let atoms: Atom[];
    try {
      atoms =
        Array.isArray(json.enum) && json.enum[0] === 'set'
          ? (Array.isArray(json.enum[1]) ? json.enum[1] : bad('enum set needs an array', `${path}.enum`)).map((e: unknown, i: number) => decodeAtom(e, `${path}.enum[${i}]`))
          : [decodeAtom(json.enum, `${path}.enum`)];
    } catch (e) {
      if (e instanceof OvsdbDecodeError && e.reason === 'bad-value') bad(e.message, `${path}.enum`);
      throw e;
    }
    for (const a of atoms) if (!atomHasType(a, base.type)) bad(`enum value ${String(a)} is not of type ${base.type}`, `${path}.enum`);
    base.enum = new OvsdbSet(atoms);
  }
  const minInteger = optNumber(json, 'minInteger', path, true);
  const maxInteger = optNumber(json, 'maxInteger', path, true);
  const minReal = optNumber(json, 'minReal', path, false);
  const maxReal = optNumber(json, 'maxReal', path, false);
  const minLength = optNumber(json, 'minLength', path, true);
  const maxLength = optNumber(json, 'maxLength', path, true);
  if (minInteger !== undefined) base.minInteger = minInteger;
  if (maxInteger !== undefined) base.maxInteger = maxInteger;
  if (minReal !== undefined) base.minReal = minReal;
  if (maxReal !== undefined) base.maxReal = maxReal;
  if (minLength !== undefined) base.minLength = minLength;
  if (maxLength !== undefined) base.maxLength = maxLength;
  if (json.refTable !== undefined) {
    if (typeof json.refTable !== 'string') bad('"refTable" must be a table name', `${path}.refTable`);
    if (base.type !== 'uuid') bad('"refTable" is only allowed on uuid types', `${path}.refTable`);
    base.refTable = json.refTable;
    const rt = json.refType ?? 'strong';
    if (rt !== 'strong' && rt !== 'weak') bad('"refType" must be "strong" or "weak"', `${path}.refType`);
    base.refType = rt;
  }
  return base;
}

export function parseColumnType(json: unknown, path: string): ColumnType {
  if (typeof json === 'string') return { key: parseBaseType(json, path), min: 1, max: 1 };
  if (!isObject(json)) bad('a column type is an atomic type name or an object', path);
  const key = parseBaseType(json.key, `${path}.key`);
  const t: ColumnType = { key, min: 1, max: 1 };
  if (json.value !== undefined) t.value = parseBaseType(json.value, `${path}.value`);
  if (json.min !== undefined) {
    if (json.min !== 0 && json.min !== 1) bad('"min" must be 0 or 1', `${path}.min`);
    t.min = json.min;
  }
  if (json.max !== undefined) {
    if (json.max === 'unlimited') t.max = Infinity;
    else if (typeof json.max === 'number' && Number.isInteger(json.max) && json.max >= 1) t.max = json.max;
    else bad('"max" must be a positive integer or "unlimited"', `${path}.max`);
  }
  return t;
}

/** Parses get_schema's result. Throws OvsdbDecodeError('bad-schema') with the path of the problem. */
export function parseSchema(json: unknown): DatabaseSchema {
  if (!isObject(json)) bad('a database schema is a JSON object', 'schema');
  if (typeof json.name !== 'string') bad('"name" must be a string', 'name');
  if (!isObject(json.tables)) bad('"tables" must be an object', 'tables');
  const tables = new Map<string, TableSchema>();
  let anyRoot = false;
  for (const [tname, tjson] of Object.entries(json.tables)) {
    const tpath = `tables.${tname}`;
    if (!isObject(tjson)) bad('a table schema is an object', tpath);
    if (!isObject(tjson.columns)) bad('"columns" must be an object', `${tpath}.columns`);
    const columns = new Map<string, ColumnSchema>([
      ['_uuid', UUID_COLUMN],
      ['_version', VERSION_COLUMN],
    ]);
    for (const [cname, cjson] of Object.entries(tjson.columns)) {
      const cpath = `${tpath}.columns.${cname}`;
      if (!isObject(cjson)) bad('a column schema is an object', cpath);
      if (cname.startsWith('_')) bad('column names starting with "_" are reserved', cpath);
      const type = parseColumnType(cjson.type, `${cpath}.type`);
      // ovsdb-server forces columns holding weak references to be mutable (ovsdb-server(7) §3.2).
      const weak = type.key.refType === 'weak' || type.value?.refType === 'weak';
      columns.set(cname, {
        name: cname,
        type,
        ephemeral: cjson.ephemeral === true,
        mutable: cjson.mutable !== false || weak,
      });
    }
    const maxRows = tjson.maxRows;
    if (maxRows !== undefined && (typeof maxRows !== 'number' || !Number.isInteger(maxRows) || maxRows < 1)) bad('"maxRows" must be a positive integer', `${tpath}.maxRows`);
    const indexes: string[][] = [];
    if (tjson.indexes !== undefined) {
      if (!Array.isArray(tjson.indexes)) bad('"indexes" must be an array', `${tpath}.indexes`);
      tjson.indexes.forEach((ix: unknown, i: number) => {
        if (!Array.isArray(ix) || !ix.every((c) => typeof c === 'string' && columns.has(c))) bad('an index is an array of column names of the table', `${tpath}.indexes[${i}]`);
        indexes.push(ix as string[]);
      });
    }
    if (tjson.isRoot === true) anyRoot = true;
    tables.set(tname, { name: tname, columns, ...(maxRows !== undefined ? { maxRows } : {}), isRoot: tjson.isRoot === true, indexes });
  }
  // RFC 7047 §3.2: a schema in which no table says isRoot treats every table as a root set table.
  if (!anyRoot) for (const t of tables.values()) (t as { isRoot: boolean }).isRoot = true;
  for (const t of tables.values()) {
    for (const c of t.columns.values()) {
      for (const b of [c.type.key, c.type.value]) {
        if (b?.refTable !== undefined && !tables.has(b.refTable)) bad(`refTable ${b.refTable} is not a table of the database`, `tables.${t.name}.columns.${c.name}`);
      }
    }
  }
  const version = typeof json.version === 'string' ? json.version : '';
  return { name: json.name, version, ...(typeof json.cksum === 'string' ? { cksum: json.cksum } : {}), tables };
}

// -------------------------------------------------------------------------------------- typed values

export function atomHasType(a: Atom, t: AtomicType): boolean {
  switch (t) {
    case 'integer':
      return typeof a === 'number' && Number.isInteger(a);
    case 'real':
      return typeof a === 'number';
    case 'boolean':
      return typeof a === 'boolean';
    case 'string':
      return typeof a === 'string';
    case 'uuid':
      return a instanceof Uuid;
  }
}

/** The default atom of a type (RFC 7047 §5.1): 0, 0.0, false, "", the all-zero UUID. */
export function defaultAtom(t: AtomicType): Atom {
  switch (t) {
    case 'integer':
    case 'real':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return Uuid.ZERO;
  }
}

/** The value a column holds when a row does not set it. */
export function defaultValue(t: ColumnType): Value {
  const kind = columnKind(t);
  if (kind === 'scalar') return defaultAtom(t.key.type);
  if (kind === 'map') {
    return t.min === 0 ? new OvsdbMap() : new OvsdbMap([[defaultAtom(t.key.type), defaultAtom(t.value!.type)]]);
  }
  return t.min === 0 ? OvsdbSet.EMPTY : OvsdbSet.of(defaultAtom(t.key.type));
}

function typedAtom(json: unknown, base: BaseType, path: string): Atom {
  const a = decodeAtom(json, path);
  if (!atomHasType(a, base.type)) throw new OvsdbDecodeError(`expected ${base.type}, got ${JSON.stringify(json)}`, 'bad-value', path);
  return a;
}

/**
 * Decodes a column value sent by the server, normalised to the column's kind. Atom types are checked
 * (a server bug or a schema mismatch must not put a string where a uuid belongs); constraints are not.
 */
export function decodeColumnValue(t: ColumnType, json: unknown, path = 'value'): Value {
  const kind = columnKind(t);
  if (kind === 'map') {
    if (!Array.isArray(json) || json.length !== 2 || json[0] !== 'map' || !Array.isArray(json[1])) {
      throw new OvsdbDecodeError('expected ["map", [...]]', 'bad-value', path);
    }
    const pairs = json[1] as unknown[];
    const entries = pairs.map((p, i): [Atom, Atom] => {
      if (!Array.isArray(p) || p.length !== 2) throw new OvsdbDecodeError('map entry is not a [key, value] pair', 'bad-value', `${path}[${i}]`);
      return [typedAtom(p[0], t.key, `${path}[${i}].key`), typedAtom(p[1], t.value!, `${path}[${i}].value`)];
    });
    const m = new OvsdbMap(entries);
    if (m.size !== entries.length) throw new OvsdbDecodeError('map has duplicate keys', 'bad-value', path);
    return m;
  }
  const isSetJson = Array.isArray(json) && json.length === 2 && json[0] === 'set';
  if (kind === 'scalar') {
    if (isSetJson) {
      const els = json[1];
      if (!Array.isArray(els) || els.length !== 1) throw new OvsdbDecodeError('a scalar column holds exactly one atom', 'bad-value', path);
      return typedAtom(els[0], t.key, `${path}[0]`);
    }
    return typedAtom(json, t.key, path);
  }
  if (isSetJson) {
    const els = json[1];
    if (!Array.isArray(els)) throw new OvsdbDecodeError('["set", ...] needs an array of atoms', 'bad-value', path);
    const atoms = els.map((e, i) => typedAtom(e, t.key, `${path}[${i}]`));
    const s = new OvsdbSet(atoms);
    if (s.size !== atoms.length) throw new OvsdbDecodeError('set has duplicate elements', 'bad-value', path);
    return s;
  }
  return OvsdbSet.of(typedAtom(json, t.key, path));
}

export function getTable(schema: DatabaseSchema, table: string, path = 'table'): TableSchema {
  const t = schema.tables.get(table);
  if (!t) throw new OvsdbDecodeError(`no table ${table} in database ${schema.name}`, 'bad-value', path);
  return t;
}

/** The schema's JSON form (for logs, fixtures and comparison with `ovsdb-client get-schema`). */
export function columnTypeToJson(t: ColumnType): JsonValue {
  const base = (b: BaseType): JsonValue => {
    const o: Record<string, JsonValue> = { type: b.type };
    if (b.enum) o.enum = b.enum.toJSON();
    for (const k of ['minInteger', 'maxInteger', 'minReal', 'maxReal', 'minLength', 'maxLength', 'refTable', 'refType'] as const) {
      const v = b[k];
      if (v !== undefined) o[k] = v;
    }
    return Object.keys(o).length === 1 ? b.type : o;
  };
  if (columnKind(t) === 'scalar' && Object.keys(t.key).length === 1) return t.key.type;
  const o: Record<string, JsonValue> = { key: base(t.key) };
  if (t.value) o.value = base(t.value);
  if (t.min !== 1) o.min = t.min;
  if (t.max !== 1) o.max = t.max === Infinity ? 'unlimited' : t.max;
  return o;
}
