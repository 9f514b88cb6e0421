/**
 * The Neo4j topology store: connection (openNeo4j), migrations (applyMigrations), and the writer that
 * mirrors TopologyEvents into the graph (TopologyWriter). topology/README.md "How Vigil writes" describes
 * the whole; openTopologyStore wires them from the configuration.
 */
import type { Observable } from 'rxjs';
import type { VigilConfig } from '../../config/config.js';
import type { Logger } from '../../observability/log.js';
import type { Registry } from '../../observability/metrics.js';
import type { Clock } from '../../southbound/ovsdb/clock.js';
import type { TopologyEvent, TopologySnapshot } from '../model.js';
import { Neo4jBackend } from './backend.js';
import { openNeo4j, type Neo4jHandle } from './connection.js';
import { TopologyWriter } from './writer.js';

export { Neo4jBackend, StoreResetError, type StoreBackend, type ResyncResult } from './backend.js';
export { classifyFailure, describeError, openNeo4j, toCypher, type FailureKind, type Neo4jHandle } from './connection.js';
export { applyMigrations, loadMigrations, migrationsDir, MigrationError, type Migration, type MigrateResult } from './migrations.js';
export { planBatch, planResync, type ExistingGraph, type Statement } from './plan.js';
export { EventQueue, type PushResult } from './queue.js';
export { TopologyWriter, type StoreStats, type StoreStatus, type TopologyWriterOptions } from './writer.js';

export interface TopologyStore {
  readonly neo4j: Neo4jHandle;
  readonly writer: TopologyWriter;
  /** Stops the writer, then closes the driver. */
  close(): Promise<void>;
}

export interface TopologyStoreDeps {
  logger: Logger;
  metrics: Registry;
  /** The controller's topology (TopologyState as a TopologySnapshot), for resyncs. */
  snapshot?: () => TopologySnapshot;
  /** Events to mirror (they can also be pushed with writer.push). */
  events$?: Observable<TopologyEvent>;
  clock?: Clock;
}

/** Opens Neo4j and starts the writer (returns at once: Neo4j may be down; writer.status$ tells). */
export function openTopologyStore(config: Pick<VigilConfig, 'neo4j'>, deps: TopologyStoreDeps): TopologyStore {
  const neo4j = openNeo4j(config, { logger: deps.logger });
  const c = config.neo4j;
  const writer = new TopologyWriter(
    { batchSize: c.writeBatchSize, queueLimit: c.queueLimit, linkSeenIntervalMs: c.linkSeenIntervalMs, retry: { initialMs: c.retryMs, maxMs: Math.max(c.retryMs, c.retryMaxMs), multiplier: 2, jitter: 0.2 } },
    { backend: new Neo4jBackend(neo4j), logger: deps.logger, metrics: deps.metrics, ...(deps.snapshot ? { snapshot: deps.snapshot } : {}), ...(deps.clock ? { clock: deps.clock } : {}) },
  );
  const sub = deps.events$ ? writer.attach(deps.events$) : null;
  writer.start();
  return {
    neo4j,
    writer,
    async close() {
      sub?.unsubscribe();
      try {
        await writer.close();
      } finally {
        await neo4j.close();
      }
    },
  };
}
