/**
 * Properties (fast-check):
 *  - any bytes: decodeDatagram returns or throws SflowDecodeError, nothing else; the walker never throws,
 *    and it agrees with decodeDatagram (OK <-> decoded; MALFORMED <-> the same code at the same offset);
 *  - valid datagrams generated over the whole object model round-trip through the test encoder
 *    (decode(encode(d)) equals d, encode(decode(b)) equals b) and are walked with every sample visited;
 *  - corrupted valid datagrams keep both APIs in agreement.
 */
import fc from 'fast-check';
import { ipv4ToString, ipv6ToString, macToString } from '../../../../src/codec/addr.js';
import {
  decodeDatagram,
  SflowDecodeError,
  SflowWalker,
  uuidToString,
  WalkStatus,
  type CounterRecord,
  type CounterSample,
  type FlowRecord,
  type FlowSample,
  type SflowDatagram,
  type SflowSample,
} from '../../../../src/codec/sflow/index.js';
import { encodeDatagram } from '../../../support/sflow-encode.js';
import { counterViewDiffs, flowViewDiffs } from './view-match.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigUintN(64);
const small = fc.integer({ min: 0, max: 5000 });
const ipv4 = u32.map(ipv4ToString);
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => ipv6ToString(b));
const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => macToString(b));
const address = fc.oneof(ipv4, ipv6);
const text = fc.fullUnicodeString({ maxLength: 24 });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const f32 = fc.float({ noNaN: true });
const rec = <T extends object>(shape: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(shape) as fc.Arbitrary<T>;

const KNOWN_FLOW = new Set([1, 2, 3, 4, 1001, 1002, 1003]);
const KNOWN_COUNTER = new Set([1, 2, 5, 1001, 1004, 1005, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2100, 2101, 2102, 2103, 2104]);
const unknownRecord = (known: Set<number>) =>
  fc
    .record({ enterprise: fc.integer({ min: 0, max: 0xfffff }), format: fc.integer({ min: 0, max: 0xfff }), data: bytes(24) })
    .filter((r) => r.enterprise !== 0 || !known.has(r.format))
    .map((r) => ({ type: 'unknown' as const, ...r }));

const flowRecord: fc.Arbitrary<FlowRecord> = fc.oneof(
  // Header protocols the packet codec decodes (Ethernet, IPv4, IPv6) half the time: any header bytes must be safe.
  fc.record({ type: fc.constant('raw_header' as const), headerProtocol: fc.oneof(u32, fc.constantFrom(1, 11, 12)), frameLength: u32, stripped: u32, header: bytes(160), packet: fc.constant(null) }),
  fc.record({ type: fc.constant('sampled_ethernet' as const), length: u32, srcMac: mac, dstMac: mac, ethType: u32 }),
  fc.record({ type: fc.constant('sampled_ipv4' as const), length: u32, protocol: u32, srcIp: ipv4, dstIp: ipv4, srcPort: u32, dstPort: u32, tcpFlags: u32, tos: u32 }),
  fc.record({ type: fc.constant('sampled_ipv6' as const), length: u32, protocol: u32, srcIp: ipv6, dstIp: ipv6, srcPort: u32, dstPort: u32, tcpFlags: u32, priority: u32 }),
  fc.record({ type: fc.constant('extended_switch' as const), srcVlan: u32, srcPriority: u32, dstVlan: u32, dstPriority: u32 }),
  fc.record({ type: fc.constant('extended_router' as const), nextHop: fc.oneof(address, fc.constant('')), srcMaskLen: u32, dstMaskLen: u32 }),
  fc.record({
    type: fc.constant('extended_gateway' as const),
    nextHop: fc.oneof(address, fc.constant('')),
    as: u32,
    srcAs: u32,
    srcPeerAs: u32,
    dstAsPath: fc.array(fc.record({ type: u32, asns: fc.array(u32, { maxLength: 4 }) }), { maxLength: 3 }),
    communities: fc.array(u32, { maxLength: 4 }),
    localPref: u32,
  }),
  unknownRecord(KNOWN_FLOW),
);

const cpuBase = {
  loadOne: f32, loadFive: f32, loadFifteen: f32, procRun: u32, procTotal: u32, cpuNum: u32, cpuSpeed: u32, uptime: u32, cpuUser: u32, cpuNice: u32,
  cpuSystem: u32, cpuIdle: u32, cpuWio: u32, cpuIntr: u32, cpuSintr: u32, interrupts: u32, contexts: u32,
};
const netIo = { bytesIn: u64, pktsIn: u32, errsIn: u32, dropsIn: u32, bytesOut: u64, pktsOut: u32, errsOut: u32, dropsOut: u32 };

const counterRecord: fc.Arbitrary<CounterRecord> = fc.oneof(
  rec({
    type: fc.constant('generic_interface' as const), ifIndex: u32, ifType: u32, ifSpeed: u64, ifDirection: u32, ifStatus: u32, ifInOctets: u64, ifInUcastPkts: u32,
    ifInMulticastPkts: u32, ifInBroadcastPkts: u32, ifInDiscards: u32, ifInErrors: u32, ifInUnknownProtos: u32, ifOutOctets: u64, ifOutUcastPkts: u32,
    ifOutMulticastPkts: u32, ifOutBroadcastPkts: u32, ifOutDiscards: u32, ifOutErrors: u32, ifPromiscuousMode: u32,
  }),
  rec({
    type: fc.constant('ethernet' as const), dot3StatsAlignmentErrors: u32, dot3StatsFCSErrors: u32, dot3StatsSingleCollisionFrames: u32,
    dot3StatsMultipleCollisionFrames: u32, dot3StatsSQETestErrors: u32, dot3StatsDeferredTransmissions: u32, dot3StatsLateCollisions: u32,
    dot3StatsExcessiveCollisions: u32, dot3StatsInternalMacTransmitErrors: u32, dot3StatsCarrierSenseErrors: u32, dot3StatsFrameTooLongs: u32,
    dot3StatsInternalMacReceiveErrors: u32, dot3StatsSymbolErrors: u32,
  }),
  rec({ type: fc.constant('vlan' as const), vlanId: u32, octets: u64, ucastPkts: u32, multicastPkts: u32, broadcastPkts: u32, discards: u32 }),
  rec({ type: fc.constant('processor' as const), cpu5s: u32, cpu1m: u32, cpu5m: u32, totalMemory: u64, freeMemory: u64 }),
  rec({ type: fc.constant('openflow_port' as const), datapathId: u64, portNo: u32 }),
  rec({ type: fc.constant('port_name' as const), name: text }),
  rec({
    type: fc.constant('host_description' as const), hostname: text, uuid: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => uuidToString(b)),
    machineType: u32, osName: u32, osRelease: text,
  }),
  rec({ type: fc.constant('host_adapters' as const), adapters: fc.array(fc.record({ ifIndex: u32, macs: fc.array(mac, { maxLength: 3 }) }), { maxLength: 3 }) }),
  rec({ type: fc.constant('host_parent' as const), containerType: u32, containerIndex: u32 }),
  fc.oneof(
    rec({ type: fc.constant('host_cpu' as const), ...cpuBase }),
    rec({ type: fc.constant('host_cpu' as const), ...cpuBase, cpuSteal: u32, cpuGuest: u32, cpuGuestNice: u32 }),
  ),
  rec({
    type: fc.constant('host_memory' as const), memTotal: u64, memFree: u64, memShared: u64, memBuffers: u64, memCached: u64, swapTotal: u64, swapFree: u64,
    pageIn: u32, pageOut: u32, swapIn: u32, swapOut: u32,
  }),
  rec({ type: fc.constant('host_disk_io' as const), diskTotal: u64, diskFree: u64, partMaxUsed: u32, reads: u32, bytesRead: u64, readTime: u32, writes: u32, bytesWritten: u64, writeTime: u32 }),
  rec({ type: fc.constant('host_net_io' as const), ...netIo }),
  rec({ type: fc.constant('virt_node' as const), mhz: u32, cpus: u32, memory: u64, memoryFree: u64, numDomains: u32 }),
  rec({ type: fc.constant('virt_cpu' as const), state: u32, cpuTime: u32, nrVirtCpu: u32 }),
  rec({ type: fc.constant('virt_memory' as const), memory: u64, maxMemory: u64 }),
  rec({ type: fc.constant('virt_disk_io' as const), capacity: u64, allocation: u64, available: u64, rdReq: u32, rdBytes: u64, wrReq: u32, wrBytes: u64, errs: u32 }),
  rec({ type: fc.constant('virt_net_io' as const), ...netIo }),
  unknownRecord(KNOWN_COUNTER),
);

const iface = (expanded: boolean) =>
  expanded ? fc.record({ format: u32, value: u32 }) : fc.record({ format: fc.integer({ min: 0, max: 3 }), value: fc.integer({ min: 0, max: 0x3fffffff }) });

const flowSample: fc.Arbitrary<FlowSample> = fc.boolean().chain((expanded) =>
  fc.record({
    kind: fc.constant('flow' as const),
    expanded: fc.constant(expanded),
    sequence: u32,
    sourceIdType: expanded ? u32 : fc.integer({ min: 0, max: 255 }),
    sourceIdIndex: expanded ? u32 : fc.integer({ min: 0, max: 0xffffff }),
    samplingRate: u32,
    samplePool: u32,
    drops: u32,
    input: iface(expanded),
    output: iface(expanded),
    records: fc.array(flowRecord, { maxLength: 5 }),
  }),
);

const counterSample: fc.Arbitrary<CounterSample> = fc.boolean().chain((expanded) =>
  fc.record({
    kind: fc.constant('counters' as const),
    expanded: fc.constant(expanded),
    sequence: u32,
    sourceIdType: expanded ? u32 : fc.integer({ min: 0, max: 255 }),
    sourceIdIndex: expanded ? u32 : fc.integer({ min: 0, max: 0xffffff }),
    records: fc.array(counterRecord, { maxLength: 6 }),
  }),
);

const unknownSample = fc
  .record({ enterprise: fc.integer({ min: 0, max: 0xfffff }), format: fc.integer({ min: 0, max: 0xfff }), data: bytes(40) })
  .filter((s) => s.enterprise !== 0 || s.format < 1 || s.format > 4)
  .map((s) => ({ kind: 'unknown' as const, ...s }));

const sample: fc.Arbitrary<SflowSample> = fc.oneof({ arbitrary: flowSample, weight: 3 }, { arbitrary: counterSample, weight: 3 }, { arbitrary: unknownSample, weight: 1 });

const datagram: fc.Arbitrary<SflowDatagram> = fc.record({
  version: fc.constant(5 as const),
  agent: address,
  subAgentId: u32,
  sequence: u32,
  uptime: u32,
  samples: fc.array(sample, { maxLength: 5 }),
});

/** Both APIs on the same bytes: decodeDatagram's result or SflowDecodeError, and the walker's agreement with it. */
function agree(b: Uint8Array, walker: SflowWalker): void {
  let err: SflowDecodeError | undefined;
  let d: SflowDatagram | undefined;
  try {
    d = decodeDatagram(b);
  } catch (e) {
    if (!(e instanceof SflowDecodeError)) throw e;
    err = e;
  }
  let visited = 0;
  const status = walker.walk(b, { onFlowSample: () => visited++, onCounterSample: () => visited++ });
  if (d !== undefined) {
    expect(status).toBe(WalkStatus.OK);
    expect(visited).toBe(d.samples.filter((s) => s.kind !== 'unknown').length);
  } else if (err!.code === 'unsupported-version') {
    expect(status).toBe(WalkStatus.UNSUPPORTED_VERSION);
  } else {
    expect([status, walker.errorCode, walker.errorOffset]).toEqual([WalkStatus.MALFORMED, err!.code, err!.offset]);
  }
}

describe('sFlow decoder properties', () => {
  const walker = new SflowWalker();

  it('random bytes: only SflowDecodeError, and the walker agrees without throwing', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => agree(b, walker)), { numRuns: 3000 });
  });

  it('random bytes after a valid header: only SflowDecodeError, and the walker agrees', () => {
    const header = fc.tuple(fc.constantFrom(1, 2), fc.uint8Array({ maxLength: 600 })).map(([type, rest]) => {
      const h = new Uint8Array(type === 1 ? 24 : 36);
      h[3] = 5;
      h[7] = type;
      const out = new Uint8Array(h.length + rest.length);
      out.set(h);
      out.set(rest, h.length);
      return out;
    });
    fc.assert(fc.property(header, (b) => agree(b, walker)), { numRuns: 3000 });
  });

  it('generated datagrams round-trip through the encoder and are walked whole', () => {
    fc.assert(
      fc.property(datagram, (d) => {
        const b = encodeDatagram(d);
        const back = decodeDatagram(b, { decodeHeaders: false });
        expect(back).toEqual(d);
        expect(Buffer.from(encodeDatagram(back)).equals(Buffer.from(b))).toBe(true);
        agree(b, walker);
      }),
      { numRuns: 1000 },
    );
  });

  it('generated datagrams: every field of the walker\'s views equals the decoded objects', () => {
    fc.assert(
      fc.property(datagram, (d) => {
        const b = encodeDatagram(d);
        const decoded = decodeDatagram(b, { decodeHeaders: false }).samples;
        const flows = decoded.filter((x): x is FlowSample => x.kind === 'flow');
        const counters = decoded.filter((x): x is CounterSample => x.kind === 'counters');
        const diffs: string[] = [];
        let f = 0;
        let c = 0;
        walker.walk(b, {
          onFlowSample: (v) => diffs.push(...flowViewDiffs(v, flows[f++]!, b)),
          onCounterSample: (v) => diffs.push(...counterViewDiffs(v, counters[c++]!, b)),
        });
        expect(diffs).toEqual([]);
        expect([f, c]).toEqual([flows.length, counters.length]);
      }),
      { numRuns: 1000 },
    );
  });

  it('datagrams in one shared buffer (a receive ring) are read in place with the same results as alone', () => {
    // The walker reads a buffer it has seen before in place: statuses, error codes, error offsets (from the
    // datagram's first byte) and every view field must be what walking a copy gives.
    const ring = new Uint8Array(64 * 1024);
    const inPlace = new SflowWalker();
    const alone = new SflowWalker();
    let at = 0;
    const damaged = fc.tuple(datagram, fc.nat(), fc.integer({ min: -12, max: 0 }), fc.nat({ max: 7 })).map(([d, word, cut, pad]) => {
      const b = encodeDatagram(d);
      if (word % 3 === 0 && b.length >= 8) new DataView(b.buffer).setUint32(4 * ((word >> 2) % (b.length >> 2)), word);
      return { b: b.subarray(0, Math.max(0, b.length + cut)), pad };
    });
    fc.assert(
      fc.property(damaged, ({ b, pad }) => {
        if (at + pad + b.length > ring.length) at = 0;
        at += pad; // odd offsets too: DataView reads need no alignment
        ring.set(b, at);
        const seen = (w: SflowWalker): string[] => {
          const out: string[] = [];
          const status = w.walk(w === inPlace ? ring : b, {
            onFlowSample: (v, dv) => out.push(JSON.stringify([v.sequence, v.samplingRate, v.input, v.output, v.hasHeader && [v.headerLength, v.headerOffset - dv.offset], v.summarized && v.summary.srcPort])),
            onCounterSample: (v, dv) => out.push(JSON.stringify([v.sequence, v.present, v.offset - dv.offset, v.iface.toJSON(), v.hostCpu.toJSON()])),
          }, w === inPlace ? at : 0, b.length);
          out.push(`${status} ${w.errorCode} ${w.errorOffset}`);
          return out;
        };
        expect(seen(inPlace)).toEqual(seen(alone));
        at += b.length;
      }),
      { numRuns: 1500 },
    );
  });

  it('walk() refuses an offset/length outside the buffer (a caller bug), and nothing else', () => {
    const w = new SflowWalker();
    expect(() => w.walk(new Uint8Array(8), {}, 4, 5)).toThrow(RangeError);
    expect(() => w.walk(new Uint8Array(8), {}, -1)).toThrow(RangeError);
    expect(w.walk(new Uint8Array(8), {}, 8, 0)).toBe(WalkStatus.MALFORMED);
    expect([w.errorCode, w.errorOffset]).toEqual(['truncated', 0]);
  });

  it('corrupted datagrams: words overwritten, bytes cut or added; both APIs agree', () => {
    const corrupted = fc.tuple(datagram, fc.array(fc.tuple(fc.nat(), fc.oneof(u32, fc.constantFrom(0, 1, 2, 3, 4, 5, 0xffffffff, 0x7fffffff, 1001, 2001, 1003))), { minLength: 1, maxLength: 3 }), fc.integer({ min: -8, max: 8 }))
      .map(([d, edits, grow]) => {
        const b = encodeDatagram(d);
        const words = b.length >> 2;
        for (const [at, v] of edits) {
          if (words === 0) break;
          new DataView(b.buffer).setUint32(4 * (at % words), v);
        }
        if (grow < 0) return b.subarray(0, Math.max(0, b.length + grow));
        const out = new Uint8Array(b.length + grow);
        out.set(b);
        return out;
      });
    fc.assert(fc.property(corrupted, (b) => agree(b, walker)), { numRuns: 3000 });
  });

  it('sample counts never allocate ahead of the bytes: a 2^32-1 count is refused at once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1 << 20, max: 0xffffffff }), small, (count, pad) => {
        const b = new Uint8Array(28 + pad);
        const v = new DataView(b.buffer);
        v.setUint32(0, 5);
        v.setUint32(4, 1);
        v.setUint32(24, count);
        const e = (() => {
          try {
            decodeDatagram(b);
          } catch (x) {
            return x;
          }
          return undefined;
        })();
        expect(e).toBeInstanceOf(SflowDecodeError);
        expect((e as SflowDecodeError).code).toBe('bad-count');
      }),
      { numRuns: 200 },
    );
  });
});
