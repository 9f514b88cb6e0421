/**
 * What the read repository returns: plain objects shaped after the Neo4j model (topology/README.md), with
 * Neo4j integers already turned into numbers. The GraphQL resolvers receive these as parent objects
 * (codegen.ts maps each SDL type onto one of them), so a row is all a resolver needs to find related rows.
 */
import type { Dpid, HostSource, PortInfo, PortRef, SegmentKind, SegmentRef } from '../model.js';

export interface SwitchRow {
  dpid: Dpid;
  name: string;
  address: string | null;
  nTables: number | null;
  connected: boolean;
  firstSeen: number | null;
  lastSeen: number | null;
}

/** A port as the graph (or an event) has it. */
export type PortRow = PortInfo;

export type PortRefRow = PortRef;

export type SegmentRefRow = SegmentRef;

export interface LinkRow {
  src: PortRow;
  dst: PortRow;
  firstSeen: number;
  lastSeen: number;
}

export interface IpRow {
  address: string;
  version: number;
  /** From the HAS_IP relationship; null for addresses an event carries. */
  firstSeen: number | null;
  lastSeen: number | null;
}

export interface AttachmentRow {
  port: PortRow;
  vlan: number | null;
  firstSeen: number | null;
  lastSeen: number | null;
}

export interface HostRow {
  mac: string;
  firstSeen: number;
  lastSeen: number;
  source: HostSource | null;
  /** Read with the host (one ATTACHED_TO at most is kept: the most recent). */
  attachment: AttachmentRow | null;
}

export interface VmRow {
  uuid: string;
  name: string | null;
  ifaceId: string | null;
  mac: string | null;
  bridge: string;
  interfaceName: string;
  lastSeen: number | null;
}

export interface SegmentRow {
  key: string;
  kind: SegmentKind;
  id: number;
  name: string;
}

/** A switch one LINK away from another, seen from the first one's port. */
export interface NeighborRow {
  dpid: Dpid;
  localPort: PortRow;
  remotePort: PortRow;
  outbound: boolean;
  inbound: boolean;
}

export interface HopRow {
  dpid: Dpid;
  inPort: PortRow;
  outPort: PortRow;
}

export interface PathRow {
  from: HostRow;
  to: HostRow;
  hops: HopRow[];
}

export interface PageInfoRow {
  hasNextPage: boolean;
  endCursor: string | null;
  hasPreviousPage: boolean;
  startCursor: string | null;
}

/** One page of a connection. `totalCount` runs its count query only when a client asks for it. */
export interface ConnectionRow<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfoRow;
  totalCount: () => Promise<number>;
}

export type SwitchConnectionRow = ConnectionRow<SwitchRow>;
export type LinkConnectionRow = ConnectionRow<LinkRow>;
export type HostConnectionRow = ConnectionRow<HostRow>;
export type VmConnectionRow = ConnectionRow<VmRow>;
export type SegmentConnectionRow = ConnectionRow<SegmentRow>;
