/**
 * Fragment reassembly benchmark (figures printed, never asserted):
 *   1. clean IPv4 / IPv6 traffic: 8 KiB UDP datagrams cut at a 1500-byte MTU, 64 datagrams in flight,
 *      fragments interleaved — fragments/s, datagrams/s and MB/s of payload, for hold 'copy' and 'view'
 *   2. pass-through: whole (unfragmented) frames — packets/s (the cost the stage adds to normal traffic)
 *   3. Novak's overlapping 6-fragment train under every policy — fragments/s
 *   4. a flood of small fragments with random ids against the default caps — fragments/s, and the held
 *      bytes / datagrams / heap it ends with (bounded by maxBytes / maxDatagrams)
 * (4 runs first, on a fresh heap, so its memory figure is not blurred by the garbage of the others.)
 * Run: npx tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/reassembly.js
 */
import { performance } from 'node:perf_hooks';
import { OVERLAP_POLICIES, Reassembler, ipv4HeaderChecksum } from '../src/analysis/reassembly/index.js';

const ETH4 = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
const ETH6 = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd];

function v4(id: number, offset: number, more: boolean, data: Uint8Array, src = 0x0a000001): Uint8Array {
  const total = 20 + data.length;
  const fo = (more ? 0x2000 : 0) | (offset >>> 3);
  const out = new Uint8Array(14 + total);
  out.set(ETH4, 0);
  out.set([0x45, 0, total >>> 8, total & 0xff, (id >>> 8) & 0xff, id & 0xff, fo >>> 8, fo & 0xff, 64, 17, 0, 0, src >>> 24, (src >>> 16) & 0xff, (src >>> 8) & 0xff, src & 0xff, 10, 0, 0, 2], 14);
  const c = ipv4HeaderChecksum(out, 14, 20);
  out[24] = c >>> 8;
  out[25] = c & 0xff;
  out.set(data, 34);
  return out;
}

function v6(id: number, offset: number, more: boolean, data: Uint8Array): Uint8Array {
  const plen = 8 + data.length;
  const fo = offset | (more ? 1 : 0);
  const out = new Uint8Array(14 + 40 + plen);
  out.set(ETH6, 0);
  out.set([0x60, 0, 0, 0, plen >>> 8, plen & 0xff, 44, 64], 14);
  out[14 + 8 + 15] = 1;
  out[14 + 24 + 15] = 2;
  out[14 + 8] = 0x20;
  out[14 + 24] = 0x20;
  out.set([17, 0, fo >>> 8, fo & 0xff, id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff], 54);
  out.set(data, 62);
  return out;
}

/** `n` datagrams of `size` bytes cut at `mtuData` bytes, `inFlight` of them interleaved at a time. */
function traffic(ipv: 4 | 6, n: number, size: number, mtuData: number, inFlight: number): Uint8Array[] {
  const payload = new Uint8Array(size).map((_, i) => (i * 31) & 0xff);
  const frames: Uint8Array[] = [];
  for (let g = 0; g < n; g += inFlight) {
    const group: Uint8Array[][] = [];
    for (let k = 0; k < inFlight && g + k < n; k++) {
      const id = (g + k) & 0xffff;
      const fr: Uint8Array[] = [];
      for (let o = 0; o < size; o += mtuData) {
        const more = o + mtuData < size;
        const data = payload.subarray(o, Math.min(size, o + mtuData));
        fr.push(ipv === 4 ? v4(id, o, more, data) : v6(id + 1, o, more, data));
      }
      group.push(fr);
    }
    const longest = Math.max(...group.map((x) => x.length));
    for (let i = 0; i < longest; i++) for (const fr of group) if (i < fr.length) frames.push(fr[i]!);
  }
  return frames;
}

function time(label: string, frames: Uint8Array[], rounds: number, make: () => Reassembler, unit = 'fragments'): void {
  let r = make();
  for (let i = 0; i < frames.length; i++) r.push(frames[i]!, 1, i); // warm-up
  let reassembled = 0;
  const t0 = performance.now();
  for (let k = 0; k < rounds; k++) {
    r = make();
    for (let i = 0; i < frames.length; i++) if (r.push(frames[i]!, 1, i).kind === 'reassembled') reassembled++;
  }
  const s = (performance.now() - t0) / 1000;
  const n = frames.length * rounds;
  const bytes = frames.reduce((a, f) => a + f.length, 0) * rounds;
  console.log(`${label.padEnd(44)} ${(n / s / 1e6).toFixed(2).padStart(6)} M ${unit}/s  ${(bytes / s / 1e6).toFixed(0).padStart(5)} MB/s  ${(reassembled / s / 1e3).toFixed(0).padStart(6)} k datagrams/s`);
}

// Flood: 1M small fragments (random offset, MF set, random ids and sources, 1 µs apart so nothing times
// out): nothing ever completes; the caps must hold memory.
const flood: Uint8Array[] = [];
let x = 12345;
const rnd = (): number => {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
};
for (let i = 0; i < 200_000; i++) {
  flood.push(v4(rnd() & 0xffff, (rnd() % 8000) * 8, true, new Uint8Array(8 + (rnd() % 64) * 8), 0x0a000000 + (rnd() & 0xffffff)));
}
const gc = (globalThis as { gc?: () => void }).gc;
const mem = (): number => {
  for (let k = 0; k < 3; k++) gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mem0 = mem();
const fr = new Reassembler();
const t0 = performance.now();
for (let k = 0; k < 5; k++) for (let i = 0; i < flood.length; i++) fr.push(flood[i]!, 1, (k * flood.length + i) / 1000);
const s = (performance.now() - t0) / 1000;
const grown = mem() - mem0;
const st = fr.stats;
console.log(
  `${'flood: random ids, default caps'.padEnd(44)} ${((flood.length * 5) / s / 1e6).toFixed(2).padStart(6)} M fragments/s  held ${(st.heldBytes / 2 ** 20).toFixed(1)} MiB` +
    ` (accounted) in ${st.datagrams} datagrams, caps 16 MiB / 8192, evictions ${st.evictions.globalBytes + st.evictions.globalDatagrams};` +
    ` heap+buffers +${(grown / 2 ** 20).toFixed(1)} MiB${gc === undefined ? ' (run with --expose-gc for a settled figure)' : ''}`,
);

const clean4 = traffic(4, 20_000, 8192, 1480, 64);
const clean6 = traffic(6, 20_000, 8192, 1448, 64);
console.log(`clean traffic: ${clean4.length} IPv4 / ${clean6.length} IPv6 fragments of 8 KiB datagrams, 64 in flight`);
for (const hold of ['copy', 'view'] as const) {
  time(`IPv4 8 KiB / 1500 MTU, hold ${hold}`, clean4, 5, () => new Reassembler({ hold }));
  time(`IPv6 8 KiB / 1500 MTU, hold ${hold}`, clean6, 5, () => new Reassembler({ hold }));
}

const whole = Array.from({ length: 100_000 }, (_, i) => v4(i & 0xffff, 0, false, new Uint8Array(64 + (i % 1400))));
time('pass-through (whole IPv4 frames)', whole, 20, () => new Reassembler(), 'packets');

const NOVAK: Array<[number, string, number]> = [[0, '1', 24], [32, '2', 16], [48, '3', 24], [8, '4', 32], [48, '5', 24], [72, '6', 24]];
const novak: Uint8Array[] = [];
for (let id = 0; id < 20_000; id++) {
  NOVAK.forEach(([off, ch, len], i) => novak.push(v4(id & 0xffff, off, i !== NOVAK.length - 1, new Uint8Array(len).fill(ch.charCodeAt(0)), 0x0a000001 + (id >>> 16))));
}
for (const policy of OVERLAP_POLICIES) time(`Novak 6-fragment overlaps, ${policy}`, novak, 5, () => new Reassembler({ policy }));

