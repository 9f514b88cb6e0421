/**
 * Brings one switch's Vigil-owned flows to a desired set: dump (by cookie), reconcile (pure), then one
 * barrier-closed batch with deletes before adds. Only flows of the given owner kinds are touched. Meters the
 * rules use are brought into place first (ensureMeters).
 */
import { MeterFlags } from '../../codec/openflow/meter-mod.js';
import type { FlowStats, MeterConfig, MultipartReplyMessage } from '../../codec/openflow/multipart.js';
import { COOKIE_MAGIC, COOKIE_MAGIC_MASK, parseCookie, type OwnerKind } from './cookies.js';
import { addFlowMod, deleteStrictFlowMod, ruleFromStats, type FlowRule } from './flow-rule.js';
import { reconcile, type ReconcilePlan } from './reconcile.js';
import type { Outgoing, SwitchSession } from './session.js';
import { applyChanges, type MeterSpec } from './switch-api.js';

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

const OFPM_ALL = 0xffffffff;

/**
 * Brings the given meters to their desired configuration: dumps the switch's meter configuration, then one
 * barrier-closed batch adding the missing ones and modifying those that differ. Other meters are left alone.
 * Returns the ids added and modified.
 */
export async function ensureMeters(session: SwitchSession, desired: readonly MeterSpec[]): Promise<{ added: number[]; modified: number[] }> {
  if (desired.length === 0) return { added: [], modified: [] };
  const reply = await session.multipart({ type: 'MULTIPART_REQUEST', flags: 0, body: { kind: 'METER_CONFIG', meterId: OFPM_ALL } } as Outgoing);
  const have = new Map<number, MeterConfig>();
  if (reply.body.kind === 'METER_CONFIG') for (const m of reply.body.entries) have.set(m.meterId, m);
  const addMeters: MeterSpec[] = [];
  const modifyMeters: MeterSpec[] = [];
  for (const m of desired) {
    const cur = have.get(m.meterId);
    if (!cur) addMeters.push(m);
    else if (!sameMeter(cur, m)) modifyMeters.push(m);
  }
  await applyChanges(session, { addMeters, modifyMeters });
  return { added: addMeters.map((m) => m.meterId), modified: modifyMeters.map((m) => m.meterId) };
}

function sameMeter(cur: MeterConfig, want: MeterSpec): boolean {
  const flags = (want.unit === 'kbps' ? MeterFlags.KBPS : MeterFlags.PKTPS) | (want.stats ? MeterFlags.STATS : 0) | (want.burst ? MeterFlags.BURST : 0);
  return cur.flags === flags && JSON.stringify(cur.bands) === JSON.stringify(want.bands);
}
