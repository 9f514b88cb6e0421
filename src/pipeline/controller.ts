/**
 * The controller process's southbound wiring: the OpenFlow listener, and on every switch that comes up,
 * the pipeline (and the meters it uses) reconciled onto it (never flushed); the sFlow collector, whose
 * sample batches leave as `sflowBatches$`; topology discovery (pipeline/topology.ts), whose changes leave
 * as `topology$`. Later stages (analysis, response, the Neo4j store, the API) subscribe to the streams
 * exposed here.
 */
import { EMPTY, Subject, type Observable } from 'rxjs';
import type { VigilConfig } from '../config/config.js';
import type { Logger } from '../observability/log.js';
import type { Registry } from '../observability/metrics.js';
import { OwnerKind } from '../southbound/openflow/cookies.js';
import { ensureMeters, ensureRules } from '../southbound/openflow/installer.js';
import type { ReconcilePlan } from '../southbound/openflow/reconcile.js';
import { OpenFlowServer } from '../southbound/openflow/server.js';
import type { SwitchSession } from '../southbound/openflow/session.js';
import { basePipelineMeters, basePipelineRules, pipelineProblems, type BasePipelineOptions } from '../southbound/openflow/tables.js';
import type { Inventory } from '../southbound/ovsdb/inventory.js';
import type { SflowBatch } from '../southbound/sflow/batch.js';
import { SflowCollector, type CollectorAddress } from '../southbound/sflow/collector.js';
import type { IfindexResolver, TopologyDiscovery } from '../topology/discovery/openflow-discovery.js';
import type { TopologyEvent, TopologySnapshot } from '../topology/model.js';
import type { TopologyState } from '../topology/state.js';
import { startTopology, type TopologyRuntime } from './topology.js';

export interface PipelineInstalled {
  dpid: bigint;
  session: SwitchSession;
  plan: ReconcilePlan;
}

export interface Controller {
  readonly openflow: OpenFlowServer;
  /** Emits each time a switch's pipeline has been reconciled (after every (re)connection). */
  readonly pipelineInstalled$: Subject<PipelineInstalled>;
  /** The sFlow collector and the address it is bound to; null when sflow.enabled is false. */
  readonly sflow: { readonly collector: SflowCollector; readonly address: CollectorAddress } | null;
  /**
   * sFlow sample batches as they arrive (hot: a subscriber sees the batches after it subscribed).
   * Synchronous: a slow subscriber slows the collector's drain and the kernel then drops (counted in
   * vigil_sflow_receive_drops_total). Completes on close(); empty when sFlow is disabled.
   */
  readonly sflowBatches$: Observable<SflowBatch>;
  /** Topology discovery (switches, ports, links, hosts, VMs, segments). */
  readonly discovery: TopologyDiscovery;
  /**
   * Every topology change as it happens (hot, synchronous: topologyState() already includes the event being
   * delivered). Completes on close().
   */
  readonly topology$: Observable<TopologyEvent>;
  /** The current topology (immutable). */
  topologyState(): TopologyState;
  /** The current topology as plain data (for a store resync). */
  topologySnapshot(): TopologySnapshot;
  close(): Promise<void>;
}

export interface ControllerDeps {
  logger: Logger;
  metrics: Registry;
  /** OVSDB inventory for discovery; default: discovery opens its own on discovery.ovsdbRemote. */
  inventory$?: Observable<Inventory>;
  /** sFlow input ifIndex -> port, asked before the OVSDB inventory. */
  ifindexResolver?: IfindexResolver;
}

/** The pipeline options the configuration asks for. */
export function pipelineOptions(config: VigilConfig): BasePipelineOptions {
  return {
    lldpToController: config.pipeline.lldpToController,
    hostPunt: config.discovery.hostPunt,
    hostPuntBytes: config.discovery.hostPuntBytes,
    hostPuntRatePps: config.discovery.hostPuntRatePps,
  };
}

const RETRIES = 3;

export async function startController(config: VigilConfig, deps: ControllerDeps): Promise<Controller> {
  const { logger: log, metrics } = deps;
  const openflow = new OpenFlowServer({
    host: config.openflow.host,
    port: config.openflow.port,
    echoIntervalMs: config.openflow.echoIntervalMs,
    deadAfterMs: config.openflow.deadAfterMs,
    requestTimeoutMs: config.openflow.requestTimeoutMs,
    missSendLen: config.openflow.missSendLen,
    logger: log,
    metrics,
  });
  const pipelineInstalled$ = new Subject<PipelineInstalled>();
  const rules = basePipelineRules(pipelineOptions(config));
  const meters = basePipelineMeters(pipelineOptions(config));

  const install = async (session: SwitchSession): Promise<void> => {
    const problems = session.features ? pipelineProblems(session.features) : [];
    if (problems.length > 0) {
      log.error('switch cannot run the Vigil pipeline', { dpid: session.dpidHex, problems });
      session.close(problems.join('; '));
      return;
    }
    for (let attempt = 1; attempt <= RETRIES && !session.isClosed; attempt++) {
      try {
        await ensureMeters(session, meters);
        const plan = await ensureRules(session, rules, [OwnerKind.PIPELINE, OwnerKind.DISCOVERY]);
        metrics.counter('vigil_pipeline_reconciliations_total', 'Pipeline reconciliations completed').inc();
        log.info('pipeline reconciled', { dpid: session.dpidHex, added: plan.add.length, removed: plan.remove.length, unchanged: plan.unchanged });
        pipelineInstalled$.next({ dpid: session.dpid!, session, plan });
        return;
      } catch (e) {
        metrics.counter('vigil_pipeline_failures_total', 'Pipeline reconciliations that failed').inc();
        log.error('pipeline reconciliation failed', { dpid: session.dpidHex, attempt, error: e });
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    }
  };

  // Discovery subscribes first: a switch's first LLDP probes leave before its pipeline is (re)installed, so
  // its neighbours know their ports to it as switch-to-switch before it forwards anything.
  const sflowBatches$ = new Subject<SflowBatch>();
  const topology: TopologyRuntime = startTopology(config, {
    logger: log,
    metrics,
    openflow,
    sflowBatches$,
    ...(deps.inventory$ ? { inventory$: deps.inventory$ } : {}),
    ...(deps.ifindexResolver ? { ifindexResolver: deps.ifindexResolver } : {}),
  });
  openflow.up$.subscribe((s) => void install(s));
  openflow.down$.subscribe((d) => log.info('switch down', { dpid: d.dpid === undefined ? '?' : d.dpid.toString(16).padStart(16, '0'), reason: d.reason }));
  try {
    await openflow.listen();
  } catch (e) {
    await topology.close();
    throw e;
  }

  // The sFlow collector: bound after the OpenFlow listener, so a taken OpenFlow port is reported as such.
  // A port it cannot bind is fatal, as for OpenFlow: the operator configured that port (and OVS bridges
  // export to it), so running without it would silently lose all telemetry. sflow.enabled: false is the
  // way to run without sFlow.
  let sflow: Controller['sflow'] = null;
  if (config.sflow.enabled) {
    const collector = new SflowCollector({ host: config.sflow.host, port: config.sflow.port, receiveBufferBytes: config.sflow.receiveBufferBytes, metrics, log });
    try {
      // Logs "sFlow collector listening" with the address, port, transport and receive buffer.
      sflow = { collector, address: await collector.start() };
    } catch (e) {
      log.error('cannot start the sFlow collector', { host: config.sflow.host, port: config.sflow.port, error: e });
      await collector.stop();
      await topology.close();
      await openflow.close();
      pipelineInstalled$.complete();
      throw e;
    }
  } else log.info('sFlow collector disabled (sflow.enabled: false)');

  const batches$ = sflow ? sflow.collector.batches$ : EMPTY;
  const feed = batches$.subscribe(sflowBatches$);
  return {
    openflow,
    pipelineInstalled$,
    sflow,
    sflowBatches$: batches$,
    discovery: topology.discovery,
    topology$: topology.topology$,
    topologyState: () => topology.state(),
    topologySnapshot: () => topology.snapshot(),
    async close() {
      try {
        await sflow?.collector.stop();
      } finally {
        feed.unsubscribe();
        await topology.close();
        await openflow.close();
        pipelineInstalled$.complete();
      }
    },
  };
}
