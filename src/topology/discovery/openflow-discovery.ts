/**
 * Topology discovery: the I/O shell around the pure trackers. It watches OpenFlow sessions, OVSDB and sFlow,
 * sends LLDP probes, installs the rules that keep host discovery to first packets, and emits every change as a
 * TopologyEvent, folded at once into the TopologyState it exposes (so a snapshot taken between two events
 * reflects exactly the events emitted so far).
 *
 *  - switches and ports: session up -> switch.up with its PORT_DESC ports; PORT_STATUS -> port.up / port.down
 *    / port.deleted (a port going down or away ends its links first: link.down 'port-down'/'port-deleted');
 *    session down -> link.down 'switch-down' for its links, then switch.down;
 *  - links: an LLDP probe (src/topology/discovery/probe.ts) out of every port that is up, except LOCAL,
 *    every `lldpIntervalMs` and at once when a switch connects or a port comes up; the PACKET_IN of a probe
 *    of ours -> LinkTracker; a link times out after `lldpMissedIntervals` silent intervals (checked four
 *    times per interval); links RSTP blocks come from OVSDB (inventory-facts.ts) and are pinned;
 *  - hosts: packets the pipeline copies to Vigil (first packets of unknown sources, ARP, ND; see tables.ts)
 *    and sFlow flow samples (input ifIndex -> port through OVSDB, or an injected resolver) -> HostTracker;
 *    a placed host gets a HOST rule at its port (forward without copy, idle timeout) so only its first
 *    packets are copied, switch-to-switch ports get a TRANSIT rule; both are reconciled with the switch
 *    (`hostSettleMs` after it connects) and removed when the host moves or the port stops being one;
 *  - VMs and segments: OVSDB inventory -> vm.seen / vm.gone / segment.seen / port.segments.
 */
import { Subject, type Observable, type Subscription } from 'rxjs';
import { ipv4FromString, isIpv4, ipv4ToString, ipv6ToString, macToString } from '../../codec/addr.js';
import { OFPP } from '../../codec/openflow/actions.js';
import type { PacketInMessage } from '../../codec/openflow/packet-in.js';
import { PortReason, type PortStatusMessage } from '../../codec/openflow/port-status.js';
import { PortConfig, PortState as OfpPortState, type Port } from '../../codec/openflow/port.js';
import { decodePacket } from '../../codec/packet/decode.js';
import { isLldp } from '../../codec/packet/lldp.js';
import type { ArpLayer, EthernetLayer, Icmpv6Layer, Ipv4Layer, Ipv6Layer, VlanLayer } from '../../codec/packet/types.js';
import { HeaderProtocol } from '../../codec/sflow/formats.js';
import { silentLogger, type Logger } from '../../observability/log.js';
import { Registry } from '../../observability/metrics.js';
import { OwnerKind } from '../../southbound/openflow/cookies.js';
import { ruleKey, type FlowRule } from '../../southbound/openflow/flow-rule.js';
import { ensureRules } from '../../southbound/openflow/installer.js';
import type { Outgoing, SwitchSession } from '../../southbound/openflow/session.js';
import { applyChanges } from '../../southbound/openflow/switch-api.js';
import type { Inventory } from '../../southbound/ovsdb/inventory.js';
import { ADDR_STRIDE, AddrField, FLOW_STRIDE, FlowField, FlowFlag, type SflowBatch } from '../../southbound/sflow/batch.js';
import { dpidOf, portKey, type Dpid, type PortInfo, type PortRef, type TopologyEvent, type TopologySnapshot } from '../model.js';
import { emptyState, reduce, snapshot, type TopologyState } from '../state.js';
import { hostRule, transitRule } from './host-rules.js';
import { HostTracker, type Sighting } from './hosts.js';
import { emptyFacts, factEvents, inventoryFacts, type InventoryFacts } from './inventory-facts.js';
import { LinkTracker } from './links.js';
import { ProbeCodec, randomProbeKeys, type ProbeKeys } from './probe.js';

export interface DiscoveryOptions {
  /** Send LLDP probes (the pipeline must send LLDP to the controller: pipeline.lldpToController). */
  lldp: boolean;
  lldpIntervalMs: number;
  lldpMissedIntervals: number;
  seenIntervalMs: number;
  /** The pipeline copies first packets to Vigil (discovery.hostPunt): learn hosts from them, install HOST rules. */
  hostPunt: boolean;
  hostRuleIdleS: number;
  hostSettleMs: number;
  hostMoveHoldMs: number;
  maxHosts: number;
  sflowHosts: boolean;
}

export const defaultDiscoveryOptions: DiscoveryOptions = {
  lldp: true,
  lldpIntervalMs: 500,
  lldpMissedIntervals: 4,
  seenIntervalMs: 10_000,
  hostPunt: true,
  hostRuleIdleS: 300,
  hostSettleMs: 1_000,
  hostMoveHoldMs: 2_000,
  maxHosts: 50_000,
  sflowHosts: true,
};

export interface DiscoveryClock {
  /** Epoch milliseconds (event times). */
  now(): number;
  /** Monotonic microseconds (probe send times and latency). */
  monotonicUs(): bigint;
}

export const systemDiscoveryClock: DiscoveryClock = {
  now: () => Date.now(),
  monotonicUs: () => process.hrtime.bigint() / 1000n,
};

export interface DiscoveryTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: DiscoveryTimers = {
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    t.unref();
    return t;
  },
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Maps an sFlow sample's input ifIndex (from agent `agent`) to an OpenFlow port; undefined: unknown. */
export type IfindexResolver = (agent: string, ifIndex: number) => PortRef | undefined;

export interface DiscoveryDeps {
  logger?: Logger;
  metrics?: Registry;
  clock?: DiscoveryClock;
  timers?: DiscoveryTimers;
  /** Probe nonce and key (random by default). */
  keys?: ProbeKeys;
  /** sFlow ifIndex -> port; consulted before the OVSDB inventory. */
  ifindexResolver?: IfindexResolver;
}

interface RuleChanges {
  add: Map<string, FlowRule>;
  remove: Map<string, FlowRule>;
}

interface SessionCtx {
  session: SwitchSession;
  dpid: Dpid;
  subs: Subscription[];
  nextProbeAt: number;
  reconcileTimer: unknown;
  changes: RuleChanges;
  flushScheduled: boolean;
}

const LOCAL = OFPP.LOCAL;
/** A punted packet from a host whose HOST rule we (re)installed less than this long ago does not reinstall it. */
const REINSTALL_GUARD_MS = 1_000;

function portState(p: Port): PortInfo['state'] {
  if ((p.config & PortConfig.PORT_DOWN) !== 0 || (p.state & OfpPortState.LINK_DOWN) !== 0) return 'down';
  if ((p.state & OfpPortState.BLOCKED) !== 0) return 'blocked';
  return 'up';
}

function toPortInfo(dpid: Dpid, p: Port): PortInfo {
  return { dpid, portNo: p.portNo, name: p.name, mac: p.hwAddr, state: portState(p), speed: p.currSpeed };
}

/** An IPv4 source that names the sending host (not unspecified, loopback, multicast or broadcast). */
function hostIpv4(a: string): boolean {
  if (!isIpv4(a)) return false;
  const v = ipv4FromString(a);
  const first = v >>> 24;
  return first !== 0 && first !== 127 && first < 224;
}

/** An IPv6 source that names the sending host (not unspecified, loopback or multicast). */
function hostIpv6(a: string): boolean {
  return a !== '::' && a !== '::1' && !a.startsWith('ff');
}

/**
 * A packet that has crossed a router carries the router's MAC with the original sender's address: an
 * IPv4/IPv6 source is taken as the frame's sender's own only when its TTL / hop limit is still an initial
 * value (routers decrement it). ARP and neighbour discovery name their sender directly.
 */
function initialTtl(ttl: number): boolean {
  return ttl === 64 || ttl === 128 || ttl === 255 || ttl === 32;
}

function inPortOf(m: PacketInMessage): number | undefined {
  for (const f of m.match) if (f.field === 'in_port') return f.value as number;
  return undefined;
}

export class TopologyDiscovery {
  /** Every topology change, in order (hot; subscribe before sessions come up to see them all). */
  readonly events$: Observable<TopologyEvent>;
  private readonly subject = new Subject<TopologyEvent>();
  private current: TopologyState = emptyState();
  readonly links: LinkTracker;
  readonly hosts: HostTracker;
  private readonly probes: ProbeCodec;
  private readonly sessions = new Map<Dpid, SessionCtx>();
  private facts: InventoryFacts = emptyFacts;
  private ifindexResolver: IfindexResolver | undefined;
  /** Where each host's HOST rule is and when it was last (re)installed. */
  private readonly hostRules = new Map<string, { port: PortRef; at: number }>();
  /** Switch-to-switch ports with a TRANSIT rule (portKey). */
  private readonly transitPorts = new Map<string, PortRef>();
  private readonly switchMacs = new Set<string>();
  private timer: unknown;
  private readonly opts: DiscoveryOptions;
  private readonly log: Logger;
  private readonly metrics: Registry;
  private readonly clock: DiscoveryClock;
  private readonly timers: DiscoveryTimers;
  private readonly queue: TopologyEvent[] = [];
  private emitting = false;
  private closed = false;
  private readonly reported = new Map<string, number>();

  constructor(options: Partial<DiscoveryOptions> = {}, deps: DiscoveryDeps = {}) {
    this.opts = { ...defaultDiscoveryOptions, ...options };
    this.log = (deps.logger ?? silentLogger).child({ component: 'discovery' });
    this.metrics = deps.metrics ?? new Registry();
    this.clock = deps.clock ?? systemDiscoveryClock;
    this.timers = deps.timers ?? systemTimers;
    this.ifindexResolver = deps.ifindexResolver;
    this.links = new LinkTracker({ intervalMs: this.opts.lldpIntervalMs, missedIntervals: this.opts.lldpMissedIntervals, seenIntervalMs: this.opts.seenIntervalMs });
    this.hosts = new HostTracker({
      maxHosts: this.opts.maxHosts,
      settleMs: this.settleMs,
      moveHoldMs: this.opts.hostMoveHoldMs,
      seenIntervalMs: this.opts.seenIntervalMs,
      maxWaitMs: Math.max(10_000, 10 * this.settleMs),
      ignoreMac: (mac) => this.switchMacs.has(mac),
    });
    const ttl = Math.min(0xffff, Math.ceil(this.links.timeoutMs / 1000) + 1);
    this.probes = new ProbeCodec(deps.keys ?? randomProbeKeys(), ttl, 'vigil');
    this.events$ = this.subject.asObservable();
  }

  /** How long a port must be up, and a placement wait, before hosts are placed (>= one LLDP interval). */
  get settleMs(): number {
    return Math.max(this.opts.hostSettleMs, this.opts.lldp ? this.opts.lldpIntervalMs + 100 : 0);
  }

  /** Expiry and probe tick: four times per LLDP interval, at most every 250 ms apart. */
  get tickMs(): number {
    return Math.max(10, Math.min(250, Math.floor(this.opts.lldpIntervalMs / 4)));
  }

  /** The current topology (immutable; reflects every event emitted so far). */
  get state(): TopologyState {
    return this.current;
  }

  snapshot(): TopologySnapshot {
    return snapshot(this.current, this.clock.now());
  }

  start(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = this.timers.setInterval(() => this.tick(), this.tickMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) this.timers.clearInterval(this.timer);
    for (const ctx of this.sessions.values()) this.dropCtx(ctx);
    this.sessions.clear();
    this.subject.complete();
  }

  setIfindexResolver(fn: IfindexResolver | undefined): void {
    this.ifindexResolver = fn;
  }

  // ------------------------------------------------------------------------------------- sessions

  /** A switch finished its handshake. */
  addSession(session: SwitchSession): void {
    if (this.closed || session.dpid === undefined) return;
    const dpid = dpidOf(session.dpid);
    const old = this.sessions.get(dpid);
    if (old) this.dropCtx(old); // replaced by a new connection from the same datapath
    const now = this.clock.now();
    const ctx: SessionCtx = { session, dpid, subs: [], nextProbeAt: now + this.opts.lldpIntervalMs, reconcileTimer: undefined, changes: { add: new Map(), remove: new Map() }, flushScheduled: false };
    this.sessions.set(dpid, ctx);
    const ports = [...session.ports.values()].map((p) => toPortInfo(dpid, p)).sort((a, b) => a.portNo - b.portNo);
    const local = session.ports.get(LOCAL);
    const name = this.facts.bridgeNames.get(dpid) ?? local?.name ?? dpid;
    for (const p of ports) this.hosts.portUp(p, now);
    this.emit([
      {
        type: 'switch.up',
        at: now,
        switch: { dpid, name, address: session.remote, nTables: session.features?.nTables ?? 0, connected: true, firstSeen: now, lastSeen: now },
        ports,
      },
    ]);
    ctx.subs.push(
      session.packetIn$.subscribe((m) => this.guard('packet-in', () => this.onPacketIn(ctx, m))),
      session.portStatus$.subscribe((m) => this.guard('port-status', () => this.onPortStatus(ctx, m))),
    );
    this.sendProbes(ctx);
    // Reconcile HOST/TRANSIT rules once LLDP had its chance: rules of a previous Vigil run that this one has
    // not (re)learned go, so those hosts are copied and learned again.
    ctx.reconcileTimer = this.timers.setTimeout(() => void this.reconcileRules(ctx), this.settleMs);
    this.log.info('switch discovered', { dpid, ports: ports.length });
  }

  /** A switch's session ended. */
  removeSession(session: SwitchSession, reason = 'session closed'): void {
    if (session.dpid === undefined) return;
    const dpid = dpidOf(session.dpid);
    const ctx = this.sessions.get(dpid);
    if (!ctx || ctx.session !== session) return;
    this.dropCtx(ctx);
    this.sessions.delete(dpid);
    const now = this.clock.now();
    this.emit([...this.links.switchDown(dpid, now), { type: 'switch.down', at: now, dpid }]);
    this.log.info('switch lost', { dpid, reason });
  }

  private dropCtx(ctx: SessionCtx): void {
    for (const s of ctx.subs) s.unsubscribe();
    ctx.subs = [];
    if (ctx.reconcileTimer !== undefined) this.timers.clearTimeout(ctx.reconcileTimer);
  }

  // ------------------------------------------------------------------------------------------ events

  private count(name: string, help: string, labels: Record<string, string> = {}, by = 1): void {
    this.metrics.counter(name, help).inc(labels, by);
  }

  /** Folds events into the state and publishes them; effects of an event may queue more. */
  private emit(events: readonly TopologyEvent[]): void {
    this.queue.push(...events);
    if (this.emitting) return;
    this.emitting = true;
    try {
      for (let e = this.queue.shift(); e !== undefined; e = this.queue.shift()) {
        const before = this.current;
        this.current = reduce(this.current, e);
        this.count('vigil_topology_events_total', 'Topology events emitted', { type: e.type });
        this.effects(e, before);
        if (!this.subject.closed) this.subject.next(e);
      }
    } finally {
      this.emitting = false;
    }
  }

  private effects(e: TopologyEvent, before: TopologyState): void {
    switch (e.type) {
      case 'switch.up':
      case 'port.up':
      case 'port.down':
      case 'port.deleted':
        this.rebuildSwitchMacs();
        return;
      case 'link.up':
        this.log.info('link up', { src: portKey(e.link.src), dst: portKey(e.link.dst), via: e.link.via });
        for (const p of [e.link.src, e.link.dst]) this.queue.push(...this.markInterSwitch(p, e.at));
        return;
      case 'link.down':
        this.log.info('link down', { src: portKey(e.src), dst: portKey(e.dst), reason: e.reason });
        return;
      case 'host.seen': {
        const had = before.hosts.get(e.host.mac);
        if (!had || had.port.dpid !== e.host.port.dpid || had.port.portNo !== e.host.port.portNo) this.installHostRule(e.host.mac, e.host.port, e.at);
        return;
      }
      case 'host.moved':
        this.log.info('host moved', { mac: e.mac, from: portKey(e.from), to: portKey(e.to) });
        this.removeHostRule(e.mac);
        this.installHostRule(e.mac, e.to, e.at);
        return;
      case 'host.gone':
        this.removeHostRule(e.mac);
        return;
      default:
        return;
    }
  }

  private rebuildSwitchMacs(): void {
    this.switchMacs.clear();
    for (const s of this.current.switches.values()) for (const p of s.ports.values()) this.switchMacs.add(p.mac);
  }

  /** The port has a switch behind it: no host is placed there, frames entering it are not copied. */
  private markInterSwitch(port: PortRef, now: number): TopologyEvent[] {
    const k = portKey(port);
    if (!this.transitPorts.has(k)) {
      this.transitPorts.set(k, { ...port });
      if (this.opts.hostPunt) this.change(port.dpid, transitRule(port.portNo), 'add');
    }
    return this.hosts.setInterSwitch(port, true, now);
  }

  private clearTransit(port: PortRef): void {
    const k = portKey(port);
    if (!this.transitPorts.delete(k)) return;
    if (this.opts.hostPunt) this.change(port.dpid, transitRule(port.portNo), 'remove');
  }

  // -------------------------------------------------------------------------------------------- rules

  private installHostRule(mac: string, port: PortRef, now: number): void {
    if (!this.opts.hostPunt) return;
    this.hostRules.set(mac, { port: { ...port }, at: now });
    this.change(port.dpid, hostRule(port.portNo, mac, this.opts.hostRuleIdleS), 'add');
  }

  private removeHostRule(mac: string): void {
    const r = this.hostRules.get(mac);
    if (!r) return;
    this.hostRules.delete(mac);
    this.change(r.port.dpid, hostRule(r.port.portNo, mac, this.opts.hostRuleIdleS), 'remove');
  }

  private change(dpid: Dpid, rule: FlowRule, kind: 'add' | 'remove'): void {
    const ctx = this.sessions.get(dpid);
    if (!ctx) return; // reconciled when the switch connects
    const k = ruleKey(rule);
    if (kind === 'add') {
      ctx.changes.remove.delete(k);
      ctx.changes.add.set(k, rule);
    } else {
      ctx.changes.add.delete(k);
      ctx.changes.remove.set(k, rule);
    }
    if (!ctx.flushScheduled) {
      ctx.flushScheduled = true;
      this.timers.setTimeout(() => void this.flush(ctx), 0);
    }
  }

  private async flush(ctx: SessionCtx): Promise<void> {
    ctx.flushScheduled = false;
    const addFlows = [...ctx.changes.add.values()];
    const removeFlows = [...ctx.changes.remove.values()];
    ctx.changes = { add: new Map(), remove: new Map() };
    if ((addFlows.length === 0 && removeFlows.length === 0) || ctx.session.isClosed || this.sessions.get(ctx.dpid) !== ctx) return;
    try {
      await applyChanges(ctx.session, { addFlows, removeFlows });
    } catch (e) {
      if (ctx.session.isClosed) return;
      this.count('vigil_topology_rule_failures_total', 'Discovery rule changes a switch refused or did not confirm');
      this.log.warn('discovery rules not applied', { dpid: ctx.dpid, added: addFlows.length, removed: removeFlows.length, error: e });
    }
  }

  private async reconcileRules(ctx: SessionCtx): Promise<void> {
    ctx.reconcileTimer = undefined;
    if (!this.opts.hostPunt || ctx.session.isClosed || this.sessions.get(ctx.dpid) !== ctx) return;
    const hostRules = [...this.hostRules]
      .filter(([, r]) => r.port.dpid === ctx.dpid)
      .map(([mac, r]) => hostRule(r.port.portNo, mac, this.opts.hostRuleIdleS));
    const transit = [...this.transitPorts.values()].filter((p) => p.dpid === ctx.dpid).map((p) => transitRule(p.portNo));
    try {
      const h = await ensureRules(ctx.session, hostRules, [OwnerKind.HOST]);
      const t = await ensureRules(ctx.session, transit, [OwnerKind.TRANSIT]);
      this.log.info('discovery rules reconciled', { dpid: ctx.dpid, hostsAdded: h.add.length, hostsRemoved: h.remove.length, transitAdded: t.add.length, transitRemoved: t.remove.length });
    } catch (e) {
      if (ctx.session.isClosed) return;
      this.count('vigil_topology_rule_failures_total', 'Discovery rule changes a switch refused or did not confirm');
      this.log.warn('discovery rule reconciliation failed', { dpid: ctx.dpid, error: e });
    }
  }

  // ------------------------------------------------------------------------------------------- timing

  /** Sends due probes, expires links, decides pending hosts. Public for tests driving time by hand. */
  tick(): void {
    if (this.closed) return;
    const now = this.clock.now();
    if (this.opts.lldp) {
      for (const ctx of this.sessions.values()) {
        if (now < ctx.nextProbeAt) continue;
        this.sendProbes(ctx);
        ctx.nextProbeAt += this.opts.lldpIntervalMs;
        if (ctx.nextProbeAt <= now) ctx.nextProbeAt = now + this.opts.lldpIntervalMs; // we fell behind: do not burst
      }
    }
    this.emit(this.links.expire(now));
    this.emit(this.hosts.tick(now));
    this.syncCounters();
  }

  private syncCounters(): void {
    const sync = (name: string, help: string, value: number): void => {
      const last = this.reported.get(name) ?? 0;
      if (value > last) this.count(name, help, {}, value - last);
      this.reported.set(name, value);
    };
    const h = this.hosts.counters;
    sync('vigil_topology_host_evictions_total', 'Hosts forgotten because the host table was full', h.evictions);
    sync('vigil_topology_host_moves_total', 'Host moves confirmed', h.moves);
    sync('vigil_topology_host_moves_held_total', 'Host moves held back (the MAC moved again within hostMoveHoldMs)', h.movesHeld);
    sync('vigil_topology_host_moves_rejected_total', 'Candidate moves rejected (the host was seen at its port after)', h.movesRejected);
    sync('vigil_topology_host_sightings_ignored_total', 'Sightings at switch-to-switch ports or of non-host MACs', h.ignoredInterSwitch + h.ignoredMac);
    sync('vigil_topology_host_pending_dropped_total', 'Sightings dropped because too many hosts were undecided', h.pendingDropped + h.candidatesDropped);
    sync('vigil_topology_link_timeouts_total', 'Links that timed out (no LLDP probe for lldpMissedIntervals)', this.links.counters.timeouts);
    this.metrics.gauge('vigil_topology_links', 'Live directed links').set(this.links.size);
    this.metrics.gauge('vigil_topology_hosts', 'Hosts tracked').set(this.hosts.size);
  }

  private probeable(p: Port): boolean {
    return p.portNo !== LOCAL && p.portNo <= OFPP.MAX && portState(p) !== 'down' && (p.config & PortConfig.NO_FWD) === 0;
  }

  private sendProbes(ctx: SessionCtx, only?: number): void {
    if (!this.opts.lldp || ctx.session.isClosed) return;
    const at = this.clock.monotonicUs();
    let sent = 0;
    for (const p of ctx.session.ports.values()) {
      if ((only !== undefined && p.portNo !== only) || !this.probeable(p)) continue;
      const data = this.probes.build({ dpid: ctx.dpid, portNo: p.portNo }, p.hwAddr, at);
      try {
        ctx.session.send({ type: 'PACKET_OUT', bufferId: 0xffffffff, inPort: OFPP.CONTROLLER, actions: [{ type: 'output', port: p.portNo, maxLen: 0 }], data } as Outgoing);
        sent++;
      } catch (e) {
        this.log.warn('cannot send LLDP probe', { dpid: ctx.dpid, port: p.portNo, error: e });
      }
    }
    if (sent > 0) this.count('vigil_topology_lldp_probes_sent_total', 'LLDP probes sent', {}, sent);
  }

  // -------------------------------------------------------------------------------------- OpenFlow in

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.count('vigil_topology_handler_errors_total', 'Exceptions in discovery handlers', { handler: what });
      this.log.error('discovery handler failed', { handler: what, error: e });
    }
  }

  private onPortStatus(ctx: SessionCtx, m: PortStatusMessage): void {
    const now = this.clock.now();
    const info = toPortInfo(ctx.dpid, m.port);
    const ref: PortRef = { dpid: ctx.dpid, portNo: info.portNo };
    const prev = this.current.switches.get(ctx.dpid)?.ports.get(info.portNo);
    if (m.reason === PortReason.DELETE) {
      this.hosts.portDown(ref);
      this.clearTransit(ref);
      this.emit([...this.links.portDown(ref, now, 'port-deleted'), { type: 'port.deleted', at: now, port: ref }]);
      return;
    }
    if (info.state === 'down') {
      if (prev?.state !== 'down') {
        this.hosts.portDown(ref);
        this.clearTransit(ref);
        this.emit(this.links.portDown(ref, now, 'port-down'));
      }
      if (!prev || JSON.stringify(prev) !== JSON.stringify(info)) this.emit([{ type: 'port.down', at: now, port: info }]);
      return;
    }
    const cameUp = !prev || prev.state === 'down';
    if (cameUp) this.hosts.portUp(ref, now);
    if (!prev || JSON.stringify(prev) !== JSON.stringify(info)) this.emit([{ type: 'port.up', at: now, port: info }]);
    if (cameUp) this.sendProbes(ctx, info.portNo);
  }

  private onPacketIn(ctx: SessionCtx, m: PacketInMessage): void {
    const inPort = inPortOf(m);
    if (inPort === undefined) return;
    if (isLldp(m.data)) {
      this.onLldp(ctx, inPort, m.data);
      return;
    }
    if (this.opts.hostPunt) this.onPunted(ctx, inPort, m.data);
  }

  private onLldp(ctx: SessionCtx, inPort: number, data: Uint8Array): void {
    const v = this.probes.verify(data, this.clock.monotonicUs(), BigInt(this.links.timeoutMs) * 1000n);
    this.count('vigil_topology_lldp_received_total', 'LLDP frames received, by verdict', { result: v.ok ? 'ok' : v.reason });
    if (!v.ok) return;
    const now = this.clock.now();
    const dst: PortRef = { dpid: ctx.dpid, portNo: inPort };
    this.emit(this.links.probeReceived(v.src, dst, now, Math.round(v.latencyUs / 10) / 100));
  }

  private onPunted(ctx: SessionCtx, inPort: number, data: Uint8Array): void {
    const pkt = decodePacket(data);
    const eth = pkt.layers.find((l): l is EthernetLayer => l.type === 'ethernet');
    if (!eth) return;
    const port: PortRef = { dpid: ctx.dpid, portNo: inPort };
    const tag = pkt.layers.find((l): l is VlanLayer => l.type === 'vlan');
    const vlan = tag ? tag.vid : (this.facts.accessVlan.get(portKey(port)) ?? null);
    let ip: Sighting['ip'] = null;
    let always = false;
    const arp = pkt.layers.find((l): l is ArpLayer => l.type === 'arp');
    const v4 = pkt.layers.find((l): l is Ipv4Layer => l.type === 'ipv4' && l.depth === 0);
    const v6 = pkt.layers.find((l): l is Ipv6Layer => l.type === 'ipv6' && l.depth === 0);
    if (arp) {
      always = true;
      if (arp.protocolSize === 4 && arp.hardwareSize === 6 && arp.senderHardware === eth.src && hostIpv4(arp.senderProtocol)) ip = { address: arp.senderProtocol, version: 4 };
    } else if (v4) {
      if (hostIpv4(v4.src) && initialTtl(v4.ttl)) ip = { address: v4.src, version: 4 };
    } else if (v6) {
      const icmp = pkt.layers.find((l): l is Icmpv6Layer => l.type === 'icmpv6');
      always = icmp !== undefined && (icmp.icmpType === 135 || icmp.icmpType === 136);
      if (hostIpv6(v6.src) && (always || initialTtl(v6.hopLimit))) ip = { address: v6.src, version: 6 };
    }
    const now = this.clock.now();
    this.count('vigil_topology_host_sightings_total', 'Host sightings, by source', { source: 'packet-in' });
    this.emit(this.hosts.sight({ mac: eth.src, port, vlan, ip, source: 'packet-in', at: now }));
    if (always) return;
    // A first-packet copy from a host placed at this very port: its HOST rule is gone (idle timeout, or a
    // switch that lost it): put it back, so its packets stop being copied.
    const h = this.hosts.get(eth.src);
    const r = this.hostRules.get(eth.src);
    if (h && h.port.dpid === port.dpid && h.port.portNo === port.portNo && (!r || now - r.at >= REINSTALL_GUARD_MS)) this.installHostRule(eth.src, port, now);
  }

  // ---------------------------------------------------------------------------------- sFlow and OVSDB

  /** Hosts from sFlow flow samples (sampled Ethernet headers; input port through the ifIndex mapping). */
  onSflowBatch(batch: SflowBatch): void {
    if (!this.opts.sflowHosts || this.closed) return;
    const { fields: r, addrs, count } = batch.flows;
    const now = this.clock.now();
    const F = FlowField;
    const sightings: Sighting[] = [];
    // The collector waits for this synchronous subscriber: one sighting per (MAC, input, IPv4 source) per
    // batch, found with number keys only (a flood's samples cost two map lookups each).
    const seen = new Map<number, number[]>();
    for (let i = 0; i < count; i++) {
      const o = i * FLOW_STRIDE;
      const flags = r[o + F.FLAGS]!;
      if ((flags & FlowFlag.SUMMARIZED) === 0 || r[o + F.HEADER_PROTOCOL] !== HeaderProtocol.ETHERNET || r[o + F.INPUT_FORMAT] !== 0) continue;
      if ((r[o + F.SRC_MAC_HI]! & 0x0100) !== 0) continue; // group address: not a host
      const ifIndex = r[o + F.INPUT]! >>> 0;
      const macKey = (r[o + F.SRC_MAC_HI]! & 0xffff) * 0x1_0000_0000 + (r[o + F.SRC_MAC_LO]! >>> 0);
      const v4 = r[o + F.IP_VERSION] === 4 ? r[o + F.SRC_V4]! : -1;
      const prev = seen.get(macKey);
      let dup = false;
      if (prev) for (let k = 0; k < prev.length && !dup; k += 2) dup = prev[k] === ifIndex && prev[k + 1] === v4;
      if (dup) continue;
      if (prev) prev.push(ifIndex, v4);
      else seen.set(macKey, [ifIndex, v4]);
      const agent = batch.agents[r[o + F.AGENT]!]?.address ?? '';
      const port = this.ifindexResolver?.(agent, ifIndex) ?? this.facts.byIfindex.get(ifIndex);
      if (!port) {
        this.count('vigil_topology_sflow_unmapped_total', 'sFlow samples whose input ifIndex maps to no known port');
        continue;
      }
      const hi = r[o + F.SRC_MAC_HI]!;
      const lo = r[o + F.SRC_MAC_LO]! >>> 0;
      const mac = macToString(new Uint8Array([(hi >>> 8) & 0xff, hi & 0xff, lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff]));
      const outer = r[o + F.OUTER_VLAN]!;
      const vlan = outer >= 0 ? outer : (this.facts.accessVlan.get(portKey(port)) ?? null);
      let ip: Sighting['ip'] = null;
      const version = r[o + F.IP_VERSION];
      if (!initialTtl(r[o + F.TTL]!)) {
        // routed: the source address is not this MAC's
      } else if (version === 4) {
        const a = ipv4ToString(r[o + F.SRC_V4]! >>> 0);
        if (hostIpv4(a)) ip = { address: a, version: 4 };
      } else if (version === 6 && r[o + F.ADDR_ROW]! >= 0) {
        const a = ipv6ToString(addrs, r[o + F.ADDR_ROW]! * ADDR_STRIDE + AddrField.SRC_IP);
        if (hostIpv6(a)) ip = { address: a, version: 6 };
      }
      sightings.push({ mac, port, vlan, ip, source: 'sflow', at: now });
    }
    if (sightings.length > 0) this.count('vigil_topology_host_sightings_total', 'Host sightings, by source', { source: 'sflow' }, sightings.length);
    for (const s of sightings) this.emit(this.hosts.sight(s));
  }

  /** A new OVSDB inventory: VMs, segments, ifindex mapping, RSTP-blocked links. */
  onInventory(inv: Inventory): void {
    if (this.closed) return;
    const now = this.clock.now();
    const prev = this.facts;
    const next = inventoryFacts(inv);
    this.facts = next;
    const events = factEvents(prev, next, now);
    for (const [k, l] of prev.rstpBlockedLinks) if (!next.rstpBlockedLinks.has(k)) events.push(...this.links.unpin(l.src, l.dst, now));
    for (const [k, l] of next.rstpBlockedLinks) if (!prev.rstpBlockedLinks.has(k)) events.push(...this.links.pin(l.src, l.dst, now));
    for (const [k, p] of next.rstpInterSwitch) if (!prev.rstpInterSwitch.has(k)) events.push(...this.markInterSwitch(p, now));
    this.emit(events);
  }
}
