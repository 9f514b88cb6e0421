/**
 * The connection to Neo4j: one driver per process, built from the `neo4j.*` options, and the
 * classification of its failures that the writer's retry policy is based on.
 *
 * Integers: Neo4j integers are signed 64-bit; every integer the topology stores is far below 2^53 (epoch
 * milliseconds, port numbers, kbit/s speeds, VLAN ids and VNIs, table counts, migration versions) and a
 * dpid — the only unsigned 64-bit value — is stored as text. So:
 *   - reading: the driver runs with `disableLosslessIntegers: true` and returns plain JS numbers;
 *   - writing: a JS number is sent as a Cypher FLOAT unless wrapped, so the store converts every integral
 *     number in its parameters with `toCypher()` (neo4j.int) and the graph holds INTEGERs, as the README
 *     says — except the measurements named in FLOAT_KEYS (a link's latencyMs), which stay FLOATs.
 *
 * `openNeo4j` does not connect: the driver connects lazily, so start-up never waits on Neo4j (the writer
 * reports whether the store is up). The driver's own transaction retries are kept short
 * (maxTransactionRetryTime 1 s): the writer retries with its own capped backoff and reports the outage.
 */
import neo4j, { Neo4jError, type AuthToken, type Driver, type Session } from 'neo4j-driver';
import type { VigilConfig } from '../../config/config.js';
import type { Logger } from '../../observability/log.js';

export interface Neo4jHandle {
  readonly driver: Driver;
  /** The database the topology lives in (neo4j.database). */
  readonly database: string;
  /** A session on that database. Close it after use. */
  session(mode?: 'READ' | 'WRITE'): Session;
  close(): Promise<void>;
}

export interface Neo4jDeps {
  logger: Logger;
}

/** Driver settings Vigil uses (exported for tests that build their own driver). */
export const DRIVER_CONFIG = {
  disableLosslessIntegers: true,
  maxTransactionRetryTime: 1_000,
  connectionTimeout: 5_000,
  connectionAcquisitionTimeout: 10_000,
  maxConnectionPoolSize: 20,
  userAgent: 'vigil-sdn',
} as const;

/** Bolt's "none" scheme (neo4j.auth.none() exists but is missing from the typings). */
const NO_AUTH: AuthToken = { scheme: 'none', credentials: '' };

/** A driver for `config.neo4j` (lazy: nothing is sent until the first query). */
export function openNeo4j(config: Pick<VigilConfig, 'neo4j'>, deps: Neo4jDeps): Neo4jHandle {
  const { uri, user, password, database } = config.neo4j;
  const log = deps.logger.child({ component: 'neo4j' });
  const auth = password === '' ? NO_AUTH : neo4j.auth.basic(user, password);
  const driver = neo4j.driver(uri, auth, {
    ...DRIVER_CONFIG,
    // The driver's own messages (connection failures, pool events) are debug output for us: the writer
    // logs each change of the store's state once, with the error.
    logging: { level: 'warn', logger: (level, message) => log.debug('driver', { driverLevel: level, message }) },
  });
  return {
    driver,
    database,
    session: (mode = 'WRITE') => driver.session({ database, defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE }),
    close: () => driver.close(),
  };
}

/**
 * How a failed Neo4j call should be handled:
 *   - `unavailable`: Neo4j cannot be reached or cannot serve (connection refused/lost, session expired,
 *     authentication, unknown database, server-side DatabaseError): keep the work, retry with backoff,
 *     and resync once it answers again (it may have been restarted empty);
 *   - `transient`: a Neo.TransientError (deadlock, lock timeout, ...): retry the same work with backoff;
 *   - `permanent`: the work itself is wrong (a Cypher or constraint error, a bug): retrying cannot help.
 */
export type FailureKind = 'unavailable' | 'transient' | 'permanent';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function classifyFailure(e: unknown): FailureKind {
  if (e instanceof Neo4jError) {
    const code = e.code ?? '';
    if (code === 'ServiceUnavailable' || code === 'SessionExpired') return 'unavailable';
    if (code.includes('TransientError')) return 'transient';
    if (code.startsWith('Neo.ClientError.Security.') || code.startsWith('Neo.ClientError.Database.') || code.startsWith('Neo.ClientError.Cluster.') || code.startsWith('Neo.DatabaseError.')) return 'unavailable';
    return 'permanent';
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'unavailable';
  return 'permanent';
}

/** A short text for logs and status: the Neo4j code when there is one, then the message. */
export function describeError(e: unknown): string {
  if (e instanceof Neo4jError) return `${e.code}: ${e.message.split('\n')[0] ?? ''}`;
  if (e instanceof Error) return e.message.split('\n')[0] ?? e.name;
  return String(e);
}

/**
 * Query parameters with every integral JS number turned into a Neo4j Integer (so it is stored as an
 * INTEGER, not a FLOAT), recursively through arrays and plain objects. Non-integral numbers are left as
 * they are.
 */
export function toCypher(v: unknown): unknown {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? neo4j.int(v) : v;
  if (Array.isArray(v)) return v.map(toCypher);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = FLOAT_KEYS.has(k) ? x : toCypher(x);
    return out;
  }
  return v;
}

/** Properties that are measurements (FLOAT even when a value happens to be whole): left as JS numbers. */
const FLOAT_KEYS = new Set(['latencyMs']);
