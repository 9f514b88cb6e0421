/**
 * Switch management through OVSDB: the executor for the pure planners (attach/detach, sFlow, mirrors,
 * ingress policing) and the source of the live Inventory.
 *
 *   const client = new OvsdbClient({ remote: 'unix:/var/run/openvswitch/db.sock' });
 *   await client.connect();
 *   const switches = await SwitchManager.open(client);
 *   switches.inventory$.subscribe((inv) => ...);
 *   await switches.attach('br0', { controller: 'tcp:127.0.0.1:6653', sflow: { targets: ['127.0.0.1:6343'], ...DEFAULT_SFLOW } });
 *
 * Each request is planned on the replica, then sent as ONE transaction whose `wait` guards say "the rows
 * still hold what the plan read". When another writer got there first, ovsdb-server refuses at a guard; the
 * manager waits for the replica to see the other change, plans again and retries (up to `retries` times),
 * then reports a SwitchChangeError (raced) if it keeps losing. Any other refusal is a SwitchChangeError at
 * once, with OVSDB's error and details. After a change commits, the manager waits until the replica shows
 * the desired state (planning again yields nothing), so the inventory reflects it when the call resolves.
 *
 * Like ovs-vsctl (without --no-wait), each transaction also increments Open_vSwitch.next_cfg and the
 * manager waits until ovs-vswitchd reports it has applied that configuration (cur_cfg catches up), so
 * when a call resolves with `applied: true` the switch really runs the new configuration.
 *
 * A connection lost mid-transaction rejects with the client's OvsdbConnectionClosedError (the change may or
 * may not have committed); every request is idempotent, so the cure is to call it again once reconnected.
 */
import { firstValueFrom, Observable, shareReplay, timer, race, map, filter } from 'rxjs';
import { OvsdbTransactionError } from '../../codec/ovsdb/errors.js';
import { op } from '../../codec/ovsdb/operations.js';
import { silentLogger, type Logger } from '../../observability/log.js';
import { Registry } from '../../observability/metrics.js';
import { planAttach, planDetach, type AttachSpec } from './bridge-attach.js';
import type { OvsdbClient } from './client.js';
import { deriveInventory, inventory$, type Inventory } from './inventory.js';
import { planMirror, planMirrorDelete, type MirrorSpec } from './mirrors.js';
import type { Monitor } from './monitor.js';
import { planIngressPolicing, type IngressPolicing } from './policing.js';
import { planSflow, type SflowSpec } from './sflow-config.js';
import { SwitchChangeError } from './switch-errors.js';
import { SWITCH_MONITOR, type SwitchPlan, type VswitchState } from './switch-plan.js';
import { VSWITCH_DB, type VswitchRows } from './vswitch.js';

export interface SwitchManagerOptions {
  /** Re-plans after a lost race before giving up with SwitchChangeError. */
  retries: number;
  /** How long to wait for the replica to show a racing writer's change before planning again. */
  raceWaitMs: number;
  /** How long to wait for the replica to show a committed change. */
  settleMs: number;
  /** Bump next_cfg and wait for ovs-vswitchd to apply each change (as ovs-vsctl does without --no-wait). */
  waitForSwitch: boolean;
  /** How long to wait for ovs-vswitchd (cur_cfg) before reporting `applied: false`. */
  switchWaitMs: number;
  metrics: Registry;
  logger: Logger;
}

export const defaultSwitchManagerOptions: SwitchManagerOptions = {
  retries: 3,
  raceWaitMs: 1000,
  settleMs: 2000,
  waitForSwitch: true,
  switchWaitMs: 5000,
  metrics: new Registry(),
  logger: silentLogger,
};

export interface ApplyOptions {
  /** Overrides the manager's `retries` (0: fail on the first lost race). */
  retries?: number;
}

export interface ApplyResult {
  /** The plan that was executed (or found nothing to do). */
  readonly plan: SwitchPlan;
  /** A transaction was committed. */
  readonly changed: boolean;
  /** Plans made (1 unless races were lost). */
  readonly attempts: number;
  /** The replica showed the desired state before the call returned. */
  readonly settled: boolean;
  /**
   * ovs-vswitchd reported the configuration applied (cur_cfg reached the transaction's next_cfg); true when
   * nothing changed, false when it did not within switchWaitMs, undefined when waitForSwitch is off.
   */
  readonly applied: boolean | undefined;
}

/** A replica of SWITCH_MONITOR's tables (a Replica<VswitchRows> is one). */
export interface SwitchReplica extends VswitchState {
  /** Increases with every applied update. */
  readonly version: number;
  /** Emits after every applied update. */
  readonly batches$: Observable<unknown>;
}

/** What the executor needs: a transaction runner and the replica. */
export interface SwitchBackend {
  transact(ops: SwitchPlan['ops']): Promise<unknown>;
  readonly replica: SwitchReplica;
}

export class SwitchManager {
  readonly options: SwitchManagerOptions;
  /** The inventory now and after every change (shared; replays the latest to new subscribers). */
  readonly inventory$: Observable<Inventory>;
  private readonly log: Logger;

  constructor(
    private readonly backend: SwitchBackend,
    options: Partial<SwitchManagerOptions> = {},
    private readonly onClose?: () => Promise<void>,
  ) {
    this.options = { ...defaultSwitchManagerOptions, ...options };
    this.log = this.options.logger.child({ component: 'switch-manager' });
    this.inventory$ = inventory$(backend.replica).pipe(shareReplay({ bufferSize: 1, refCount: true }));
  }

  /** Starts a monitor of SWITCH_MONITOR's tables on `client` and manages switches through it. */
  static async open(client: OvsdbClient, options: Partial<SwitchManagerOptions> = {}): Promise<SwitchManager> {
    await client.checkVswitchSchema();
    const monitor: Monitor<VswitchRows> = await client.monitorVswitch(SWITCH_MONITOR);
    const backend: SwitchBackend = { transact: (ops) => client.transact(VSWITCH_DB, ops), replica: monitor.replica };
    return new SwitchManager(backend, options, () => monitor.cancel().catch(() => undefined));
  }

  /** The replicated state planners read. */
  get state(): VswitchState {
    return this.backend.replica;
  }

  /** The inventory now (derived on each call). */
  get inventory(): Inventory {
    return deriveInventory(this.backend.replica);
  }

  attach(bridge: string, spec: AttachSpec, opts: ApplyOptions = {}): Promise<ApplyResult> {
    return this.apply((s) => planAttach(s, bridge, spec), opts);
  }

  detach(bridge: string, opts: ApplyOptions = {}): Promise<ApplyResult> {
    return this.apply((s) => planDetach(s, bridge), opts);
  }

  /** Vigil's sFlow export on a bridge (null removes it). */
  configureSflow(bridge: string, spec: SflowSpec | null, opts: ApplyOptions = {}): Promise<ApplyResult> {
    return this.apply((s) => planSflow(s, bridge, spec), opts);
  }

  setMirror(bridge: string, spec: MirrorSpec, opts: ApplyOptions = {}): Promise<ApplyResult> {
    return this.apply((s) => planMirror(s, bridge, spec), opts);
  }

  deleteMirror(bridge: string, name: string, opts: ApplyOptions = {}): Promise<ApplyResult> {
    return this.apply((s) => planMirrorDelete(s, bridge, name), opts);
  }

  /** An interface's ingress policing (null restores what it was before Vigil set it). */
  setIngressPolicing(iface: string, spec: IngressPolicing | null, opts: ApplyOptions = {}): Promise<ApplyResult> {
    return this.apply((s) => planIngressPolicing(s, iface, spec), opts);
  }

  /**
   * Plans on the current replica and executes, re-planning after lost races. `planner` must be pure and
   * must plan nothing once its goal is reached (that is how settling is detected).
   */
  async apply(planner: (state: VswitchState) => SwitchPlan, opts: ApplyOptions = {}): Promise<ApplyResult> {
    const retries = opts.retries ?? this.options.retries;
    const replica = this.backend.replica;
    for (let attempt = 1; ; attempt++) {
      const seen = replica.version;
      const plan = planner(replica);
      if (plan.ops.length === 0) {
        this.count(plan, 'unchanged');
        return { plan, changed: false, attempts: attempt, settled: true, applied: this.options.waitForSwitch ? true : undefined };
      }
      let cfg: number | undefined;
      try {
        cfg = await this.execute(plan, attempt);
      } catch (e) {
        if (e instanceof SwitchChangeError && e.raced && attempt <= retries) {
          this.log.info('lost a race, planning again', { action: plan.action, target: plan.target, attempt, error: e.error });
          await this.replicaAfter(seen, this.options.raceWaitMs);
          continue;
        }
        throw e;
      }
      const [settled, applied] = await Promise.all([
        this.settle(planner, this.options.settleMs),
        cfg === undefined ? Promise.resolve(undefined) : this.switchApplied(cfg, this.options.switchWaitMs),
      ]);
      this.log.info('switch changed', { action: plan.action, target: plan.target, changes: plan.changes, attempts: attempt, settled, applied });
      return { plan, changed: true, attempts: attempt, settled, applied };
    }
  }

  /**
   * Sends a plan as one transaction; a refusal becomes SwitchChangeError (`raced` when a guard failed).
   * With waitForSwitch the transaction also increments next_cfg; resolves with its new value.
   */
  async execute(plan: SwitchPlan, attempt = 1): Promise<number | undefined> {
    if (plan.ops.length === 0) return undefined;
    const bump = this.options.waitForSwitch;
    const ops = bump ? [...plan.ops, op.mutate('Open_vSwitch', [], [['next_cfg', '+=', 1]]), op.select('Open_vSwitch', [], ['next_cfg'])] : plan.ops;
    let results: unknown;
    try {
      results = await this.backend.transact(ops);
    } catch (e) {
      if (!(e instanceof OvsdbTransactionError)) throw e;
      const raced = e.index < plan.guards && e.operation === 'wait';
      this.count(plan, raced ? 'raced' : 'refused');
      throw new SwitchChangeError(plan.action, plan.target, raced, attempt, e);
    }
    this.count(plan, 'applied');
    if (!bump) return undefined;
    const sel = (results as { rows?: { next_cfg?: unknown }[] }[] | undefined)?.[ops.length - 1];
    const cfg = sel?.rows?.[0]?.next_cfg;
    return typeof cfg === 'number' ? cfg : undefined;
  }

  /** Resolves true once ovs-vswitchd's cur_cfg reaches `cfg`, false after `ms`. */
  private async switchApplied(cfg: number, ms: number): Promise<boolean> {
    const replica = this.backend.replica;
    const done = (): boolean => {
      for (const o of replica.rows('Open_vSwitch').values()) if (o.cur_cfg >= cfg) return true;
      return false;
    };
    if (done()) return true;
    return firstValueFrom(
      race(
        replica.batches$.pipe(
          filter(() => done()),
          map(() => true),
        ),
        timer(ms).pipe(map(() => false)),
      ),
      { defaultValue: false },
    );
  }

  async close(): Promise<void> {
    await this.onClose?.();
  }

  private count(plan: SwitchPlan, result: string): void {
    this.options.metrics.counter('vigil_switch_changes_total', 'Switch management requests by action and result (applied, unchanged, raced, refused)').inc({ action: plan.action, result });
  }

  /** Resolves once the replica has applied an update after version `seen` (at once if it already has), or after `ms`. */
  private async replicaAfter(seen: number, ms: number): Promise<void> {
    const replica = this.backend.replica;
    if (replica.version > seen) return;
    await firstValueFrom(race(replica.batches$.pipe(map(() => undefined)), timer(ms).pipe(map(() => undefined))), { defaultValue: undefined });
  }

  /** Waits until planning again yields nothing (the replica shows the goal), up to `ms`. */
  private async settle(planner: (state: VswitchState) => SwitchPlan, ms: number): Promise<boolean> {
    const replica = this.backend.replica;
    const done = (): boolean => {
      try {
        return planner(replica).ops.length === 0;
      } catch {
        return false;
      }
    };
    if (done()) return true;
    return firstValueFrom(
      race(
        replica.batches$.pipe(
          filter(() => done()),
          map(() => true),
        ),
        timer(ms).pipe(map(() => false)),
      ),
      { defaultValue: false },
    );
  }
}
