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
 *
 * Added for the Neo4j store (src/topology/store/, issue 4) — discovery please produce these:
 *   - `SegmentRef` and the event `port.segments` {port, segments}: the complete set of segments a port is
 *     in (its access VLAN from OVSDB Port.tag, its VNI from a VXLAN Interface's options:key), replacing the
 *     port's earlier set ([] clears it). The store writes it as (:Port)-[:IN_SEGMENT]->(:Segment) and
 *     creates a Segment it does not know yet (name = its key until a `segment.seen` names it). Reducers
 *     with an exhaustive switch over TopologyEvent must handle it (state.ts: keep it per port).
 *   - `IpAddress.firstSeen` / `lastSeen` (optional): when the host was first/last seen with that address;
 *     the store puts them on HAS_IP (without them: the event's time / the host's times).
 *   - `TopologySnapshot`: the whole of TopologyState as plain data, for the store's full resync (after
 *     Neo4j comes back, after a queue overflow, at start-up). It must reflect every event already emitted
 *     (the store drops its queued events when it takes a snapshot), so take it synchronously from the
 *     state the events were folded into.
 *
 * Added by discovery (src/topology/discovery/, issue 4):
 *   - `LinkInfo.via` (optional, absent = 'lldp'): how the link is known. 'rstp' links are inferred from the
 *     RSTP state OVS reports in OVSDB (Port.rstp_status: the designated bridge/port a port hears BPDUs
 *     from) for ports RSTP holds in Discarding: Open vSwitch drops every frame to and from such a port,
 *     LLDP included, so LLDP cannot see the redundant links a spanning tree blocks. Such a link ends when
 *     RSTP unblocks the port and LLDP does not confirm it, or when OVSDB stops reporting it.
 *   - `LinkInfo.latencyMs` and `link.seen.latencyMs` (optional): the last LLDP probe's time from Vigil's
 *     PACKET_OUT to its PACKET_IN at the far switch (an upper bound of the link's one-way latency: it
 *     includes both control channels).
 *   - the event `host.gone` {mac, reason}: discovery no longer tracks the host (reducers drop it from the
 *     state; the store keeps the Host and its IPs as history but removes its ATTACHED_TO). Reasons:
 *     'evicted' (the bounded host table was full and this host was seen least recently) and
 *     'inter-switch-port' (it had been placed on a port that LLDP/RSTP later showed to be a switch-to-switch
 *     link; it is placed again when next seen on an access port).
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

/** How a link is known: Vigil's LLDP probe crossed it, or OVS's RSTP state says so (blocked ports). */
export type LinkSource = 'lldp' | 'rstp';

/** A directed link: LLDP sent out of `src` arrived at `dst`. Both directions are separate links. */
export interface LinkInfo {
  src: PortRef;
  dst: PortRef;
  firstSeen: number;
  lastSeen: number;
  /** How the link is known (absent: 'lldp'). */
  via?: LinkSource;
  /** Last probe's PACKET_OUT -> PACKET_IN time in ms (absent when not measured). */
  latencyMs?: number;
}

export interface IpAddress {
  address: string;
  version: 4 | 6;
  /** When the host was first seen using this address (optional; the store falls back to the host's firstSeen). */
  firstSeen?: number;
  /** When the host was last seen using this address (optional; the store falls back to the event's time). */
  lastSeen?: number;
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

/** A segment's identity: (kind, id). */
export type SegmentRef = Pick<SegmentInfo, 'kind' | 'id'>;

/** The text key of a segment ("vlan:10", "vni:5001"). */
export function segmentKey(s: SegmentRef): string {
  return `${s.kind}:${s.id}`;
}

/** The segments a port is in (complete: it replaces the port's earlier set; [] clears it). */
export interface PortSegments {
  port: PortRef;
  segments: SegmentRef[];
}

export type LinkDownReason = 'timeout' | 'port-down' | 'port-deleted' | 'switch-down';

/** Why discovery stopped tracking a host (see `host.gone`). */
export type HostGoneReason = 'evicted' | 'inter-switch-port';

export type TopologyEvent =
  | { type: 'switch.up'; at: number; switch: SwitchInfo; ports: PortInfo[] }
  | { type: 'switch.down'; at: number; dpid: Dpid }
  | { type: 'port.up'; at: number; port: PortInfo }
  | { type: 'port.down'; at: number; port: PortInfo }
  | { type: 'port.deleted'; at: number; port: PortRef }
  | { type: 'link.up'; at: number; link: LinkInfo }
  | { type: 'link.seen'; at: number; src: PortRef; dst: PortRef; latencyMs?: number }
  | { type: 'link.down'; at: number; src: PortRef; dst: PortRef; reason: LinkDownReason }
  | { type: 'host.seen'; at: number; host: HostInfo }
  | { type: 'host.moved'; at: number; mac: string; from: PortRef; to: PortRef; vlan: number | null }
  | { type: 'host.ip'; at: number; mac: string; ip: IpAddress }
  | { type: 'host.gone'; at: number; mac: string; reason: HostGoneReason }
  | { type: 'vm.seen'; at: number; vm: VmInfo }
  | { type: 'vm.gone'; at: number; uuid: string }
  | { type: 'segment.seen'; at: number; segment: SegmentInfo }
  | { type: 'port.segments'; at: number; port: PortRef; segments: SegmentRef[] };

export type TopologyEventType = TopologyEvent['type'];

/** A switch with its complete port set, as `switch.up` carries it. */
export interface SwitchSnapshot {
  switch: SwitchInfo;
  ports: PortInfo[];
}

/**
 * The whole topology as plain data: what the store rewrites on a full resync. Each list is complete —
 * the store deletes from Neo4j what it does not contain: LINKs, VMs, hosts' ATTACHED_TO, ports of listed
 * switches that are not in their port list, IN_SEGMENT of listed ports not in `portSegments`; switches not
 * listed are kept with connected=false (and their ports). Hosts, IPs, HAS_IP and Segments are history and
 * are never deleted; neither are the response loop's nodes.
 */
export interface TopologySnapshot {
  /** When it was taken (epoch ms). */
  at: number;
  /** Every switch the controller knows, connected or not, each with all its ports. */
  switches: SwitchSnapshot[];
  /** Every live directed link. */
  links: LinkInfo[];
  /** Every host with its current attachment and its addresses. */
  hosts: HostInfo[];
  vms: VmInfo[];
  segments: SegmentInfo[];
  /** Segment membership of ports (a listed switch's port without an entry is in no segment). */
  portSegments: PortSegments[];
}
