import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { PortState as ModelPortState, HostSource as ModelHostSource, SegmentKind as ModelSegmentKind, LinkSource as ModelLinkSource, LinkDownReason as ModelLinkDownReason, HostGoneReason as ModelHostGoneReason, TopologyEventType as ModelTopologyEventType } from '../../topology/model.js';
import type { SwitchConnectionRow, LinkConnectionRow, HostConnectionRow, VmConnectionRow, SegmentConnectionRow, SwitchRow, PortRow, LinkRow, NeighborRow, IpRow, AttachmentRow, HostRow, VmRow, SegmentRow, PathRow, HopRow, PortRefRow, SegmentRefRow } from '../../topology/read/rows.js';
import type { AnyTopologyEvent, SwitchUpEventRow, SwitchDownEventRow, PortStateEventRow, PortDeletedEventRow, LinkUpEventRow, LinkSeenEventRow, LinkDownEventRow, HostSeenEventRow, HostMovedEventRow, HostIpEventRow, HostGoneEventRow, PortSegmentsEventRow, VmSeenEventRow, VmGoneEventRow, SegmentSeenEventRow } from '../events.js';
import type { ApiContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An OpenFlow port number: unsigned 32-bit (the LOCAL port is 4294967294), as a JSON number. */
  PortNumber: { input: number; output: number; }
  /** Epoch milliseconds, as a JSON number (GraphQL's Int is only 32-bit). */
  Timestamp: { input: number; output: number; }
};

/** Where a host is attached. */
export type Attachment = {
  __typename?: 'Attachment';
  firstSeen?: Maybe<Scalars['Timestamp']['output']>;
  lastSeen?: Maybe<Scalars['Timestamp']['output']>;
  port: Port;
  switch: Switch;
  /** VLAN id of the host's traffic at that port (null: untagged). */
  vlan?: Maybe<Scalars['Int']['output']>;
};

/** A switch on a path: where the packet comes in and where it leaves. */
export type Hop = {
  __typename?: 'Hop';
  inPort: Port;
  outPort: Port;
  switch: Switch;
};

export type Host = {
  __typename?: 'Host';
  /** The host's access port; null only while the writer has not recorded it. */
  attachment?: Maybe<Attachment>;
  firstSeen: Scalars['Timestamp']['output'];
  /** Addresses the host used, most recent first. */
  ips: Array<IpAddress>;
  lastSeen: Scalars['Timestamp']['output'];
  /** Lowercase aa:bb:cc:dd:ee:ff. */
  mac: Scalars['String']['output'];
  source?: Maybe<HostSource>;
  /** The VM this MAC belongs to, if any. */
  vm?: Maybe<Vm>;
};

export type HostConnection = {
  __typename?: 'HostConnection';
  edges: Array<HostEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type HostEdge = {
  __typename?: 'HostEdge';
  cursor: Scalars['String']['output'];
  node: Host;
};

export type HostFilter = {
  /** Hosts that used an address in this prefix: '10.0.0.0/24', '2001:db8::/64'. */
  cidr?: InputMaybe<Scalars['String']['input']>;
  /** Hosts that used this address (IPv4 or IPv6). */
  ip?: InputMaybe<Scalars['String']['input']>;
  /** This MAC (any case, ':' or '-' separated). */
  mac?: InputMaybe<Scalars['String']['input']>;
  /**
   * Hosts in this segment, by key: 'vlan:10' or 'vni:5001'. A host is in a segment when its access port is
   * (IN_SEGMENT), or, for a VLAN, when its traffic at that port carries that VLAN id.
   */
  segment?: InputMaybe<Scalars['String']['input']>;
  /** Hosts attached to this switch (dpid). */
  switch?: InputMaybe<Scalars['String']['input']>;
};

/** Discovery stopped tracking the host (the graph keeps it and its addresses as history, without attachment). */
export type HostGoneEvent = TopologyEvent & {
  __typename?: 'HostGoneEvent';
  at: Scalars['Timestamp']['output'];
  host?: Maybe<Host>;
  mac: Scalars['String']['output'];
  reason: HostGoneReason;
  type: TopologyEventType;
};

export type HostGoneReason =
  /** The bounded host table was full and this host was seen least recently. */
  | 'evicted'
  /** It had been placed on a port later shown to be a switch-to-switch link. */
  | 'inter-switch-port';

export type HostIpEvent = TopologyEvent & {
  __typename?: 'HostIpEvent';
  at: Scalars['Timestamp']['output'];
  host?: Maybe<Host>;
  ip: IpAddress;
  mac: Scalars['String']['output'];
  type: TopologyEventType;
};

export type HostMovedEvent = TopologyEvent & {
  __typename?: 'HostMovedEvent';
  at: Scalars['Timestamp']['output'];
  from: PortRef;
  host?: Maybe<Host>;
  mac: Scalars['String']['output'];
  to: PortRef;
  type: TopologyEventType;
  vlan?: Maybe<Scalars['Int']['output']>;
};

export type HostSeenEvent = TopologyEvent & {
  __typename?: 'HostSeenEvent';
  at: Scalars['Timestamp']['output'];
  firstSeen: Scalars['Timestamp']['output'];
  /** The host as the graph has it now. */
  host?: Maybe<Host>;
  ips: Array<IpAddress>;
  lastSeen: Scalars['Timestamp']['output'];
  mac: Scalars['String']['output'];
  port: PortRef;
  source: HostSource;
  type: TopologyEventType;
  vlan?: Maybe<Scalars['Int']['output']>;
};

export type HostSource =
  | 'ovsdb'
  | 'packet-in'
  | 'sflow';

export type IpAddress = {
  __typename?: 'IPAddress';
  /** IPv4 dotted quad or IPv6 (RFC 5952). */
  address: Scalars['String']['output'];
  /** When the host first/last used it (in events: null when discovery did not say). */
  firstSeen?: Maybe<Scalars['Timestamp']['output']>;
  lastSeen?: Maybe<Scalars['Timestamp']['output']>;
  version: Scalars['Int']['output'];
};

/** A directed link: LLDP sent out of `src` arrived at `dst`. */
export type Link = {
  __typename?: 'Link';
  dst: Port;
  firstSeen: Scalars['Timestamp']['output'];
  lastSeen: Scalars['Timestamp']['output'];
  src: Port;
};

export type LinkConnection = {
  __typename?: 'LinkConnection';
  edges: Array<LinkEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type LinkDownEvent = TopologyEvent & {
  __typename?: 'LinkDownEvent';
  at: Scalars['Timestamp']['output'];
  dst: PortRef;
  reason: LinkDownReason;
  src: PortRef;
  type: TopologyEventType;
};

export type LinkDownReason =
  | 'port-deleted'
  | 'port-down'
  | 'switch-down'
  | 'timeout';

export type LinkEdge = {
  __typename?: 'LinkEdge';
  cursor: Scalars['String']['output'];
  node: Link;
};

export type LinkSeenEvent = TopologyEvent & {
  __typename?: 'LinkSeenEvent';
  at: Scalars['Timestamp']['output'];
  dst: PortRef;
  latencyMs?: Maybe<Scalars['Float']['output']>;
  src: PortRef;
  type: TopologyEventType;
};

export type LinkSource =
  /** Vigil's LLDP probe crossed it. */
  | 'lldp'
  /** Inferred from the RSTP state OVS reports for a port RSTP blocks (LLDP cannot cross it). */
  | 'rstp';

export type LinkUpEvent = TopologyEvent & {
  __typename?: 'LinkUpEvent';
  at: Scalars['Timestamp']['output'];
  dst: PortRef;
  firstSeen: Scalars['Timestamp']['output'];
  lastSeen: Scalars['Timestamp']['output'];
  /** The last probe's PACKET_OUT -> PACKET_IN time, ms (null: not measured). */
  latencyMs?: Maybe<Scalars['Float']['output']>;
  src: PortRef;
  type: TopologyEventType;
  via: LinkSource;
};

/** A port of a switch one LINK away, and the local port it is cabled to. */
export type Neighbor = {
  __typename?: 'Neighbor';
  /** A LINK runs remotePort -> localPort. */
  inbound: Scalars['Boolean']['output'];
  localPort: Port;
  /** A LINK runs localPort -> remotePort. */
  outbound: Scalars['Boolean']['output'];
  remotePort: Port;
  switch: Switch;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the last edge (null on an empty page): pass it as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  /** Forward pagination only: true when `after` was given. */
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A route between two hosts. */
export type Path = {
  __typename?: 'Path';
  from: Host;
  /** From the source host's switch to the destination host's; one hop when both are on the same switch. */
  hops: Array<Hop>;
  /** Number of LINKs crossed (hops - 1). */
  length: Scalars['Int']['output'];
  to: Host;
};

export type Port = {
  __typename?: 'Port';
  dpid: Scalars['String']['output'];
  /** Hosts whose access port this is. */
  hosts: Array<Host>;
  /** The LINK leaving this port (LLDP sent out of it arrived at `link.dst`); null on an access port. */
  link?: Maybe<Link>;
  mac: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** The port at the other end of `link`. */
  peer?: Maybe<Port>;
  portNo: Scalars['PortNumber']['output'];
  /** The port's access VLAN / VXLAN VNI. */
  segments: Array<Segment>;
  /** Current speed, kbit/s (0: unknown). */
  speed: Scalars['Int']['output'];
  state: PortState;
  switch: Switch;
  /** The VM whose interface this port is. */
  vm?: Maybe<Vm>;
};

export type PortDeletedEvent = TopologyEvent & {
  __typename?: 'PortDeletedEvent';
  at: Scalars['Timestamp']['output'];
  port: PortRef;
  type: TopologyEventType;
};

/** A reference to a port as an event names it. */
export type PortRef = {
  __typename?: 'PortRef';
  dpid: Scalars['String']['output'];
  /** The port as the graph has it now (null if not recorded). */
  port?: Maybe<Port>;
  portNo: Scalars['PortNumber']['output'];
};

/** The complete set of segments a port is in (replaces the earlier set; empty: none). */
export type PortSegmentsEvent = TopologyEvent & {
  __typename?: 'PortSegmentsEvent';
  at: Scalars['Timestamp']['output'];
  port: PortRef;
  segments: Array<SegmentRef>;
  type: TopologyEventType;
};

export type PortState =
  | 'blocked'
  | 'down'
  | 'up';

/** PORT_UP or PORT_DOWN. */
export type PortStateEvent = TopologyEvent & {
  __typename?: 'PortStateEvent';
  at: Scalars['Timestamp']['output'];
  port: Port;
  type: TopologyEventType;
};

export type Query = {
  __typename?: 'Query';
  /** One host by MAC; null when unknown. */
  host?: Maybe<Host>;
  /** Hosts, ordered by MAC. The filter's fields combine with AND. */
  hosts: HostConnection;
  /** Directed links (one per direction of a cable), ordered by source port, then destination port. */
  links: LinkConnection;
  /** Switches one LINK (either direction) away from this one, with the port pairs. NOT_FOUND when unknown. */
  neighbors: Array<Neighbor>;
  /**
   * The shortest route between two hosts, each named by an IP address or a MAC: hops from the source host's
   * access port to the destination host's, over LINKs. Null when both hosts are known but no route joins
   * their switches; a NOT_FOUND error (extensions.argument "from" or "to") when a host is unknown or has no
   * access port. An IP address used by several hosts names the one that used it last.
   */
  path?: Maybe<Path>;
  /** VLANs and VXLAN VNIs, ordered by kind, then id. */
  segments: SegmentConnection;
  /** One switch by dpid; null when unknown. */
  switch?: Maybe<Switch>;
  /** Switches, ordered by dpid. */
  switches: SwitchConnection;
  /** VMs (from OVSDB external_ids), ordered by uuid. */
  vms: VmConnection;
};


export type QueryHostArgs = {
  mac: Scalars['String']['input'];
};


export type QueryHostsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<HostFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryLinksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  dpid?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryNeighborsArgs = {
  dpid: Scalars['String']['input'];
};


export type QueryPathArgs = {
  from: Scalars['String']['input'];
  to: Scalars['String']['input'];
};


export type QuerySegmentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<SegmentKind>;
};


export type QuerySwitchArgs = {
  dpid: Scalars['String']['input'];
};


export type QuerySwitchesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  connected?: InputMaybe<Scalars['Boolean']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryVmsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A VLAN or a VXLAN VNI. */
export type Segment = {
  __typename?: 'Segment';
  /** Hosts in the segment (see HostFilter.segment), ordered by MAC. */
  hosts: Array<Host>;
  /** VLAN id (1-4094) or VNI. */
  id: Scalars['Int']['output'];
  /** 'vlan:<id>' or 'vni:<id>'. */
  key: Scalars['String']['output'];
  kind: SegmentKind;
  name: Scalars['String']['output'];
  /** Ports whose access segment this is, ordered by dpid and port number. */
  ports: Array<Port>;
};

export type SegmentConnection = {
  __typename?: 'SegmentConnection';
  edges: Array<SegmentEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type SegmentEdge = {
  __typename?: 'SegmentEdge';
  cursor: Scalars['String']['output'];
  node: Segment;
};

export type SegmentKind =
  | 'vlan'
  | 'vni';

/** A segment as an event names it. */
export type SegmentRef = {
  __typename?: 'SegmentRef';
  id: Scalars['Int']['output'];
  key: Scalars['String']['output'];
  kind: SegmentKind;
  /** The segment as the graph has it now. */
  segment?: Maybe<Segment>;
};

export type SegmentSeenEvent = TopologyEvent & {
  __typename?: 'SegmentSeenEvent';
  at: Scalars['Timestamp']['output'];
  segment: Segment;
  type: TopologyEventType;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Topology events as discovery produces them, pushed as they happen (Server-Sent Events: POST or GET
   * /graphql with 'Accept: text/event-stream'). `types` keeps only those kinds (null or absent: all).
   * Nested Switch/Port/Host/VM fields of an event resolve against the current graph.
   */
  topologyEvents: TopologyEvent;
};


export type SubscriptionTopologyEventsArgs = {
  types?: InputMaybe<Array<TopologyEventType>>;
};

/** An OpenFlow switch (an OVS bridge). */
export type Switch = {
  __typename?: 'Switch';
  /** Control-channel peer address 'ip:port'. */
  address?: Maybe<Scalars['String']['output']>;
  connected: Scalars['Boolean']['output'];
  /** 16 lowercase hex digits. */
  dpid: Scalars['String']['output'];
  firstSeen?: Maybe<Scalars['Timestamp']['output']>;
  lastSeen?: Maybe<Scalars['Timestamp']['output']>;
  nTables?: Maybe<Scalars['Int']['output']>;
  /** The bridge name when known (OVSDB), else the LOCAL port's name. */
  name: Scalars['String']['output'];
  neighbors: Array<Neighbor>;
  /** Ordered by port number. */
  ports: Array<Port>;
};

export type SwitchConnection = {
  __typename?: 'SwitchConnection';
  edges: Array<SwitchEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type SwitchDownEvent = TopologyEvent & {
  __typename?: 'SwitchDownEvent';
  at: Scalars['Timestamp']['output'];
  dpid: Scalars['String']['output'];
  type: TopologyEventType;
};

export type SwitchEdge = {
  __typename?: 'SwitchEdge';
  cursor: Scalars['String']['output'];
  node: Switch;
};

export type SwitchUpEvent = TopologyEvent & {
  __typename?: 'SwitchUpEvent';
  at: Scalars['Timestamp']['output'];
  /** The switch's ports as it reported them. */
  ports: Array<Port>;
  switch: Switch;
  type: TopologyEventType;
};

export type TopologyEvent = {
  at: Scalars['Timestamp']['output'];
  type: TopologyEventType;
};

export type TopologyEventType =
  | 'host.gone'
  | 'host.ip'
  | 'host.moved'
  | 'host.seen'
  | 'link.down'
  | 'link.seen'
  | 'link.up'
  | 'port.deleted'
  | 'port.down'
  | 'port.segments'
  | 'port.up'
  | 'segment.seen'
  | 'switch.down'
  | 'switch.up'
  | 'vm.gone'
  | 'vm.seen';

/** A VM as OVSDB's Interface external_ids describe it. */
export type Vm = {
  __typename?: 'VM';
  bridge: Scalars['String']['output'];
  /** The host its MAC is seen as. */
  host?: Maybe<Host>;
  ifaceId?: Maybe<Scalars['String']['output']>;
  interfaceName: Scalars['String']['output'];
  lastSeen?: Maybe<Scalars['Timestamp']['output']>;
  mac?: Maybe<Scalars['String']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  /** The VM's interface on a controlled switch. */
  port?: Maybe<Port>;
  uuid: Scalars['String']['output'];
};

export type VmConnection = {
  __typename?: 'VMConnection';
  edges: Array<VmEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type VmEdge = {
  __typename?: 'VMEdge';
  cursor: Scalars['String']['output'];
  node: Vm;
};

export type VmGoneEvent = TopologyEvent & {
  __typename?: 'VmGoneEvent';
  at: Scalars['Timestamp']['output'];
  type: TopologyEventType;
  uuid: Scalars['String']['output'];
};

export type VmSeenEvent = TopologyEvent & {
  __typename?: 'VmSeenEvent';
  at: Scalars['Timestamp']['output'];
  /** The VM's interface port as OVSDB reported it (null: no ofport). */
  port?: Maybe<PortRef>;
  type: TopologyEventType;
  vm: Vm;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = {}, TContext = {}, TArgs = {}> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = {}, TContext = {}, TArgs = {}> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = {}, TContext = {}> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = {}, TContext = {}> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = {}, TParent = {}, TContext = {}, TArgs = {}> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Attachment: ResolverTypeWrapper<AttachmentRow>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Hop: ResolverTypeWrapper<HopRow>;
  Host: ResolverTypeWrapper<HostRow>;
  HostConnection: ResolverTypeWrapper<HostConnectionRow>;
  HostEdge: ResolverTypeWrapper<Omit<HostEdge, 'node'> & { node: ResolversTypes['Host'] }>;
  HostFilter: HostFilter;
  HostGoneEvent: ResolverTypeWrapper<HostGoneEventRow>;
  HostGoneReason: ResolverTypeWrapper<ModelHostGoneReason>;
  HostIpEvent: ResolverTypeWrapper<HostIpEventRow>;
  HostMovedEvent: ResolverTypeWrapper<HostMovedEventRow>;
  HostSeenEvent: ResolverTypeWrapper<HostSeenEventRow>;
  HostSource: ResolverTypeWrapper<ModelHostSource>;
  IPAddress: ResolverTypeWrapper<IpRow>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Link: ResolverTypeWrapper<LinkRow>;
  LinkConnection: ResolverTypeWrapper<LinkConnectionRow>;
  LinkDownEvent: ResolverTypeWrapper<LinkDownEventRow>;
  LinkDownReason: ResolverTypeWrapper<ModelLinkDownReason>;
  LinkEdge: ResolverTypeWrapper<Omit<LinkEdge, 'node'> & { node: ResolversTypes['Link'] }>;
  LinkSeenEvent: ResolverTypeWrapper<LinkSeenEventRow>;
  LinkSource: ResolverTypeWrapper<ModelLinkSource>;
  LinkUpEvent: ResolverTypeWrapper<LinkUpEventRow>;
  Neighbor: ResolverTypeWrapper<NeighborRow>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Path: ResolverTypeWrapper<PathRow>;
  Port: ResolverTypeWrapper<PortRow>;
  PortDeletedEvent: ResolverTypeWrapper<PortDeletedEventRow>;
  PortNumber: ResolverTypeWrapper<Scalars['PortNumber']['output']>;
  PortRef: ResolverTypeWrapper<PortRefRow>;
  PortSegmentsEvent: ResolverTypeWrapper<PortSegmentsEventRow>;
  PortState: ResolverTypeWrapper<ModelPortState>;
  PortStateEvent: ResolverTypeWrapper<PortStateEventRow>;
  Query: ResolverTypeWrapper<{}>;
  Segment: ResolverTypeWrapper<SegmentRow>;
  SegmentConnection: ResolverTypeWrapper<SegmentConnectionRow>;
  SegmentEdge: ResolverTypeWrapper<Omit<SegmentEdge, 'node'> & { node: ResolversTypes['Segment'] }>;
  SegmentKind: ResolverTypeWrapper<ModelSegmentKind>;
  SegmentRef: ResolverTypeWrapper<SegmentRefRow>;
  SegmentSeenEvent: ResolverTypeWrapper<SegmentSeenEventRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<{}>;
  Switch: ResolverTypeWrapper<SwitchRow>;
  SwitchConnection: ResolverTypeWrapper<SwitchConnectionRow>;
  SwitchDownEvent: ResolverTypeWrapper<SwitchDownEventRow>;
  SwitchEdge: ResolverTypeWrapper<Omit<SwitchEdge, 'node'> & { node: ResolversTypes['Switch'] }>;
  SwitchUpEvent: ResolverTypeWrapper<SwitchUpEventRow>;
  Timestamp: ResolverTypeWrapper<Scalars['Timestamp']['output']>;
  TopologyEvent: ResolverTypeWrapper<AnyTopologyEvent>;
  TopologyEventType: ResolverTypeWrapper<ModelTopologyEventType>;
  VM: ResolverTypeWrapper<VmRow>;
  VMConnection: ResolverTypeWrapper<VmConnectionRow>;
  VMEdge: ResolverTypeWrapper<Omit<VmEdge, 'node'> & { node: ResolversTypes['VM'] }>;
  VmGoneEvent: ResolverTypeWrapper<VmGoneEventRow>;
  VmSeenEvent: ResolverTypeWrapper<VmSeenEventRow>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Attachment: AttachmentRow;
  Boolean: Scalars['Boolean']['output'];
  Float: Scalars['Float']['output'];
  Hop: HopRow;
  Host: HostRow;
  HostConnection: HostConnectionRow;
  HostEdge: Omit<HostEdge, 'node'> & { node: ResolversParentTypes['Host'] };
  HostFilter: HostFilter;
  HostGoneEvent: HostGoneEventRow;
  HostIpEvent: HostIpEventRow;
  HostMovedEvent: HostMovedEventRow;
  HostSeenEvent: HostSeenEventRow;
  IPAddress: IpRow;
  Int: Scalars['Int']['output'];
  Link: LinkRow;
  LinkConnection: LinkConnectionRow;
  LinkDownEvent: LinkDownEventRow;
  LinkEdge: Omit<LinkEdge, 'node'> & { node: ResolversParentTypes['Link'] };
  LinkSeenEvent: LinkSeenEventRow;
  LinkUpEvent: LinkUpEventRow;
  Neighbor: NeighborRow;
  PageInfo: PageInfo;
  Path: PathRow;
  Port: PortRow;
  PortDeletedEvent: PortDeletedEventRow;
  PortNumber: Scalars['PortNumber']['output'];
  PortRef: PortRefRow;
  PortSegmentsEvent: PortSegmentsEventRow;
  PortStateEvent: PortStateEventRow;
  Query: {};
  Segment: SegmentRow;
  SegmentConnection: SegmentConnectionRow;
  SegmentEdge: Omit<SegmentEdge, 'node'> & { node: ResolversParentTypes['Segment'] };
  SegmentRef: SegmentRefRow;
  SegmentSeenEvent: SegmentSeenEventRow;
  String: Scalars['String']['output'];
  Subscription: {};
  Switch: SwitchRow;
  SwitchConnection: SwitchConnectionRow;
  SwitchDownEvent: SwitchDownEventRow;
  SwitchEdge: Omit<SwitchEdge, 'node'> & { node: ResolversParentTypes['Switch'] };
  SwitchUpEvent: SwitchUpEventRow;
  Timestamp: Scalars['Timestamp']['output'];
  TopologyEvent: AnyTopologyEvent;
  VM: VmRow;
  VMConnection: VmConnectionRow;
  VMEdge: Omit<VmEdge, 'node'> & { node: ResolversParentTypes['VM'] };
  VmGoneEvent: VmGoneEventRow;
  VmSeenEvent: VmSeenEventRow;
};

export type AttachmentResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Attachment'] = ResolversParentTypes['Attachment']> = {
  firstSeen?: Resolver<Maybe<ResolversTypes['Timestamp']>, ParentType, ContextType>;
  lastSeen?: Resolver<Maybe<ResolversTypes['Timestamp']>, ParentType, ContextType>;
  port?: Resolver<ResolversTypes['Port'], ParentType, ContextType>;
  switch?: Resolver<ResolversTypes['Switch'], ParentType, ContextType>;
  vlan?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type HopResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Hop'] = ResolversParentTypes['Hop']> = {
  inPort?: Resolver<ResolversTypes['Port'], ParentType, ContextType>;
  outPort?: Resolver<ResolversTypes['Port'], ParentType, ContextType>;
  switch?: Resolver<ResolversTypes['Switch'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type HostResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Host'] = ResolversParentTypes['Host']> = {
  attachment?: Resolver<Maybe<ResolversTypes['Attachment']>, ParentType, ContextType>;
  firstSeen?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  ips?: Resolver<Array<ResolversTypes['IPAddress']>, ParentType, ContextType>;
  lastSeen?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  mac?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['HostSource']>, ParentType, ContextType>;
  vm?: Resolver<Maybe<ResolversTypes['VM']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type HostConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['HostConnection'] = ResolversParentTypes['HostConnection']> = {
  edges?: Resolver<Array<ResolversTypes['HostEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type HostEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['HostEdge'] = ResolversParentTypes['HostEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Host'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type HostGoneEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['HostGoneEvent'] = ResolversParentTypes['HostGoneEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  host?: Resolver<Maybe<ResolversTypes['Host']>, ParentType, ContextType>;
  mac?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['HostGoneReason'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type HostGoneReasonResolvers = { EVICTED: 'evicted', INTER_SWITCH_PORT: 'inter-switch-port' };

export type HostIpEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['HostIpEvent'] = ResolversParentTypes['HostIpEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  host?: Resolver<Maybe<ResolversTypes['Host']>, ParentType, ContextType>;
  ip?: Resolver<ResolversTypes['IPAddress'], ParentType, ContextType>;
  mac?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type HostMovedEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['HostMovedEvent'] = ResolversParentTypes['HostMovedEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  from?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  host?: Resolver<Maybe<ResolversTypes['Host']>, ParentType, ContextType>;
  mac?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  vlan?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type HostSeenEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['HostSeenEvent'] = ResolversParentTypes['HostSeenEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  firstSeen?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  host?: Resolver<Maybe<ResolversTypes['Host']>, ParentType, ContextType>;
  ips?: Resolver<Array<ResolversTypes['IPAddress']>, ParentType, ContextType>;
  lastSeen?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  mac?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  port?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['HostSource'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  vlan?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type HostSourceResolvers = { OVSDB: 'ovsdb', PACKET_IN: 'packet-in', SFLOW: 'sflow' };

export type IpAddressResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['IPAddress'] = ResolversParentTypes['IPAddress']> = {
  address?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  firstSeen?: Resolver<Maybe<ResolversTypes['Timestamp']>, ParentType, ContextType>;
  lastSeen?: Resolver<Maybe<ResolversTypes['Timestamp']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type LinkResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Link'] = ResolversParentTypes['Link']> = {
  dst?: Resolver<ResolversTypes['Port'], ParentType, ContextType>;
  firstSeen?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  lastSeen?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  src?: Resolver<ResolversTypes['Port'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type LinkConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['LinkConnection'] = ResolversParentTypes['LinkConnection']> = {
  edges?: Resolver<Array<ResolversTypes['LinkEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type LinkDownEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['LinkDownEvent'] = ResolversParentTypes['LinkDownEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  dst?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['LinkDownReason'], ParentType, ContextType>;
  src?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type LinkDownReasonResolvers = { PORT_DELETED: 'port-deleted', PORT_DOWN: 'port-down', SWITCH_DOWN: 'switch-down', TIMEOUT: 'timeout' };

export type LinkEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['LinkEdge'] = ResolversParentTypes['LinkEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Link'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type LinkSeenEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['LinkSeenEvent'] = ResolversParentTypes['LinkSeenEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  dst?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  latencyMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  src?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type LinkSourceResolvers = { LLDP: 'lldp', RSTP: 'rstp' };

export type LinkUpEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['LinkUpEvent'] = ResolversParentTypes['LinkUpEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  dst?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  firstSeen?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  lastSeen?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  latencyMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  src?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  via?: Resolver<ResolversTypes['LinkSource'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type NeighborResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Neighbor'] = ResolversParentTypes['Neighbor']> = {
  inbound?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  localPort?: Resolver<ResolversTypes['Port'], ParentType, ContextType>;
  outbound?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  remotePort?: Resolver<ResolversTypes['Port'], ParentType, ContextType>;
  switch?: Resolver<ResolversTypes['Switch'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PathResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Path'] = ResolversParentTypes['Path']> = {
  from?: Resolver<ResolversTypes['Host'], ParentType, ContextType>;
  hops?: Resolver<Array<ResolversTypes['Hop']>, ParentType, ContextType>;
  length?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['Host'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PortResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Port'] = ResolversParentTypes['Port']> = {
  dpid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  hosts?: Resolver<Array<ResolversTypes['Host']>, ParentType, ContextType>;
  link?: Resolver<Maybe<ResolversTypes['Link']>, ParentType, ContextType>;
  mac?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  peer?: Resolver<Maybe<ResolversTypes['Port']>, ParentType, ContextType>;
  portNo?: Resolver<ResolversTypes['PortNumber'], ParentType, ContextType>;
  segments?: Resolver<Array<ResolversTypes['Segment']>, ParentType, ContextType>;
  speed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['PortState'], ParentType, ContextType>;
  switch?: Resolver<ResolversTypes['Switch'], ParentType, ContextType>;
  vm?: Resolver<Maybe<ResolversTypes['VM']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PortDeletedEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['PortDeletedEvent'] = ResolversParentTypes['PortDeletedEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  port?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export interface PortNumberScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['PortNumber'], any> {
  name: 'PortNumber';
}

export type PortRefResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['PortRef'] = ResolversParentTypes['PortRef']> = {
  dpid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  port?: Resolver<Maybe<ResolversTypes['Port']>, ParentType, ContextType>;
  portNo?: Resolver<ResolversTypes['PortNumber'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PortSegmentsEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['PortSegmentsEvent'] = ResolversParentTypes['PortSegmentsEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  port?: Resolver<ResolversTypes['PortRef'], ParentType, ContextType>;
  segments?: Resolver<Array<ResolversTypes['SegmentRef']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PortStateResolvers = { BLOCKED: 'blocked', DOWN: 'down', UP: 'up' };

export type PortStateEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['PortStateEvent'] = ResolversParentTypes['PortStateEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  port?: Resolver<ResolversTypes['Port'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type QueryResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  host?: Resolver<Maybe<ResolversTypes['Host']>, ParentType, ContextType, RequireFields<QueryHostArgs, 'mac'>>;
  hosts?: Resolver<ResolversTypes['HostConnection'], ParentType, ContextType, RequireFields<QueryHostsArgs, 'first'>>;
  links?: Resolver<ResolversTypes['LinkConnection'], ParentType, ContextType, RequireFields<QueryLinksArgs, 'first'>>;
  neighbors?: Resolver<Array<ResolversTypes['Neighbor']>, ParentType, ContextType, RequireFields<QueryNeighborsArgs, 'dpid'>>;
  path?: Resolver<Maybe<ResolversTypes['Path']>, ParentType, ContextType, RequireFields<QueryPathArgs, 'from' | 'to'>>;
  segments?: Resolver<ResolversTypes['SegmentConnection'], ParentType, ContextType, RequireFields<QuerySegmentsArgs, 'first'>>;
  switch?: Resolver<Maybe<ResolversTypes['Switch']>, ParentType, ContextType, RequireFields<QuerySwitchArgs, 'dpid'>>;
  switches?: Resolver<ResolversTypes['SwitchConnection'], ParentType, ContextType, RequireFields<QuerySwitchesArgs, 'first'>>;
  vms?: Resolver<ResolversTypes['VMConnection'], ParentType, ContextType, RequireFields<QueryVmsArgs, 'first'>>;
};

export type SegmentResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Segment'] = ResolversParentTypes['Segment']> = {
  hosts?: Resolver<Array<ResolversTypes['Host']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['SegmentKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ports?: Resolver<Array<ResolversTypes['Port']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SegmentConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['SegmentConnection'] = ResolversParentTypes['SegmentConnection']> = {
  edges?: Resolver<Array<ResolversTypes['SegmentEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SegmentEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['SegmentEdge'] = ResolversParentTypes['SegmentEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Segment'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SegmentKindResolvers = { VLAN: 'vlan', VNI: 'vni' };

export type SegmentRefResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['SegmentRef'] = ResolversParentTypes['SegmentRef']> = {
  id?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['SegmentKind'], ParentType, ContextType>;
  segment?: Resolver<Maybe<ResolversTypes['Segment']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SegmentSeenEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['SegmentSeenEvent'] = ResolversParentTypes['SegmentSeenEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  segment?: Resolver<ResolversTypes['Segment'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  topologyEvents?: SubscriptionResolver<ResolversTypes['TopologyEvent'], "topologyEvents", ParentType, ContextType, Partial<SubscriptionTopologyEventsArgs>>;
};

export type SwitchResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Switch'] = ResolversParentTypes['Switch']> = {
  address?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  connected?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  dpid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  firstSeen?: Resolver<Maybe<ResolversTypes['Timestamp']>, ParentType, ContextType>;
  lastSeen?: Resolver<Maybe<ResolversTypes['Timestamp']>, ParentType, ContextType>;
  nTables?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  neighbors?: Resolver<Array<ResolversTypes['Neighbor']>, ParentType, ContextType>;
  ports?: Resolver<Array<ResolversTypes['Port']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SwitchConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['SwitchConnection'] = ResolversParentTypes['SwitchConnection']> = {
  edges?: Resolver<Array<ResolversTypes['SwitchEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SwitchDownEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['SwitchDownEvent'] = ResolversParentTypes['SwitchDownEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  dpid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SwitchEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['SwitchEdge'] = ResolversParentTypes['SwitchEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Switch'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SwitchUpEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['SwitchUpEvent'] = ResolversParentTypes['SwitchUpEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  ports?: Resolver<Array<ResolversTypes['Port']>, ParentType, ContextType>;
  switch?: Resolver<ResolversTypes['Switch'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export interface TimestampScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Timestamp'], any> {
  name: 'Timestamp';
}

export type TopologyEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['TopologyEvent'] = ResolversParentTypes['TopologyEvent']> = {
  __resolveType: TypeResolveFn<'HostGoneEvent' | 'HostIpEvent' | 'HostMovedEvent' | 'HostSeenEvent' | 'LinkDownEvent' | 'LinkSeenEvent' | 'LinkUpEvent' | 'PortDeletedEvent' | 'PortSegmentsEvent' | 'PortStateEvent' | 'SegmentSeenEvent' | 'SwitchDownEvent' | 'SwitchUpEvent' | 'VmGoneEvent' | 'VmSeenEvent', ParentType, ContextType>;
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
};

export type TopologyEventTypeResolvers = { HOST_GONE: 'host.gone', HOST_IP: 'host.ip', HOST_MOVED: 'host.moved', HOST_SEEN: 'host.seen', LINK_DOWN: 'link.down', LINK_SEEN: 'link.seen', LINK_UP: 'link.up', PORT_DELETED: 'port.deleted', PORT_DOWN: 'port.down', PORT_SEGMENTS: 'port.segments', PORT_UP: 'port.up', SEGMENT_SEEN: 'segment.seen', SWITCH_DOWN: 'switch.down', SWITCH_UP: 'switch.up', VM_GONE: 'vm.gone', VM_SEEN: 'vm.seen' };

export type VmResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['VM'] = ResolversParentTypes['VM']> = {
  bridge?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  host?: Resolver<Maybe<ResolversTypes['Host']>, ParentType, ContextType>;
  ifaceId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  interfaceName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastSeen?: Resolver<Maybe<ResolversTypes['Timestamp']>, ParentType, ContextType>;
  mac?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  port?: Resolver<Maybe<ResolversTypes['Port']>, ParentType, ContextType>;
  uuid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type VmConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['VMConnection'] = ResolversParentTypes['VMConnection']> = {
  edges?: Resolver<Array<ResolversTypes['VMEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type VmEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['VMEdge'] = ResolversParentTypes['VMEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['VM'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type VmGoneEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['VmGoneEvent'] = ResolversParentTypes['VmGoneEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  uuid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type VmSeenEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['VmSeenEvent'] = ResolversParentTypes['VmSeenEvent']> = {
  at?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  port?: Resolver<Maybe<ResolversTypes['PortRef']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['TopologyEventType'], ParentType, ContextType>;
  vm?: Resolver<ResolversTypes['VM'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type Resolvers<ContextType = ApiContext> = {
  Attachment?: AttachmentResolvers<ContextType>;
  Hop?: HopResolvers<ContextType>;
  Host?: HostResolvers<ContextType>;
  HostConnection?: HostConnectionResolvers<ContextType>;
  HostEdge?: HostEdgeResolvers<ContextType>;
  HostGoneEvent?: HostGoneEventResolvers<ContextType>;
  HostGoneReason?: HostGoneReasonResolvers;
  HostIpEvent?: HostIpEventResolvers<ContextType>;
  HostMovedEvent?: HostMovedEventResolvers<ContextType>;
  HostSeenEvent?: HostSeenEventResolvers<ContextType>;
  HostSource?: HostSourceResolvers;
  IPAddress?: IpAddressResolvers<ContextType>;
  Link?: LinkResolvers<ContextType>;
  LinkConnection?: LinkConnectionResolvers<ContextType>;
  LinkDownEvent?: LinkDownEventResolvers<ContextType>;
  LinkDownReason?: LinkDownReasonResolvers;
  LinkEdge?: LinkEdgeResolvers<ContextType>;
  LinkSeenEvent?: LinkSeenEventResolvers<ContextType>;
  LinkSource?: LinkSourceResolvers;
  LinkUpEvent?: LinkUpEventResolvers<ContextType>;
  Neighbor?: NeighborResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Path?: PathResolvers<ContextType>;
  Port?: PortResolvers<ContextType>;
  PortDeletedEvent?: PortDeletedEventResolvers<ContextType>;
  PortNumber?: GraphQLScalarType;
  PortRef?: PortRefResolvers<ContextType>;
  PortSegmentsEvent?: PortSegmentsEventResolvers<ContextType>;
  PortState?: PortStateResolvers;
  PortStateEvent?: PortStateEventResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Segment?: SegmentResolvers<ContextType>;
  SegmentConnection?: SegmentConnectionResolvers<ContextType>;
  SegmentEdge?: SegmentEdgeResolvers<ContextType>;
  SegmentKind?: SegmentKindResolvers;
  SegmentRef?: SegmentRefResolvers<ContextType>;
  SegmentSeenEvent?: SegmentSeenEventResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Switch?: SwitchResolvers<ContextType>;
  SwitchConnection?: SwitchConnectionResolvers<ContextType>;
  SwitchDownEvent?: SwitchDownEventResolvers<ContextType>;
  SwitchEdge?: SwitchEdgeResolvers<ContextType>;
  SwitchUpEvent?: SwitchUpEventResolvers<ContextType>;
  Timestamp?: GraphQLScalarType;
  TopologyEvent?: TopologyEventResolvers<ContextType>;
  TopologyEventType?: TopologyEventTypeResolvers;
  VM?: VmResolvers<ContextType>;
  VMConnection?: VmConnectionResolvers<ContextType>;
  VMEdge?: VmEdgeResolvers<ContextType>;
  VmGoneEvent?: VmGoneEventResolvers<ContextType>;
  VmSeenEvent?: VmSeenEventResolvers<ContextType>;
};

