/**
 * The controller process's southbound wiring: the OpenFlow listener, and on every switch that comes up,
 * the pipeline reconciled onto it (never flushed). Later stages (discovery, analysis, response) subscribe
 * to the streams exposed here.
 */
import { Subject } from 'rxjs';
import type { VigilConfig } from '../config/config.js';
import type { Logger } from '../observability/log.js';
import type { Registry } from '../observability/metrics.js';
import { OwnerKind } from '../southbound/openflow/cookies.js';
import { ensureRules } from '../southbound/openflow/installer.js';
import type { ReconcilePlan } from '../southbound/openflow/reconcile.js';
import { OpenFlowServer } from '../southbound/openflow/server.js';
import type { SwitchSession } from '../southbound/openflow/session.js';
import { basePipelineRules, pipelineProblems } from '../southbound/openflow/tables.js';

export interface PipelineInstalled {
  dpid: bigint;
  session: SwitchSession;
  plan: ReconcilePlan;
}

export interface Controller {
  readonly openflow: OpenFlowServer;
  /** Emits each time a switch's pipeline has been reconciled (after every (re)connection). */
  readonly pipelineInstalled$: Subject<PipelineInstalled>;
  close(): Promise<void>;
}

export interface ControllerDeps {
  logger: Logger;
  metrics: Registry;
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
  const rules = basePipelineRules({ lldpToController: config.pipeline.lldpToController });

  const install = async (session: SwitchSession): Promise<void> => {
    const problems = session.features ? pipelineProblems(session.features) : [];
    if (problems.length > 0) {
      log.error('switch cannot run the Vigil pipeline', { dpid: session.dpidHex, problems });
      session.close(problems.join('; '));
      return;
    }
    for (let attempt = 1; attempt <= RETRIES && !session.isClosed; attempt++) {
      try {
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

  openflow.up$.subscribe((s) => void install(s));
  openflow.down$.subscribe((d) => log.info('switch down', { dpid: d.dpid === undefined ? '?' : d.dpid.toString(16).padStart(16, '0'), reason: d.reason }));
  await openflow.listen();

  return {
    openflow,
    pipelineInstalled$,
    async close() {
      await openflow.close();
      pipelineInstalled$.complete();
    },
  };
}
