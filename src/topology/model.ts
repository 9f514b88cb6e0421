/**
 * The topology's domain types: what discovery learns, what the Neo4j store writes, what the API serves.
 *
 * Discovery (OpenFlow FEATURES/PORT_DESC/PORT_STATUS, LLDP, punted first packets, sFlow headers, OVSDB)
 * turns what it sees into TopologyEvents; a pure reducer (state.ts) folds them into TopologyState, the
 * controller's authoritative in-memory view; the store mirrors events into Neo4j (and the whole state on
 * a resync); the API reads Neo4j and streams the events as subscriptions. Events are plain serializable
 * objects (strings and numbers only) so a stage can move to another process.
 *
 * Identifiers: a datapath id is 16 lowercase hex digits (Neo4j integers are signed 64-bit and a dpid is
 * unsigned, so it is stored as text); a port is (dpid, portNo); a host is its MAC ("aa:bb:cc:dd:ee:ff",
 * lowercase); times are epoch milliseconds.
 */

/** 16 lowercase hex digits, e.g. "0000000000000001". */
export type Dpid = string;

/** Formats a datapath id as a Dpid. */
export function dpidOf(id: bigint): Dpid {
  return id.toString(16).padStart(16, '0');
}

export interface PortRef {
  dpid: Dpid;
  portNo: number;
}

/** The text key of a port ("<dpid>:<portNo>"), for maps and Neo4j uniqueness. */
export function portKey(p: PortRef): string {
  return `${p.dpid}:${p.portNo}`;
}

export type PortState = 'up' | 'down' | 'blocked';

export interface SwitchInfo {
  dpid: Dpid;
  /** The bridge name when known (OVSDB), else the LOCAL port's name. */
  name: string;
  /** Control-channel peer address "ip:port". */
  address: string;
  nTables: number;
  connected: boolean;
  firstSeen: number;
  lastSeen: number;
}

export interface PortInfo extends PortRef {
  name: string;
  mac: string;
  state: PortState;
  /** Current speed, kbit/s (0: unknown). */
  speed: number;
}

/** A directed link: LLDP sent out of `src` arrived at `dst`. Both directions are separate links. */
export interface LinkInfo {
  src: PortRef;
  dst: PortRef;
  firstSeen: number;
  lastSeen: number;
}

export interface IpAddress {
  address: string;
  version: 4 | 6;
}

/** Where host information came from. */
export type HostSource = 'packet-in' | 'sflow' | 'ovsdb';

export interface HostInfo {
  mac: string;
  /** The access port the host is attached to (never an inter-switch link port). */
  port: PortRef;
  /** VLAN id of the host's traffic at that port (null: untagged). */
  vlan: number | null;
  ips: IpAddress[];
  firstSeen: number;
  lastSeen: number;
  source: HostSource;
}

/** A VM as OVSDB's Interface external_ids describe it (vm-uuid/vm-id, iface-id, attached-mac). */
export interface VmInfo {
  uuid: string;
  name: string | null;
  ifaceId: string | null;
  mac: string | null;
  /** The interface's bridge port, when it has an ofport on a connected switch. */
  port: PortRef | null;
  bridge: string;
  interfaceName: string;
}

export type SegmentKind = 'vlan' | 'vni';

export interface SegmentInfo {
  kind: SegmentKind;
  /** VLAN id (1-4094) or VXLAN VNI. */
  id: number;
  name: string;
}

/** The text key of a segment ("vlan:10", "vni:5001"). */
export function segmentKey(s: Pick<SegmentInfo, 'kind' | 'id'>): string {
  return `${s.kind}:${s.id}`;
}

export type LinkDownReason = 'timeout' | 'port-down' | 'port-deleted' | 'switch-down';

export type TopologyEvent =
  | { type: 'switch.up'; at: number; switch: SwitchInfo; ports: PortInfo[] }
  | { type: 'switch.down'; at: number; dpid: Dpid }
  | { type: 'port.up'; at: number; port: PortInfo }
  | { type: 'port.down'; at: number; port: PortInfo }
  | { type: 'port.deleted'; at: number; port: PortRef }
  | { type: 'link.up'; at: number; link: LinkInfo }
  | { type: 'link.seen'; at: number; src: PortRef; dst: PortRef }
  | { type: 'link.down'; at: number; src: PortRef; dst: PortRef; reason: LinkDownReason }
  | { type: 'host.seen'; at: number; host: HostInfo }
  | { type: 'host.moved'; at: number; mac: string; from: PortRef; to: PortRef; vlan: number | null }
  | { type: 'host.ip'; at: number; mac: string; ip: IpAddress }
  | { type: 'vm.seen'; at: number; vm: VmInfo }
  | { type: 'vm.gone'; at: number; uuid: string }
  | { type: 'segment.seen'; at: number; segment: SegmentInfo };

export type TopologyEventType = TopologyEvent['type'];
