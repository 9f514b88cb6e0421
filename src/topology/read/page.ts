/**
 * Keyset pagination: a connection is ordered by a tuple of sort keys, and a cursor is the sort-key tuple of
 * the last row served, so "the next page" is "rows whose tuple is greater" — stable under inserts and
 * deletes, and one index range scan rather than a SKIP. Cursors are opaque to clients (base64url of a small
 * JSON array naming the connection), and checked when they come back.
 */
import neo4j from 'neo4j-driver';

/** One sort key: the Cypher expression it orders by, and the type of its value in a cursor. */
export interface SortKey {
  expr: string;
  type: 'string' | 'int';
}

export type CursorValue = string | number;

/** A cursor that is not one this connection gave out. */
export class CursorError extends RangeError {
  override readonly name = 'CursorError';
  constructor() {
    super('not a cursor of this connection (pass back an endCursor or edge cursor as it was given)');
  }
}

/** The opaque cursor of a row of connection `kind` whose sort keys have these values. */
export function encodeCursor(kind: string, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify([kind, ...values]), 'utf8').toString('base64url');
}

/** The sort-key values in `cursor`; CursorError when it is not a cursor of this connection. */
export function decodeCursor(kind: string, keys: readonly SortKey[], cursor: string): CursorValue[] {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError();
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind || parsed.length !== keys.length + 1) {
    throw new CursorError();
  }
  const values = parsed.slice(1) as unknown[];
  keys.forEach((k, i) => {
    const v = values[i];
    const ok = k.type === 'string' ? typeof v === 'string' : Number.isSafeInteger(v);
    if (!ok) throw new CursorError();
  });
  return values as CursorValue[];
}

/**
 * A Cypher predicate "sort tuple > cursor tuple" (lexicographic), with its parameters:
 * (k1 > $c0) OR (k1 = $c0 AND k2 > $c1) OR ...
 */
export function afterPredicate(keys: readonly SortKey[], values: readonly CursorValue[], prefix = 'after'): { where: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  keys.forEach((k, i) => {
    const v = values[i]!;
    params[`${prefix}${i}`] = k.type === 'int' ? neo4j.int(v) : v;
  });
  const ors: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const eqs = keys.slice(0, i).map((k, j) => `${k.expr} = $${prefix}${j}`);
    ors.push(`(${[...eqs, `${keys[i]!.expr} > $${prefix}${i}`].join(' AND ')})`);
  }
  return { where: `(${ors.join(' OR ')})`, params };
}

/** The ORDER BY list of `keys`. */
export function orderBy(keys: readonly SortKey[]): string {
  return keys.map((k) => k.expr).join(', ');
}
