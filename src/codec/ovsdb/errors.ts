/**
 * Failures of the OVSDB codec (RFC 7047).
 *
 * "Need more bytes" is not an error: the framer simply returns no message. Everything here is either
 * *malformed* input from the peer (`OvsdbDecodeError`, counted by reason and answered by resetting the
 * connection), a value that does not conform to the database schema (`OvsdbValidationError`, raised before
 * anything is sent), or a refusal by the server (`OvsdbTransactionError`, `OvsdbRpcError`).
 */

/** Why input was rejected; also the `reason` label of the malformed-input counter. */
export type OvsdbDecodeReason =
  | 'too-large' // a message exceeds the configured size limit (checked before buffering)
  | 'too-deep' // nesting deeper than the framer allows
  | 'bad-top-level' // something other than a JSON object/array between messages
  | 'utf8' // the message is not valid UTF-8
  | 'json-syntax' // the message is not valid JSON
  | 'bad-message' // valid JSON but not a JSON-RPC 1.0 request/notification/response
  | 'bad-value' // not an OVSDB <value> (or not of the column's type)
  | 'bad-schema' // get_schema returned something that is not a <database-schema>
  | 'bad-update' // a <table-updates>/<table-updates2> that is malformed or inconsistent with the replica
  | 'bad-result'; // a method's result has the wrong shape

export class OvsdbDecodeError extends Error {
  override readonly name = 'OvsdbDecodeError';
  readonly kind = 'malformed' as const;
  constructor(
    message: string,
    readonly reason: OvsdbDecodeReason,
    /** Dotted/indexed path inside the JSON document, e.g. `tables.Bridge.columns.name`. */
    readonly path?: string,
    /** Byte offset in the stream (framing errors). */
    readonly offset?: number,
  ) {
    super(path ? `${message} (at ${path})` : message);
  }
}

/** A value or operation that cannot be put on the wire (not JSON-representable, bad uuid text...). */
export class OvsdbEncodeError extends Error {
  override readonly name = 'OvsdbEncodeError';
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${message} (at ${path})` : message);
  }
}

/** A value, row, condition or mutation that the server's schema would refuse. Raised before sending. */
export class OvsdbValidationError extends Error {
  override readonly name = 'OvsdbValidationError';
  constructor(
    message: string,
    /** Where in the request, e.g. `ops[2].row.select_vlan[3]`. */
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/**
 * A transaction the server refused. `index` is the failing operation; when every operation succeeded but
 * the commit did not (constraint violation, referential integrity violation...), `index` equals the number
 * of operations and `operation` is undefined (RFC 7047 §4.1.3: the extra result element).
 */
export class OvsdbTransactionError extends Error {
  override readonly name = 'OvsdbTransactionError';
  constructor(
    /** OVSDB's short error string, e.g. "constraint violation", "timed out", "not owner". */
    readonly error: string,
    readonly details: string | undefined,
    readonly index: number,
    /** The failing operation's `op` (undefined for a commit-time failure). */
    readonly operation: string | undefined,
    /** The results of the operations before the failing one, decoded as far as they went. */
    readonly partialResults: readonly unknown[],
    /** ovsdb-server's extra `syntax` member for "syntax error". */
    readonly syntax?: string,
  ) {
    super(
      `transaction refused: ${error}${details ? `: ${details}` : ''} ` +
        (operation === undefined ? `(at commit, after ${index} operations)` : `(operation ${index}, ${operation})`),
    );
  }
}

/** A JSON-RPC-level error reply to any other request (unknown method, unknown database, canceled...). */
export class OvsdbRpcError extends Error {
  override readonly name = 'OvsdbRpcError';
  constructor(
    readonly method: string,
    /** The reply's `error` member as sent (a string or an object with `error`/`details`). */
    readonly error: unknown,
  ) {
    super(`${method} failed: ${describeRpcError(error)}`);
  }

  /** The short error string (`error.error` of an object, or the string itself). */
  get code(): string {
    if (typeof this.error === 'string') return this.error;
    if (this.error !== null && typeof this.error === 'object' && typeof (this.error as { error?: unknown }).error === 'string') {
      return (this.error as { error: string }).error;
    }
    return JSON.stringify(this.error);
  }
}

function describeRpcError(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e !== null && typeof e === 'object') {
    const o = e as { error?: unknown; details?: unknown };
    if (typeof o.error === 'string') return typeof o.details === 'string' ? `${o.error}: ${o.details}` : o.error;
  }
  return JSON.stringify(e);
}
