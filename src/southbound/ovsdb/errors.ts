/** Failures of the OVSDB client session (the codec's own errors live in codec/ovsdb/errors.ts). */

/** The server did not answer a request in time. */
export class OvsdbRequestTimeoutError extends Error {
  override readonly name = 'OvsdbRequestTimeoutError';
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`${method}: no reply within ${timeoutMs} ms`);
  }
}

/** The connection went away (or was not there) before the request was answered. */
export class OvsdbConnectionClosedError extends Error {
  override readonly name = 'OvsdbConnectionClosedError';
  constructor(
    readonly method: string,
    readonly reason: string,
  ) {
    super(`${method}: connection closed (${reason})`);
  }
}

/** The caller canceled the request (RFC 7047 §4.1.4 "cancel" was sent; the reply, if any, is ignored). */
export class OvsdbCanceledError extends Error {
  override readonly name = 'OvsdbCanceledError';
  constructor(readonly method: string) {
    super(`${method}: canceled`);
  }
}

/** The server does not implement a method (it answered "unknown method"). */
export class OvsdbNotSupportedError extends Error {
  override readonly name = 'OvsdbNotSupportedError';
  constructor(readonly method: string) {
    super(`the OVSDB server does not support ${method}`);
  }
}

/** The server's schema lacks columns (or has other types) that Vigil's typed tables expect. */
export class OvsdbSchemaMismatchError extends Error {
  override readonly name = 'OvsdbSchemaMismatchError';
  constructor(
    readonly db: string,
    readonly problems: readonly string[],
  ) {
    super(`schema of ${db} does not match what Vigil expects:\n  ${problems.join('\n  ')}`);
  }
}
