/**
 * Brings one switch's Vigil-owned flows to a desired set: dump (by cookie), reconcile (pure), then one
 * barrier-closed batch with deletes before adds. Only flows of the given owner kinds are touched.
 */
import type { FlowStats, MultipartReplyMessage } from '../../codec/openflow/multipart.js';
import { COOKIE_MAGIC, COOKIE_MAGIC_MASK, parseCookie, type OwnerKind } from './cookies.js';
import { addFlowMod, deleteStrictFlowMod, ruleFromStats, type FlowRule } from './flow-rule.js';
import { reconcile, type ReconcilePlan } from './reconcile.js';
import type { Outgoing, SwitchSession } from './session.js';

const OFPTT_ALL = 0xff;
const OFPP_ANY = 0xffffffff;
const OFPG_ANY = 0xffffffff;

/** Every flow on the switch whose cookie marks it as Vigil's. */
export async function dumpVigilFlows(session: SwitchSession): Promise<FlowStats[]> {
  const reply: MultipartReplyMessage = await session.multipart({
    type: 'MULTIPART_REQUEST',
    flags: 0,
    body: { kind: 'FLOW', tableId: OFPTT_ALL, outPort: OFPP_ANY, outGroup: OFPG_ANY, cookie: COOKIE_MAGIC, cookieMask: COOKIE_MAGIC_MASK, match: [] },
  } as Outgoing);
  return reply.body.kind === 'FLOW' ? reply.body.stats : [];
}

export async function ensureRules(session: SwitchSession, desired: readonly FlowRule[], owners: readonly OwnerKind[]): Promise<ReconcilePlan> {
  const owned = new Set<number>(owners);
  const actual = (await dumpVigilFlows(session)).filter((s) => {
    const o = parseCookie(s.cookie);
    return o !== undefined && owned.has(o.kind);
  });
  const plan = reconcile(desired, actual.map(ruleFromStats));
  const batch: Outgoing[] = [...plan.remove.map(deleteStrictFlowMod), ...plan.add.map(addFlowMod)] as Outgoing[];
  await session.sendBatch(batch);
  return plan;
}
