/**
 * Database operations of the "transact" method (RFC 7047 §5.2), their JSON forms, and the decoding of a
 * transaction's result array into typed results or a typed refusal (`OvsdbTransactionError`).
 *
 * Operations are a discriminated union on `op`; `TransactResults<Ops>` maps a tuple of operations to the
 * tuple of their result types, so `const [ins, sel] = await transact(db, [insert, select])` is typed.
 */
import { OvsdbDecodeError, OvsdbEncodeError, OvsdbTransactionError } from './errors.js';
import type { JsonValue } from './jsonrpc.js';
import { decodeColumnValue, type DatabaseSchema } from './schema.js';
import { decodeValue, encodeValue, NamedUuid, Uuid, type Value, type ValueInput } from './value.js';

export type ConditionFunction = '<' | '<=' | '==' | '!=' | '>=' | '>' | 'includes' | 'excludes';
export const CONDITION_FUNCTIONS: readonly ConditionFunction[] = ['<', '<=', '==', '!=', '>=', '>', 'includes', 'excludes'];

/** `[column, function, value]`, or a constant (ovsdb-server extension: `true`/`false`). */
export type Condition = boolean | readonly [column: string, fn: ConditionFunction, value: ValueInput];

export type Mutator = '+=' | '-=' | '*=' | '/=' | '%=' | 'insert' | 'delete';
export const MUTATORS: readonly Mutator[] = ['+=', '-=', '*=', '/=', '%=', 'insert', 'delete'];

export type Mutation = readonly [column: string, mutator: Mutator, value: ValueInput];

/** A row as sent: column name -> value. */
export type RowInput = Readonly<Record<string, ValueInput>>;
/** A row as received: column name -> value (with a schema, normalised to the column's kind). */
export type Row = Readonly<Record<string, Value>>;

export interface InsertOp {
  op: 'insert';
  table: string;
  row: RowInput;
  /** The `uuid-name` other operations of the transaction refer to as `new NamedUuid(name)`. */
  uuidName?: string;
}
export interface SelectOp {
  op: 'select';
  table: string;
  where: readonly Condition[];
  columns?: readonly string[];
}
export interface UpdateOp {
  op: 'update';
  table: string;
  where: readonly Condition[];
  row: RowInput;
}
export interface MutateOp {
  op: 'mutate';
  table: string;
  where: readonly Condition[];
  mutations: readonly Mutation[];
}
export interface DeleteOp {
  op: 'delete';
  table: string;
  where: readonly Condition[];
}
export interface WaitOp {
  op: 'wait';
  table: string;
  where: readonly Condition[];
  columns: readonly string[];
  until: '==' | '!=';
  rows: readonly RowInput[];
  /** Milliseconds; omitted: wait forever (0: fail at once unless the condition holds). */
  timeout?: number;
}
export interface CommitOp {
  op: 'commit';
  durable: boolean;
}
export interface AbortOp {
  op: 'abort';
}
export interface CommentOp {
  op: 'comment';
  comment: string;
}
export interface AssertOp {
  op: 'assert';
  lock: string;
}

export type Operation = InsertOp | SelectOp | UpdateOp | MutateOp | DeleteOp | WaitOp | CommitOp | AbortOp | CommentOp | AssertOp;
export type OperationName = Operation['op'];

export interface InsertResult {
  uuid: Uuid;
}
export interface SelectResult {
  rows: Row[];
}
export interface CountResult {
  count: number;
}
export type EmptyResult = Record<string, never>;

export type OperationResult<O extends Operation> = O extends InsertOp
  ? InsertResult
  : O extends SelectOp
    ? SelectResult
    : O extends UpdateOp | MutateOp | DeleteOp
      ? CountResult
      : EmptyResult;

export type TransactResults<Ops extends readonly Operation[]> = { -readonly [K in keyof Ops]: Ops[K] extends Operation ? OperationResult<Ops[K]> : never };

// --------------------------------------------------------------------------------------------- builders

/** Operation builders: `op.insert('Bridge', {...}, 'br')`, `op.mutate('Bridge', [cond.uuid(u)], [...])`. */
export const op = {
  insert: (table: string, row: RowInput, uuidName?: string): InsertOp => ({ op: 'insert', table, row, ...(uuidName !== undefined ? { uuidName } : {}) }),
  select: (table: string, where: readonly Condition[], columns?: readonly string[]): SelectOp => ({ op: 'select', table, where, ...(columns ? { columns } : {}) }),
  update: (table: string, where: readonly Condition[], row: RowInput): UpdateOp => ({ op: 'update', table, where, row }),
  mutate: (table: string, where: readonly Condition[], mutations: readonly Mutation[]): MutateOp => ({ op: 'mutate', table, where, mutations }),
  delete: (table: string, where: readonly Condition[]): DeleteOp => ({ op: 'delete', table, where }),
  wait: (table: string, where: readonly Condition[], columns: readonly string[], until: '==' | '!=', rows: readonly RowInput[], timeout?: number): WaitOp => ({
    op: 'wait',
    table,
    where,
    columns,
    until,
    rows,
    ...(timeout !== undefined ? { timeout } : {}),
  }),
  commit: (durable = false): CommitOp => ({ op: 'commit', durable }),
  abort: (): AbortOp => ({ op: 'abort' }),
  comment: (comment: string): CommentOp => ({ op: 'comment', comment }),
  assert: (lock: string): AssertOp => ({ op: 'assert', lock }),
} as const;

/** Condition builders: `cond.eq('name', 'br0')`, `cond.uuid(u)`, `cond.includes('ports', set)`. */
export const cond = {
  lt: (c: string, v: ValueInput): Condition => [c, '<', v],
  le: (c: string, v: ValueInput): Condition => [c, '<=', v],
  eq: (c: string, v: ValueInput): Condition => [c, '==', v],
  ne: (c: string, v: ValueInput): Condition => [c, '!=', v],
  ge: (c: string, v: ValueInput): Condition => [c, '>=', v],
  gt: (c: string, v: ValueInput): Condition => [c, '>', v],
  includes: (c: string, v: ValueInput): Condition => [c, 'includes', v],
  excludes: (c: string, v: ValueInput): Condition => [c, 'excludes', v],
  /** The row with this UUID (or the row a same-transaction insert names). */
  uuid: (u: Uuid | NamedUuid | string): Condition => ['_uuid', '==', typeof u === 'string' ? new Uuid(u) : u],
} as const;

// ---------------------------------------------------------------------------------------------- encode

function encodeRow(row: RowInput, path: string): JsonValue {
  const o: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(row)) o[k] = encodeValue(v, `${path}.${k}`);
  return o;
}

export function encodeCondition(c: Condition, path = 'where'): JsonValue {
  if (typeof c === 'boolean') return c;
  if (!Array.isArray(c) || c.length !== 3 || typeof c[0] !== 'string' || !CONDITION_FUNCTIONS.includes(c[1])) {
    throw new OvsdbEncodeError(`a condition is [column, function, value] or a boolean; function one of ${CONDITION_FUNCTIONS.join(' ')}`, path);
  }
  return [c[0], c[1], encodeValue(c[2], `${path}.${c[0]}`)];
}

function encodeWhere(where: readonly Condition[], path: string): JsonValue {
  return where.map((c, i) => encodeCondition(c, `${path}.where[${i}]`));
}

export function encodeOperation(o: Operation, path = 'op'): JsonValue {
  switch (o.op) {
    case 'insert': {
      const j: Record<string, JsonValue> = { op: 'insert', table: o.table, row: encodeRow(o.row, `${path}.row`) };
      if (o.uuidName !== undefined) j['uuid-name'] = o.uuidName;
      return j;
    }
    case 'select': {
      const j: Record<string, JsonValue> = { op: 'select', table: o.table, where: encodeWhere(o.where, path) };
      if (o.columns) j.columns = [...o.columns];
      return j;
    }
    case 'update':
      return { op: 'update', table: o.table, where: encodeWhere(o.where, path), row: encodeRow(o.row, `${path}.row`) };
    case 'mutate':
      return {
        op: 'mutate',
        table: o.table,
        where: encodeWhere(o.where, path),
        mutations: o.mutations.map((m, i) => {
          if (!Array.isArray(m) || m.length !== 3 || typeof m[0] !== 'string' || !MUTATORS.includes(m[1])) {
            throw new OvsdbEncodeError(`a mutation is [column, mutator, value]; mutator one of ${MUTATORS.join(' ')}`, `${path}.mutations[${i}]`);
          }
          return [m[0], m[1], encodeValue(m[2], `${path}.mutations[${i}]`)];
        }),
      };
    case 'delete':
      return { op: 'delete', table: o.table, where: encodeWhere(o.where, path) };
    case 'wait': {
      const j: Record<string, JsonValue> = {
        op: 'wait',
        table: o.table,
        where: encodeWhere(o.where, path),
        columns: [...o.columns],
        until: o.until,
        rows: o.rows.map((r, i) => encodeRow(r, `${path}.rows[${i}]`)),
      };
      if (o.timeout !== undefined) j.timeout = o.timeout;
      return j;
    }
    case 'commit':
      return { op: 'commit', durable: o.durable };
    case 'abort':
      return { op: 'abort' };
    case 'comment':
      return { op: 'comment', comment: o.comment };
    case 'assert':
      return { op: 'assert', lock: o.lock };
    default:
      throw new OvsdbEncodeError(`unknown operation ${JSON.stringify((o as { op?: unknown }).op)}`, path);
  }
}

/** The params of a transact request: `[db-name, op, ...]`. */
export function encodeTransact(db: string, ops: readonly Operation[]): JsonValue[] {
  return [db, ...ops.map((o, i) => encodeOperation(o, `ops[${i}]`))];
}

// ---------------------------------------------------------------------------------------------- decode

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function badResult(message: string, path: string): never {
  throw new OvsdbDecodeError(message, 'bad-result', path);
}

/** A row of a select result, decoded against the table's schema when one is given. */
export function decodeRow(json: unknown, table: string, schema: DatabaseSchema | undefined, path: string): Row {
  if (!isObject(json)) badResult('a row is a JSON object', path);
  const ts = schema?.tables.get(table);
  const row: Record<string, Value> = {};
  for (const [col, v] of Object.entries(json)) {
    if (ts) {
      const cs = ts.columns.get(col);
      if (!cs) badResult(`no column ${col} in table ${table}`, `${path}.${col}`);
      row[col] = decodeColumnValue(cs.type, v, `${path}.${col}`);
    } else {
      row[col] = decodeValue(v, `${path}.${col}`);
    }
  }
  return row;
}

function decodeOne(o: Operation, r: Record<string, unknown>, schema: DatabaseSchema | undefined, path: string): unknown {
  switch (o.op) {
    case 'insert': {
      const u = r.uuid;
      if (!Array.isArray(u) || u[0] !== 'uuid' || typeof u[1] !== 'string') badResult('insert result has no ["uuid", ...]', `${path}.uuid`);
      try {
        return { uuid: new Uuid(u[1]) };
      } catch (e) {
        return badResult((e as Error).message, `${path}.uuid`);
      }
    }
    case 'select': {
      if (!Array.isArray(r.rows)) badResult('select result has no "rows" array', `${path}.rows`);
      return { rows: r.rows.map((row, i) => decodeRow(row, o.table, schema, `${path}.rows[${i}]`)) };
    }
    case 'update':
    case 'mutate':
    case 'delete':
      if (typeof r.count !== 'number' || !Number.isInteger(r.count) || r.count < 0) badResult(`${o.op} result has no "count"`, `${path}.count`);
      return { count: r.count };
    default:
      return {};
  }
}

/**
 * Interprets the result array of a transact reply (RFC 7047 §4.1.3): per-operation results, an error object
 * at the failing operation followed by nulls, or one extra error element when the commit failed. Throws
 * `OvsdbTransactionError` for a refusal and `OvsdbDecodeError('bad-result')` for a malformed reply.
 */
export function decodeTransactResult<const Ops extends readonly Operation[]>(ops: Ops, result: unknown, schema?: DatabaseSchema): TransactResults<Ops> {
  if (!Array.isArray(result)) badResult('transact result is not an array', 'result');
  if (result.length < ops.length || result.length > ops.length + 1) {
    badResult(`transact result has ${result.length} elements for ${ops.length} operations`, 'result');
  }
  const out: unknown[] = [];
  for (let i = 0; i < result.length; i++) {
    const r = result[i] as unknown;
    const o = ops[i];
    const path = `result[${i}]`;
    if (r === null) badResult('null result without a preceding error', path);
    if (!isObject(r)) badResult('an operation result is a JSON object', path);
    if (r.error !== undefined && r.error !== null) {
      if (typeof r.error !== 'string') badResult('"error" must be a string', `${path}.error`);
      for (let j = i + 1; j < ops.length; j++) if (result[j] !== null) badResult('results after a failed operation must be null', `result[${j}]`);
      throw new OvsdbTransactionError(
        r.error,
        typeof r.details === 'string' ? r.details : undefined,
        i,
        o?.op,
        out,
        typeof r.syntax === 'string' ? r.syntax : undefined,
      );
    }
    if (o === undefined) badResult('extra result element that is not an error', path);
    out.push(decodeOne(o, r, schema, path));
  }
  return out as TransactResults<Ops>;
}
