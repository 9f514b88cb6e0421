/**
 * Monitor payloads: <table-updates> (RFC 7047 §4.1.6, "update" notifications and the monitor reply) and
 * <table-updates2> (ovsdb-server(7) §4.1.14, "update2"/"update3" and the monitor_cond(_since) replies),
 * decoded against the schema, and the "modify" diffs of update2 applied to rows.
 *
 * Diff semantics (as ovsdb-server computes them, ovsdb_datum_diff): a column that holds at most one value
 * (max 1: scalars and 0-or-1 "optional" columns) carries its new value; a set carries the elements in
 * exactly one of old and new (applying toggles them); a map carries the pairs whose key is in only one of
 * old and new, plus the new pair of each key whose value changed (applying: absent key -> add, same value ->
 * remove, different value -> replace). A result that breaks the column's element count is malformed.
 */
import { OvsdbDecodeError } from './errors.js';
import type { Row } from './operations.js';
import { columnKind, decodeColumnValue, defaultValue, type ColumnType, type DatabaseSchema, type TableSchema } from './schema.js';
import { atomEquals, atomKey, OvsdbMap, OvsdbSet, Uuid, type Atom, type Value } from './value.js';

/** One row of <table-updates>: `old` and/or `new` (initial/insert: new; delete: old; modify: both). */
export interface RowUpdate {
  uuid: Uuid;
  /** For modify: the prior values of the changed columns only. */
  old?: Row;
  /** Every monitored column (columns the server omitted get their default). */
  new?: Row;
}

export type RowUpdate2Kind = 'initial' | 'insert' | 'delete' | 'modify';

export interface RowUpdate2 {
  uuid: Uuid;
  kind: RowUpdate2Kind;
  /** initial/insert: the row (omitted columns were at their default); modify: the diffs; delete: empty. */
  row: Row;
}

/** table name -> row updates, in the order the JSON listed them. */
export type TableUpdates = Map<string, RowUpdate[]>;
export type TableUpdates2 = Map<string, RowUpdate2[]>;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function bad(message: string, path: string): never {
  throw new OvsdbDecodeError(message, 'bad-update', path);
}

function tableOf(schema: DatabaseSchema, name: string, path: string): TableSchema {
  const t = schema.tables.get(name);
  if (!t) bad(`update for unknown table ${name}`, path);
  return t;
}

function rowUuid(key: string, path: string): Uuid {
  try {
    return new Uuid(key);
  } catch {
    return bad(`row key ${JSON.stringify(key)} is not a UUID`, path);
  }
}

/** Decodes the columns of a <row> (values normalised to their column's kind). */
export function decodeRowColumns(t: TableSchema, json: unknown, path: string): Record<string, Value> {
  if (!isObject(json)) bad('a row is a JSON object', path);
  const row: Record<string, Value> = {};
  for (const [col, v] of Object.entries(json)) {
    const cs = t.columns.get(col);
    if (!cs) bad(`no column ${col} in table ${t.name}`, `${path}.${col}`);
    try {
      row[col] = decodeColumnValue(cs.type, v, `${path}.${col}`);
    } catch (e) {
      if (e instanceof OvsdbDecodeError) throw new OvsdbDecodeError(e.message, 'bad-update');
      throw e;
    }
  }
  return row;
}

function forEachTable(json: unknown, path: string, fn: (table: string, rows: Record<string, unknown>, tpath: string) => void): void {
  if (!isObject(json)) bad('table updates are a JSON object', path);
  for (const [table, rows] of Object.entries(json)) {
    const tpath = `${path}.${table}`;
    if (!isObject(rows)) bad('a table update is an object of row updates keyed by UUID', tpath);
    fn(table, rows, tpath);
  }
}

/** <table-updates> (monitor v1). */
export function decodeTableUpdates(json: unknown, schema: DatabaseSchema, path = 'updates'): TableUpdates {
  const out: TableUpdates = new Map();
  forEachTable(json, path, (table, rows, tpath) => {
    const t = tableOf(schema, table, tpath);
    const list: RowUpdate[] = [];
    for (const [key, ru] of Object.entries(rows)) {
      const rpath = `${tpath}.${key}`;
      const uuid = rowUuid(key, rpath);
      if (!isObject(ru)) bad('a row update is an object with "old" and/or "new"', rpath);
      const u: RowUpdate = { uuid };
      if (ru.old !== undefined && ru.old !== null) u.old = decodeRowColumns(t, ru.old, `${rpath}.old`);
      if (ru.new !== undefined && ru.new !== null) u.new = decodeRowColumns(t, ru.new, `${rpath}.new`);
      if (!u.old && !u.new) bad('a row update has neither "old" nor "new"', rpath);
      list.push(u);
    }
    out.set(table, list);
  });
  return out;
}

const KINDS: readonly RowUpdate2Kind[] = ['initial', 'insert', 'delete', 'modify'];

/** <table-updates2> (monitor_cond, monitor_cond_since). */
export function decodeTableUpdates2(json: unknown, schema: DatabaseSchema, path = 'updates'): TableUpdates2 {
  const out: TableUpdates2 = new Map();
  forEachTable(json, path, (table, rows, tpath) => {
    const t = tableOf(schema, table, tpath);
    const list: RowUpdate2[] = [];
    for (const [key, ru] of Object.entries(rows)) {
      const rpath = `${tpath}.${key}`;
      const uuid = rowUuid(key, rpath);
      if (!isObject(ru)) bad('a row update is an object with one of initial/insert/delete/modify', rpath);
      const keys = Object.keys(ru);
      const kind = keys[0] as RowUpdate2Kind;
      if (keys.length !== 1 || !KINDS.includes(kind)) bad(`a row update has exactly one of ${KINDS.join('/')}, got ${keys.join(',') || 'none'}`, rpath);
      if (kind === 'delete') {
        // ovsdb-server sends null ("<row> is always a null object for a delete update"); the content of
        // anything else is not used.
        if (ru.delete !== null && !isObject(ru.delete)) bad('"delete" must be null', `${rpath}.delete`);
        list.push({ uuid, kind, row: {} });
        continue;
      }
      list.push({ uuid, kind, row: decodeRowColumns(t, ru[kind], `${rpath}.${kind}`) });
    }
    out.set(table, list);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------- diffs

/** The value `diff` turns `old` into (see the module comment). Throws 'bad-update' on a count violation. */
export function applyValueDiff(t: ColumnType, old: Value, diff: Value, path = 'diff'): Value {
  if (t.max <= 1) return diff;
  const kind = columnKind(t);
  let size: number;
  let result: Value;
  if (kind === 'map') {
    if (!(old instanceof OvsdbMap) || !(diff instanceof OvsdbMap)) bad('map diff applied to a non-map', path);
    const entries = new Map<string, [Atom, Atom]>();
    for (const [k, v] of old) entries.set(atomKey(k), [k, v]);
    for (const [k, v] of diff) {
      const key = atomKey(k);
      const cur = entries.get(key);
      if (cur === undefined) entries.set(key, [k, v]);
      else if (atomEquals(cur[1], v)) entries.delete(key);
      else entries.set(key, [k, v]);
    }
    result = new OvsdbMap(entries.values());
    size = entries.size;
  } else {
    if (!(old instanceof OvsdbSet) || !(diff instanceof OvsdbSet)) bad('set diff applied to a non-set', path);
    result = old.symmetricDifference(diff);
    size = result.size;
  }
  if (size < t.min || size > t.max) bad(`diff leaves ${size} elements in a column that holds ${t.min}..${t.max}`, path);
  return result;
}

/** A full row from an update2 "initial"/"insert" row: absent columns take their defaults. */
export function completeRow(t: TableSchema, partial: Readonly<Record<string, Value>>, columns?: readonly string[]): Record<string, Value> {
  const row: Record<string, Value> = {};
  for (const name of columns ?? t.columns.keys()) {
    if (name === '_version' && partial._version === undefined) continue;
    if (name === '_uuid') continue;
    const c = t.columns.get(name);
    if (!c) continue;
    row[name] = partial[name] ?? defaultValue(c.type);
  }
  return row;
}

/** Applies an update2 "modify" row of diffs to a row; returns the new row (the old one is not touched). */
export function applyRowDiff(t: TableSchema, old: Readonly<Record<string, Value>>, diff: Readonly<Record<string, Value>>, path = 'modify'): Record<string, Value> {
  const row: Record<string, Value> = { ...old };
  for (const [name, d] of Object.entries(diff)) {
    const c = t.columns.get(name);
    if (!c) bad(`no column ${name} in table ${t.name}`, `${path}.${name}`);
    const cur = old[name] ?? defaultValue(c.type);
    row[name] = applyValueDiff(c.type, cur, d, `${path}.${name}`);
  }
  return row;
}
