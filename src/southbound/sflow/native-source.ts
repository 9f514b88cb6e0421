/**
 * The native datagram source: native/sflow-udp.cc reads the socket with recvmmsg on a thread of its own
 * and copies datagrams into a byte ring in an ArrayBuffer that JavaScript owns; here the ring is drained
 * in place (a subarray per datagram, no copy) in turns of up to maxPerTurn datagrams. Between turns the
 * event loop runs; when the ring is empty this side arms the wake-up word and sleeps until the thread
 * calls back. See the C++ file for the ring layout; the constants below must match it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BoundSource, DatagramSink, DatagramSource, SourceOptions, SourceStats } from './source.js';

const HEADER_BYTES = 256;
const HEAD_WORD = 0;
const TAIL_WORD = 16;
const ARMED_WORD = 32;
const WRAP = 0xffffffff;
const FLAG_TRUNCATED = 1;

interface NativeHandle {
  port: number;
  family: 4 | 6;
  receiveBufferBytes: number;
}

export interface NativeReceiverStats {
  datagrams: number;
  bytes: number;
  truncated: number;
  recvCalls: number;
  ringFullWaits: number;
  wakeups: number;
  kernelDrops: number;
  recvErrors: number;
}

export interface FloodOptions {
  host: string;
  port: number;
  templates: Uint8Array[];
  /** Per template: (byte offset, increment) pairs of big-endian u32 fields bumped after each send. */
  patches: Uint32Array[];
  /** Datagrams per second (0: as fast as possible). */
  rate: number;
  count: number;
  seconds: number;
  sendBufferBytes?: number;
}

export interface FloodResult {
  /** Datagrams the kernel accepted (attempted less those refused with ENOBUFS/EAGAIN/ECONNREFUSED). */
  sent: number;
  attempted: number;
  seconds: number;
  sendCalls: number;
  errors: number;
}

export interface NativeAddon {
  abiVersion: number;
  open(options: { host: string; port: number; receiveBufferBytes: number; maxDatagramBytes: number; ring: ArrayBuffer; onReadable: () => void }): NativeHandle;
  close(handle: NativeHandle): void;
  stats(handle: NativeHandle): NativeReceiverStats;
  sendFlood(options: FloodOptions): FloodResult;
}

const ADDON_FILE = join('native', 'build', 'vigil-sflow-udp.node');

/** Where the addon is: the first native/build/ found walking up from this module (src/, dist/, dist-bench/src/). */
export function addonPath(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, ADDON_FILE);
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

let cached: { addon: NativeAddon | null; error: string | null } | null = null;

/** The addon, or null with the reason (not built, wrong ABI, not Linux). Loaded once. */
export function loadAddon(): { addon: NativeAddon | null; error: string | null } {
  if (cached) return cached;
  const p = addonPath();
  if (p === null) {
    cached = { addon: null, error: `${ADDON_FILE} not found (run npm run build:native)` };
    return cached;
  }
  try {
    const addon = createRequire(import.meta.url)(p) as NativeAddon;
    cached = addon.abiVersion === 1 ? { addon, error: null } : { addon: null, error: `${p}: ABI ${String(addon.abiVersion)}, expected 1 (rebuild it)` };
  } catch (e) {
    cached = { addon: null, error: `${p}: ${e instanceof Error ? e.message : String(e)}` };
  }
  return cached;
}

export class NativeSource implements DatagramSource {
  readonly kind = 'native' as const;
  private handle: NativeHandle | null = null;
  private ctl: Int32Array | null = null;
  private lengths: Uint32Array | null = null;
  private data: Uint8Array | null = null;
  private capacity = 0;
  private tail = 0;
  private sink: DatagramSink | null = null;
  private scheduled = false;
  private closed = false;
  private oversize = 0;
  private readonly maxPerTurn: number;

  constructor(
    private readonly addon: NativeAddon,
    private readonly options: SourceOptions,
  ) {
    this.maxPerTurn = options.maxPerTurn ?? 4096;
  }

  start(sink: DatagramSink): Promise<BoundSource> {
    if (this.handle) return Promise.reject(new Error('the native source is already started'));
    const maxDatagramBytes = this.options.maxDatagramBytes ?? 65535;
    let capacity = this.options.ringBytes ?? 32 * 1024 * 1024;
    capacity = Math.max(capacity, 4 * (maxDatagramBytes + 16) + 64) & ~7;
    const ring = new ArrayBuffer(HEADER_BYTES + capacity);
    this.ctl = new Int32Array(ring, 0, HEADER_BYTES / 4);
    this.lengths = new Uint32Array(ring, HEADER_BYTES, capacity / 4);
    this.data = new Uint8Array(ring, HEADER_BYTES, capacity);
    this.capacity = capacity;
    this.tail = 0;
    this.sink = sink;
    try {
      this.handle = this.addon.open({
        host: this.options.host,
        port: this.options.port,
        receiveBufferBytes: this.options.receiveBufferBytes,
        maxDatagramBytes,
        ring,
        onReadable: () => this.schedule(),
      });
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    // Arm before anything can arrive: the thread wakes us on the first datagram.
    Atomics.store(this.ctl, ARMED_WORD, 1);
    const h = this.handle;
    return Promise.resolve({ address: this.options.host, port: h.port, family: h.family, receiveBufferBytes: h.receiveBufferBytes });
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(this.turn);
  }

  /** One turn: drain up to maxPerTurn datagrams, flush, then continue next turn or arm and sleep. */
  private readonly turn = (): void => {
    this.scheduled = false;
    const ctl = this.ctl;
    const sink = this.sink;
    if (this.closed || ctl === null || sink === null) return;
    const n = this.drain(this.maxPerTurn);
    sink.flush();
    if (n === this.maxPerTurn) {
      this.schedule();
      return;
    }
    // Empty: ask for a wake-up, then look once more (a datagram may have landed before the flag was up).
    Atomics.store(ctl, ARMED_WORD, 1);
    if (Atomics.load(ctl, HEAD_WORD) !== this.tail) this.schedule();
  };

  private drain(max: number): number {
    const ctl = this.ctl!;
    const lengths = this.lengths!;
    const data = this.data!;
    const sink = this.sink!;
    const cap = this.capacity;
    let tail = this.tail;
    let n = 0;
    let head = Atomics.load(ctl, HEAD_WORD);
    try {
      while (n < max) {
        if (tail === head) {
          Atomics.store(ctl, TAIL_WORD, tail);
          head = Atomics.load(ctl, HEAD_WORD);
          if (tail === head) break;
        }
        const len = lengths[tail >>> 2]!;
        if (len === WRAP) {
          tail = 0;
          continue;
        }
        const flags = lengths[(tail >>> 2) + 1]!;
        const start = tail + 8;
        const oversize = (flags & FLAG_TRUNCATED) !== 0;
        if (oversize) this.oversize++;
        sink.datagram(data, oversize, start, len);
        tail = start + ((len + 7) & ~7);
        if (tail === cap) tail = 0;
        n++;
        // Give space back to the thread regularly so a full ring refills while we work.
        if ((n & 255) === 0) Atomics.store(ctl, TAIL_WORD, tail);
      }
    } finally {
      this.tail = tail;
      Atomics.store(ctl, TAIL_WORD, tail);
    }
    return n;
  }

  /** The receive thread's own counters (recvmmsg calls, ring-full waits, wake-ups...). */
  nativeStats(): NativeReceiverStats | null {
    return this.handle ? this.addon.stats(this.handle) : null;
  }

  stats(): SourceStats {
    const s = this.nativeStats();
    return { datagrams: s?.datagrams ?? 0, bytes: s?.bytes ?? 0, kernelDrops: s?.kernelDrops ?? 0, oversize: s?.truncated ?? this.oversize };
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    const h = this.handle;
    if (h) {
      // Hand over what is already in the ring, then stop the thread.
      this.addon.close(h);
      if (this.ctl && this.sink) {
        this.drain(Number.MAX_SAFE_INTEGER);
        this.sink.flush();
      }
    }
    return Promise.resolve();
  }
}
