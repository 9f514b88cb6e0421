/**
 * Per-interface ingress policing (Interface.ingress_policing_rate in kbps, ingress_policing_burst in kb;
 * rate 0 disables it, burst 0 lets OVS pick a default). Before Vigil first changes an interface's policing it
 * records the previous `rate,burst` in the interface's external_ids (vigil-prev-ingress-policing), and
 * clearing (spec null, or detach of the bridge) restores exactly that.
 */
import { cond, op, type Operation } from '../../codec/ovsdb/operations.js';
import { OvsdbMap } from '../../codec/ovsdb/value.js';
import { SwitchNotFoundError, SwitchSpecError } from './switch-errors.js';
import { forgetKeys, PlanBuilder, PREV_POLICING_KEY, recordKey, type SwitchPlan, type VswitchState } from './switch-plan.js';
import type { InterfaceRow } from './vswitch.js';

export interface IngressPolicing {
  /** Kilobits per second; 0 disables policing. */
  readonly rateKbps: number;
  /** Kilobits; 0: OVS's default burst. */
  readonly burstKb: number;
}

export function checkPolicing(spec: IngressPolicing): void {
  for (const [field, v] of [
    ['policing.rateKbps', spec.rateKbps],
    ['policing.burstKb', spec.burstKb],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0 || v > 0xffff_ffff) throw new SwitchSpecError(`must be an integer from 0 to 4294967295, not ${String(v)}`, field);
  }
}

export function findInterface(state: VswitchState, name: string): InterfaceRow | undefined {
  for (const i of state.rows('Interface').values()) if (i.name === name) return i;
  return undefined;
}

function parseRecord(v: string): IngressPolicing | undefined {
  const m = /^(\d{1,10}),(\d{1,10})$/.exec(v);
  return m ? { rateKbps: Number(m[1]), burstKb: Number(m[2]) } : undefined;
}

/** Adds to `plan` the restoration of an interface's recorded policing (nothing when none is recorded). */
export function policingRestoreChanges(plan: PlanBuilder, iface: InterfaceRow): void {
  const prev = iface.external_ids.get(PREV_POLICING_KEY);
  if (prev === undefined) return;
  plan.guardWhere('Interface', iface._uuid, [cond.includes('external_ids', new OvsdbMap([[PREV_POLICING_KEY, prev]]))], { name: iface.name });
  const was = parseRecord(prev);
  const forget = forgetKeys('Interface', iface._uuid, [PREV_POLICING_KEY]);
  if (!was) {
    plan.warn(`${iface.name}: external_ids:${PREV_POLICING_KEY}=${JSON.stringify(prev)} is not rate,burst: policing left as is`);
    plan.change(`${iface.name}: forget ${PREV_POLICING_KEY}`, forget);
    return;
  }
  const same = iface.ingress_policing_rate === was.rateKbps && iface.ingress_policing_burst === was.burstKb;
  plan.change(
    `${iface.name}: restore ingress policing rate ${was.rateKbps} kbps burst ${was.burstKb} kb`,
    ...(same ? [] : [op.update('Interface', [cond.uuid(iface._uuid)], { ingress_policing_rate: was.rateKbps, ingress_policing_burst: was.burstKb })]),
    forget,
  );
}

/** Sets an interface's ingress policing, or with null restores what it was before Vigil set it. */
export function planIngressPolicing(state: VswitchState, ifaceName: string, spec: IngressPolicing | null): SwitchPlan {
  if (spec) checkPolicing(spec);
  const iface = findInterface(state, ifaceName);
  if (!iface) throw new SwitchNotFoundError('interface', ifaceName);
  const plan = new PlanBuilder('policing', ifaceName);
  if (spec === null) {
    policingRestoreChanges(plan, iface);
    return plan.build();
  }
  const rate = iface.ingress_policing_rate;
  const burst = iface.ingress_policing_burst;
  if (rate === spec.rateKbps && burst === spec.burstKb) return plan.build();
  plan.guard('Interface', iface._uuid, { ingress_policing_rate: rate, ingress_policing_burst: burst });
  const ops: Operation[] = [op.update('Interface', [cond.uuid(iface._uuid)], { ingress_policing_rate: spec.rateKbps, ingress_policing_burst: spec.burstKb })];
  if (!iface.external_ids.has(PREV_POLICING_KEY)) ops.unshift(recordKey('Interface', iface._uuid, PREV_POLICING_KEY, `${rate},${burst}`));
  plan.change(`${ifaceName}: ingress policing rate ${spec.rateKbps} kbps burst ${spec.burstKb} kb (was ${rate}/${burst})`, ...ops);
  return plan.build();
}
