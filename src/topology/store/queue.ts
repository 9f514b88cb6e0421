/**
 * The writer's bounded event queue (pure: no I/O, no timers; time is the events' own `at`).
 *
 * - Bound: at most `limit` live events. A push that does not fit returns 'overflow' and is not queued;
 *   the writer then drops the queue and rewrites the graph from a snapshot (resync).
 * - Coalescing (always, not only when full): a `link.seen` or `host.seen` is merged with the queued one
 *   for the same link / MAC that is not yet being written, the way the state's reducer folds them (times
 *   min/max, the host's addresses united, the newest port/vlan/source/latency); the old entry becomes a
 *   hole and the merged event goes to the tail. Another event about the same host (host.moved, host.ip,
 *   host.gone) or link (link.up, link.down) ends the run: a later sighting is queued after it, so the
 *   order of different kinds of facts about one thing is kept.
 * - Throttling: a `link.seen` less than `linkSeenIntervalMs` after the last one accepted for that link
 *   (or after its link.up) is not queued at all ('throttled'): LLDP arrives every few seconds per link and
 *   lastSeen does not need that resolution. link.down forgets the link.
 * - Batches: take(max) hands out the oldest events; they stay in the queue (and count towards the bound)
 *   until commit() — a failed write calls release() and the same events come out again. clear() empties
 *   everything, the batch being written included (a commit of a batch taken before it is ignored).
 */
import type { IpAddress, TopologyEvent } from '../model.js';
import { portKey } from '../model.js';

export type PushResult = 'queued' | 'coalesced' | 'throttled' | 'overflow';

export interface QueueOptions {
  /** Most live events (>= 1). */
  limit: number;
  /** Minimum time between two link.seen of the same link that are written (0: no throttling). */
  linkSeenIntervalMs: number;
}

/** A batch handed out by take(); pass it back to commit() or release(). */
export interface TakenBatch {
  readonly events: readonly TopologyEvent[];
  /** @internal queue generation and end of the batch (absolute slot index). */
  readonly generation: number;
  readonly end: number;
}

const linkKeyOf = (src: { dpid: string; portNo: number }, dst: { dpid: string; portNo: number }): string => `${portKey(src)}>${portKey(dst)}`;

/** The key under which an event coalesces with an earlier one, if it does. */
export function coalesceKey(e: TopologyEvent): string | null {
  if (e.type === 'link.seen') return `l|${linkKeyOf(e.src, e.dst)}`;
  if (e.type === 'host.seen') return `h|${e.host.mac}`;
  return null;
}

/** The coalescing key whose run this (non-coalescible) event ends, if any. */
function runBreakKey(e: TopologyEvent): string | null {
  switch (e.type) {
    case 'link.up':
      return `l|${linkKeyOf(e.link.src, e.link.dst)}`;
    case 'link.down':
      return `l|${linkKeyOf(e.src, e.dst)}`;
    case 'host.moved':
    case 'host.ip':
    case 'host.gone':
      return `h|${e.mac}`;
    default:
      return null;
  }
}

const withTimes = (ip: IpAddress, at: number): IpAddress => ({ address: ip.address, version: ip.version, firstSeen: ip.firstSeen ?? at, lastSeen: ip.lastSeen ?? at });

/**
 * Two sightings of the same link or host as one (`a` queued before `b`), folded as TopologyState's reducer
 * folds them: the newest port, vlan, source and latency; firstSeen the earliest, lastSeen the latest; the
 * host's addresses united (each with its own first/last time, taken from its event when it had none).
 */
export function mergeSightings(a: TopologyEvent, b: TopologyEvent): TopologyEvent {
  if (a.type === 'link.seen' && b.type === 'link.seen') {
    const latencyMs = b.latencyMs ?? a.latencyMs;
    return { ...b, at: Math.max(a.at, b.at), ...(latencyMs !== undefined ? { latencyMs } : {}) };
  }
  if (a.type === 'host.seen' && b.type === 'host.seen') {
    const ips = new Map<string, IpAddress>();
    for (const [ev, list] of [[a, a.host.ips] as const, [b, b.host.ips] as const])
      for (const raw of list) {
        const ip = withTimes(raw, ev.at);
        const cur = ips.get(ip.address);
        ips.set(ip.address, cur ? { ...cur, firstSeen: Math.min(cur.firstSeen!, ip.firstSeen!), lastSeen: Math.max(cur.lastSeen!, ip.lastSeen!) } : ip);
      }
    return {
      type: 'host.seen',
      at: Math.max(a.at, b.at),
      host: { ...b.host, firstSeen: Math.min(a.host.firstSeen, b.host.firstSeen), lastSeen: Math.max(a.host.lastSeen, b.host.lastSeen), ips: [...ips.values()] },
    };
  }
  throw new Error(`cannot merge ${a.type} with ${b.type}`);
}

export class EventQueue {
  private slots: (TopologyEvent | null)[] = [];
  /** Array index of the first slot still queued. */
  private start = 0;
  /** Absolute index of slots[0] (absolute indexes survive compaction). */
  private offset = 0;
  private live = 0;
  private generation = 0;
  /** Absolute end of the batch being written (slots [start, inflightEnd) are in flight), or null. */
  private inflightEnd: number | null = null;
  private inflightCount = 0;
  /** Coalescing key -> absolute index of the queued (not in-flight) event with that key. */
  private readonly latest = new Map<string, number>();
  /** Link key -> `at` of the last link.seen/link.up accepted (throttling). */
  private readonly linkAccepted = new Map<string, number>();
  private linkPruneAt = 1024;
  private newestAt = 0;

  constructor(private readonly opts: QueueOptions) {
    if (!(opts.limit >= 1)) throw new RangeError('queue limit must be at least 1');
  }

  /** Live events (in flight included). */
  get size(): number {
    return this.live;
  }

  get limit(): number {
    return this.opts.limit;
  }

  /** Slots held, holes included (bounded by about twice the live events plus 1024). */
  get slotsInUse(): number {
    return this.slots.length - this.start;
  }

  push(e: TopologyEvent): PushResult {
    if (e.at > this.newestAt) this.newestAt = e.at;
    if (e.type === 'link.seen') {
      const last = this.linkAccepted.get(linkKeyOf(e.src, e.dst));
      if (last !== undefined && e.at - last < this.opts.linkSeenIntervalMs) return 'throttled';
    } else if (e.type === 'link.down') this.linkAccepted.delete(linkKeyOf(e.src, e.dst));
    const key = coalesceKey(e);
    const prev = key === null ? undefined : this.latest.get(key);
    let result: PushResult = 'queued';
    let event = e;
    if (prev !== undefined) {
      const old = this.slots[prev - this.offset]!;
      event = mergeSightings(old, e);
      this.slots[prev - this.offset] = null;
      this.live--;
      result = 'coalesced';
    } else if (this.live >= this.opts.limit) return 'overflow';
    const brk = runBreakKey(e);
    if (brk !== null) this.latest.delete(brk);
    const abs = this.offset + this.slots.length;
    this.slots.push(event);
    this.live++;
    if (key !== null) this.latest.set(key, abs);
    if (e.type === 'link.seen') this.noteLink(linkKeyOf(e.src, e.dst), e.at);
    else if (e.type === 'link.up') this.noteLink(linkKeyOf(e.link.src, e.link.dst), Math.max(e.link.lastSeen, e.at));
    if (result === 'coalesced') this.squeezeHoles();
    return result;
  }

  /** The oldest events, at most `max`, not yet taken. Only one batch is out at a time. */
  take(max: number): TakenBatch {
    if (this.inflightEnd !== null) throw new Error('a batch is already being written');
    const events: TopologyEvent[] = [];
    let i = this.start;
    for (; i < this.slots.length && events.length < max; i++) {
      const e = this.slots[i];
      if (e === null || e === undefined) continue;
      events.push(e);
      const key = coalesceKey(e);
      if (key !== null && this.latest.get(key) === this.offset + i) this.latest.delete(key);
    }
    // Skip holes right after the batch too, so commit() leaves `start` on a live slot.
    while (i < this.slots.length && this.slots[i] === null) i++;
    const end = this.offset + i;
    this.inflightEnd = end;
    this.inflightCount = events.length;
    return { events, generation: this.generation, end };
  }

  /** The batch was written: forget it. */
  commit(b: TakenBatch): void {
    if (b.generation !== this.generation || this.inflightEnd !== b.end) return;
    this.live -= this.inflightCount;
    this.start = b.end - this.offset;
    this.inflightEnd = null;
    this.inflightCount = 0;
    this.compact();
  }

  /** The batch was not written: it stays at the head of the queue (it may be coalesced into no more). */
  release(b: TakenBatch): void {
    if (b.generation !== this.generation || this.inflightEnd !== b.end) return;
    this.inflightEnd = null;
    this.inflightCount = 0;
  }

  /** Drops every event (the batch being written included); returns how many. */
  clear(): number {
    const n = this.live;
    this.slots = [];
    this.start = 0;
    this.offset = 0;
    this.live = 0;
    this.generation++;
    this.inflightEnd = null;
    this.inflightCount = 0;
    this.latest.clear();
    this.linkAccepted.clear();
    this.linkPruneAt = 1024;
    return n;
  }

  /** Forgets link throttling (after a resync wrote every link's lastSeen). */
  resetThrottle(): void {
    this.linkAccepted.clear();
  }

  /** Events still queued, oldest first (tests and diagnostics). */
  peekAll(): TopologyEvent[] {
    const out: TopologyEvent[] = [];
    for (let i = this.start; i < this.slots.length; i++) {
      const e = this.slots[i];
      if (e) out.push(e);
    }
    return out;
  }

  private noteLink(k: string, at: number): void {
    this.linkAccepted.set(k, at);
    if (this.linkAccepted.size >= this.linkPruneAt) {
      // Entries older than the interval no longer throttle anything.
      const horizon = this.newestAt - this.opts.linkSeenIntervalMs;
      for (const [key, t] of this.linkAccepted) if (t <= horizon) this.linkAccepted.delete(key);
      this.linkPruneAt = Math.max(1024, 2 * this.linkAccepted.size);
    }
  }

  /**
   * Coalescing leaves holes; while Neo4j is down nothing is taken off the head, so rebuild the array when
   * holes outnumber live events (amortized O(1) per push). Not while a batch is out (its end index).
   */
  private squeezeHoles(): void {
    const used = this.slots.length - this.start;
    if (this.inflightEnd !== null || used < 1024 || used < 2 * this.live) return;
    const kept: TopologyEvent[] = [];
    for (let i = this.start; i < this.slots.length; i++) {
      const e = this.slots[i];
      if (e) kept.push(e);
    }
    this.offset += this.slots.length; // a fresh range of absolute indexes
    this.slots = kept;
    this.start = 0;
    this.latest.clear();
    kept.forEach((e, i) => {
      const key = coalesceKey(e);
      if (key !== null) this.latest.set(key, this.offset + i);
    });
  }

  private compact(): void {
    if (this.start < 1024 || this.start * 2 < this.slots.length) return;
    this.slots = this.slots.slice(this.start);
    this.offset += this.start;
    this.start = 0;
  }
}
