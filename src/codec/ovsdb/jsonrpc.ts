/**
 * JSON-RPC 1.0 messages as OVSDB uses them (RFC 7047 §4): requests (non-null id), notifications (id null)
 * and responses (result/error + the request's id). Both peers may send requests (the server sends "echo").
 */
import { OvsdbDecodeError } from './errors.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface RpcRequest {
  kind: 'request';
  method: string;
  params: JsonValue[];
  /** Never null. */
  id: JsonValue;
}

export interface RpcNotification {
  kind: 'notification';
  method: string;
  params: JsonValue[];
}

export interface RpcResponse {
  kind: 'response';
  /** The request's id; null only in an error reply to a request the peer could not parse. */
  id: JsonValue;
  result: JsonValue;
  error: JsonValue;
}

export type RpcMessage = RpcRequest | RpcNotification | RpcResponse;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Classifies a parsed JSON value as a JSON-RPC 1.0 message; anything else is `bad-message`. */
export function decodeRpcMessage(json: unknown): RpcMessage {
  if (!isObject(json)) throw new OvsdbDecodeError('a JSON-RPC message must be a JSON object', 'bad-message');
  if ('method' in json) {
    const { method, params } = json;
    if (typeof method !== 'string') throw new OvsdbDecodeError('"method" must be a string', 'bad-message', 'method');
    if (!Array.isArray(params)) throw new OvsdbDecodeError(`"params" of ${method} must be an array`, 'bad-message', 'params');
    if (!('id' in json)) throw new OvsdbDecodeError(`${method} has no "id" member`, 'bad-message', 'id');
    const id = json.id as JsonValue;
    if (id === null) return { kind: 'notification', method, params: params as JsonValue[] };
    return { kind: 'request', method, params: params as JsonValue[], id };
  }
  if ('result' in json || 'error' in json) {
    if (!('id' in json)) throw new OvsdbDecodeError('response has no "id" member', 'bad-message', 'id');
    const result = (json.result ?? null) as JsonValue;
    const error = (json.error ?? null) as JsonValue;
    return { kind: 'response', id: json.id as JsonValue, result, error };
  }
  throw new OvsdbDecodeError('neither a request ("method") nor a response ("result"/"error")', 'bad-message');
}

/** The JSON text of a message (what goes on the wire; UTF-8 encode it). */
export function encodeRpcMessage(m: RpcMessage): string {
  switch (m.kind) {
    case 'request':
      return JSON.stringify({ method: m.method, params: m.params, id: m.id });
    case 'notification':
      return JSON.stringify({ method: m.method, params: m.params, id: null });
    case 'response':
      return JSON.stringify({ id: m.id, result: m.result, error: m.error });
  }
}

/** Key under which a request id is correlated (ids may be any JSON value). */
export function idKey(id: JsonValue): string {
  return typeof id === 'number' ? `n${id}` : JSON.stringify(id);
}
