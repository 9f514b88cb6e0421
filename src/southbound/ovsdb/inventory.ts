/**
 * The switch inventory: bridges -> ports -> interfaces with OpenFlow port numbers, MACs, VLAN tag/trunks and
 * the VM / virtual-network context hypervisors leave in external_ids (iface-id, attached-mac, vm-uuid,
 * vm-id, iface-status), plus each bridge's controllers, sFlow and mirrors, and what topology discovery reads:
 * each interface's kernel ifindex and options (VXLAN key), each bridge's and port's RSTP status. It is a pure function of the
 * replicated tables (`deriveInventory`), and `inventory$` re-derives it after every replica update that
 * changes it. Plain JSON-ready data (no class instances), sorted by name, so it can cross a process boundary
 * and two inventories compare by value.
 */
import { defer, distinctUntilChanged, map, merge, Observable, of } from 'rxjs';
import { isMac, macBytes, macToString } from '../../codec/addr.js';
import type { OvsdbMap, OvsdbSet, Uuid } from '../../codec/ovsdb/value.js';
import { deref, isVigilOwned, type VswitchState } from './switch-plan.js';
import type { BridgeRow, InterfaceRow, MirrorRow, PortRow, VswitchRows } from './vswitch.js';

/** external_ids keys a hypervisor (libvirt, OpenStack, ...) sets on an interface for the VM behind it. */
export const VM_KEYS = { ifaceId: 'iface-id', attachedMac: 'attached-mac', vmUuid: 'vm-uuid', vmId: 'vm-id', ifaceStatus: 'iface-status' } as const;

export type VmContext = { readonly [K in keyof typeof VM_KEYS]?: string };

export interface InventoryInterface {
  readonly uuid: string;
  readonly name: string;
  /** '' is a system (kernel/veth) interface; internal, vxlan, patch... */
  readonly type: string;
  /** The OpenFlow port number; null while unassigned or when the interface failed (ofport -1). */
  readonly ofport: number | null;
  /** The interface's ifindex (the kernel's, which sFlow samples carry); null when OVS reports none (0/unset). */
  readonly ifindex: number | null;
  /** Interface options (e.g. VXLAN `key`, `remote_ip`). */
  readonly options: Readonly<Record<string, string>>;
  /** The MAC in use (else the configured one), lower case; null when unknown. */
  readonly mac: string | null;
  /** VM context (interface keys, falling back to its port's); null when none is set. */
  readonly vm: VmContext | null;
  readonly ingressPolicing: { readonly rateKbps: number; readonly burstKb: number };
  readonly error: string | null;
  readonly externalIds: Readonly<Record<string, string>>;
}

export interface InventoryPort {
  readonly uuid: string;
  readonly name: string;
  /** Access VLAN; null: none (trunk or untagged). */
  readonly tag: number | null;
  /** Trunked VLANs, ascending; empty: all VLANs when the port is a trunk. */
  readonly trunks: readonly number[];
  readonly vlanMode: string | null;
  /** RSTP state of the port (Port.rstp_status); null when RSTP does not run on it. */
  readonly rstp: InventoryRstpPort | null;
  readonly interfaces: readonly InventoryInterface[];
  readonly externalIds: Readonly<Record<string, string>>;
}

/** Port.rstp_status: ids as OVS prints them (bridge "8.000.0a1b2c3d4e5f", port "8001"). */
export interface InventoryRstpPort {
  readonly portId: string;
  readonly role: string;
  readonly state: string;
  /** The bridge and port this port hears the best BPDUs from (itself when it is the designated port). */
  readonly designatedBridgeId: string;
  readonly designatedPortId: string;
}

export interface InventoryController {
  readonly uuid: string;
  readonly target: string;
  readonly connected: boolean;
  /** Created by Vigil (external_ids vigil-owner=vigil). */
  readonly vigil: boolean;
}

export interface InventorySflow {
  readonly uuid: string;
  readonly agent: string | null;
  readonly targets: readonly string[];
  readonly sampling: number | null;
  readonly polling: number | null;
  readonly header: number | null;
  readonly vigil: boolean;
}

export interface InventoryMirror {
  readonly uuid: string;
  readonly name: string;
  readonly selectAll: boolean;
  /** Port names (ports gone from the bridge are dropped, as OVS drops the weak reference). */
  readonly selectSrcPorts: readonly string[];
  readonly selectDstPorts: readonly string[];
  readonly selectVlans: readonly number[];
  readonly outputPort: string | null;
  readonly outputVlan: number | null;
  readonly snaplen: number | null;
  readonly vigil: boolean;
}

export interface InventoryBridge {
  readonly uuid: string;
  readonly name: string;
  /** 16 hex digits as OVS reports it (matches the OpenFlow datapath id); null until ovs-vswitchd sets it. */
  readonly datapathId: string | null;
  readonly datapathType: string;
  readonly failMode: 'standalone' | 'secure' | null;
  readonly protocols: readonly string[];
  readonly controllers: readonly InventoryController[];
  readonly sflow: InventorySflow | null;
  readonly mirrors: readonly InventoryMirror[];
  readonly ports: readonly InventoryPort[];
  /** The bridge's RSTP bridge id (Bridge.rstp_status rstp_bridge_id); null when RSTP is off. */
  readonly rstpBridgeId: string | null;
  /** A Vigil controller is configured on the bridge. */
  readonly attached: boolean;
  readonly externalIds: Readonly<Record<string, string>>;
}

export interface Inventory {
  readonly systemId: string | null;
  readonly hostname: string | null;
  readonly ovsVersion: string | null;
  readonly bridges: readonly InventoryBridge[];
}

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const ascending = (a: number, b: number): number => a - b;

function record(m: OvsdbMap<string, string>): Record<string, string> {
  return m.toRecord();
}

function optional<T extends string | number | boolean | Uuid>(s: OvsdbSet<T>): T | null {
  return s.only() ?? null;
}

function normalMac(s: string | undefined | null): string | null {
  if (s === undefined || s === null || !isMac(s)) return null;
  return macToString(macBytes(s));
}

function vmContext(iface: InterfaceRow, port: PortRow): VmContext | null {
  const vm: Record<string, string> = {};
  for (const [field, key] of Object.entries(VM_KEYS)) {
    const v = iface.external_ids.get(key) ?? port.external_ids.get(key);
    if (v !== undefined) vm[field] = field === 'attachedMac' ? (normalMac(v) ?? v) : v;
  }
  return Object.keys(vm).length > 0 ? vm : null;
}

function deriveInterface(iface: InterfaceRow, port: PortRow): InventoryInterface {
  const ofport = optional(iface.ofport);
  const ifindex = optional(iface.ifindex);
  return {
    uuid: iface._uuid.value,
    name: iface.name,
    type: iface.type,
    ofport: ofport === null || ofport < 0 ? null : ofport,
    ifindex: ifindex === null || ifindex <= 0 ? null : ifindex,
    options: record(iface.options),
    mac: normalMac(optional(iface.mac_in_use)) ?? normalMac(optional(iface.mac)),
    vm: vmContext(iface, port),
    ingressPolicing: { rateKbps: iface.ingress_policing_rate, burstKb: iface.ingress_policing_burst },
    error: optional(iface.error),
    externalIds: record(iface.external_ids),
  };
}

function rstpPort(port: PortRow): InventoryRstpPort | null {
  const s = port.rstp_status;
  const portId = s.get('rstp_port_id');
  if (portId === undefined) return null;
  return {
    portId,
    role: s.get('rstp_port_role') ?? '',
    state: s.get('rstp_port_state') ?? '',
    designatedBridgeId: s.get('rstp_designated_bridge_id') ?? '',
    designatedPortId: s.get('rstp_designated_port_id') ?? '',
  };
}

function derivePort(state: VswitchState, port: PortRow): InventoryPort {
  return {
    uuid: port._uuid.value,
    name: port.name,
    tag: optional(port.tag),
    trunks: port.trunks.toArray().sort(ascending),
    vlanMode: optional(port.vlan_mode),
    rstp: rstpPort(port),
    interfaces: deref(state, 'Interface', port.interfaces)
      .map((i) => deriveInterface(i, port))
      .sort(byName),
    externalIds: record(port.external_ids),
  };
}

function deriveMirror(m: MirrorRow, portNames: ReadonlyMap<string, string>): InventoryMirror {
  const names = (refs: OvsdbSet<Uuid>): string[] =>
    refs
      .toArray()
      .map((u) => portNames.get(u.value))
      .filter((n): n is string => n !== undefined)
      .sort();
  const out = optional(m.output_port);
  return {
    uuid: m._uuid.value,
    name: m.name,
    selectAll: m.select_all,
    selectSrcPorts: names(m.select_src_port),
    selectDstPorts: names(m.select_dst_port),
    selectVlans: m.select_vlan.toArray().sort(ascending),
    outputPort: out === null ? null : (portNames.get(out.value) ?? null),
    outputVlan: optional(m.output_vlan),
    snaplen: optional(m.snaplen),
    vigil: isVigilOwned(m),
  };
}

function deriveBridge(state: VswitchState, b: BridgeRow): InventoryBridge {
  const ports = deref(state, 'Port', b.ports);
  const portNames = new Map(ports.map((p) => [p._uuid.value, p.name]));
  const controllers = deref(state, 'Controller', b.controller)
    .map((c) => ({ uuid: c._uuid.value, target: c.target, connected: c.is_connected, vigil: isVigilOwned(c) }))
    .sort((x, y) => (x.target < y.target ? -1 : x.target > y.target ? 1 : 0));
  const sf = deref(state, 'sFlow', b.sflow)[0];
  return {
    uuid: b._uuid.value,
    name: b.name,
    datapathId: optional(b.datapath_id),
    datapathType: b.datapath_type,
    failMode: optional(b.fail_mode),
    protocols: b.protocols.toArray().sort(),
    controllers,
    sflow: sf
      ? {
          uuid: sf._uuid.value,
          agent: optional(sf.agent),
          targets: sf.targets.toArray().sort(),
          sampling: optional(sf.sampling),
          polling: optional(sf.polling),
          header: optional(sf.header),
          vigil: isVigilOwned(sf),
        }
      : null,
    mirrors: deref(state, 'Mirror', b.mirrors)
      .map((m) => deriveMirror(m, portNames))
      .sort(byName),
    ports: ports.map((p) => derivePort(state, p)).sort(byName),
    rstpBridgeId: b.rstp_status.get('rstp_bridge_id') ?? null,
    attached: controllers.some((c) => c.vigil),
    externalIds: record(b.external_ids),
  };
}

/**
 * A bridge's derived entry, remembered with the row objects it was derived from. Replicated rows are
 * immutable and replaced when they change, so the entry is still right exactly when the bridge row and every
 * row it refers to are the same objects: an update then costs the bridges it touched, not the whole switch.
 */
const derived = new WeakMap<object, { deps: readonly object[]; value: InventoryBridge }>();

function bridgeDeps(state: VswitchState, b: BridgeRow): object[] {
  const deps: object[] = [];
  for (const p of deref(state, 'Port', b.ports)) {
    deps.push(p);
    for (const i of deref(state, 'Interface', p.interfaces)) deps.push(i);
  }
  deps.push(...deref(state, 'Controller', b.controller), ...deref(state, 'sFlow', b.sflow), ...deref(state, 'Mirror', b.mirrors));
  return deps;
}

function sameObjects(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bridgeEntry(state: VswitchState, b: BridgeRow): InventoryBridge {
  const deps = bridgeDeps(state, b);
  const hit = derived.get(b);
  if (hit && sameObjects(hit.deps, deps)) return hit.value;
  const value = deriveBridge(state, b);
  derived.set(b, { deps, value });
  return value;
}

/** The inventory the replicated tables describe (pure: the same tables give an equal inventory). */
export function deriveInventory(state: VswitchState): Inventory {
  const ovs = state.rows('Open_vSwitch').values().next().value as VswitchRows['Open_vSwitch'] | undefined;
  return {
    systemId: ovs?.external_ids.get('system-id') ?? null,
    hostname: ovs?.external_ids.get('hostname') ?? null,
    ovsVersion: ovs ? optional(ovs.ovs_version) : null,
    bridges: [...state.rows('Bridge').values()].map((b) => bridgeEntry(state, b)).sort(byName),
  };
}

/** Structural equality of two inventories (plain, name-sorted data; unchanged bridges are shared objects). */
export function inventoryEquals(a: Inventory, b: Inventory): boolean {
  if (a === b) return true;
  if (a.systemId !== b.systemId || a.hostname !== b.hostname || a.ovsVersion !== b.ovsVersion || a.bridges.length !== b.bridges.length) return false;
  return a.bridges.every((x, i) => {
    const y = b.bridges[i]!;
    return x === y || JSON.stringify(x) === JSON.stringify(y);
  });
}

/** A replica-like source: its state and a stream that emits after each applied update. */
export interface InventorySource extends VswitchState {
  readonly batches$: Observable<unknown>;
}

/** The inventory now, then again after every replica update that changed it. Completes with the replica. */
export function inventory$(source: InventorySource): Observable<Inventory> {
  return defer(() => merge(of(null), source.batches$)).pipe(
    map(() => deriveInventory(source)),
    distinctUntilChanged(inventoryEquals),
  );
}

// ------------------------------------------------------------------------------------------- lookups

export function bridgeByName(inv: Inventory, name: string): InventoryBridge | undefined {
  return inv.bridges.find((b) => b.name === name);
}

/** The bridge whose datapath id is `dpid` (a bigint as OpenFlow FEATURES_REPLY carries it, or hex text). */
export function bridgeByDatapathId(inv: Inventory, dpid: bigint | string): InventoryBridge | undefined {
  const want = typeof dpid === 'bigint' ? dpid : BigInt(`0x${dpid.replace(/^0x/i, '')}`);
  return inv.bridges.find((b) => b.datapathId !== null && /^[0-9a-fA-F]{1,16}$/.test(b.datapathId) && BigInt(`0x${b.datapathId}`) === want);
}

export interface LocatedInterface {
  readonly bridge: InventoryBridge;
  readonly port: InventoryPort;
  readonly iface: InventoryInterface;
}

function* interfaces(inv: Inventory): Generator<LocatedInterface> {
  for (const bridge of inv.bridges) for (const port of bridge.ports) for (const iface of port.interfaces) yield { bridge, port, iface };
}

/** The interface behind an OpenFlow port number of a bridge. */
export function interfaceByOfport(bridge: InventoryBridge, ofport: number): LocatedInterface | undefined {
  for (const port of bridge.ports) for (const iface of port.interfaces) if (iface.ofport === ofport) return { bridge, port, iface };
  return undefined;
}

/** Interfaces whose MAC in use or VM attached-mac is `mac`. */
export function interfacesByMac(inv: Inventory, mac: string): LocatedInterface[] {
  const want = normalMac(mac);
  if (want === null) return [];
  return [...interfaces(inv)].filter((l) => l.iface.mac === want || l.iface.vm?.attachedMac === want);
}

/** Interfaces of one VM (by vm-uuid or vm-id). */
export function interfacesOfVm(inv: Inventory, vm: string): LocatedInterface[] {
  return [...interfaces(inv)].filter((l) => l.iface.vm !== null && (l.iface.vm.vmUuid === vm || l.iface.vm.vmId === vm));
}
