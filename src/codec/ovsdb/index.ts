/** OVSDB (RFC 7047) codec: JSON-RPC framing, values, schema, operations, monitor updates. No sockets. */
export * from './errors.js';
export * from './framer.js';
export * from './jsonrpc.js';
export * from './operations.js';
export * from './schema.js';
export * from './updates.js';
export * from './validate.js';
export * from './value.js';
