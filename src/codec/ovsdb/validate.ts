/**
 * Checks values, rows, conditions, mutations and whole transactions against a database schema before they
 * are sent, with the rules ovsdb-server applies (RFC 7047 §5.1–5.2 and ovsdb-server(7) §5.1): atomic
 * types, enums, integer/real ranges, string lengths, element counts, references (a named-uuid must be
 * declared by an insert of the same transaction into the referenced table), read-only and immutable
 * columns, and the type relaxations of conditions and mutations. Violations throw `OvsdbValidationError`
 * naming the path, so a mistake is reported here instead of as a refused transaction.
 */
import { OvsdbValidationError } from './errors.js';
import type { Condition, Mutation, Operation, RowInput } from './operations.js';
import { CONDITION_FUNCTIONS, MUTATORS } from './operations.js';
import { atomHasType, columnKind, type BaseType, type ColumnSchema, type ColumnType, type DatabaseSchema, type TableSchema } from './schema.js';
import { isId, NamedUuid, OvsdbMap, OvsdbSet, toValue, Uuid, type Atom, type ValueInput } from './value.js';

export interface ValidationContext {
  /** uuid-names declared by inserts of the transaction -> the table each inserts into. */
  namedUuids?: ReadonlyMap<string, string>;
}

function fail(message: string, path: string): never {
  throw new OvsdbValidationError(message, path);
}

/** Number of Unicode code points (the unit of minLength/maxLength). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function describeAtom(a: Atom): string {
  return typeof a === 'string' ? JSON.stringify(a) : String(a);
}

export function validateAtom(base: BaseType, a: Atom, path: string, ctx: ValidationContext = {}, constraints = true): void {
  if (a instanceof NamedUuid) {
    if (base.type !== 'uuid') fail(`expected ${base.type}, got named-uuid ${a.name}`, path);
    const table = ctx.namedUuids?.get(a.name);
    if (table === undefined) fail(`named-uuid ${a.name} is not the uuid-name of an insert in this transaction`, path);
    if (constraints && base.refTable !== undefined && table !== base.refTable) {
      fail(`named-uuid ${a.name} names a row of ${table}, but this column refers to ${base.refTable}`, path);
    }
    return;
  }
  if (!atomHasType(a, base.type)) fail(`expected ${base.type}, got ${typeof a === 'object' ? 'uuid' : typeof a} ${describeAtom(a)}`, path);
  if (!constraints) return;
  if (base.enum && !base.enum.has(a)) fail(`${describeAtom(a)} is not one of ${base.enum.toArray().map(describeAtom).join(', ')}`, path);
  if (typeof a === 'number') {
    if (base.type === 'integer') {
      if (!Number.isSafeInteger(a)) fail(`${a} is not an exactly representable 64-bit integer`, path);
      if (base.minInteger !== undefined && a < base.minInteger) fail(`${a} is below the minimum ${base.minInteger}`, path);
      if (base.maxInteger !== undefined && a > base.maxInteger) fail(`${a} is above the maximum ${base.maxInteger}`, path);
    } else {
      if (!Number.isFinite(a)) fail(`${a} is not a finite real`, path);
      if (base.minReal !== undefined && a < base.minReal) fail(`${a} is below the minimum ${base.minReal}`, path);
      if (base.maxReal !== undefined && a > base.maxReal) fail(`${a} is above the maximum ${base.maxReal}`, path);
    }
  } else if (typeof a === 'string') {
    const n = codePoints(a);
    if (base.minLength !== undefined && n < base.minLength) fail(`string of length ${n} is shorter than ${base.minLength}`, path);
    if (base.maxLength !== undefined && n > base.maxLength) fail(`string of length ${n} is longer than ${base.maxLength}`, path);
  }
}

export interface Relaxation {
  /** Element counts: override the column's min/max. */
  min?: number;
  max?: number;
  /** Skip enum/range/length checks of keys (arithmetic mutators). */
  noConstraints?: boolean;
}

function describeType(t: ColumnType): string {
  const kind = columnKind(t);
  const name = (b: BaseType): string => (b.refTable ? `${b.type} (ref ${b.refTable})` : b.type);
  if (kind === 'scalar') return name(t.key);
  const count = t.max === Infinity ? `${t.min} or more` : t.min === t.max ? `${t.min}` : `${t.min} to ${t.max}`;
  if (kind === 'map') return `map of ${count} ${name(t.key)}-${name(t.value!)} pairs`;
  return `set of ${count} ${name(t.key)}`;
}

/** Checks a value against a column type (with the relaxations conditions and mutations allow). */
export function validateValue(t: ColumnType, input: ValueInput, path: string, ctx: ValidationContext = {}, relax: Relaxation = {}): void {
  const v = toValue(input);
  const min = relax.min ?? t.min;
  const max = relax.max ?? t.max;
  const constraints = !relax.noConstraints;
  if (t.value) {
    if (!(v instanceof OvsdbMap)) fail(`expected a ${describeType(t)}, got ${v instanceof OvsdbSet ? 'a set' : 'an atom'}`, path);
    if (v.size < min || v.size > max) fail(`${v.size} pairs where the column allows ${describeType({ ...t, min, max })}`, path);
    for (const [k, val] of v) {
      validateAtom(t.key, k, `${path}.key(${describeAtom(k)})`, ctx, constraints);
      validateAtom(t.value, val, `${path}[${describeAtom(k)}]`, ctx, constraints);
    }
    return;
  }
  if (v instanceof OvsdbMap) fail(`expected a ${describeType(t)}, got a map`, path);
  const elements = v instanceof OvsdbSet ? v.toArray() : [v];
  if (elements.length < min || elements.length > max) {
    fail(`${elements.length} element${elements.length === 1 ? '' : 's'} where the column allows ${describeType({ ...t, min, max })}`, path);
  }
  elements.forEach((e, i) => validateAtom(t.key, e, v instanceof OvsdbSet ? `${path}[${i}]` : path, ctx, constraints));
}

function column(table: TableSchema, name: string, path: string): ColumnSchema {
  const c = table.columns.get(name);
  if (!c) fail(`no column ${name} in table ${table.name}`, path);
  return c;
}

export type RowMode = 'insert' | 'update' | 'wait';

export function validateRow(table: TableSchema, row: RowInput, path: string, ctx: ValidationContext = {}, mode: RowMode = 'insert'): void {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) fail('a row is an object of column values', path);
  for (const [name, value] of Object.entries(row)) {
    const c = column(table, name, `${path}.${name}`);
    if (mode !== 'wait' && (name === '_uuid' || name === '_version')) fail(`${name} is read-only`, `${path}.${name}`);
    if (mode === 'update' && !c.mutable) fail(`column ${name} of ${table.name} is immutable`, `${path}.${name}`);
    validateValue(c.type, value, `${path}.${name}`, ctx);
  }
}

/** A where clause, with ovsdb-server's rules for which functions apply to which column types. */
export function validateCondition(table: TableSchema, c: Condition, path: string, ctx: ValidationContext = {}): void {
  if (typeof c === 'boolean') return;
  if (!Array.isArray(c) || c.length !== 3) fail('a condition is [column, function, value] or a boolean', path);
  const [name, fn, value] = c;
  const col = column(table, name, `${path}[0]`);
  if (!CONDITION_FUNCTIONS.includes(fn)) fail(`unknown function ${JSON.stringify(fn)}`, `${path}[1]`);
  const t = col.type;
  const kind = columnKind(t);
  const scalar = kind === 'scalar';
  switch (fn) {
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (!(scalar || kind === 'optional') || (t.key.type !== 'integer' && t.key.type !== 'real')) {
        fail(`"${fn}" applies to integer or real columns holding at most one value, not to ${name} (${describeType(t)})`, `${path}[1]`);
      }
      return validateValue(t, value, `${path}[2]`, ctx);
    case '==':
    case '!=':
      return validateValue(t, value, `${path}[2]`, ctx);
    case 'includes':
      return validateValue(t, value, `${path}[2]`, ctx, scalar ? {} : { min: 0 });
    case 'excludes':
      return validateValue(t, value, `${path}[2]`, ctx, scalar ? {} : { min: 0, max: Infinity });
  }
}

export function validateMutation(table: TableSchema, m: Mutation, path: string, ctx: ValidationContext = {}): void {
  if (!Array.isArray(m) || m.length !== 3) fail('a mutation is [column, mutator, value]', path);
  const [name, mutator, value] = m;
  const col = column(table, name, `${path}[0]`);
  if (name === '_uuid' || name === '_version') fail(`${name} is read-only`, `${path}[0]`);
  if (!col.mutable) fail(`column ${name} of ${table.name} is immutable`, `${path}[0]`);
  if (!MUTATORS.includes(mutator)) fail(`unknown mutator ${JSON.stringify(mutator)}`, `${path}[1]`);
  const t = col.type;
  const kind = columnKind(t);
  if (mutator === 'insert' || mutator === 'delete') {
    if (kind === 'scalar') fail(`"${mutator}" applies to set and map columns, not to ${name} (${describeType(t)})`, `${path}[1]`);
    const relax = mutator === 'delete' ? { min: 0, max: Infinity } : { min: 0 };
    if (kind === 'map' && mutator === 'delete' && !(toValue(value) instanceof OvsdbMap)) {
      // Deleting from a map by keys: a set of keys.
      return validateValue({ key: t.key, min: t.min, max: t.max }, value, `${path}[2]`, ctx, relax);
    }
    return validateValue(t, value, `${path}[2]`, ctx, relax);
  }
  if (kind === 'map' || (t.key.type !== 'integer' && t.key.type !== 'real') || (mutator === '%=' && t.key.type === 'real')) {
    fail(`"${mutator}" may not be applied to ${name} (${describeType(t)})`, `${path}[1]`);
  }
  validateValue({ key: t.key, min: 1, max: 1 }, value, `${path}[2]`, ctx, { noConstraints: true });
}

function table(schema: DatabaseSchema, name: string, path: string): TableSchema {
  const t = schema.tables.get(name);
  if (!t) fail(`no table ${name} in database ${schema.name}`, path);
  return t;
}

export function validateOperation(schema: DatabaseSchema, o: Operation, path: string, ctx: ValidationContext = {}): void {
  const where = (t: TableSchema, w: readonly Condition[]): void => {
    if (!Array.isArray(w)) fail('"where" is an array of conditions', `${path}.where`);
    w.forEach((c, i) => validateCondition(t, c, `${path}.where[${i}]`, ctx));
  };
  switch (o.op) {
    case 'insert': {
      const t = table(schema, o.table, `${path}.table`);
      validateRow(t, o.row, `${path}.row`, ctx, 'insert');
      return;
    }
    case 'select': {
      const t = table(schema, o.table, `${path}.table`);
      where(t, o.where);
      o.columns?.forEach((c, i) => column(t, c, `${path}.columns[${i}]`));
      return;
    }
    case 'update': {
      const t = table(schema, o.table, `${path}.table`);
      where(t, o.where);
      validateRow(t, o.row, `${path}.row`, ctx, 'update');
      return;
    }
    case 'mutate': {
      const t = table(schema, o.table, `${path}.table`);
      where(t, o.where);
      o.mutations.forEach((m, i) => validateMutation(t, m, `${path}.mutations[${i}]`, ctx));
      return;
    }
    case 'delete':
      where(table(schema, o.table, `${path}.table`), o.where);
      return;
    case 'wait': {
      const t = table(schema, o.table, `${path}.table`);
      where(t, o.where);
      const cols = new Set(o.columns);
      o.columns.forEach((c, i) => column(t, c, `${path}.columns[${i}]`));
      if (o.until !== '==' && o.until !== '!=') fail('"until" is "==" or "!="', `${path}.until`);
      if (o.timeout !== undefined && (!Number.isSafeInteger(o.timeout) || o.timeout < 0)) fail('"timeout" is a non-negative integer (ms)', `${path}.timeout`);
      o.rows.forEach((r, i) => {
        for (const k of Object.keys(r)) if (!cols.has(k)) fail(`column ${k} is not among the wait's "columns"`, `${path}.rows[${i}].${k}`);
        validateRow(t, r, `${path}.rows[${i}]`, ctx, 'wait');
      });
      return;
    }
    case 'commit':
      if (typeof o.durable !== 'boolean') fail('"durable" is a boolean', `${path}.durable`);
      return;
    case 'abort':
      return;
    case 'comment':
      if (typeof o.comment !== 'string') fail('"comment" is a string', `${path}.comment`);
      return;
    case 'assert':
      // ovsdb-server requires an <id> ("Type mismatch for member 'lock'" otherwise).
      if (typeof o.lock !== 'string' || !isId(o.lock)) fail('"lock" is a lock name (letters, digits, _)', `${path}.lock`);
      return;
    default:
      fail(`unknown operation ${JSON.stringify((o as { op?: unknown }).op)}`, `${path}.op`);
  }
}

/** Validates a whole transaction: uuid-names first (unique, well-formed), then every operation. */
export function validateTransaction(schema: DatabaseSchema, ops: readonly Operation[]): void {
  const named = new Map<string, string>();
  ops.forEach((o, i) => {
    if (o.op === 'insert' && o.uuidName !== undefined) {
      if (!isId(o.uuidName)) fail(`uuid-name ${JSON.stringify(o.uuidName)} is not an identifier`, `ops[${i}].uuidName`);
      if (named.has(o.uuidName)) fail(`duplicate uuid-name ${o.uuidName}`, `ops[${i}].uuidName`);
      named.set(o.uuidName, o.table);
    }
  });
  ops.forEach((o, i) => validateOperation(schema, o, `ops[${i}]`, { namedUuids: named }));
}

/** Checks that `u` is a usable row reference (helper for builders). */
export function isRowRef(u: unknown): u is Uuid | NamedUuid {
  return u instanceof Uuid || u instanceof NamedUuid;
}
