/**
 * The host tracker: a pure state machine (time is a parameter, no I/O) that turns sightings — a source MAC
 * seen entering a switch port, with its VLAN and maybe an IP, from a punted packet or an sFlow sample — into
 * host.seen / host.moved / host.ip / host.gone events.
 *
 * Where a host is attached is decided with care, because the same frame is seen at every switch it floods
 * through:
 *  - sightings at switch-to-switch ports (LLDP or RSTP showed a switch behind them) are ignored, and so are
 *    multicast, broadcast and all-zero source MACs and MACs `ignoreMac` names (the switches' own ports);
 *  - a port is trusted only once it has been up for `settleMs` (LLDP probes go out the moment a port comes
 *    up, so by then a port with a switch behind it is known as one);
 *  - a new host, or a known host seen at another port, becomes a *candidate* first; after `settleMs` the
 *    candidate ports that are trusted access ports decide: a new host is placed at the port it was seen at
 *    first (the copies flooded through other switches arrive later), a known host moves to the port it was
 *    seen at last, and only if that sighting is newer than its last sighting at its current port (a move is
 *    confirmed by the new port itself, never by a frame that came in through a switch-to-switch link). A
 *    host moves at most once per `moveHoldMs` (flapping MACs are held; counted).
 *
 * Bounded: at most `maxHosts` hosts (the least recently seen is evicted: host.gone 'evicted', counted), at
 * most `maxPending` undecided MACs, `maxIpsPerHost` addresses per host. host.seen for a host already known
 * is emitted at most once per `seenIntervalMs` (new addresses always give host.ip at once).
 */
import type { HostInfo, HostSource, IpAddress, PortRef, TopologyEvent } from '../model.js';
import { portKey } from '../model.js';

export interface HostTrackerOptions {
  maxHosts: number;
  maxPending: number;
  maxIpsPerHost: number;
  /** A port is trusted for host placement this long after it came up; candidates wait this long. */
  settleMs: number;
  /** Minimum time between two moves of one host. */
  moveHoldMs: number;
  /** host.seen for a known host at most this often. */
  seenIntervalMs: number;
  /** Candidates whose port never settles are dropped after this long. */
  maxWaitMs: number;
  /** MACs that are never hosts (e.g. the switches' own port MACs). */
  ignoreMac?: (mac: string) => boolean;
}

export const defaultHostTrackerOptions: HostTrackerOptions = {
  maxHosts: 50_000,
  maxPending: 10_000,
  maxIpsPerHost: 16,
  settleMs: 1_000,
  moveHoldMs: 2_000,
  seenIntervalMs: 10_000,
  maxWaitMs: 10_000,
};

/** A source MAC seen entering a port. */
export interface Sighting {
  /** Lowercase "aa:bb:cc:dd:ee:ff". */
  mac: string;
  port: PortRef;
  vlan: number | null;
  /** An address the frame shows the host using (ARP sender, IPv4/IPv6 source), already validated. */
  ip: { address: string; version: 4 | 6 } | null;
  source: HostSource;
  at: number;
}

interface Tracked {
  mac: string;
  port: PortRef;
  vlan: number | null;
  /** By address; insertion order = least recently seen first. */
  ips: Map<string, IpAddress>;
  firstSeen: number;
  lastSeen: number;
  /** Last sighting at `port` itself. */
  lastAtPort: number;
  source: HostSource;
  lastSeenEmitted: number;
  lastMoveAt: number;
}

interface Candidate {
  port: PortRef;
  vlan: number | null;
  firstAt: number;
  lastAt: number;
  source: HostSource;
  ips: Map<string, IpAddress>;
}

interface Pending {
  firstAt: number;
  candidates: Map<string, Candidate>;
}

export interface HostTrackerCounters {
  sightings: number;
  ignoredInterSwitch: number;
  ignoredMac: number;
  pendingDropped: number;
  candidatesDropped: number;
  moves: number;
  movesHeld: number;
  movesRejected: number;
  evictions: number;
}

const MAX_CANDIDATES = 8;

/** Source MACs that cannot be a host: group (multicast/broadcast) bit set, or all zeros. */
export function isHostMac(mac: string): boolean {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac)) return false;
  if ((parseInt(mac.slice(0, 2), 16) & 1) !== 0) return false;
  return mac !== '00:00:00:00:00:00';
}

const samePort = (a: PortRef, b: PortRef): boolean => a.dpid === b.dpid && a.portNo === b.portNo;

export class HostTracker {
  readonly options: HostTrackerOptions;
  readonly counters: HostTrackerCounters = {
    sightings: 0,
    ignoredInterSwitch: 0,
    ignoredMac: 0,
    pendingDropped: 0,
    candidatesDropped: 0,
    moves: 0,
    movesHeld: 0,
    movesRejected: 0,
    evictions: 0,
  };
  /** Map order = least recently seen first (a sighting re-inserts). */
  private readonly hosts = new Map<string, Tracked>();
  private readonly pending = new Map<string, Pending>();
  /** Ports with a switch behind them. */
  private readonly interSwitch = new Set<string>();
  /** When each port came up (absent: unknown port, trusted). */
  private readonly portUpAt = new Map<string, number>();

  constructor(options: Partial<HostTrackerOptions> = {}) {
    this.options = { ...defaultHostTrackerOptions, ...options };
  }

  // ---------------------------------------------------------------------------------------- ports

  /** The port came up (or its switch connected): it is trusted `settleMs` from now. */
  portUp(port: PortRef, now: number): void {
    this.portUpAt.set(portKey(port), now);
  }

  /** The port went down or was deleted: it is no longer known as switch-to-switch; candidates there go. */
  portDown(port: PortRef): void {
    const k = portKey(port);
    this.interSwitch.delete(k);
    this.portUpAt.delete(k);
    this.dropCandidatesAt(k);
  }

  /**
   * Marks a port as switch-to-switch (a switch's LLDP arrived there, or RSTP says so) or clears it. Hosts
   * placed there were placed by flooded frames: they are dropped (host.gone) and placed again when seen at
   * an access port.
   */
  setInterSwitch(port: PortRef, on: boolean, now: number): TopologyEvent[] {
    const k = portKey(port);
    if (!on) {
      this.interSwitch.delete(k);
      return [];
    }
    if (this.interSwitch.has(k)) return [];
    this.interSwitch.add(k);
    this.dropCandidatesAt(k);
    const out: TopologyEvent[] = [];
    for (const h of [...this.hosts.values()]) {
      if (!samePort(h.port, port)) continue;
      this.hosts.delete(h.mac);
      out.push({ type: 'host.gone', at: now, mac: h.mac, reason: 'inter-switch-port' });
    }
    return out;
  }

  isInterSwitch(port: PortRef): boolean {
    return this.interSwitch.has(portKey(port));
  }

  // ------------------------------------------------------------------------------------ sightings

  sight(s: Sighting): TopologyEvent[] {
    this.counters.sightings++;
    if (!isHostMac(s.mac) || this.options.ignoreMac?.(s.mac)) {
      this.counters.ignoredMac++;
      return [];
    }
    const pk = portKey(s.port);
    if (this.interSwitch.has(pk)) {
      this.counters.ignoredInterSwitch++;
      return [];
    }
    const h = this.hosts.get(s.mac);
    if (h && samePort(h.port, s.port)) return this.refresh(h, s);
    this.addCandidate(s, pk);
    return this.decide(s.mac, s.at);
  }

  /** Decides candidates whose wait is over. Call periodically (e.g. a few times per settle period). */
  tick(now: number): TopologyEvent[] {
    const out: TopologyEvent[] = [];
    for (const mac of [...this.pending.keys()]) out.push(...this.decide(mac, now));
    return out;
  }

  get(mac: string): HostInfo | undefined {
    const h = this.hosts.get(mac);
    return h ? this.info(h) : undefined;
  }

  all(): HostInfo[] {
    return [...this.hosts.values()].map((h) => this.info(h));
  }

  /** Hosts attached to a switch (for rule reconciliation). */
  onSwitch(dpid: string): HostInfo[] {
    return [...this.hosts.values()].filter((h) => h.port.dpid === dpid).map((h) => this.info(h));
  }

  get size(): number {
    return this.hosts.size;
  }

  get pendingSize(): number {
    return this.pending.size;
  }

  // ------------------------------------------------------------------------------------- internals

  private info(h: Tracked): HostInfo {
    return {
      mac: h.mac,
      port: { ...h.port },
      vlan: h.vlan,
      ips: [...h.ips.values()].map((ip) => ({ ...ip })),
      firstSeen: h.firstSeen,
      lastSeen: h.lastSeen,
      source: h.source,
    };
  }

  private touch(h: Tracked): void {
    this.hosts.delete(h.mac);
    this.hosts.set(h.mac, h);
  }

  /** Adds an address seen at `at` (first seen at `firstAt`); returns it when new to the host. */
  private addIp(ips: Map<string, IpAddress>, ip: Sighting['ip'], at: number, firstAt = at): IpAddress | undefined {
    if (!ip) return undefined;
    const cur = ips.get(ip.address);
    if (cur) {
      ips.delete(ip.address);
      ips.set(ip.address, { ...cur, firstSeen: Math.min(cur.firstSeen ?? firstAt, firstAt), lastSeen: Math.max(cur.lastSeen ?? at, at) });
      return undefined;
    }
    const added: IpAddress = { address: ip.address, version: ip.version, firstSeen: firstAt, lastSeen: at };
    ips.set(ip.address, added);
    while (ips.size > this.options.maxIpsPerHost) ips.delete(ips.keys().next().value as string);
    return added;
  }

  /** A sighting of a known host at its current port. */
  private refresh(h: Tracked, s: Sighting): TopologyEvent[] {
    const out: TopologyEvent[] = [];
    h.lastSeen = Math.max(h.lastSeen, s.at);
    h.lastAtPort = Math.max(h.lastAtPort, s.at);
    this.touch(h);
    const added = this.addIp(h.ips, s.ip, s.at);
    if (added) out.push({ type: 'host.ip', at: s.at, mac: h.mac, ip: { ...added } });
    const vlanChanged = s.vlan !== h.vlan;
    if (vlanChanged) h.vlan = s.vlan;
    if (vlanChanged || s.at - h.lastSeenEmitted >= this.options.seenIntervalMs) {
      h.lastSeenEmitted = s.at;
      out.push({ type: 'host.seen', at: s.at, host: this.info(h) });
    }
    // A candidate elsewhere that is older than this sighting lost: the host is still here.
    return out;
  }

  private addCandidate(s: Sighting, pk: string): void {
    let p = this.pending.get(s.mac);
    if (!p) {
      if (this.pending.size >= this.options.maxPending) {
        this.counters.pendingDropped++;
        return;
      }
      p = { firstAt: s.at, candidates: new Map() };
      this.pending.set(s.mac, p);
    }
    let c = p.candidates.get(pk);
    if (!c) {
      if (p.candidates.size >= MAX_CANDIDATES) {
        this.counters.candidatesDropped++;
        return;
      }
      c = { port: { ...s.port }, vlan: s.vlan, firstAt: s.at, lastAt: s.at, source: s.source, ips: new Map() };
      p.candidates.set(pk, c);
    }
    c.lastAt = Math.max(c.lastAt, s.at);
    c.vlan = s.vlan;
    this.addIp(c.ips, s.ip, s.at);
  }

  private dropCandidatesAt(pk: string): void {
    for (const [mac, p] of this.pending) {
      if (p.candidates.delete(pk) && p.candidates.size === 0) this.pending.delete(mac);
    }
  }

  /** Trusted for placement: not switch-to-switch, and up for settleMs (or never announced). */
  private trusted(c: Candidate, now: number): 'yes' | 'no' | 'wait' {
    const k = portKey(c.port);
    if (this.interSwitch.has(k)) return 'no';
    const up = this.portUpAt.get(k);
    if (up !== undefined && now - up < this.options.settleMs) return 'wait';
    return 'yes';
  }

  private decide(mac: string, now: number): TopologyEvent[] {
    const p = this.pending.get(mac);
    if (!p) return [];
    if (now - p.firstAt < this.options.settleMs) return [];
    const eligible: Candidate[] = [];
    let waiting = false;
    for (const c of p.candidates.values()) {
      const t = this.trusted(c, now);
      if (t === 'yes') eligible.push(c);
      else if (t === 'wait') waiting = true;
    }
    if (waiting && now - p.firstAt < this.options.maxWaitMs) return [];
    this.pending.delete(mac);
    if (eligible.length === 0) {
      this.counters.candidatesDropped += p.candidates.size;
      return [];
    }
    const h = this.hosts.get(mac);
    return h ? this.decideMove(h, eligible, now) : this.place(mac, eligible, now);
  }

  private place(mac: string, eligible: Candidate[], now: number): TopologyEvent[] {
    const c = eligible.reduce((a, b) => (b.firstAt < a.firstAt ? b : a));
    const out: TopologyEvent[] = [];
    while (this.hosts.size >= this.options.maxHosts) {
      const oldest = this.hosts.keys().next().value as string;
      this.hosts.delete(oldest);
      this.counters.evictions++;
      out.push({ type: 'host.gone', at: now, mac: oldest, reason: 'evicted' });
    }
    const firstSeen = Math.min(...eligible.map((x) => x.firstAt));
    const h: Tracked = {
      mac,
      port: { ...c.port },
      vlan: c.vlan,
      ips: new Map(c.ips),
      firstSeen,
      lastSeen: c.lastAt,
      lastAtPort: c.lastAt,
      source: c.source,
      lastSeenEmitted: now,
      lastMoveAt: Number.NEGATIVE_INFINITY,
    };
    this.hosts.set(mac, h);
    out.push({ type: 'host.seen', at: now, host: this.info(h) });
    return out;
  }

  private decideMove(h: Tracked, eligible: Candidate[], now: number): TopologyEvent[] {
    const c = eligible.reduce((a, b) => (b.lastAt > a.lastAt ? b : a));
    if (c.lastAt <= h.lastAtPort) {
      // Seen at its current port after the candidate's last sighting: not a move.
      this.counters.movesRejected++;
      return [];
    }
    if (now - h.lastMoveAt < this.options.moveHoldMs) {
      this.counters.movesHeld++;
      return [];
    }
    const from = h.port;
    h.port = { ...c.port };
    h.vlan = c.vlan;
    h.lastSeen = Math.max(h.lastSeen, c.lastAt);
    h.lastAtPort = c.lastAt;
    h.lastMoveAt = now;
    h.source = c.source;
    this.touch(h);
    this.counters.moves++;
    const out: TopologyEvent[] = [{ type: 'host.moved', at: now, mac: h.mac, from: { ...from }, to: { ...c.port }, vlan: c.vlan }];
    for (const ip of c.ips.values()) {
      const added = this.addIp(h.ips, ip, ip.lastSeen ?? now, ip.firstSeen ?? now);
      if (added) out.push({ type: 'host.ip', at: now, mac: h.mac, ip: { ...added } });
    }
    return out;
  }
}
