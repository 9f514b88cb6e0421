/**
 * TopologyState: the controller's authoritative in-memory topology, a pure fold of TopologyEvents
 * (`reduce(state, event) -> state`). States are immutable: `reduce` returns a new state that shares every
 * part the event did not touch (PersistentMap shards, per-switch port maps), so a reader may keep any state
 * it was given (a snapshot in progress, the previous state to diff against) while discovery moves on.
 *
 * The reducer applies exactly what the events say and nothing implicit: discovery emits link.down before
 * switch.down / port.down, host.gone before forgetting a host, and so on, so the Neo4j store, which sees
 * the same events, stays equal to `snapshot(state)`. Events about things the state does not know (a port
 * of an unknown switch, a sighting of an unknown link) leave it unchanged.
 */
import {
  portKey,
  segmentKey,
  type Dpid,
  type HostInfo,
  type IpAddress,
  type LinkInfo,
  type PortInfo,
  type PortRef,
  type PortSegments,
  type SegmentInfo,
  type SwitchInfo,
  type TopologyEvent,
  type TopologySnapshot,
  type VmInfo,
} from './model.js';
import { PersistentMap } from './persistent-map.js';

export interface SwitchEntry {
  readonly info: SwitchInfo;
  /** Ports by number (replaced, never mutated). */
  readonly ports: ReadonlyMap<number, PortInfo>;
}

export interface TopologyState {
  /** By dpid. */
  readonly switches: PersistentMap<SwitchEntry>;
  /** By linkKey(src, dst). */
  readonly links: PersistentMap<LinkInfo>;
  /** By MAC. */
  readonly hosts: PersistentMap<HostInfo>;
  /** By VM uuid. */
  readonly vms: PersistentMap<VmInfo>;
  /** By segmentKey. */
  readonly segments: PersistentMap<SegmentInfo>;
  /** By portKey; only ports in at least one segment. */
  readonly portSegments: PersistentMap<PortSegments>;
  /** Events applied so far. */
  readonly version: number;
  /** Time of the last event applied (0 before any). */
  readonly at: number;
}

/** The text key of a directed link. */
export function linkKey(src: PortRef, dst: PortRef): string {
  return `${portKey(src)}>${portKey(dst)}`;
}

export function emptyState(): TopologyState {
  return {
    switches: PersistentMap.empty(),
    links: PersistentMap.empty(),
    hosts: PersistentMap.empty(),
    vms: PersistentMap.empty(),
    segments: PersistentMap.empty(),
    portSegments: PersistentMap.empty(),
    version: 0,
    at: 0,
  };
}

function withPort(state: TopologyState, port: PortInfo): TopologyState['switches'] {
  const sw = state.switches.get(port.dpid);
  if (!sw) return state.switches;
  const ports = new Map(sw.ports);
  ports.set(port.portNo, { ...port });
  return state.switches.set(port.dpid, { info: sw.info, ports });
}

/** Merges an address into a host's list (first seen kept, last seen advanced). */
function mergeIp(ips: readonly IpAddress[], ip: IpAddress, at: number): IpAddress[] {
  const i = ips.findIndex((x) => x.address === ip.address);
  const first = ip.firstSeen ?? at;
  const last = ip.lastSeen ?? at;
  if (i < 0) return [...ips, { address: ip.address, version: ip.version, firstSeen: first, lastSeen: last }];
  const cur = ips[i]!;
  const merged: IpAddress = {
    address: cur.address,
    version: cur.version,
    firstSeen: Math.min(cur.firstSeen ?? first, first),
    lastSeen: Math.max(cur.lastSeen ?? last, last),
  };
  const out = ips.slice();
  out[i] = merged;
  return out;
}

function reduceHostSeen(state: TopologyState, at: number, host: HostInfo): TopologyState['hosts'] {
  const cur = state.hosts.get(host.mac);
  let ips: IpAddress[] = cur ? cur.ips.slice() : [];
  for (const ip of host.ips) ips = mergeIp(ips, ip, at);
  return state.hosts.set(host.mac, {
    mac: host.mac,
    port: { dpid: host.port.dpid, portNo: host.port.portNo },
    vlan: host.vlan,
    ips,
    firstSeen: cur ? Math.min(cur.firstSeen, host.firstSeen) : host.firstSeen,
    lastSeen: cur ? Math.max(cur.lastSeen, host.lastSeen) : host.lastSeen,
    source: host.source,
  });
}

/** Folds one event into the state. Pure: `state` is not changed. */
export function reduce(state: TopologyState, e: TopologyEvent): TopologyState {
  const next = (patch: Partial<TopologyState>): TopologyState => ({ ...state, ...patch, version: state.version + 1, at: Math.max(state.at, e.at) });
  switch (e.type) {
    case 'switch.up': {
      const cur = state.switches.get(e.switch.dpid);
      const info: SwitchInfo = { ...e.switch, connected: true, firstSeen: cur ? Math.min(cur.info.firstSeen, e.switch.firstSeen) : e.switch.firstSeen };
      const ports = new Map(e.ports.map((p) => [p.portNo, { ...p }] as const));
      // Ports the switch no longer has lose their segment membership with them.
      const gone = cur ? [...cur.ports.keys()].filter((n) => !ports.has(n)) : [];
      let portSegments = state.portSegments;
      for (const n of gone) portSegments = portSegments.delete(portKey({ dpid: e.switch.dpid, portNo: n }));
      return next({ switches: state.switches.set(info.dpid, { info, ports }), portSegments });
    }
    case 'switch.down': {
      const cur = state.switches.get(e.dpid);
      if (!cur) return next({});
      return next({ switches: state.switches.set(e.dpid, { info: { ...cur.info, connected: false, lastSeen: Math.max(cur.info.lastSeen, e.at) }, ports: cur.ports }) });
    }
    case 'port.up':
    case 'port.down':
      return next({ switches: withPort(state, e.port) });
    case 'port.deleted': {
      const sw = state.switches.get(e.port.dpid);
      if (!sw || !sw.ports.has(e.port.portNo)) return next({ portSegments: state.portSegments.delete(portKey(e.port)) });
      const ports = new Map(sw.ports);
      ports.delete(e.port.portNo);
      return next({ switches: state.switches.set(e.port.dpid, { info: sw.info, ports }), portSegments: state.portSegments.delete(portKey(e.port)) });
    }
    case 'link.up': {
      const k = linkKey(e.link.src, e.link.dst);
      const cur = state.links.get(k);
      const link: LinkInfo = { ...e.link, src: { ...e.link.src }, dst: { ...e.link.dst }, firstSeen: cur ? Math.min(cur.firstSeen, e.link.firstSeen) : e.link.firstSeen };
      return next({ links: state.links.set(k, link) });
    }
    case 'link.seen': {
      const k = linkKey(e.src, e.dst);
      const cur = state.links.get(k);
      if (!cur) return next({});
      const link: LinkInfo = { ...cur, lastSeen: Math.max(cur.lastSeen, e.at) };
      if (e.latencyMs !== undefined) link.latencyMs = e.latencyMs;
      return next({ links: state.links.set(k, link) });
    }
    case 'link.down':
      return next({ links: state.links.delete(linkKey(e.src, e.dst)) });
    case 'host.seen':
      return next({ hosts: reduceHostSeen(state, e.at, e.host) });
    case 'host.moved': {
      const cur = state.hosts.get(e.mac);
      if (!cur) return next({});
      return next({ hosts: state.hosts.set(e.mac, { ...cur, port: { dpid: e.to.dpid, portNo: e.to.portNo }, vlan: e.vlan, lastSeen: Math.max(cur.lastSeen, e.at) }) });
    }
    case 'host.ip': {
      const cur = state.hosts.get(e.mac);
      if (!cur) return next({});
      return next({ hosts: state.hosts.set(e.mac, { ...cur, ips: mergeIp(cur.ips, e.ip, e.at) }) });
    }
    case 'host.gone':
      return next({ hosts: state.hosts.delete(e.mac) });
    case 'vm.seen':
      return next({ vms: state.vms.set(e.vm.uuid, { ...e.vm, port: e.vm.port ? { ...e.vm.port } : null }) });
    case 'vm.gone':
      return next({ vms: state.vms.delete(e.uuid) });
    case 'segment.seen':
      return next({ segments: state.segments.set(segmentKey(e.segment), { ...e.segment }) });
    case 'port.segments': {
      const k = portKey(e.port);
      const portSegments =
        e.segments.length === 0
          ? state.portSegments.delete(k)
          : state.portSegments.set(k, { port: { dpid: e.port.dpid, portNo: e.port.portNo }, segments: e.segments.map((s) => ({ kind: s.kind, id: s.id })) });
      return next({ portSegments });
    }
    default: {
      const never: never = e;
      throw new Error(`unknown topology event ${JSON.stringify(never)}`);
    }
  }
}

/** Folds a sequence of events. */
export function reduceAll(state: TopologyState, events: Iterable<TopologyEvent>): TopologyState {
  let s = state;
  for (const e of events) s = reduce(s, e);
  return s;
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };

/** The state as plain data (deep copies, sorted by key): what the store rewrites on a full resync. */
export function snapshot(state: TopologyState, at: number = state.at): TopologySnapshot {
  const clone = <T>(x: T): T => structuredClone(x);
  return {
    at,
    switches: [...state.switches.values()]
      .map((s) => ({ switch: { ...s.info }, ports: [...s.ports.values()].sort((a, b) => a.portNo - b.portNo).map((p) => ({ ...p })) }))
      .sort(byKey((s) => s.switch.dpid)),
    links: [...state.links.values()].map(clone).sort(byKey((l) => linkKey(l.src, l.dst))),
    hosts: [...state.hosts.values()].map(clone).sort(byKey((h) => h.mac)),
    vms: [...state.vms.values()].map(clone).sort(byKey((v) => v.uuid)),
    segments: [...state.segments.values()].map(clone).sort(byKey(segmentKey)),
    portSegments: [...state.portSegments.values()].map(clone).sort(byKey((p) => portKey(p.port))),
  };
}

// ------------------------------------------------------------------------------------------- queries

export function switchOf(state: TopologyState, dpid: Dpid): SwitchEntry | undefined {
  return state.switches.get(dpid);
}

export function portOf(state: TopologyState, ref: PortRef): PortInfo | undefined {
  return state.switches.get(ref.dpid)?.ports.get(ref.portNo);
}

/** Live links with `port` as source or destination. */
export function linksAt(state: TopologyState, port: PortRef): LinkInfo[] {
  const out: LinkInfo[] = [];
  for (const l of state.links.values()) {
    if ((l.src.dpid === port.dpid && l.src.portNo === port.portNo) || (l.dst.dpid === port.dpid && l.dst.portNo === port.portNo)) out.push(l);
  }
  return out;
}
