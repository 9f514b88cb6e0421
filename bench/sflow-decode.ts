/**
 * sFlow decode benchmark (figures printed, never asserted):
 *   1. samples/s through the zero-allocation walker (the collector's hot path) on the sFlow Open vSwitch
 *      really sent (test/fixtures/sflow/ovs-capture.pcapng: flow samples with raw headers and counter
 *      samples, IPv4 and IPv6 agents), with the raw headers summarized (5-tuple) and without;
 *   2. the same through decodeDatagram (full objects) for comparison;
 *   3. allocation on the walker path: GC events and heap growth while walking (0 GCs = nothing allocated
 *      per sample).
 * One core (this process, synchronous). Run: npm run bench:sflow
 */
import { readFileSync } from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { udpPayload } from '../src/cli/sflow.js';
import { PacketSummary, summarizePacket } from '../src/codec/packet/index.js';
import { readCapture } from '../src/codec/pcap/index.js';
import { decodeDatagram, SflowWalker, WalkStatus, type CounterSampleView, type FlowSampleView, type SflowVisitor } from '../src/codec/sflow/index.js';

const FIX = new URL('../../test/fixtures/sflow/', import.meta.url).pathname;
const meta = JSON.parse(readFileSync(FIX + 'ovs-capture.ovs.json', 'utf8')) as { ports: { v4: number; v6: number } };
const payloads: Uint8Array[] = [];
for (const pkt of readCapture(new Uint8Array(readFileSync(FIX + 'ovs-capture.pcapng')))) {
  for (const port of [meta.ports.v4, meta.ports.v6]) {
    const u = udpPayload(pkt, port);
    if (u instanceof Uint8Array) payloads.push(Uint8Array.from(u)); // one buffer per datagram, as a UDP socket gives them
  }
}
const mix = payloads.map((p) => decodeDatagram(p).samples);
const perPass = mix.reduce((n, s) => n + s.length, 0);
const flowsPerPass = mix.reduce((n, s) => n + s.filter((x) => x.kind === 'flow').length, 0);
const bytesPerPass = payloads.reduce((n, p) => n + p.length, 0);

// The visitor does what a collector's first stage would: read the fields it keys on. (The sum goes to a
// Float64Array: a `let` number past 2^31 would allocate a heap number per sample in the benchmark itself.)
const acc = new Float64Array(1);
let sink = 0;
const visitor: SflowVisitor = {
  onFlowSample(f: FlowSampleView) {
    acc[0] = acc[0]! + f.samplingRate + f.input + f.output + f.summary.srcPort + f.summary.dstPort + f.summary.srcV4 + f.summary.ipProto;
  },
  onCounterSample(c: CounterSampleView) {
    acc[0] = acc[0]! + c.sourceIdIndex + c.iface.ifInOctets + c.iface.ifOutOctets;
  },
};

let gcs = 0;
const obs = new PerformanceObserver((list) => {
  gcs += list.getEntries().length;
});
obs.observe({ entryTypes: ['gc'] });

function timeIt(label: string, passes: number, fn: () => void, samplesPerPass = perPass, bytes = bytesPerPass): { rate: number; seconds: number } {
  for (let i = 0; i < Math.min(passes, 20_000); i++) fn(); // warm-up (JIT)
  const t0 = performance.now();
  for (let i = 0; i < passes; i++) fn();
  const seconds = (performance.now() - t0) / 1000;
  const rate = (passes * samplesPerPass) / seconds;
  console.log(
    `${label.padEnd(52)} ${(rate / 1e6).toFixed(2).padStart(6)} M samples/s  ${((passes * bytes) / seconds / 1e9).toFixed(2)} GB/s  ` +
      `${(1e9 / rate).toFixed(0).padStart(4)} ns/sample  (${passes * samplesPerPass} samples in ${seconds.toFixed(2)} s)`,
  );
  return { rate, seconds };
}

// The collector's native receiver hands datagrams over in place from one ring buffer (8-aligned, as the
// addon lays them out); the walker reads such a buffer in place. `ring`/`slots` model it.
const slots: [number, number][] = [];
const ring = new Uint8Array(payloads.reduce((n, p) => n + ((p.length + 8 + 7) & ~7), 0));
{
  let at = 0;
  for (const p of payloads) {
    ring.set(p, at + 8);
    slots.push([at + 8, p.length]);
    at += (p.length + 8 + 7) & ~7;
  }
}

function ringPass(walker: SflowWalker): () => void {
  return () => {
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (walker.walk(ring, visitor, slot[0], slot[1]) !== WalkStatus.OK) throw new Error('malformed golden datagram');
    }
  };
}

function walkPass(walker: SflowWalker, set: Uint8Array[] = payloads): () => void {
  return () => {
    for (let i = 0; i < set.length; i++) {
      if (walker.walk(set[i]!, visitor) !== WalkStatus.OK) throw new Error('malformed golden datagram');
    }
  };
}

async function main(): Promise<void> {
  console.log(`mix: ${payloads.length} datagrams from Open vSwitch 3.1, ${perPass} samples (${flowsPerPass} flow with raw headers, ${perPass - flowsPerPass} counters), ${bytesPerPass} bytes per pass`);
  const summarizing = new SflowWalker();

  // Allocation first (before anything else leaves garbage behind): GC events and heap growth while walking.
  const pass = ringPass(summarizing);
  for (let i = 0; i < 20_000; i++) pass();
  await new Promise((r) => setTimeout(r, 100)); // let pending GC entries arrive
  gcs = 0;
  const heap0 = process.memoryUsage().heapUsed;
  const allocPasses = 200_000;
  const t = timeIt('walker in place, watching the heap', allocPasses, pass);
  const heap1 = process.memoryUsage().heapUsed;
  await new Promise((r) => setTimeout(r, 100));
  const samples = allocPasses * perPass;
  console.log(
    `  allocation: ${gcs} GC event(s) while walking ${samples} samples in ${t.seconds.toFixed(2)} s; ` +
      `heap ${heap1 >= heap0 ? '+' : ''}${((heap1 - heap0) / 1024).toFixed(0)} KiB = ${((heap1 - heap0) / samples).toFixed(4)} bytes/sample`,
  );

  const passes = 300_000;
  timeIt('walker in place (receive ring), headers summarized', passes, ringPass(new SflowWalker()));
  timeIt('walker in place (receive ring), not summarized', passes, ringPass(new SflowWalker({ summarizeHeaders: false })));
  timeIt('walker copying (a buffer per datagram), summarized', passes, walkPass(summarizing));
  timeIt('walker copying, headers not summarized', passes, walkPass(new SflowWalker({ summarizeHeaders: false })));
  const countersOnly = payloads.filter((_, i) => mix[i]!.every((x) => x.kind === 'counters'));
  const nCounters = countersOnly.reduce((n, p) => n + decodeDatagram(p).samples.length, 0);
  timeIt(`  counters-only datagrams (${countersOnly.length}, ${nCounters} samples)`, passes, walkPass(new SflowWalker(), countersOnly), nCounters, countersOnly.reduce((n, p) => n + p.length, 0));
  const flowsOnly = payloads.filter((_, i) => mix[i]!.every((x) => x.kind === 'flow'));
  const nFlows = flowsOnly.reduce((n, p) => n + decodeDatagram(p).samples.length, 0);
  const flowBytes = flowsOnly.reduce((n, p) => n + p.length, 0);
  timeIt(`  flow-only datagrams (${flowsOnly.length}, ${nFlows} samples), summarized`, passes, walkPass(new SflowWalker(), flowsOnly), nFlows, flowBytes);
  timeIt(`  flow-only datagrams, not summarized`, passes, walkPass(new SflowWalker({ summarizeHeaders: false }), flowsOnly), nFlows, flowBytes);
  const headers = payloads.flatMap((p) => {
    const out: [number, number][] = [];
    new SflowWalker({ summarizeHeaders: false }).walk(p, { onFlowSample: (f) => void out.push([f.headerOffset, f.headerLength]) });
    return out.map(([o, n]) => p.subarray(o, o + n));
  });
  const summary = new PacketSummary();
  const hp = 2_000_000;
  for (let i = 0; i < hp; i++) summarizePacket(headers[i % headers.length]!, 0, headers[i % headers.length]!.length, summary);
  const t0 = performance.now();
  for (let i = 0; i < hp; i++) summarizePacket(headers[i % headers.length]!, 0, headers[i % headers.length]!.length, summary);
  console.log(`  summarizePacket alone on these headers: ${(((performance.now() - t0) * 1e6) / hp).toFixed(0)} ns per header`);

  timeIt('decodeDatagram (objects, headers decoded)', 2_000, () => {
    for (const p of payloads) sink += decodeDatagram(p).samples.length;
  });
  timeIt('decodeDatagram (objects, headers not decoded)', 5_000, () => {
    for (const p of payloads) sink += decodeDatagram(p, { decodeHeaders: false }).samples.length;
  });
  const st = summarizing.stats;
  console.log(`walker stats: ${st.datagrams} datagrams, ${st.samples} samples, ${st.malformed} malformed, ${st.unknownCounterRecords} unknown counter records skipped`);
  obs.disconnect();
  if (sink === -1 || acc[0] === -1) console.log(sink);
}

await main();
