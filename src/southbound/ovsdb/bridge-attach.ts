/**
 * Attach: point a bridge at Vigil — a Vigil-owned Controller row, fail_mode=secure, OpenFlow 1.3 (1.5 kept
 * when present: Vigil's mirroring groups use its selection_method), and optionally Vigil's sFlow export.
 * Detach: remove exactly what attach (and Vigil's mirror and policing commands) set, restoring fail_mode,
 * protocols and ingress policing to the values recorded before Vigil changed them.
 *
 * Both are pure planners (state + desired -> SwitchPlan); running the same attach twice plans nothing the
 * second time, and detach after attach leaves the tables as they were before the attach.
 */
import { isIpv4, ipv6Bytes } from '../../codec/addr.js';
import { cond, op, type Condition, type Operation } from '../../codec/ovsdb/operations.js';
import { NamedUuid, OvsdbMap, OvsdbSet } from '../../codec/ovsdb/value.js';
import { policingRestoreChanges } from './policing.js';
import { addSflowChanges, bridgeSflow, type SflowSpec } from './sflow-config.js';
import { SwitchSpecError } from './switch-errors.js';
import {
  bridgeInterfaces,
  deref,
  forgetKeys,
  isVigilOwned,
  PlanBuilder,
  PREV_FAIL_MODE_KEY,
  PREV_PROTOCOLS_KEY,
  recordKey,
  requireBridge,
  showSet,
  vigilMark,
  type SwitchPlan,
  type VswitchState,
} from './switch-plan.js';
import type { BridgeRow } from './vswitch.js';

export const OPENFLOW_VERSIONS = ['OpenFlow10', 'OpenFlow11', 'OpenFlow12', 'OpenFlow13', 'OpenFlow14', 'OpenFlow15'] as const;
export type OpenFlowVersion = (typeof OPENFLOW_VERSIONS)[number];
export type FailMode = 'standalone' | 'secure';

export const DEFAULT_CONTROLLER = 'tcp:127.0.0.1:6653';

export interface AttachSpec {
  /** The OVS controller target Vigil listens on: `tcp:IP[:PORT]`, `ssl:IP[:PORT]`, `unix:PATH`. */
  readonly controller: string;
  /** Vigil's sFlow export on the bridge; null leaves the bridge's sFlow alone. */
  readonly sflow: SflowSpec | null;
  /** Exactly these protocols; default: OpenFlow13, plus OpenFlow15 when the bridge already has it. */
  readonly protocols?: readonly OpenFlowVersion[];
}

/** True for the active controller targets OVS accepts: tcp:IP[:PORT], ssl:IP[:PORT] (IPv6 in brackets), unix:PATH. */
export function isControllerTarget(t: string): boolean {
  if (t.startsWith('unix:')) return t.length > 5;
  const m = /^(?:tcp|ssl):(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(t);
  if (!m) return false;
  if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) return false;
  if (m[1] !== undefined) {
    try {
      ipv6Bytes(m[1]);
      return true;
    } catch {
      return false;
    }
  }
  return isIpv4(m[2]!);
}

export function checkAttachSpec(spec: AttachSpec): void {
  if (!isControllerTarget(spec.controller)) {
    throw new SwitchSpecError(`${JSON.stringify(spec.controller)} is not tcp:IP[:PORT], ssl:IP[:PORT] or unix:PATH`, 'controller');
  }
  if (spec.protocols !== undefined) {
    if (spec.protocols.length === 0) throw new SwitchSpecError('needs at least one OpenFlow version', 'protocols');
    for (const p of spec.protocols) if (!OPENFLOW_VERSIONS.includes(p)) throw new SwitchSpecError(`${JSON.stringify(p)} is not one of ${OPENFLOW_VERSIONS.join(', ')}`, 'protocols');
    if (!spec.protocols.includes('OpenFlow13')) throw new SwitchSpecError('Vigil speaks OpenFlow 1.3: include OpenFlow13', 'protocols');
  }
}

/** The protocols attach sets: the spec's, or OpenFlow13 plus OpenFlow15 when already enabled. */
export function attachProtocols(current: OvsdbSet<string>, spec: AttachSpec): OvsdbSet<string> {
  if (spec.protocols) return new OvsdbSet<string>(spec.protocols);
  return new OvsdbSet<string>(current.has('OpenFlow15') ? ['OpenFlow13', 'OpenFlow15'] : ['OpenFlow13']);
}

/** The controller rows of a bridge, split into Vigil's and others'. */
function controllers(state: VswitchState, bridge: BridgeRow) {
  const rows = deref(state, 'Controller', bridge.controller);
  return { vigil: rows.filter(isVigilOwned), foreign: rows.filter((c) => !isVigilOwned(c)) };
}

export function planAttach(state: VswitchState, bridgeName: string, spec: AttachSpec): SwitchPlan {
  checkAttachSpec(spec);
  const bridge = requireBridge(state, bridgeName);
  const where = [cond.uuid(bridge._uuid)];
  const plan = new PlanBuilder('attach', bridgeName);
  plan.guard('Bridge', bridge._uuid, { controller: bridge.controller, fail_mode: bridge.fail_mode, protocols: bridge.protocols });

  // Controller: one Vigil row with the target; a foreign row with the same target already does the job.
  const { vigil, foreign } = controllers(state, bridge);
  const keep = vigil.find((c) => c.target === spec.controller);
  const foreignSame = foreign.some((c) => c.target === spec.controller);
  if (!keep && !foreignSame) {
    plan.change(
      `add controller ${spec.controller}`,
      op.insert('Controller', { target: spec.controller, external_ids: vigilMark() }, 'vigil_controller'),
      op.mutate('Bridge', where, [['controller', 'insert', [new NamedUuid('vigil_controller')]]]),
    );
  }
  const stale = vigil.filter((c) => c !== keep);
  if (stale.length > 0) {
    plan.change(`remove Vigil controller ${showSet(stale.map((c) => c.target))}`, op.mutate('Bridge', where, [['controller', 'delete', stale.map((c) => c._uuid)]]));
  }
  if (foreignSame) plan.warn(`controller ${spec.controller} is already configured (not by Vigil): used as is`);
  for (const c of foreign) if (c.target !== spec.controller) plan.warn(`the bridge also has controller ${c.target} (not Vigil's): left as is`);

  // fail_mode=secure: without a controller the switch forwards nothing rather than everything.
  const mode = bridge.fail_mode.only();
  if (mode !== 'secure') {
    const ops: Operation[] = [op.update('Bridge', where, { fail_mode: ['secure'] })];
    if (!bridge.external_ids.has(PREV_FAIL_MODE_KEY)) ops.unshift(recordKey('Bridge', bridge._uuid, PREV_FAIL_MODE_KEY, mode ?? ''));
    plan.change(`set fail_mode secure (was ${mode ?? 'unset'})`, ...ops);
  }

  const protocols = attachProtocols(bridge.protocols, spec);
  if (!protocols.equals(bridge.protocols)) {
    const ops: Operation[] = [op.update('Bridge', where, { protocols })];
    if (!bridge.external_ids.has(PREV_PROTOCOLS_KEY)) ops.unshift(recordKey('Bridge', bridge._uuid, PREV_PROTOCOLS_KEY, bridge.protocols.toArray().join(',')));
    plan.change(`set protocols ${showSet(protocols)} (was ${showSet(bridge.protocols)})`, ...ops);
  }

  if (spec.sflow) addSflowChanges(plan, state, bridge, spec.sflow);
  return plan.build();
}

function parseFailMode(v: string): FailMode[] | undefined {
  if (v === '') return [];
  return v === 'standalone' || v === 'secure' ? [v] : undefined;
}

function parseProtocols(v: string): OpenFlowVersion[] | undefined {
  if (v === '') return [];
  const parts = v.split(',');
  return parts.every((p) => (OPENFLOW_VERSIONS as readonly string[]).includes(p)) ? (parts as OpenFlowVersion[]) : undefined;
}

/** A guard that the bridge's external_ids still hold `key=value` (the record detach restores from). */
function recordStillThere(key: string, value: string): Condition {
  return cond.includes('external_ids', new OvsdbMap([[key, value]]));
}

export function planDetach(state: VswitchState, bridgeName: string): SwitchPlan {
  const bridge = requireBridge(state, bridgeName);
  const where = [cond.uuid(bridge._uuid)];
  const plan = new PlanBuilder('detach', bridgeName);
  plan.guard('Bridge', bridge._uuid, { controller: bridge.controller, mirrors: bridge.mirrors, sflow: bridge.sflow, fail_mode: bridge.fail_mode, protocols: bridge.protocols });

  const { vigil } = controllers(state, bridge);
  if (vigil.length > 0) plan.change(`remove controller ${showSet(vigil.map((c) => c.target))}`, op.mutate('Bridge', where, [['controller', 'delete', vigil.map((c) => c._uuid)]]));

  const sf = bridgeSflow(state, bridge);
  if (sf && isVigilOwned(sf)) addSflowChanges(plan, state, bridge, null);

  const mirrors = deref(state, 'Mirror', bridge.mirrors).filter(isVigilOwned);
  if (mirrors.length > 0) plan.change(`remove mirror ${showSet(mirrors.map((m) => m.name))}`, op.mutate('Bridge', where, [['mirrors', 'delete', mirrors.map((m) => m._uuid)]]));

  const restore: { key: string; column: 'fail_mode' | 'protocols'; parse: (v: string) => string[] | undefined }[] = [
    { key: PREV_FAIL_MODE_KEY, column: 'fail_mode', parse: parseFailMode },
    { key: PREV_PROTOCOLS_KEY, column: 'protocols', parse: parseProtocols },
  ];
  for (const r of restore) {
    const prev = bridge.external_ids.get(r.key);
    if (prev === undefined) continue;
    const value = r.parse(prev);
    plan.guardWhere('Bridge', bridge._uuid, [recordStillThere(r.key, prev)], { name: bridge.name });
    if (value === undefined) {
      plan.warn(`external_ids:${r.key}=${JSON.stringify(prev)} is not a valid ${r.column}: ${r.column} left as is`);
      plan.change(`forget ${r.key}`, forgetKeys('Bridge', bridge._uuid, [r.key]));
      continue;
    }
    const now = bridge[r.column] as OvsdbSet<string>;
    const target = new OvsdbSet<string>(value);
    const ops: Operation[] = [forgetKeys('Bridge', bridge._uuid, [r.key])];
    if (!target.equals(now)) ops.unshift(op.update('Bridge', where, { [r.column]: target }));
    plan.change(`restore ${r.column} ${showSet(target)}`, ...ops);
  }

  for (const iface of bridgeInterfaces(state, bridge)) policingRestoreChanges(plan, iface);
  return plan.build();
}
