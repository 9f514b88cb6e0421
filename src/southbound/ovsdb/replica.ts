/**
 * A local copy of monitored OVSDB tables, kept exactly consistent with the server: the initial state, then
 * every <table-updates> (monitor), <table-updates2> (monitor_cond/update2, monitor_cond_since/update3, incl.
 * "modify" diffs of sets and maps), and full resynchronisations after a reconnect (diffed against what the
 * replica held, so subscribers see exactly what changed while the connection was down).
 *
 * Each update is applied atomically: it is checked against the current state (no insert of a known row, no
 * modify/delete of an unknown one, diffs that respect element counts) and only then swapped in. A
 * malformed or inconsistent update throws OvsdbDecodeError('bad-update') and leaves the replica as it was;
 * the client then resets the connection and resynchronises.
 *
 * Rows are frozen plain objects (`_uuid` plus the monitored columns, each normalised to its column's kind,
 * absent columns at their defaults). Per-table snapshots are immutable Maps keyed by UUID text, built only
 * when someone reads them (rows(), table$ subscribers) and shared until the table changes again, so an
 * update costs O(rows it touches), not O(table size).
 */
import { Observable, Subject } from 'rxjs';
import { OvsdbDecodeError } from '../../codec/ovsdb/errors.js';
import type { Row } from '../../codec/ovsdb/operations.js';
import type { DatabaseSchema, TableSchema } from '../../codec/ovsdb/schema.js';
import { applyRowDiff, completeRow, type TableUpdates, type TableUpdates2 } from '../../codec/ovsdb/updates.js';
import { Uuid, valueEquals, type Value } from '../../codec/ovsdb/value.js';

/** A replicated row: `_uuid` and the monitored columns. */
export type ReplicaRow = Readonly<{ _uuid: Uuid } & Record<string, Value>>;

/** Table name -> row type; the default is untyped rows. */
export type RowTypes = Record<string, object>;

export type RowChangeKind = 'insert' | 'modify' | 'delete';

export interface RowChange<R = ReplicaRow> {
  table: string;
  uuid: string;
  kind: RowChangeKind;
  /** The row before (modify, delete). */
  old?: R;
  /** The row after (insert, modify). */
  new?: R;
}

export type BatchCause = 'initial' | 'update' | 'resync';

export interface ReplicaBatch {
  cause: BatchCause;
  changes: readonly RowChange[];
}

export class Replica<R extends RowTypes = Record<string, ReplicaRow>> {
  /** The live rows (changed in place by commits). */
  private readonly data = new Map<string, Map<string, ReplicaRow>>();
  /** Immutable snapshot per table, built on the first read after a change. */
  private readonly snapshots = new Map<string, ReadonlyMap<string, ReplicaRow>>();
  /** Emits the names of the tables each committed update touched. */
  private readonly touched = new Subject<readonly string[]>();
  private readonly changeSubject = new Subject<RowChange>();
  private readonly batchSubject = new Subject<ReplicaBatch>();
  private readonly monitored = new Map<string, { schema: TableSchema; columns: readonly string[] }>();
  private updatesApplied = 0;

  /** Every row change, in order. */
  readonly changes$: Observable<RowChange> = this.changeSubject.asObservable();
  /** The changes of each update (one server transaction, initial state or resync), in order. */
  readonly batches$: Observable<ReplicaBatch> = this.batchSubject.asObservable();

  /**
   * @param tables table -> monitored columns (undefined: every column of the table).
   */
  constructor(
    readonly schema: DatabaseSchema,
    tables: Readonly<Record<string, readonly string[] | undefined>>,
  ) {
    for (const [name, cols] of Object.entries(tables)) {
      const ts = schema.tables.get(name);
      if (!ts) throw new RangeError(`no table ${name} in database ${schema.name}`);
      const columns = cols ?? [...ts.columns.keys()].filter((c) => c !== '_uuid' && c !== '_version');
      for (const c of columns) if (!ts.columns.has(c)) throw new RangeError(`no column ${c} in table ${name}`);
      this.monitored.set(name, { schema: ts, columns });
      this.data.set(name, new Map());
    }
  }

  get tables(): string[] {
    return [...this.monitored.keys()];
  }

  /** Number of updates (incl. initial state and resyncs) applied so far. */
  get version(): number {
    return this.updatesApplied;
  }

  /** The current rows of a table, keyed by UUID text (an immutable snapshot). */
  rows<T extends keyof R & string>(table: T): ReadonlyMap<string, R[T]> {
    let snap = this.snapshots.get(table);
    if (!snap) {
      snap = new Map(this.live(table));
      this.snapshots.set(table, snap);
    }
    return snap as unknown as ReadonlyMap<string, R[T]>;
  }

  /** Number of rows in a table. */
  size(table: keyof R & string): number {
    return this.live(table).size;
  }

  get<T extends keyof R & string>(table: T, uuid: string | Uuid): R[T] | undefined {
    return this.live(table).get(typeof uuid === 'string' ? uuid.toLowerCase() : uuid.value) as R[T] | undefined;
  }

  /** The first row satisfying `pred`. */
  find<T extends keyof R & string>(table: T, pred: (row: R[T]) => boolean): R[T] | undefined {
    for (const r of this.live(table).values()) if (pred(r as R[T])) return r as R[T];
    return undefined;
  }

  /** Snapshots of a table: the current one on subscription, then one after each update touching it. */
  table$<T extends keyof R & string>(table: T): Observable<ReadonlyMap<string, R[T]>> {
    this.live(table);
    return new Observable<ReadonlyMap<string, R[T]>>((sub) => {
      sub.next(this.rows(table));
      return this.touched.subscribe({
        next: (tables) => {
          if (tables.includes(table)) sub.next(this.rows(table));
        },
        complete: () => sub.complete(),
      });
    });
  }

  /** Applies <table-updates> (monitor v1: initial rows, then "update" notifications). */
  applyTableUpdates(updates: TableUpdates, cause: BatchCause = 'update'): RowChange[] {
    const tx = this.begin();
    for (const [table, rows] of updates) {
      const mon = this.monitoredTable(table);
      for (const u of rows) {
        const key = u.uuid.value;
        const cur = tx.get(table, key);
        if (u.new) {
          const row = freezeRow(u.uuid, completeRow(mon.schema, u.new, mon.columns));
          if (cur) tx.put(table, key, { table, uuid: key, kind: 'modify', old: cur, new: row });
          else tx.put(table, key, { table, uuid: key, kind: 'insert', new: row });
        } else {
          if (!cur) throw inconsistent(`delete of unknown row ${key}`, table);
          tx.put(table, key, { table, uuid: key, kind: 'delete', old: cur });
        }
      }
    }
    return this.commit(tx, cause);
  }

  /** Applies <table-updates2> (monitor_cond / monitor_cond_since replies, update2 / update3). */
  applyTableUpdates2(updates: TableUpdates2, cause: BatchCause = 'update'): RowChange[] {
    const tx = this.begin();
    for (const [table, rows] of updates) {
      const mon = this.monitoredTable(table);
      for (const u of rows) {
        const key = u.uuid.value;
        const cur = tx.get(table, key);
        switch (u.kind) {
          case 'initial':
          case 'insert': {
            // An "initial" row for a known UUID (a resync reply applied incrementally) replaces it.
            if (cur && u.kind === 'insert') throw inconsistent(`insert of existing row ${key}`, table);
            const row = freezeRow(u.uuid, completeRow(mon.schema, u.row, mon.columns));
            tx.put(table, key, cur ? { table, uuid: key, kind: 'modify', old: cur, new: row } : { table, uuid: key, kind: 'insert', new: row });
            break;
          }
          case 'modify': {
            if (!cur) throw inconsistent(`modify of unknown row ${key}`, table);
            for (const c of Object.keys(u.row)) if (!mon.columns.includes(c)) throw inconsistent(`modify of unmonitored column ${c}`, table);
            let next: Record<string, Value>;
            try {
              next = applyRowDiff(mon.schema, cur, u.row, `${table}.${key}`);
            } catch (e) {
              if (e instanceof OvsdbDecodeError) throw inconsistent(e.message, table);
              throw e;
            }
            tx.put(table, key, { table, uuid: key, kind: 'modify', old: cur, new: freezeRow(u.uuid, next) });
            break;
          }
          case 'delete':
            if (!cur) throw inconsistent(`delete of unknown row ${key}`, table);
            tx.put(table, key, { table, uuid: key, kind: 'delete', old: cur });
            break;
        }
      }
    }
    return this.commit(tx, cause);
  }

  /**
   * Replaces the whole content with a fresh initial state (after a reconnect), emitting the difference:
   * inserts for new rows, deletes for vanished ones, modifies for rows whose monitored columns changed.
   */
  resync(state: TableUpdates2 | TableUpdates): RowChange[] {
    const fresh = new Map<string, Map<string, ReplicaRow>>();
    for (const t of this.monitored.keys()) fresh.set(t, new Map());
    for (const [table, rows] of state) {
      const mon = this.monitoredTable(table);
      const dest = fresh.get(table)!;
      for (const u of rows) {
        const partial = 'kind' in u ? (u.kind === 'initial' || u.kind === 'insert' ? u.row : undefined) : u.new;
        if (!partial) throw inconsistent(`resync state holds a ${'kind' in u ? u.kind : 'delete'} for ${u.uuid.value}`, table);
        dest.set(u.uuid.value, freezeRow(u.uuid, completeRow(mon.schema, partial, mon.columns)));
      }
    }
    const tx = this.begin();
    for (const [table, rows] of fresh) {
      const before = this.data.get(table)!;
      for (const [key, cur] of before) if (!rows.has(key)) tx.put(table, key, { table, uuid: key, kind: 'delete', old: cur });
      for (const [key, row] of rows) {
        const cur = before.get(key);
        if (!cur) tx.put(table, key, { table, uuid: key, kind: 'insert', new: row });
        else if (!rowEquals(cur, row)) tx.put(table, key, { table, uuid: key, kind: 'modify', old: cur, new: row });
      }
    }
    return this.commit(tx, 'resync');
  }

  /** Completes the observables (the monitor was canceled or the client closed). */
  complete(): void {
    this.touched.complete();
    this.changeSubject.complete();
    this.batchSubject.complete();
  }

  private live(table: string): Map<string, ReplicaRow> {
    const m = this.data.get(table);
    if (!m) throw new RangeError(`table ${table} is not monitored`);
    return m;
  }

  private monitoredTable(table: string): { schema: TableSchema; columns: readonly string[] } {
    const m = this.monitored.get(table);
    if (!m) throw inconsistent('update for a table that is not monitored', table);
    return m;
  }

  private begin(): Tx {
    return new Tx(this.data);
  }

  private commit(tx: Tx, cause: BatchCause): RowChange[] {
    const changes = tx.changes;
    for (const [table, overlay] of tx.tables) {
      const live = this.data.get(table)!;
      for (const [key, row] of overlay) {
        if (row === null) live.delete(key);
        else live.set(key, row);
      }
      this.snapshots.delete(table);
    }
    this.updatesApplied++;
    if (tx.tables.size > 0) this.touched.next([...tx.tables.keys()]);
    for (const c of changes) this.changeSubject.next(c);
    this.batchSubject.next({ cause, changes });
    return changes;
  }
}

/** An update in progress: an overlay over the replica's rows (null: deleted), applied only on commit. */
class Tx {
  readonly tables = new Map<string, Map<string, ReplicaRow | null>>();
  readonly changes: RowChange[] = [];
  /** Index in `changes` of the last change per table/row, to merge several changes of one row. */
  private readonly last = new Map<string, number>();

  constructor(private readonly base: ReadonlyMap<string, ReadonlyMap<string, ReplicaRow>>) {}

  get(table: string, key: string): ReplicaRow | undefined {
    const o = this.tables.get(table)?.get(key);
    if (o !== undefined) return o ?? undefined;
    return this.base.get(table)?.get(key);
  }

  put(table: string, key: string, change: RowChange): void {
    let overlay = this.tables.get(table);
    if (!overlay) {
      overlay = new Map();
      this.tables.set(table, overlay);
    }
    overlay.set(key, change.kind === 'delete' ? null : change.new!);
    const id = `${table}\u0000${key}`;
    const prev = this.last.get(id);
    if (prev === undefined) {
      this.last.set(id, this.changes.length);
      this.changes.push(change);
      return;
    }
    // A row touched twice in one update: report the net change once.
    const first = this.changes[prev]!;
    const old = first.old;
    const merged: RowChange | undefined =
      change.kind === 'delete'
        ? old
          ? { table, uuid: key, kind: 'delete', old }
          : undefined
        : old
          ? { table, uuid: key, kind: 'modify', old, new: change.new! }
          : { table, uuid: key, kind: 'insert', new: change.new! };
    if (merged) this.changes[prev] = merged;
    else {
      this.changes.splice(prev, 1);
      this.last.delete(id);
      for (const [k, i] of this.last) if (i > prev) this.last.set(k, i - 1);
    }
  }
}

function freezeRow(uuid: Uuid, cols: Record<string, Value>): ReplicaRow {
  return Object.freeze({ ...cols, _uuid: uuid }) as ReplicaRow;
}

export function rowEquals(a: Row, b: Row): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const vb = b[k];
    if (vb === undefined || !valueEquals(a[k]!, vb)) return false;
  }
  return true;
}

function inconsistent(message: string, table: string): OvsdbDecodeError {
  return new OvsdbDecodeError(`${message} (table ${table})`, 'bad-update', table);
}
