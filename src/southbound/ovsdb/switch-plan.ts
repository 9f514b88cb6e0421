/**
 * The shared part of switch-management planning: what Vigil monitors, how it marks what it owns, and the
 * SwitchPlan a planner returns (pure: current state + desired -> operations; the executor does the I/O).
 *
 * A plan is ONE transaction: `wait` guards first (timeout 0: each says "this row still holds exactly the
 * values my decision read"), then the changes, then a comment naming the action. When nothing needs to
 * change the plan has no operations at all, so a second identical request sends nothing.
 *
 * Ownership: every row Vigil creates (Controller, sFlow, Mirror) carries external_ids vigil-owner=vigil;
 * values Vigil overwrites on rows it does not own (a bridge's fail_mode and protocols, an interface's
 * ingress policing) are recorded first under vigil-prev-* keys of that row's external_ids (a map "insert"
 * mutation, which never replaces a key already there, so the first recorded value survives re-attaches).
 * Detach and clear undo exactly that.
 */
import { cond, op, type Condition, type Operation } from '../../codec/ovsdb/operations.js';
import { OvsdbMap, Uuid, type Value } from '../../codec/ovsdb/value.js';
import { SwitchNotFoundError } from './switch-errors.js';
import type { BridgeRow, InterfaceRow, PortRow, VswitchColumn, VswitchRows, VswitchTableName } from './vswitch.js';

export const VIGIL_OWNER_KEY = 'vigil-owner';
export const VIGIL_OWNER = 'vigil';
/** Bridge external_ids: fail_mode before Vigil set it ('' for empty). */
export const PREV_FAIL_MODE_KEY = 'vigil-prev-fail-mode';
/** Bridge external_ids: protocols before Vigil set them (comma-separated, '' for empty). */
export const PREV_PROTOCOLS_KEY = 'vigil-prev-protocols';
/** Interface external_ids: `rate,burst` before Vigil set ingress policing. */
export const PREV_POLICING_KEY = 'vigil-prev-ingress-policing';

/** Read access to the replicated Open_vSwitch tables (a Replica<VswitchRows> is one). */
export interface VswitchState {
  rows<T extends keyof VswitchRows & string>(table: T): ReadonlyMap<string, VswitchRows[T]>;
}

/**
 * The columns Vigil replicates for switch management and the inventory. Statistics and other columns
 * ovs-vswitchd rewrites every few seconds are left out, so the replica changes only when configuration does.
 * Three status columns are in because topology discovery needs them and they change only with the network:
 * Interface.ifindex (the index sFlow samples name ports by), and Bridge/Port.rstp_status (RSTP roles and
 * the designated bridge/port each port hears BPDUs from: the peers of links RSTP blocks, which LLDP cannot
 * cross).
 */
export const SWITCH_MONITOR = {
  Open_vSwitch: { columns: ['bridges', 'external_ids', 'ovs_version', 'next_cfg', 'cur_cfg'] },
  Bridge: { columns: ['name', 'datapath_type', 'datapath_id', 'ports', 'mirrors', 'sflow', 'controller', 'protocols', 'fail_mode', 'external_ids', 'rstp_status'] },
  Port: { columns: ['name', 'interfaces', 'tag', 'trunks', 'vlan_mode', 'external_ids', 'rstp_status'] },
  Interface: { columns: ['name', 'type', 'ofport', 'mac', 'mac_in_use', 'external_ids', 'ingress_policing_rate', 'ingress_policing_burst', 'error', 'ifindex', 'options'] },
  Controller: { columns: ['target', 'external_ids', 'is_connected'] },
  Mirror: { columns: ['name', 'select_all', 'select_src_port', 'select_dst_port', 'select_vlan', 'output_port', 'output_vlan', 'snaplen', 'external_ids'] },
  sFlow: { columns: ['agent', 'targets', 'sampling', 'polling', 'header', 'external_ids'] },
} as const satisfies { [T in VswitchTableName]?: { columns: readonly VswitchColumn<T>[] } };

export type SwitchAction = 'attach' | 'detach' | 'sflow' | 'mirror' | 'mirror-delete' | 'policing';

export interface SwitchPlan {
  readonly action: SwitchAction;
  /** The bridge (or interface, for policing) the plan is about. */
  readonly target: string;
  /** One line per change, e.g. "set fail_mode secure (was standalone)". Empty: nothing to do. */
  readonly changes: readonly string[];
  /** Things the operator should know that the plan does not change (a foreign controller...). */
  readonly warnings: readonly string[];
  /** The transaction: `guards` wait operations, the changes, a comment. Empty when nothing changes. */
  readonly ops: readonly Operation[];
  /** Number of leading `wait` operations; a refusal at an index below this is a race. */
  readonly guards: number;
}

export const isVigilOwned = (row: { external_ids: OvsdbMap<string, string> }): boolean => row.external_ids.get(VIGIL_OWNER_KEY) === VIGIL_OWNER;

export const vigilMark = (): OvsdbMap<string, string> => new OvsdbMap([[VIGIL_OWNER_KEY, VIGIL_OWNER]]);

export function findBridge(state: VswitchState, name: string): BridgeRow | undefined {
  for (const b of state.rows('Bridge').values()) if (b.name === name) return b;
  return undefined;
}

export function requireBridge(state: VswitchState, name: string): BridgeRow {
  const b = findBridge(state, name);
  if (!b) throw new SwitchNotFoundError('bridge', name);
  return b;
}

/** The rows a set of references points at, in the set's order (dangling references skipped). */
export function deref<T extends keyof VswitchRows & string>(state: VswitchState, table: T, refs: Iterable<Uuid>): VswitchRows[T][] {
  const rows = state.rows(table);
  const out: VswitchRows[T][] = [];
  for (const u of refs) {
    const r = rows.get(u.value);
    if (r) out.push(r);
  }
  return out;
}

/** The ports of a bridge by name. */
export function bridgePorts(state: VswitchState, bridge: BridgeRow): Map<string, PortRow> {
  return new Map(deref(state, 'Port', bridge.ports).map((p) => [p.name, p]));
}

/** The interfaces of a bridge's ports. */
export function bridgeInterfaces(state: VswitchState, bridge: BridgeRow): InterfaceRow[] {
  return deref(state, 'Port', bridge.ports).flatMap((p) => deref(state, 'Interface', p.interfaces));
}

/** Collects guards and changes; `build()` makes the transaction. */
export class PlanBuilder {
  private readonly guardOps = new Map<string, { table: string; where: Condition[]; row: Record<string, Value> }>();
  private readonly changeOps: Operation[] = [];
  private readonly changeLines: string[] = [];
  private readonly warningLines: string[] = [];

  constructor(
    readonly action: SwitchAction,
    readonly target: string,
  ) {}

  /** Guards that the row still holds these values (merged with earlier guards on the same row). */
  guard(table: string, uuid: Uuid, row: Record<string, Value>): this {
    const key = `${table} ${uuid.value}`;
    const g = this.guardOps.get(key);
    if (g) Object.assign(g.row, row);
    else this.guardOps.set(key, { table, where: [cond.uuid(uuid)], row: { ...row } });
    return this;
  }

  /** Guards that a row with this uuid matching `where` still exists (checked through an immutable column). */
  guardWhere(table: string, uuid: Uuid, where: Condition[], row: Record<string, Value>): this {
    this.guardOps.set(`${table} ${uuid.value} ${this.guardOps.size}`, { table, where: [cond.uuid(uuid), ...where], row: { ...row } });
    return this;
  }

  change(line: string, ...ops: Operation[]): this {
    this.changeLines.push(line);
    this.changeOps.push(...ops);
    return this;
  }

  warn(line: string): this {
    this.warningLines.push(line);
    return this;
  }

  get hasChanges(): boolean {
    return this.changeLines.length > 0;
  }

  build(): SwitchPlan {
    const base = { action: this.action, target: this.target, changes: [...this.changeLines], warnings: [...this.warningLines] };
    if (!this.hasChanges) return { ...base, ops: [], guards: 0 };
    const guards = [...this.guardOps.values()].map((g) => op.wait(g.table, g.where, Object.keys(g.row), '==', [g.row], 0));
    return { ...base, ops: [...guards, ...this.changeOps, op.comment(`vigil: ${this.action} ${this.target}`)], guards: guards.length };
  }
}

/** A map "insert" mutation of one key (kept if the key is already there). */
export function recordKey(table: string, uuid: Uuid, key: string, value: string): Operation {
  return op.mutate(table, [cond.uuid(uuid)], [['external_ids', 'insert', new OvsdbMap([[key, value]])]]);
}

/** A map "delete" mutation of keys. */
export function forgetKeys(table: string, uuid: Uuid, keys: readonly string[]): Operation {
  return op.mutate(table, [cond.uuid(uuid)], [['external_ids', 'delete', keys]]);
}

/** `{a, b}` for messages. */
export function showSet(values: Iterable<unknown>): string {
  return `[${[...values].map(String).join(', ')}]`;
}
