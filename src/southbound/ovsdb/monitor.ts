/**
 * A monitor of some tables of one database (RFC 7047 §4.1.5 "monitor"; ovsdb-server(7) §4.1.12
 * "monitor_cond" and §4.1.15 "monitor_cond_since"), feeding a Replica. The client owns the session side:
 * it sends the request on every (re)connection and routes "update"/"update2"/"update3" notifications here.
 *
 * After a reconnect the monitor is re-established with the same request. monitor and monitor_cond get the
 * full state back, which the replica diffs against what it held (`resync`); monitor_cond_since asks for the
 * changes after the last transaction id seen and applies them incrementally when the server still has them
 * (`found`), falling back to a resync otherwise.
 */
import { ReplaySubject, Subject } from 'rxjs';
import { OvsdbDecodeError } from '../../codec/ovsdb/errors.js';
import type { JsonValue } from '../../codec/ovsdb/jsonrpc.js';
import { encodeCondition, type Condition } from '../../codec/ovsdb/operations.js';
import type { DatabaseSchema } from '../../codec/ovsdb/schema.js';
import { decodeTableUpdates, decodeTableUpdates2 } from '../../codec/ovsdb/updates.js';
import { validateCondition } from '../../codec/ovsdb/validate.js';
import { isUuidText } from '../../codec/ovsdb/value.js';
import { Replica, type ReplicaRow, type RowChange, type RowTypes } from './replica.js';

export type MonitorMethod = 'monitor' | 'monitor_cond' | 'monitor_cond_since';

export interface MonitorSelect {
  initial?: boolean;
  insert?: boolean;
  delete?: boolean;
  modify?: boolean;
}

export interface MonitorTableRequest {
  /** Columns to replicate (default: every column of the table). */
  columns?: readonly string[];
  /** Rows to replicate (monitor_cond / monitor_cond_since only; default: all rows). */
  where?: readonly Condition[];
  select?: MonitorSelect;
}

export type MonitorRequests = Readonly<Record<string, MonitorTableRequest>>;

export const ZERO_TXN_ID = '00000000-0000-0000-0000-000000000000';

export interface MonitorEstablished {
  method: MonitorMethod;
  /** The first establishment (false: re-established after a reconnect). */
  first: boolean;
  /** monitor_cond_since: the server still had our last transaction and sent only what changed since. */
  resumed: boolean;
  changes: readonly RowChange[];
}

export class Monitor<R extends RowTypes = Record<string, ReplicaRow>> {
  readonly replica: Replica<R>;
  /** Last transaction id seen (monitor_cond_since; the zero UUID when the server does not track them). */
  lastTxnId: string = ZERO_TXN_ID;
  /** Emits each time the monitor is (re-)established on a connection. */
  readonly established$ = new ReplaySubject<MonitorEstablished>(1);
  /** Raw notification count handled (for tests and metrics). */
  updatesReceived = 0;
  private established = false;
  private canceled = false;
  private readonly columns: Record<string, readonly string[]>;
  readonly canceled$ = new Subject<void>();

  constructor(
    readonly id: string,
    readonly db: string,
    readonly method: MonitorMethod,
    readonly requests: MonitorRequests,
    readonly schema: DatabaseSchema,
    /** Sends monitor_cancel on the current connection (provided by the client). */
    private readonly cancelFn: (m: Monitor<R>) => Promise<void>,
    validate = true,
  ) {
    this.columns = {};
    for (const [table, req] of Object.entries(requests)) {
      const ts = schema.tables.get(table);
      if (!ts) throw new RangeError(`no table ${table} in database ${db}`);
      if (method === 'monitor' && req.where !== undefined) throw new RangeError(`"where" needs monitor_cond or monitor_cond_since (table ${table})`);
      this.columns[table] = req.columns ? [...req.columns] : [...ts.columns.keys()].filter((c) => c !== '_uuid' && c !== '_version');
      if (validate) req.where?.forEach((c, i) => validateCondition(ts, c, `${table}.where[${i}]`));
    }
    this.replica = new Replica<R>(schema, this.columns);
  }

  get isCanceled(): boolean {
    return this.canceled;
  }

  /** The params of the request on the wire. Columns are always listed, so the replica knows them exactly. */
  params(): JsonValue[] {
    const reqs: Record<string, JsonValue> = {};
    for (const [table, req] of Object.entries(this.requests)) {
      const one: Record<string, JsonValue> = { columns: [...this.columns[table]!] };
      if (req.where !== undefined) one.where = req.where.map((c, i) => encodeCondition(c, `${table}.where[${i}]`));
      if (req.select !== undefined) one.select = { ...req.select } as Record<string, JsonValue>;
      reqs[table] = this.method === 'monitor' ? one : [one];
    }
    const params: JsonValue[] = [this.db, this.id, reqs];
    if (this.method === 'monitor_cond_since') params.push(this.lastTxnId);
    return params;
  }

  /** Applies the reply to the (re-)establishing request. Throws OvsdbDecodeError on malformed content. */
  handleReply(result: JsonValue): MonitorEstablished {
    const first = !this.established;
    let changes: RowChange[];
    let resumed = false;
    if (this.method === 'monitor') {
      const tu = decodeTableUpdates(result ?? {}, this.schema, 'result');
      changes = first ? this.replica.applyTableUpdates(tu, 'initial') : this.replica.resync(tu);
    } else if (this.method === 'monitor_cond') {
      const tu = decodeTableUpdates2(result ?? {}, this.schema, 'result');
      changes = first ? this.replica.applyTableUpdates2(tu, 'initial') : this.replica.resync(tu);
    } else {
      if (!Array.isArray(result) || result.length !== 3 || typeof result[0] !== 'boolean' || typeof result[1] !== 'string' || !isUuidText(result[1])) {
        throw new OvsdbDecodeError('monitor_cond_since reply is not [found, last-txn-id, table-updates2]', 'bad-result', 'result');
      }
      const [found, txn, updates] = result as [boolean, string, JsonValue];
      const tu = decodeTableUpdates2(updates ?? {}, this.schema, 'result[2]');
      resumed = found && !first;
      changes = first ? this.replica.applyTableUpdates2(tu, 'initial') : found ? this.replica.applyTableUpdates2(tu, 'update') : this.replica.resync(tu);
      this.lastTxnId = txn;
    }
    this.established = true;
    const ev: MonitorEstablished = { method: this.method, first, resumed, changes };
    this.established$.next(ev);
    return ev;
  }

  /** Applies an update/update2/update3 notification's params (after the monitor id). */
  handleNotification(method: string, params: readonly JsonValue[]): void {
    this.updatesReceived++;
    if (method === 'update' && this.method === 'monitor') {
      this.replica.applyTableUpdates(decodeTableUpdates(params[1], this.schema, 'params[1]'));
    } else if (method === 'update2' && this.method === 'monitor_cond') {
      this.replica.applyTableUpdates2(decodeTableUpdates2(params[1], this.schema, 'params[1]'));
    } else if (method === 'update3' && this.method === 'monitor_cond_since') {
      const txn = params[1];
      if (typeof txn !== 'string' || !isUuidText(txn)) throw new OvsdbDecodeError('update3 without a last-txn-id', 'bad-update', 'params[1]');
      this.replica.applyTableUpdates2(decodeTableUpdates2(params[2], this.schema, 'params[2]'));
      this.lastTxnId = txn;
    } else {
      throw new OvsdbDecodeError(`${method} notification for a ${this.method} monitor`, 'bad-update', 'method');
    }
  }

  /** Cancels the monitor on the server (monitor_cancel) and completes the replica's observables. */
  async cancel(): Promise<void> {
    if (this.canceled) return;
    try {
      await this.cancelFn(this);
    } finally {
      this.markCanceled();
    }
  }

  /** @internal the client calls this when the monitor is gone for good. */
  markCanceled(): void {
    if (this.canceled) return;
    this.canceled = true;
    this.canceled$.next();
    this.canceled$.complete();
    this.established$.complete();
    this.replica.complete();
  }
}
