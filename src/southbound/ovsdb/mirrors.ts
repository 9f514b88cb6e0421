/**
 * Port mirrors (the Mirror table): Vigil's mirrors are named, carry external_ids vigil-owner=vigil and are
 * identified by (bridge, name). Planning creates a mirror, brings an existing one to the desired selection
 * and output, or deletes it; repeating a request plans nothing. A mirror of the same name that Vigil did not
 * create is never touched (SwitchConflictError).
 *
 * Open vSwitch 3.1 applies a Mirror change to new datapath flows only: a flow already cached in the datapath
 * keeps its old actions until it idles out (10 s without traffic) or the datapath flows are revalidated,
 * which any OpenFlow table change triggers (seen in the lab with the userspace datapath; also reported
 * against kube-ovn, issue 2801). A long-lived connection is therefore not mirrored (or keeps being mirrored)
 * until then; whoever changes mirrors for security reasons should follow up with a flow-table change.
 */
import { cond, op } from '../../codec/ovsdb/operations.js';
import { NamedUuid, OvsdbSet, Uuid, valueEquals, type Value } from '../../codec/ovsdb/value.js';
import { SwitchConflictError, SwitchNotFoundError, SwitchSpecError } from './switch-errors.js';
import { bridgePorts, deref, isVigilOwned, PlanBuilder, requireBridge, showSet, vigilMark, type SwitchPlan, type VswitchState } from './switch-plan.js';
import type { BridgeRow, MirrorRow, PortRow } from './vswitch.js';

export interface MirrorSpec {
  readonly name: string;
  /** Every packet on the bridge. */
  readonly selectAll?: boolean;
  /** Packets received on these ports (names). */
  readonly selectSrcPorts?: readonly string[];
  /** Packets sent on these ports (names). */
  readonly selectDstPorts?: readonly string[];
  /** Only packets on these VLANs (empty: all VLANs). */
  readonly selectVlans?: readonly number[];
  /** Send the copies out of this port (name)... */
  readonly outputPort?: string;
  /** ...or flood them on this VLAN (exactly one of the two). */
  readonly outputVlan?: number;
  /** Truncate copies to this many bytes. */
  readonly snaplen?: number;
}

const MIRROR_COLUMNS = ['select_all', 'select_src_port', 'select_dst_port', 'select_vlan', 'output_port', 'output_vlan', 'snaplen'] as const;
type MirrorColumn = (typeof MIRROR_COLUMNS)[number];

function checkVlan(v: number, min: number, field: string): void {
  if (!Number.isInteger(v) || v < min || v > 4095) throw new SwitchSpecError(`VLAN ${String(v)} is not an integer from ${min} to 4095`, field);
}

export function checkMirrorSpec(spec: MirrorSpec): void {
  if (spec.name.length === 0) throw new SwitchSpecError('a mirror needs a name', 'mirror.name');
  const selects = (spec.selectAll ? 1 : 0) + (spec.selectSrcPorts?.length ?? 0) + (spec.selectDstPorts?.length ?? 0) + (spec.selectVlans?.length ?? 0);
  if (selects === 0) throw new SwitchSpecError('selects nothing: give selectAll, source or destination ports, or VLANs', 'mirror.select');
  for (const v of spec.selectVlans ?? []) checkVlan(v, 0, 'mirror.selectVlans');
  if ((spec.outputPort === undefined) === (spec.outputVlan === undefined)) throw new SwitchSpecError('give exactly one of outputPort and outputVlan', 'mirror.output');
  if (spec.outputVlan !== undefined) checkVlan(spec.outputVlan, 1, 'mirror.outputVlan');
  if (spec.outputPort !== undefined && [...(spec.selectSrcPorts ?? []), ...(spec.selectDstPorts ?? [])].includes(spec.outputPort)) {
    throw new SwitchSpecError(`the output port ${spec.outputPort} cannot also be a selected port`, 'mirror.outputPort');
  }
  if (spec.snaplen !== undefined && (!Number.isInteger(spec.snaplen) || spec.snaplen < 14 || spec.snaplen > 65535)) {
    throw new SwitchSpecError(`${String(spec.snaplen)} is not an integer from 14 to 65535`, 'mirror.snaplen');
  }
}

/** The mirrors of a bridge with this name. */
function mirrorsNamed(state: VswitchState, bridge: BridgeRow, name: string): MirrorRow[] {
  return deref(state, 'Mirror', bridge.mirrors).filter((m) => m.name === name);
}

function vigilMirror(state: VswitchState, bridge: BridgeRow, name: string): MirrorRow | undefined {
  const named = mirrorsNamed(state, bridge, name);
  const foreign = named.find((m) => !isVigilOwned(m));
  if (foreign) {
    throw new SwitchConflictError(`bridge ${bridge.name} has a mirror named ${JSON.stringify(name)} that Vigil did not create (Mirror row ${foreign._uuid.value}): choose another name`, 'Mirror', foreign._uuid.value);
  }
  return named[0];
}

/** Creates or updates Vigil's mirror `spec.name` on a bridge. */
export function planMirror(state: VswitchState, bridgeName: string, spec: MirrorSpec): SwitchPlan {
  checkMirrorSpec(spec);
  const bridge = requireBridge(state, bridgeName);
  const ports = bridgePorts(state, bridge);
  const plan = new PlanBuilder('mirror', bridgeName);
  const used = new Map<string, PortRow>();
  const resolve = (names: readonly string[] | undefined): OvsdbSet<Uuid> =>
    new OvsdbSet(
      (names ?? []).map((n) => {
        const p = ports.get(n);
        if (!p) throw new SwitchNotFoundError('port', n, bridgeName);
        used.set(n, p);
        return p._uuid;
      }),
    );
  const want: Record<MirrorColumn, Value> = {
    select_all: spec.selectAll ?? false,
    select_src_port: resolve(spec.selectSrcPorts),
    select_dst_port: resolve(spec.selectDstPorts),
    select_vlan: new OvsdbSet(spec.selectVlans ?? []),
    output_port: spec.outputPort === undefined ? OvsdbSet.EMPTY : resolve([spec.outputPort]),
    output_vlan: spec.outputVlan === undefined ? OvsdbSet.EMPTY : OvsdbSet.of(spec.outputVlan),
    snaplen: spec.snaplen === undefined ? OvsdbSet.EMPTY : OvsdbSet.of(spec.snaplen),
  };
  const cur = vigilMirror(state, bridge, spec.name);
  plan.guard('Bridge', bridge._uuid, { mirrors: bridge.mirrors });
  // The ports must still be the ones the names resolved to when the transaction runs (weak references
  // to a port deleted meanwhile would silently vanish from the mirror).
  for (const p of used.values()) plan.guard('Port', p._uuid, { name: p.name });
  const output = spec.outputPort !== undefined ? `port ${spec.outputPort}` : `VLAN ${String(spec.outputVlan)}`;
  if (!cur) {
    const selection = spec.selectAll ? 'all packets' : describeSelection(spec);
    plan.change(
      `create mirror ${spec.name}: ${selection} -> ${output}`,
      op.insert('Mirror', { name: spec.name, ...want, external_ids: vigilMark() }, 'vigil_mirror'),
      op.mutate('Bridge', [cond.uuid(bridge._uuid)], [['mirrors', 'insert', [new NamedUuid('vigil_mirror')]]]),
    );
    return plan.build();
  }
  const diff: Record<string, Value> = {};
  const was: Record<string, Value> = {};
  for (const c of MIRROR_COLUMNS) {
    was[c] = cur[c];
    if (!valueEquals(cur[c], want[c])) diff[c] = want[c];
  }
  if (Object.keys(diff).length > 0) {
    plan.guard('Mirror', cur._uuid, was);
    plan.change(`update mirror ${spec.name}: ${Object.keys(diff).join(', ')} (${describeSelection(spec)} -> ${output})`, op.update('Mirror', [cond.uuid(cur._uuid)], diff));
  }
  return plan.build();
}

function describeSelection(spec: MirrorSpec): string {
  const parts: string[] = [];
  if (spec.selectAll) parts.push('all');
  if (spec.selectSrcPorts?.length) parts.push(`from ${showSet(spec.selectSrcPorts)}`);
  if (spec.selectDstPorts?.length) parts.push(`to ${showSet(spec.selectDstPorts)}`);
  if (spec.selectVlans?.length) parts.push(`on VLAN ${showSet(spec.selectVlans)}`);
  return parts.join(' ');
}

/** Deletes Vigil's mirror `name` from a bridge (nothing to do when there is none). */
export function planMirrorDelete(state: VswitchState, bridgeName: string, name: string): SwitchPlan {
  const bridge = requireBridge(state, bridgeName);
  const plan = new PlanBuilder('mirror-delete', bridgeName);
  const cur = vigilMirror(state, bridge, name);
  if (cur) {
    plan.guard('Bridge', bridge._uuid, { mirrors: bridge.mirrors });
    // The Mirror table is not a root table: the row goes with its last reference.
    plan.change(`delete mirror ${name}`, op.mutate('Bridge', [cond.uuid(bridge._uuid)], [['mirrors', 'delete', [cur._uuid]]]));
  }
  return plan.build();
}
