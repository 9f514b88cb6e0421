/**
 * Time as a dependency (ARCHITECTURE §8): the OVSDB connection and client take a Clock for every timer
 * (request timeouts, keepalive, reconnect backoff), so tests can drive them with a manual clock.
 */
export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // Timers of a background client must not keep the process alive on their own.
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** A clock advanced by hand (tests). Timers fire in due order during `advance`. */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due (including ones set while firing). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (next === undefined || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0]))) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }
}

export interface BackoffOptions {
  /** First delay after a failure. */
  initialMs: number;
  /** Upper bound of the delay. */
  maxMs: number;
  /** Growth per consecutive failure. */
  multiplier: number;
  /** Random spread: the delay is scaled by a factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 200, maxMs: 10_000, multiplier: 2, jitter: 0.2 };

/** Delay before reconnect attempt `attempt` (1 = first retry): exponential, capped, jittered. */
export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(o.maxMs, o.initialMs * Math.pow(o.multiplier, Math.max(0, attempt - 1)));
  const spread = o.jitter > 0 ? 1 + o.jitter * (2 * random() - 1) : 1;
  return Math.max(0, Math.round(Math.min(o.maxMs, base * spread)));
}
