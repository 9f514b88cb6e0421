/**
 * Failures of switch management (attach/detach, sFlow, mirrors, policing). Planning raises the first three
 * before anything is sent; the executor raises SwitchChangeError when ovsdb-server refuses a transaction.
 */
import type { OvsdbTransactionError } from '../../codec/ovsdb/errors.js';

/** A desired configuration that cannot be valid (bad controller target, sampling 0, unknown option...). */
export class SwitchSpecError extends Error {
  override readonly name = 'SwitchSpecError';
  constructor(
    message: string,
    /** The offending field, e.g. `sflow.sampling`, `mirror.outputPort`. */
    readonly field: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export type SwitchObjectKind = 'bridge' | 'port' | 'interface';

/** A bridge, port or interface named in a request does not exist (or is not on the named bridge). */
export class SwitchNotFoundError extends Error {
  override readonly name = 'SwitchNotFoundError';
  constructor(
    readonly kind: SwitchObjectKind,
    readonly objectName: string,
    readonly bridge?: string,
  ) {
    super(bridge === undefined ? `no ${kind} named ${JSON.stringify(objectName)}` : `no ${kind} named ${JSON.stringify(objectName)} on bridge ${JSON.stringify(bridge)}`);
  }
}

/** A row Vigil would have to change belongs to someone else (it lacks Vigil's external_ids mark). */
export class SwitchConflictError extends Error {
  override readonly name = 'SwitchConflictError';
  constructor(
    message: string,
    readonly table: string,
    readonly uuid: string,
  ) {
    super(message);
  }
}

/**
 * ovsdb-server refused the transaction of a change. `raced` is true when one of the plan's `wait` guards
 * failed: another writer changed what the plan was based on, and planning again on fresh state is the cure.
 * `error`, `details`, `index` and `operation` are OVSDB's (see OvsdbTransactionError, also the `cause`).
 */
export class SwitchChangeError extends Error {
  override readonly name = 'SwitchChangeError';
  readonly error: string;
  readonly details: string | undefined;
  readonly index: number;
  readonly operation: string | undefined;

  constructor(
    readonly action: string,
    readonly target: string,
    readonly raced: boolean,
    readonly attempts: number,
    override readonly cause: OvsdbTransactionError,
  ) {
    super(
      raced
        ? `${action} ${target}: the switch changed while the change was planned (${cause.error}${cause.details ? `: ${cause.details}` : ''}, guard ${cause.index}); ${attempts} attempt(s) made`
        : `${action} ${target}: ${cause.message}`,
    );
    this.error = cause.error;
    this.details = cause.details;
    this.index = cause.index;
    this.operation = cause.operation;
  }
}
