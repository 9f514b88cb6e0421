/**
 * The link tracker: a pure state machine (time is a parameter, no timers, no I/O) that turns LLDP probe
 * receptions, port/switch failures and RSTP facts into link.up / link.seen / link.down events.
 *
 * A directed link src -> dst exists from the first probe sent out of `src` that arrives at `dst`. It lives
 * while probes keep arriving: after `missedIntervals` probe intervals without one it times out. Detection
 * time after a silent failure is therefore at most missedIntervals x intervalMs plus the caller's expiry
 * tick (and at least (missedIntervals - 1) x intervalMs); a port or switch going down ends its links at
 * once. Links RSTP holds blocked are "pinned" from OVSDB facts (see model.ts LinkInfo.via): they do not
 * time out while pinned, and when the pin is lifted LLDP gets one full timeout to confirm them.
 */
import type { LinkDownReason, LinkInfo, LinkSource, PortRef, TopologyEvent } from '../model.js';
import { portKey } from '../model.js';

export interface LinkTrackerOptions {
  /** Probe interval (ms). */
  intervalMs: number;
  /** A link with no probe for this many intervals is down. */
  missedIntervals: number;
  /** A repeated link.seen for the same link at most this often (ms; 0: every probe). */
  seenIntervalMs: number;
}

interface Tracked {
  src: PortRef;
  dst: PortRef;
  firstSeen: number;
  /** Last LLDP reception (or the time a pin was lifted: a grace period for LLDP to confirm). */
  lastProbe: number;
  lastSeenEmitted: number;
  lldp: boolean;
  pinned: boolean;
  latencyMs: number | undefined;
}

export interface LinkTrackerCounters {
  probesReceived: number;
  selfLoops: number;
  timeouts: number;
}

const same = (a: PortRef, b: PortRef): boolean => a.dpid === b.dpid && a.portNo === b.portNo;

function key(src: PortRef, dst: PortRef): string {
  return `${portKey(src)}>${portKey(dst)}`;
}

export class LinkTracker {
  readonly counters: LinkTrackerCounters = { probesReceived: 0, selfLoops: 0, timeouts: 0 };
  private readonly links = new Map<string, Tracked>();
  /** Number of live links touching each port (as src or dst). */
  private readonly portLinks = new Map<string, number>();

  constructor(readonly options: LinkTrackerOptions) {
    if (!(options.intervalMs > 0) || !(options.missedIntervals >= 1)) throw new RangeError('intervalMs must be > 0 and missedIntervals >= 1');
  }

  /** No probe for this long: the link is down. */
  get timeoutMs(): number {
    return this.options.intervalMs * this.options.missedIntervals;
  }

  /** A probe sent out of `src` was received at `dst`. */
  probeReceived(src: PortRef, dst: PortRef, now: number, latencyMs?: number): TopologyEvent[] {
    this.counters.probesReceived++;
    if (same(src, dst)) {
      // A port hearing its own probe: a loop through something else (or a reflected frame), not a link.
      this.counters.selfLoops++;
      return [];
    }
    const k = key(src, dst);
    const cur = this.links.get(k);
    if (!cur) {
      const t: Tracked = { src: { ...src }, dst: { ...dst }, firstSeen: now, lastProbe: now, lastSeenEmitted: now, lldp: true, pinned: false, latencyMs };
      this.add(k, t);
      return [{ type: 'link.up', at: now, link: this.info(t) }];
    }
    cur.lastProbe = Math.max(cur.lastProbe, now);
    if (latencyMs !== undefined) cur.latencyMs = latencyMs;
    if (!cur.lldp) {
      // Known from RSTP until now: LLDP confirms it (link.up again so the store records how it is known).
      cur.lldp = true;
      cur.lastSeenEmitted = now;
      return [{ type: 'link.up', at: now, link: this.info(cur) }];
    }
    if (now - cur.lastSeenEmitted >= this.options.seenIntervalMs) {
      cur.lastSeenEmitted = now;
      const e: TopologyEvent = { type: 'link.seen', at: now, src: { ...src }, dst: { ...dst } };
      if (latencyMs !== undefined) e.latencyMs = latencyMs;
      return [e];
    }
    return [];
  }

  /** OVSDB/RSTP says src -> dst is a link (held by RSTP): it exists without LLDP and does not time out. */
  pin(src: PortRef, dst: PortRef, now: number): TopologyEvent[] {
    if (same(src, dst)) return [];
    const k = key(src, dst);
    const cur = this.links.get(k);
    if (cur) {
      cur.pinned = true;
      return [];
    }
    const t: Tracked = { src: { ...src }, dst: { ...dst }, firstSeen: now, lastProbe: now, lastSeenEmitted: now, lldp: false, pinned: true, latencyMs: undefined };
    this.add(k, t);
    return [{ type: 'link.up', at: now, link: this.info(t) }];
  }

  /** The RSTP fact is gone: the link lives on only if LLDP confirms it within one timeout from now. */
  unpin(src: PortRef, dst: PortRef, now: number): TopologyEvent[] {
    const cur = this.links.get(key(src, dst));
    if (cur?.pinned) {
      cur.pinned = false;
      cur.lastProbe = Math.max(cur.lastProbe, now);
    }
    return [];
  }

  /** Every link touching `port` goes down at once (port down or deleted). */
  portDown(port: PortRef, now: number, reason: LinkDownReason = 'port-down'): TopologyEvent[] {
    if (!this.portLinks.has(portKey(port))) return [];
    return this.removeWhere((t) => same(t.src, port) || same(t.dst, port), now, reason);
  }

  /** Every link touching the switch goes down (its control connection ended). */
  switchDown(dpid: string, now: number): TopologyEvent[] {
    return this.removeWhere((t) => t.src.dpid === dpid || t.dst.dpid === dpid, now, 'switch-down');
  }

  /** Links whose last probe is older than the timeout go down. Call at least a few times per interval. */
  expire(now: number): TopologyEvent[] {
    const limit = this.timeoutMs;
    const events = this.removeWhere((t) => !t.pinned && now - t.lastProbe > limit, now, 'timeout');
    this.counters.timeouts += events.length;
    return events;
  }

  /** A port with a live link (either end): a switch-to-switch port. */
  hasLinks(port: PortRef): boolean {
    return this.portLinks.has(portKey(port));
  }

  get(src: PortRef, dst: PortRef): LinkInfo | undefined {
    const t = this.links.get(key(src, dst));
    return t ? this.info(t) : undefined;
  }

  /** Whether the link is known from LLDP / pinned by RSTP. */
  sources(src: PortRef, dst: PortRef): { lldp: boolean; pinned: boolean } | undefined {
    const t = this.links.get(key(src, dst));
    return t ? { lldp: t.lldp, pinned: t.pinned } : undefined;
  }

  all(): LinkInfo[] {
    return [...this.links.values()].map((t) => this.info(t));
  }

  get size(): number {
    return this.links.size;
  }

  private info(t: Tracked): LinkInfo {
    const via: LinkSource = t.lldp ? 'lldp' : 'rstp';
    const l: LinkInfo = { src: { ...t.src }, dst: { ...t.dst }, firstSeen: t.firstSeen, lastSeen: t.lldp ? t.lastProbe : t.firstSeen, via };
    if (t.latencyMs !== undefined) l.latencyMs = t.latencyMs;
    return l;
  }

  private add(k: string, t: Tracked): void {
    this.links.set(k, t);
    for (const p of [portKey(t.src), portKey(t.dst)]) this.portLinks.set(p, (this.portLinks.get(p) ?? 0) + 1);
  }

  private removeWhere(pred: (t: Tracked) => boolean, now: number, reason: LinkDownReason): TopologyEvent[] {
    const out: TopologyEvent[] = [];
    for (const [k, t] of this.links) {
      if (!pred(t)) continue;
      this.links.delete(k);
      for (const p of [portKey(t.src), portKey(t.dst)]) {
        const n = (this.portLinks.get(p) ?? 1) - 1;
        if (n <= 0) this.portLinks.delete(p);
        else this.portLinks.set(p, n);
      }
      out.push({ type: 'link.down', at: now, src: { ...t.src }, dst: { ...t.dst }, reason });
    }
    return out;
  }
}
