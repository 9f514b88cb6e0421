/**
 * Packet codec benchmarks (figures printed, never asserted):
 *   1. summarizePacket (the sFlow collector's hot path) on a realistic mix of sampled headers, M packets/s,
 *      and its allocations over 10M calls: heap growth and the number of garbage collections that ran
 *   2. decodePacket (full object tree) on the same mix, M packets/s
 *   3. readCapture over an in-memory pcap and pcapng, M packets/s and MB/s
 * Run: npm run bench:packet
 */
import { readFileSync } from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { decodePacket, PacketSummary, summarizePacket } from '../src/codec/packet/index.js';
import { readCapture } from '../src/codec/pcap/index.js';

const FIX = new URL('../../test/fixtures/packet/', import.meta.url).pathname;
const frames = [...readCapture(new Uint8Array(readFileSync(FIX + 'protocols.pcap')))].map((p) => p.data.slice());

/**
 * A mix shaped like sFlow samples from a virtualised DC edge (header_protocol Ethernet, headers cut at 128
 * bytes as OVS's `header=128`): mostly IPv4 TCP, then UDP, IPv6, VLAN-tagged, VXLAN, ICMP/ARP and fragments.
 * Index = frame number in protocols.pcap (see test/fixtures/packet/make-packets.py); weight = share in 100.
 */
const MIX: Array<[number, number]> = [
  [0, 10], [1, 8], [2, 20], [3, 10], [4, 2], // IPv4 TCP (SYN, SYN-ACK, ACK with SACK/TS, data, RST)
  [5, 6], [6, 8], // IPv4 UDP
  [22, 6], [23, 2], [30, 1], // IPv6 TCP, UDP after extension headers, ICMPv6
  [14, 4], [15, 3], // 802.1Q and QinQ
  [38, 8], [39, 3], [36, 2], // VXLAN (v4 and v6 underlay), GRE TEB
  [7, 3], [12, 2], [19, 1], [20, 1], // ICMP, ARP, IPv4 fragments
];

function buildMix(): { buf: Uint8Array; offsets: Int32Array; lengths: Int32Array } {
  const picks: Uint8Array[] = [];
  for (const [i, w] of MIX) for (let k = 0; k < w; k++) picks.push(frames[i]!.subarray(0, 128));
  // Deterministic shuffle, then lay the headers out in one buffer as they sit in an sFlow datagram.
  let seed = 12345;
  for (let i = picks.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [picks[i], picks[j]] = [picks[j]!, picks[i]!];
  }
  const total = picks.reduce((n, p) => n + p.length + 16, 0);
  const buf = new Uint8Array(total);
  const offsets = new Int32Array(picks.length);
  const lengths = new Int32Array(picks.length);
  let o = 0;
  picks.forEach((p, i) => {
    o += 16; // sFlow record fields before the header bytes
    buf.set(p, o);
    offsets[i] = o;
    lengths[i] = p.length;
    o += p.length;
  });
  return { buf, offsets, lengths };
}

function rate(label: string, n: number, fn: (i: number) => void, unit = 'packets'): number {
  for (let i = 0; i < Math.min(n, 300_000); i++) fn(i); // warm-up (JIT)
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const s = (performance.now() - t0) / 1000;
  const r = n / s;
  console.log(`${label.padEnd(52)} ${(r / 1e6).toFixed(2)} M ${unit}/s  (${n} in ${s.toFixed(2)} s)`);
  return r;
}

async function main(): Promise<void> {
  const { buf, offsets, lengths } = buildMix();
  const m = offsets.length;
  console.log(`mix: ${m} sampled headers (<= 128 B), ${MIX.length} kinds`);
  const out = new PacketSummary();
  let sink = 0;

  rate('summarizePacket (reused PacketSummary)', 10_000_000, (i) => {
    const k = i % m;
    sink = (sink + summarizePacket(buf, offsets[k]!, lengths[k]!, out).srcPort) | 0;
  });

  // Allocation check: count the GCs that run during 10M further calls, and the heap growth.
  let gcs = 0;
  const obs = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  obs.observe({ entryTypes: ['gc'] });
  await new Promise((r) => setTimeout(r, 50));
  gcs = 0;
  const heap0 = process.memoryUsage().heapUsed;
  const N = 10_000_000;
  let acc = 0; // kept a small integer (| 0) so the loop itself allocates no heap numbers
  for (let i = 0; i < N; i++) {
    const k = i % m;
    acc = (acc + summarizePacket(buf, offsets[k]!, lengths[k]!, out).dstPort) | 0;
  }
  const heap1 = process.memoryUsage().heapUsed;
  sink += acc;
  await new Promise((r) => setTimeout(r, 50)); // let the observer deliver entries
  obs.disconnect();
  console.log(`summarizePacket allocations over ${N / 1e6}M calls: heap ${heap1 - heap0 >= 0 ? '+' : ''}${((heap1 - heap0) / 1024).toFixed(1)} KiB, ${gcs} GC run(s) during the loop`);

  rate('decodePacket (full object tree)', 1_000_000, (i) => {
    const k = i % m;
    sink = (sink + decodePacket(buf, offsets[k]!, lengths[k]!).layers.length) | 0;
  });

  // Capture reading: the fixture's packets repeated into a ~40 MB pcap and pcapng in memory.
  for (const name of ['protocols.pcap', 'captures/protocols.pcapng']) {
    const one = new Uint8Array(readFileSync(FIX + name));
    const headerLen = name.endsWith('.pcap') ? 24 : firstPacketBlock(one);
    const body = one.subarray(headerLen);
    const reps = Math.ceil(40e6 / body.length);
    const big = new Uint8Array(headerLen + body.length * reps);
    big.set(one.subarray(0, headerLen));
    for (let r = 0; r < reps; r++) big.set(body, headerLen + r * body.length);
    let count = 0;
    for (const p of readCapture(big)) count += p.caplen > 0 ? 1 : 0; // warm-up
    const t0 = performance.now();
    count = 0;
    for (const p of readCapture(big)) count += p.caplen > 0 ? 1 : 0;
    const s = (performance.now() - t0) / 1000;
    console.log(`${`readCapture ${name.split('/').pop()} (${(big.length / 1e6).toFixed(0)} MB in memory)`.padEnd(52)} ${(count / s / 1e6).toFixed(2)} M packets/s, ${(big.length / s / 1e6).toFixed(0)} MB/s`);
  }
  if (sink === 0.5) console.log(sink);
}

/** Offset of the first block after the SHB and IDB(s) of a little-endian pcapng. */
function firstPacketBlock(b: Uint8Array): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let o = 0;
  while (o < b.length) {
    const type = dv.getUint32(o, true);
    if (type !== 0x0a0d0d0a && type !== 1) return o;
    o += dv.getUint32(o + 4, true);
  }
  return o;
}

await main();
