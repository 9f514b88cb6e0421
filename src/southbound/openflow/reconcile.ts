/**
 * Pure reconciliation of a switch's Vigil-owned flows against the desired set. Never a blind flush:
 * flows already right are left alone, so traffic keeps flowing while Vigil restarts.
 */
import { ruleBody, ruleKey, type FlowRule } from './flow-rule.js';

export interface ReconcilePlan {
  /** Installed Vigil flows that should not exist (delete strictly, by cookie). */
  remove: FlowRule[];
  /** Desired flows missing or different on the switch (ADD replaces a same-key flow). */
  add: FlowRule[];
  /** Desired flows already installed as desired. */
  unchanged: number;
}

/**
 * `actual` must hold only flows Vigil owns (selected by cookie); `desired` must not repeat a key.
 * Hard-timed rules are compared without their timeouts' remaining time (the switch reports the original).
 */
export function reconcile(desired: readonly FlowRule[], actual: readonly FlowRule[]): ReconcilePlan {
  const want = new Map<string, FlowRule>();
  for (const r of desired) {
    const k = ruleKey(r);
    if (want.has(k)) throw new Error(`desired rules repeat the flow ${k}`);
    want.set(k, r);
  }
  const have = new Map<string, FlowRule>();
  for (const r of actual) have.set(ruleKey(r), r);

  const remove: FlowRule[] = [];
  const add: FlowRule[] = [];
  let unchanged = 0;
  for (const [k, r] of have) if (!want.has(k)) remove.push(r);
  for (const [k, r] of want) {
    const cur = have.get(k);
    if (cur !== undefined && ruleBody(cur) === ruleBody(r)) unchanged++;
    else add.push(r);
  }
  return { remove, add, unchanged };
}
