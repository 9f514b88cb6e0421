/**
 * The writer's I/O, behind an interface so the writer's queueing, retry and resync logic is unit-tested
 * with a fake (test/unit/topology/store/writer.test.ts) and run against Neo4j by Neo4jBackend.
 *
 * Detecting a reset database: a Neo4j restarted empty (the lab's), or wiped by hand, can answer the next
 * write as if nothing happened — the driver silently replaces a broken pooled connection — and the graph
 * would then hold only what came after. So every write transaction first reads the *marker* of the
 * database it migrated (element id + appliedAt of the first Migration node, see migrations.ts) and throws
 * StoreResetError when it differs (rolled back); the writer then migrates and resyncs. One indexed
 * lookup per batch.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { TopologySnapshot } from '../model.js';
import type { Neo4jHandle } from './connection.js';
import { toCypher } from './connection.js';
import { applyMigrations, loadMigrations, MARKER_QUERY, type MigrateResult, type Migration } from './migrations.js';
import { chunkStatements, EXISTING_QUERIES, planResync, type ExistingGraph, type ResyncPlan, type Statement } from './plan.js';

export interface ResyncResult {
  statements: number;
  removed: ResyncPlan['removed'];
}

export interface StoreBackend {
  /** Applies pending migrations; returns their result (with the database marker). */
  migrate(): Promise<MigrateResult>;
  /** Runs the statements in one write transaction on the database with that marker. */
  write(statements: readonly Statement[], marker: string): Promise<void>;
  /** Rewrites the graph to the snapshot in one write transaction on the database with that marker. */
  resync(snapshot: TopologySnapshot, marker: string): Promise<ResyncResult>;
}

/** The database is not the one the writer migrated (restarted empty, wiped, replaced). */
export class StoreResetError extends Error {
  override readonly name = 'StoreResetError';
  constructor(
    readonly expected: string,
    readonly found: string | null,
  ) {
    super(`the Neo4j database was reset (migration marker ${found ?? 'missing'}, expected ${expected})`);
  }
}

export interface Neo4jBackendOptions {
  /** Default: the package's topology/migrations. */
  migrations?: readonly Migration[];
  /** Most rows per statement in a resync (one transaction, several statements). Default 5000. */
  resyncChunkRows?: number;
  /** Server-side timeout of one transaction, ms. Default 60 s. */
  txTimeoutMs?: number;
  now?: () => number;
}

export class Neo4jBackend implements StoreBackend {
  private readonly migrations: readonly Migration[];
  private readonly firstVersion: number;
  private readonly chunkRows: number;
  private readonly txConfig: { timeout: number; metadata: Record<string, string> };

  constructor(
    private readonly neo4j: Neo4jHandle,
    private readonly opts: Neo4jBackendOptions = {},
  ) {
    this.migrations = opts.migrations ?? loadMigrations();
    this.firstVersion = Math.min(...this.migrations.map((m) => m.version));
    this.chunkRows = opts.resyncChunkRows ?? 5000;
    this.txConfig = { timeout: opts.txTimeoutMs ?? 60_000, metadata: { app: 'vigil', component: 'topology-writer' } };
  }

  migrate(): Promise<MigrateResult> {
    return applyMigrations(this.neo4j.driver, { database: this.neo4j.database, migrations: this.migrations, ...(this.opts.now ? { now: this.opts.now } : {}) });
  }

  async write(statements: readonly Statement[], marker: string): Promise<void> {
    const session = this.neo4j.session('WRITE');
    try {
      await session.executeWrite(async (tx) => {
        await this.checkMarker(tx, marker);
        for (const s of statements) await runStatement(tx, s);
      }, this.txConfig);
    } finally {
      await session.close();
    }
  }

  async resync(snapshot: TopologySnapshot, marker: string): Promise<ResyncResult> {
    const session = this.neo4j.session('WRITE');
    try {
      return await session.executeWrite(async (tx) => {
        await this.checkMarker(tx, marker);
        const plan = planResync(snapshot, await readExisting(tx));
        const statements = chunkStatements(plan.statements, this.chunkRows);
        for (const s of statements) await runStatement(tx, s);
        return { statements: statements.length, removed: plan.removed };
      }, this.txConfig);
    } finally {
      await session.close();
    }
  }

  private async checkMarker(tx: ManagedTransaction, marker: string): Promise<void> {
    const r = await tx.run(MARKER_QUERY, toCypher({ version: this.firstVersion }) as Record<string, unknown>);
    const found = r.records[0]?.get('marker') as unknown;
    if (found !== marker) throw new StoreResetError(marker, typeof found === 'string' ? found : null);
  }
}

/** Runs one statement; a failure carries the statement's kind (`statement`) for the writer's log. */
async function runStatement(tx: ManagedTransaction, s: Statement): Promise<void> {
  try {
    await tx.run(s.cypher, { rows: toCypher(s.rows) });
  } catch (e) {
    if (e !== null && typeof e === 'object') (e as { statement?: string }).statement = s.kind;
    throw e;
  }
}

/** What a resync may delete, read inside its transaction. */
export async function readExisting(tx: ManagedTransaction): Promise<ExistingGraph> {
  const keys = async (q: string): Promise<string[]> => (await tx.run(q)).records.map((r) => String(r.get('k')));
  const links = (await tx.run(EXISTING_QUERIES.links)).records.map((r) => [String(r.get('a')), String(r.get('b'))] as const);
  return {
    connectedSwitches: await keys(EXISTING_QUERIES.connectedSwitches),
    links,
    attachedHosts: await keys(EXISTING_QUERIES.attachedHosts),
    vmUuids: await keys(EXISTING_QUERIES.vmUuids),
  };
}
