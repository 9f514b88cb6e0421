/**
 * The API's typed errors (ARCHITECTURE §10). A client can tell them apart by `extensions.code`:
 *
 * - BAD_USER_INPUT: an argument is malformed or out of range; `extensions.argument` names it.
 * - NOT_FOUND: an argument names something the graph does not have; `extensions.argument` names it.
 * - QUERY_LIMIT: the operation exceeds a depth/cost/alias/token/directive limit; `extensions.limit` says which.
 *
 * These are GraphQLErrors, so yoga's error masking lets them through; every other error a resolver throws
 * becomes "Unexpected error." (server.ts).
 */
import { GraphQLError } from 'graphql';

export function badInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

export function notFound(argument: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND', argument } });
}

export function queryLimit(limit: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_LIMIT', limit } });
}

/** `parse(value)`, with a RangeError turned into BAD_USER_INPUT for `argument`. */
export function parseArg<T>(argument: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RangeError) throw badInput(argument, e.message);
    throw e;
  }
}
