/**
 * Topology discovery wired into the controller: OpenFlow sessions coming and going, sFlow sample batches
 * and the OVSDB inventory feed TopologyDiscovery, whose events leave as `topology$`. Neo4j is not here: the
 * store subscribes to `topology$` and takes `snapshot()` for a resync.
 *
 * The OVSDB inventory (VMs, segments, sFlow ifIndex -> port, RSTP-blocked links) comes from, in order:
 * `deps.inventory$` when given (tests, or a process that already holds a SwitchManager); else an OVSDB
 * client of its own on `discovery.ovsdbRemote` (reconnecting in the background; never fatal); else none
 * ('' turns it off). sFlow input ports can also be resolved by `deps.ifindexResolver` (e.g. several
 * hypervisors' agents, each with its own ifIndex space), which is asked first.
 */
import { Observable, share, type Subscription } from 'rxjs';
import type { VigilConfig } from '../config/config.js';
import type { Logger } from '../observability/log.js';
import type { Registry } from '../observability/metrics.js';
import type { OpenFlowServer } from '../southbound/openflow/server.js';
import { OvsdbClient } from '../southbound/ovsdb/client.js';
import type { Inventory } from '../southbound/ovsdb/inventory.js';
import { SwitchManager } from '../southbound/ovsdb/switch-manager.js';
import type { SflowBatch } from '../southbound/sflow/batch.js';
import { TopologyDiscovery, type IfindexResolver } from '../topology/discovery/openflow-discovery.js';
import type { TopologyEvent, TopologySnapshot } from '../topology/model.js';
import type { TopologyState } from '../topology/state.js';

export interface TopologyRuntime {
  readonly discovery: TopologyDiscovery;
  /** Every topology change (hot; synchronous with the state: topologyState() already includes it). */
  readonly topology$: Observable<TopologyEvent>;
  state(): TopologyState;
  snapshot(): TopologySnapshot;
  close(): Promise<void>;
}

export interface TopologyDeps {
  logger: Logger;
  metrics: Registry;
  openflow: OpenFlowServer;
  sflowBatches$: Observable<SflowBatch>;
  /** An inventory source; when absent one is opened on config.discovery.ovsdbRemote (unless ''). */
  inventory$?: Observable<Inventory>;
  ifindexResolver?: IfindexResolver;
}

/** The OVSDB inventory from a client of our own: connects (and reconnects) in the background. */
function ownInventory(remote: string, log: Logger, metrics: Registry): { inventory$: Observable<Inventory>; close: () => Promise<void> } {
  const client = new OvsdbClient({ remote, logger: log.child({ component: 'ovsdb' }), metrics });
  let manager: SwitchManager | undefined;
  let closed = false;
  const inventory$ = new Observable<Inventory>((sub) => {
    let inner: Subscription | undefined;
    // The client keeps retrying in the background; say once that discovery runs without OVSDB meanwhile.
    const slow = setTimeout(() => {
      if (!closed && !manager) log.warn('OVSDB not reachable yet: no VMs, segments, sFlow port mapping or RSTP-blocked links until it is', { remote });
    }, 10_000);
    slow.unref();
    client
      .connect()
      .then(async () => {
        clearTimeout(slow);
        if (closed) return;
        manager = await SwitchManager.open(client, { logger: log, metrics });
        log.info('discovery reads the OVSDB inventory', { remote });
        inner = manager.inventory$.subscribe(sub);
      })
      .catch((e: unknown) => {
        if (!closed) log.warn('OVSDB inventory unavailable: no VMs, segments, sFlow port mapping or RSTP-blocked links', { remote, error: e });
      });
    return () => {
      clearTimeout(slow);
      inner?.unsubscribe();
    };
  }).pipe(share());
  return {
    inventory$,
    close: async () => {
      closed = true;
      await manager?.close().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

export function startTopology(config: VigilConfig, deps: TopologyDeps): TopologyRuntime {
  const d = config.discovery;
  const log = deps.logger;
  const discovery = new TopologyDiscovery(
    {
      lldp: config.pipeline.lldpToController,
      lldpIntervalMs: d.lldpIntervalMs,
      lldpMissedIntervals: d.lldpMissedIntervals,
      seenIntervalMs: d.seenIntervalMs,
      hostPunt: d.hostPunt,
      hostRuleIdleS: d.hostRuleIdleS,
      hostSettleMs: d.hostSettleMs,
      hostMoveHoldMs: d.hostMoveHoldMs,
      maxHosts: d.maxHosts,
      sflowHosts: d.sflowHosts,
    },
    { logger: log, metrics: deps.metrics, ...(deps.ifindexResolver ? { ifindexResolver: deps.ifindexResolver } : {}) },
  );
  const subs: Subscription[] = [
    deps.openflow.up$.subscribe((s) => discovery.addSession(s)),
    deps.openflow.down$.subscribe((s) => discovery.removeSession(s.session, s.reason)),
    deps.sflowBatches$.subscribe((b) => discovery.onSflowBatch(b)),
  ];
  let own: ReturnType<typeof ownInventory> | undefined;
  const inventory$ = deps.inventory$ ?? (d.ovsdbRemote !== '' ? (own = ownInventory(d.ovsdbRemote, log, deps.metrics)).inventory$ : undefined);
  if (inventory$) {
    subs.push(
      inventory$.subscribe({
        next: (inv) => discovery.onInventory(inv),
        error: (e: unknown) => log.warn('OVSDB inventory stream failed', { error: e }),
      }),
    );
  }
  discovery.start();
  log.info('topology discovery started', {
    lldpIntervalMs: d.lldpIntervalMs,
    linkTimeoutMs: discovery.links.timeoutMs,
    hostPunt: d.hostPunt,
    ovsdb: deps.inventory$ ? 'injected' : d.ovsdbRemote || 'off',
  });
  return {
    discovery,
    topology$: discovery.events$,
    state: () => discovery.state,
    snapshot: () => discovery.snapshot(),
    async close() {
      for (const s of subs) s.unsubscribe();
      discovery.close();
      await own?.close();
    },
  };
}
