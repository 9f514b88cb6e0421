/**
 * Topology test support (pure): a seeded generator of event streams that are consistent the way
 * discovery emits them (link.down before the switch/port that carried the link goes down, host.gone and
 * vm.gone before a port with hosts/VMs on it is deleted, a MAC never reused after host.gone), and the
 * graph the Neo4j store should hold for a TopologySnapshot, in the normalized form readGraph()
 * (topology-graph.ts) returns.
 */
import type { HostInfo, IpAddress, PortInfo, PortRef, SegmentRef, TopologyEvent, TopologySnapshot, VmInfo } from '../../src/topology/model.js';
import { portKey, segmentKey } from '../../src/topology/model.js';

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const dpidN = (n: number): string => n.toString(16).padStart(16, '0');
export const macN = (n: number): string => `02:00:00:${((n >> 16) & 0xff).toString(16).padStart(2, '0')}:${((n >> 8) & 0xff).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`;

export function portInfo(dpid: string, portNo: number, state: PortInfo['state'] = 'up'): PortInfo {
  return { dpid, portNo, name: `s${parseInt(dpid, 16)}-eth${portNo}`, mac: macN(0x100000 + parseInt(dpid, 16) * 256 + portNo), state, speed: 10_000_000 };
}

export interface GenOptions {
  seed: number;
  switches: number;
  portsPerSwitch: number;
  /** Ports 1..trunkPorts of each switch carry links; the others have hosts. */
  trunkPorts: number;
  start: number;
}

const defaults: GenOptions = { seed: 1, switches: 6, portsPerSwitch: 8, trunkPorts: 3, start: 1_700_000_000_000 };

/** A stream of `count` (or a few more: prerequisites ride along) consistent mixed events. */
export function generateEvents(count: number, options: Partial<GenOptions> = {}): TopologyEvent[] {
  const o = { ...defaults, ...options };
  const rnd = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let t = o.start;
  const out: TopologyEvent[] = [];
  const connected = new Map<string, Map<number, PortInfo>>();
  const known = new Set<string>();
  const links = new Map<string, { src: PortRef; dst: PortRef }>();
  const hosts = new Map<string, { port: PortRef; firstSeen: number; ips: IpAddress[] }>();
  const vms = new Map<string, VmInfo>();
  let nextMac = 1;
  let nextVm = 1;
  const segs: SegmentRef[] = [
    { kind: 'vlan', id: 10 },
    { kind: 'vlan', id: 20 },
    { kind: 'vni', id: 5001 },
  ];
  const emit = (e: TopologyEvent): void => {
    out.push(e);
  };
  const tick = (): number => (t += 1 + Math.floor(rnd() * 40));
  const linksAt = (p: PortRef): string[] => [...links].filter(([, l]) => portKey(l.src) === portKey(p) || portKey(l.dst) === portKey(p)).map(([k]) => k);
  const dropLinks = (keys: string[], reason: 'port-down' | 'port-deleted' | 'switch-down'): void => {
    for (const k of keys) {
      const l = links.get(k)!;
      links.delete(k);
      emit({ type: 'link.down', at: tick(), src: l.src, dst: l.dst, reason });
    }
  };
  const clearPort = (p: PortRef): void => {
    for (const [mac, h] of hosts)
      if (portKey(h.port) === portKey(p)) {
        hosts.delete(mac);
        emit({ type: 'host.gone', at: tick(), mac, reason: 'evicted' });
      }
    for (const [uuid, v] of vms)
      if (v.port && portKey(v.port) === portKey(p)) {
        vms.delete(uuid);
        emit({ type: 'vm.gone', at: tick(), uuid });
      }
  };
  const accessPorts = (): PortInfo[] => [...connected.values()].flatMap((ps) => [...ps.values()].filter((p) => p.portNo > o.trunkPorts));
  const trunkPorts = (): PortInfo[] => [...connected.values()].flatMap((ps) => [...ps.values()].filter((p) => p.portNo <= o.trunkPorts && p.state === 'up'));
  const hostInfo = (mac: string, at: number): HostInfo => {
    const h = hosts.get(mac)!;
    return { mac, port: h.port, vlan: rnd() < 0.3 ? 10 : null, ips: h.ips.slice(), firstSeen: h.firstSeen, lastSeen: at, source: pick(['packet-in', 'sflow'] as const) };
  };
  const switchUp = (n: number): void => {
    const dpid = dpidN(n);
    // Now and then a port is missing from PORT_DESC: it was removed while the switch was away.
    const ports = Array.from({ length: o.portsPerSwitch }, (_, i) => portInfo(dpid, i + 1)).filter((p) => !known.has(dpid) || p.portNo <= o.trunkPorts || rnd() > 0.1);
    const at = tick();
    connected.set(dpid, new Map(ports.map((p) => [p.portNo, p])));
    known.add(dpid);
    emit({ type: 'switch.up', at, switch: { dpid, name: `s${n}`, address: `127.0.0.1:${40000 + n}`, nTables: 3, connected: true, firstSeen: at, lastSeen: at }, ports });
  };

  for (let n = 1; n <= o.switches; n++) switchUp(n);
  for (const g of segs) emit({ type: 'segment.seen', at: tick(), segment: { ...g, name: `${g.kind}-${g.id}` } });

  while (out.length < count) {
    const r = rnd();
    const sws = [...connected.keys()];
    if (r < 0.03 && sws.length > 2) {
      // a switch goes away (its links first)
      const dpid = pick(sws);
      dropLinks([...links].filter(([, l]) => l.src.dpid === dpid || l.dst.dpid === dpid).map(([k]) => k), 'switch-down');
      connected.delete(dpid);
      emit({ type: 'switch.down', at: tick(), dpid });
    } else if (r < 0.07) {
      const down = [...known].filter((d) => !connected.has(d));
      if (down.length === 0) continue;
      const dpid = pick(down);
      // ports that will not come back take their hosts and VMs with them
      for (let p = o.trunkPorts + 1; p <= o.portsPerSwitch; p++) clearPort({ dpid, portNo: p });
      switchUp(parseInt(dpid, 16));
    } else if (r < 0.1) {
      const ports = trunkPorts();
      if (ports.length === 0) continue;
      const p = pick(ports);
      dropLinks(linksAt(p), 'port-down');
      const info = { ...p, state: 'down' as const };
      connected.get(p.dpid)!.set(p.portNo, info);
      emit({ type: 'port.down', at: tick(), port: info });
    } else if (r < 0.13) {
      const downs = [...connected.values()].flatMap((ps) => [...ps.values()].filter((p) => p.state === 'down'));
      if (downs.length === 0) continue;
      const p = { ...pick(downs), state: 'up' as const };
      connected.get(p.dpid)!.set(p.portNo, p);
      emit({ type: 'port.up', at: tick(), port: p });
    } else if (r < 0.15) {
      const ports = accessPorts();
      if (ports.length === 0) continue;
      const p = pick(ports);
      dropLinks(linksAt(p), 'port-deleted');
      clearPort(p);
      connected.get(p.dpid)!.delete(p.portNo);
      emit({ type: 'port.deleted', at: tick(), port: { dpid: p.dpid, portNo: p.portNo } });
    } else if (r < 0.25) {
      const ports = trunkPorts();
      if (ports.length < 2) continue;
      const a = pick(ports);
      const b = pick(ports);
      if (a.dpid === b.dpid) continue;
      const k = `${portKey(a)}>${portKey(b)}`;
      if (links.has(k)) continue;
      const src = { dpid: a.dpid, portNo: a.portNo };
      const dst = { dpid: b.dpid, portNo: b.portNo };
      links.set(k, { src, dst });
      const at = tick();
      emit({ type: 'link.up', at, link: { src, dst, firstSeen: at, lastSeen: at, ...(rnd() < 0.5 ? { latencyMs: Math.round(rnd() * 300) / 100 } : {}), ...(rnd() < 0.2 ? { via: 'rstp' as const } : {}) } });
    } else if (r < 0.45) {
      if (links.size === 0) continue;
      const l = pick([...links.values()]);
      emit({ type: 'link.seen', at: tick(), src: l.src, dst: l.dst, ...(rnd() < 0.5 ? { latencyMs: Math.round(rnd() * 300) / 100 } : {}) });
    } else if (r < 0.5) {
      if (links.size === 0) continue;
      const [k, l] = pick([...links]);
      links.delete(k);
      emit({ type: 'link.down', at: tick(), src: l.src, dst: l.dst, reason: 'timeout' });
    } else if (r < 0.68) {
      const ports = accessPorts();
      if (ports.length === 0) continue;
      const at = tick();
      if (hosts.size === 0 || rnd() < 0.3) {
        const mac = macN(nextMac++);
        const p = pick(ports);
        hosts.set(mac, { port: { dpid: p.dpid, portNo: p.portNo }, firstSeen: at, ips: rnd() < 0.7 ? [{ address: `10.0.${(nextMac >> 8) & 255}.${nextMac & 255}`, version: 4 }] : [] });
        emit({ type: 'host.seen', at, host: hostInfo(mac, at) });
      } else emit({ type: 'host.seen', at, host: hostInfo(pick([...hosts.keys()]), at) });
    } else if (r < 0.73) {
      const ports = accessPorts();
      if (hosts.size === 0 || ports.length === 0) continue;
      const mac = pick([...hosts.keys()]);
      const h = hosts.get(mac)!;
      const p = pick(ports);
      const to = { dpid: p.dpid, portNo: p.portNo };
      if (portKey(to) === portKey(h.port)) continue;
      emit({ type: 'host.moved', at: tick(), mac, from: h.port, to, vlan: rnd() < 0.5 ? 20 : null });
      h.port = to;
    } else if (r < 0.8) {
      if (hosts.size === 0) continue;
      const mac = pick([...hosts.keys()]);
      const v6 = rnd() < 0.3;
      const ip: IpAddress = v6 ? { address: `fd00::${(nextMac + Math.floor(rnd() * 100)).toString(16)}`, version: 6 } : { address: `10.1.0.${Math.floor(rnd() * 250) + 1}`, version: 4 };
      emit({ type: 'host.ip', at: tick(), mac, ip });
    } else if (r < 0.83) {
      if (hosts.size === 0) continue;
      const mac = pick([...hosts.keys()]);
      hosts.delete(mac);
      emit({ type: 'host.gone', at: tick(), mac, reason: 'evicted' });
    } else if (r < 0.9) {
      const ports = accessPorts();
      const uuid = rnd() < 0.3 && vms.size > 0 ? pick([...vms.keys()]) : `vm-${nextVm++}`;
      const p = ports.length > 0 && rnd() < 0.7 ? pick(ports) : null;
      const hostMacs = [...hosts.keys()];
      const mac = rnd() < 0.5 && hostMacs.length > 0 ? pick(hostMacs) : rnd() < 0.5 ? macN(0x800000 + nextVm) : null;
      const vm: VmInfo = { uuid, name: rnd() < 0.8 ? `guest-${uuid}` : null, ifaceId: `iface-${uuid}`, mac, port: p ? { dpid: p.dpid, portNo: p.portNo } : null, bridge: 'br0', interfaceName: `vnet${uuid.slice(3)}` };
      vms.set(uuid, vm);
      emit({ type: 'vm.seen', at: tick(), vm });
    } else if (r < 0.92) {
      if (vms.size === 0) continue;
      const uuid = pick([...vms.keys()]);
      vms.delete(uuid);
      emit({ type: 'vm.gone', at: tick(), uuid });
    } else if (r < 0.97) {
      const ports = accessPorts();
      if (ports.length === 0) continue;
      const p = pick(ports);
      const segments = rnd() < 0.2 ? [] : rnd() < 0.7 ? [pick(segs)] : [segs[0]!, segs[2]!];
      emit({ type: 'port.segments', at: tick(), port: { dpid: p.dpid, portNo: p.portNo }, segments: segments.map((g) => ({ ...g })) });
    } else {
      const g = rnd() < 0.5 ? pick(segs) : ({ kind: 'vlan', id: 100 + Math.floor(rnd() * 5) } as const);
      emit({ type: 'segment.seen', at: tick(), segment: { ...g, name: `net-${segmentKey(g)}-${Math.floor(rnd() * 3)}` } });
    }
  }
  return out;
}

// ---- the graph a snapshot should give ----------------------------------------------------------------

export interface GraphView {
  switches: Record<string, { name: string; address: string; nTables: number; connected: boolean; firstSeen: number; lastSeen: number }>;
  /** Port key -> properties and the dpid of the switch that HAS_PORT it. */
  ports: Record<string, { owner: string; dpid: string; portNo: number; name: string; mac: string; state: string; speed: number }>;
  links: Record<string, { firstSeen: number; lastSeen: number; via: string; latencyMs: number | null }>;
  hosts: Record<string, { firstSeen: number; lastSeen: number; source: string }>;
  /** mac -> its ATTACHED_TO. */
  attachments: Record<string, { port: string; vlan: number | null }>;
  /** "mac|address" -> HAS_IP times. */
  hasIp: Record<string, { firstSeen: number; lastSeen: number }>;
  ips: Record<string, number>;
  vms: Record<string, { name: string | null; ifaceId: string | null; mac: string | null; bridge: string; interfaceName: string; port: string | null; hostMac: string | null }>;
  segments: Record<string, { kind: string; id: number; name: string }>;
  /** "portKey|segmentKey", sorted. */
  inSegment: string[];
}

const sortedRecord = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The graph the store holds for `snap` (after a resync into an empty database, or after the events the
 * snapshot was folded from). `graphHostMacs`: hosts the graph has beyond the snapshot's (history: gone
 * hosts) — VMs link to them too.
 */
export function expectedGraph(snap: TopologySnapshot, graphHostMacs: Iterable<string> = []): GraphView {
  const ports = snap.switches.flatMap((s) => s.ports.map((p) => [portKey(p), { owner: s.switch.dpid, dpid: p.dpid, portNo: p.portNo, name: p.name, mac: p.mac, state: p.state, speed: p.speed }] as [string, GraphView['ports'][string]]));
  const portSet = new Set(ports.map(([k]) => k));
  const hostMacs = new Set([...snap.hosts.map((h) => h.mac), ...graphHostMacs]);
  const named = new Map(snap.segments.map((g) => [segmentKey(g), g]));
  const member = snap.portSegments.filter((m) => portSet.has(portKey(m.port)));
  const segments = new Map<string, { kind: string; id: number; name: string }>();
  for (const g of snap.segments) segments.set(segmentKey(g), { kind: g.kind, id: g.id, name: g.name });
  for (const m of member) for (const g of m.segments) if (!named.has(segmentKey(g))) segments.set(segmentKey(g), { kind: g.kind, id: g.id, name: segmentKey(g) });
  return {
    switches: sortedRecord(snap.switches.map((s) => [s.switch.dpid, { name: s.switch.name, address: s.switch.address, nTables: s.switch.nTables, connected: s.switch.connected, firstSeen: s.switch.firstSeen, lastSeen: s.switch.lastSeen }])),
    ports: sortedRecord(ports),
    links: sortedRecord(snap.links.filter((l) => portSet.has(portKey(l.src)) && portSet.has(portKey(l.dst))).map((l) => [`${portKey(l.src)}>${portKey(l.dst)}`, { firstSeen: l.firstSeen, lastSeen: l.lastSeen, via: l.via ?? 'lldp', latencyMs: l.latencyMs ?? null }])),
    hosts: sortedRecord(snap.hosts.map((h) => [h.mac, { firstSeen: h.firstSeen, lastSeen: h.lastSeen, source: h.source }])),
    attachments: sortedRecord(snap.hosts.filter((h) => portSet.has(portKey(h.port))).map((h) => [h.mac, { port: portKey(h.port), vlan: h.vlan }])),
    hasIp: sortedRecord(snap.hosts.flatMap((h) => h.ips.map((ip) => [`${h.mac}|${ip.address}`, { firstSeen: ip.firstSeen ?? h.firstSeen, lastSeen: ip.lastSeen ?? h.lastSeen }] as [string, { firstSeen: number; lastSeen: number }]))),
    ips: sortedRecord(snap.hosts.flatMap((h) => h.ips.map((ip) => [ip.address, ip.version] as [string, number]))),
    vms: sortedRecord(
      snap.vms.map((v) => {
        const mac = v.mac === null ? null : v.mac.toLowerCase();
        const port = v.port && portSet.has(portKey(v.port)) ? portKey(v.port) : null;
        return [v.uuid, { name: v.name, ifaceId: v.ifaceId, mac, bridge: v.bridge, interfaceName: v.interfaceName, port, hostMac: mac !== null && hostMacs.has(mac) ? mac : null }];
      }),
    ),
    segments: sortedRecord([...segments]),
    inSegment: member.flatMap((m) => m.segments.map((g) => `${portKey(m.port)}|${segmentKey(g)}`)).sort(),
  };
}

/**
 * A graph view restricted to what a snapshot describes: hosts (and their IPs/HAS_IP) the snapshot lists
 * (the graph keeps gone hosts as history), segments the snapshot or one of its memberships names (the
 * graph keeps segments as history).
 */
export function restrictToSnapshot(g: GraphView, snap: TopologySnapshot): GraphView {
  const macs = new Set(snap.hosts.map((h) => h.mac));
  const pick = <T>(r: Record<string, T>, keep: (k: string) => boolean): Record<string, T> => Object.fromEntries(Object.entries(r).filter(([k]) => keep(k)));
  const addrs = new Set(snap.hosts.flatMap((h) => h.ips.map((i) => i.address)));
  const segs = new Set([...snap.segments.map(segmentKey), ...snap.portSegments.flatMap((m) => m.segments.map(segmentKey))]);
  return { ...g, hosts: pick(g.hosts, (m) => macs.has(m)), hasIp: pick(g.hasIp, (k) => macs.has(k.split('|')[0]!)), ips: pick(g.ips, (a) => addrs.has(a)), segments: pick(g.segments, (k) => segs.has(k)) };
}
