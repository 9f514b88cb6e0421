/**
 * The typed API later stages use to change a switch: flows, groups and meters, each call one
 * barrier-closed batch (deletes before adds). Refusals reject with BatchRefusedError, whose failures carry
 * the switch's own error type and code per message.
 */
import type { Bucket } from '../../codec/openflow/group-mod.js';
import { GroupModCommand, GroupType, OFPG } from '../../codec/openflow/group-mod.js';
import type { MeterBand } from '../../codec/openflow/meter-mod.js';
import { MeterFlags, MeterModCommand } from '../../codec/openflow/meter-mod.js';
import { addFlowMod, deleteStrictFlowMod, type FlowRule } from './flow-rule.js';
import type { Outgoing, SwitchSession } from './session.js';

export type GroupKind = keyof typeof GroupType;

export interface GroupSpec {
  groupId: number;
  kind: GroupKind;
  buckets: Bucket[];
}

export interface MeterSpec {
  meterId: number;
  /** 'kbps' or 'pktps' */
  unit: 'kbps' | 'pktps';
  /** Count packets/bytes per band (OFPMF_STATS). */
  stats?: boolean;
  /** Use each band's burstSize (OFPMF_BURST). */
  burst?: boolean;
  bands: MeterBand[];
}

export interface SwitchChanges {
  removeFlows?: readonly FlowRule[];
  addFlows?: readonly FlowRule[];
  removeGroups?: readonly number[];
  addGroups?: readonly GroupSpec[];
  modifyGroups?: readonly GroupSpec[];
  removeMeters?: readonly number[];
  addMeters?: readonly MeterSpec[];
  modifyMeters?: readonly MeterSpec[];
}

function groupMod(command: number, g: GroupSpec): Outgoing {
  return { type: 'GROUP_MOD', command, groupType: GroupType[g.kind], groupId: g.groupId, buckets: g.buckets } as Outgoing;
}

function meterMod(command: number, m: MeterSpec): Outgoing {
  const flags = (m.unit === 'kbps' ? MeterFlags.KBPS : MeterFlags.PKTPS) | (m.stats ? MeterFlags.STATS : 0) | (m.burst ? MeterFlags.BURST : 0);
  return { type: 'METER_MOD', command, flags, meterId: m.meterId, bands: m.bands } as Outgoing;
}

/**
 * Orders a change set so nothing refers to what does not exist yet and nothing is left dangling:
 * flow deletes, then group/meter deletes, then group/meter adds and modifies, then flow adds.
 */
export function changeMessages(c: SwitchChanges): Outgoing[] {
  return [
    ...(c.removeFlows ?? []).map((r) => deleteStrictFlowMod(r) as Outgoing),
    ...(c.removeGroups ?? []).map((groupId) => ({ type: 'GROUP_MOD', command: GroupModCommand.DELETE, groupType: GroupType.ALL, groupId, buckets: [] }) as Outgoing),
    ...(c.removeMeters ?? []).map((meterId) => ({ type: 'METER_MOD', command: MeterModCommand.DELETE, flags: 0, meterId, bands: [] }) as Outgoing),
    ...(c.addMeters ?? []).map((m) => meterMod(MeterModCommand.ADD, m)),
    ...(c.modifyMeters ?? []).map((m) => meterMod(MeterModCommand.MODIFY, m)),
    ...(c.addGroups ?? []).map((g) => groupMod(GroupModCommand.ADD, g)),
    ...(c.modifyGroups ?? []).map((g) => groupMod(GroupModCommand.MODIFY, g)),
    ...(c.addFlows ?? []).map((r) => addFlowMod(r) as Outgoing),
  ];
}

/** Applies a change set as one barrier-closed batch. */
export function applyChanges(session: SwitchSession, c: SwitchChanges): Promise<void> {
  return session.sendBatch(changeMessages(c));
}

export const installFlows = (s: SwitchSession, rules: readonly FlowRule[]): Promise<void> => applyChanges(s, { addFlows: rules });
export const removeFlows = (s: SwitchSession, rules: readonly FlowRule[]): Promise<void> => applyChanges(s, { removeFlows: rules });
export const addGroup = (s: SwitchSession, g: GroupSpec): Promise<void> => applyChanges(s, { addGroups: [g] });
export const removeGroup = (s: SwitchSession, groupId: number): Promise<void> => applyChanges(s, { removeGroups: [groupId] });
export const addMeter = (s: SwitchSession, m: MeterSpec): Promise<void> => applyChanges(s, { addMeters: [m] });
export const removeMeter = (s: SwitchSession, meterId: number): Promise<void> => applyChanges(s, { removeMeters: [meterId] });
export { OFPG };
