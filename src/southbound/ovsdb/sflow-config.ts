/**
 * Per-bridge sFlow export (the sFlow table): Vigil's row carries external_ids vigil-owner=vigil. Planning
 * creates it, brings its columns to the desired values, or removes it; an sFlow row someone else configured
 * on the bridge is never touched (SwitchConflictError tells the operator what to do).
 */
import { isIpv4, ipv6Bytes } from '../../codec/addr.js';
import { cond, op } from '../../codec/ovsdb/operations.js';
import { NamedUuid, OvsdbSet, valueEquals, type Value } from '../../codec/ovsdb/value.js';
import { SwitchConflictError, SwitchSpecError } from './switch-errors.js';
import { deref, isVigilOwned, PlanBuilder, requireBridge, showSet, vigilMark, type SwitchPlan, type VswitchState } from './switch-plan.js';
import type { BridgeRow, SFlowRow } from './vswitch.js';

export interface SflowSpec {
  /** Collectors as `IPv4:PORT` or `[IPv6]:PORT`. */
  readonly targets: readonly string[];
  /** Sample one packet in N. */
  readonly sampling: number;
  /** Seconds between interface counter samples. */
  readonly polling: number;
  /** Bytes of each sampled packet's header sent to the collector. */
  readonly header: number;
  /** Interface (or IP) whose address is the sFlow agent address; unset: OVS picks one. */
  readonly agent?: string | null;
}

export const DEFAULT_SFLOW_TARGET = '127.0.0.1:6343';
export const DEFAULT_SFLOW: Omit<SflowSpec, 'targets'> = { sampling: 64, polling: 10, header: 128 };

const U32_MAX = 0xffff_ffff;

/** `IPv4:PORT` or `[IPv6]:PORT` (the form the sFlow table's targets take). */
export function isSflowTarget(t: string): boolean {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(t) ?? /^([^:[\]]+):(\d{1,5})$/.exec(t);
  if (!m) return false;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return false;
  if (t.startsWith('[')) {
    try {
      ipv6Bytes(m[1]!);
      return true;
    } catch {
      return false;
    }
  }
  return isIpv4(m[1]!);
}

function checkInt(v: number, min: number, max: number, field: string): void {
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new SwitchSpecError(`must be an integer from ${min} to ${max}, not ${String(v)}`, field);
}

export function checkSflowSpec(spec: SflowSpec, field = 'sflow'): void {
  if (spec.targets.length === 0) throw new SwitchSpecError('needs at least one collector', `${field}.targets`);
  for (const t of spec.targets) if (!isSflowTarget(t)) throw new SwitchSpecError(`${JSON.stringify(t)} is not IPv4:PORT or [IPv6]:PORT`, `${field}.targets`);
  checkInt(spec.sampling, 1, U32_MAX, `${field}.sampling`);
  checkInt(spec.polling, 1, U32_MAX, `${field}.polling`);
  checkInt(spec.header, 14, 65535, `${field}.header`);
  if (spec.agent !== undefined && spec.agent !== null && (spec.agent.length === 0 || /\s/.test(spec.agent))) {
    throw new SwitchSpecError(`${JSON.stringify(spec.agent)} is not an interface name or address`, `${field}.agent`);
  }
}

const SFLOW_COLUMNS = ['targets', 'sampling', 'polling', 'header', 'agent'] as const;

function desiredColumns(spec: SflowSpec): Record<(typeof SFLOW_COLUMNS)[number], Value> {
  return {
    targets: new OvsdbSet(spec.targets),
    sampling: OvsdbSet.of(spec.sampling),
    polling: OvsdbSet.of(spec.polling),
    header: OvsdbSet.of(spec.header),
    agent: spec.agent ? OvsdbSet.of(spec.agent) : OvsdbSet.EMPTY,
  };
}

function describe(spec: SflowSpec): string {
  return `targets ${showSet(spec.targets)} sampling 1/${spec.sampling} polling ${spec.polling}s header ${spec.header}B${spec.agent ? ` agent ${spec.agent}` : ''}`;
}

function show(v: Value): string {
  if (!(v instanceof OvsdbSet)) return String(v);
  return v.size === 1 ? String(v.only()) : v.size === 0 ? 'unset' : showSet(v);
}

/** The bridge's sFlow row, if any. */
export function bridgeSflow(state: VswitchState, bridge: BridgeRow): SFlowRow | undefined {
  return deref(state, 'sFlow', bridge.sflow)[0];
}

/**
 * Adds to `plan` what brings the bridge's sFlow to `spec` (null: Vigil's sFlow removed). The caller guards
 * the bridge's `sflow` column.
 */
export function addSflowChanges(plan: PlanBuilder, state: VswitchState, bridge: BridgeRow, spec: SflowSpec | null): void {
  const cur = bridgeSflow(state, bridge);
  plan.guard('Bridge', bridge._uuid, { sflow: bridge.sflow });
  if (cur && !isVigilOwned(cur)) {
    if (spec === null) {
      plan.warn(`sFlow export to ${showSet(cur.targets)} is not Vigil's: left as is`);
      return;
    }
    throw new SwitchConflictError(
      `bridge ${bridge.name} already exports sFlow to ${showSet(cur.targets)} (sFlow row ${cur._uuid.value}, not created by Vigil); ` +
        `Vigil does not take it over: remove it (ovs-vsctl clear bridge ${bridge.name} sflow) or leave sFlow out`,
      'sFlow',
      cur._uuid.value,
    );
  }
  if (spec === null) {
    if (cur) plan.change(`remove sFlow export to ${showSet(cur.targets)}`, op.update('Bridge', [cond.uuid(bridge._uuid)], { sflow: OvsdbSet.EMPTY }));
    return;
  }
  checkSflowSpec(spec);
  const want = desiredColumns(spec);
  if (!cur) {
    plan.change(
      `export sFlow: ${describe(spec)}`,
      op.insert('sFlow', { ...want, external_ids: vigilMark() }, 'vigil_sflow'),
      op.update('Bridge', [cond.uuid(bridge._uuid)], { sflow: [new NamedUuid('vigil_sflow')] }),
    );
    return;
  }
  const diff: Record<string, Value> = {};
  const lines: string[] = [];
  const was: Record<string, Value> = {};
  for (const c of SFLOW_COLUMNS) {
    was[c] = cur[c];
    if (valueEquals(cur[c], want[c])) continue;
    diff[c] = want[c];
    lines.push(`${c} ${show(cur[c])} -> ${show(want[c])}`);
  }
  if (lines.length === 0) return;
  plan.guard('sFlow', cur._uuid, was);
  plan.change(`update sFlow: ${lines.join(', ')}`, op.update('sFlow', [cond.uuid(cur._uuid)], diff));
}

/** Configures (or with null removes) Vigil's sFlow export on a bridge. */
export function planSflow(state: VswitchState, bridgeName: string, spec: SflowSpec | null): SwitchPlan {
  if (spec) checkSflowSpec(spec);
  const bridge = requireBridge(state, bridgeName);
  const plan = new PlanBuilder('sflow', bridgeName);
  addSflowChanges(plan, state, bridge, spec);
  return plan.build();
}
