/**
 * The collector's socket-free core: datagrams in, SflowBatch messages out. Checked against the object
 * decoder (decodeDatagram, a second reading of the same bytes), on crafted datagrams from the test
 * encoder (written from the spec independently of the decoder), on random ones (fast-check), on junk,
 * and on the golden capture of real Open vSwitch sFlow.
 */
import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { udpPayload } from '../../../../src/cli/sflow.js';
import { readCapture } from '../../../../src/codec/pcap/index.js';
import { decodeDatagram, type CounterSample, type FlowRecord, type FlowSample, type SflowDatagram } from '../../../../src/codec/sflow/index.js';
import { counterSampleAt, flowAt, flowsOf, FlowField, FLOW_STRIDE, SflowIngest, type IngestOptions, type SflowBatch } from '../../../../src/southbound/sflow/index.js';
import { encodeDatagram } from '../../../support/sflow-encode.js';

const FIX = new URL('../../../fixtures/sflow/', import.meta.url).pathname;

function collect(options: IngestOptions = {}): { ingest: SflowIngest; batches: SflowBatch[] } {
  const batches: SflowBatch[] = [];
  return { ingest: new SflowIngest((b) => batches.push(b), options), batches };
}

/** Ethernet/IPv4/TCP (or IPv6/UDP) frame of `len` bytes. */
function frame(v6: boolean, len: number, port: number): Uint8Array {
  const f = new Uint8Array(Math.max(len, v6 ? 62 : 54));
  f.set([0x02, 0, 0, 0, 0, 0xbb, 0x02, 0, 0, 0, 0, 0xaa], 0);
  if (!v6) {
    f.set([0x08, 0x00, 0x45, 0, 0, 40, 0, 7, 0x40, 0, 63, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 12);
    f.set([port >> 8, port & 0xff, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff], 34);
  } else {
    f.set([0x86, 0xdd, 0x60, 0, 0, 0, 0, 8, 17, 64], 12);
    f.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 22);
    f.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 38);
    f.set([port >> 8, port & 0xff, 0, 53, 0, 8, 0, 0], 54);
  }
  return f;
}

function flow(seq: number, extra: Partial<FlowSample> = {}, records?: FlowRecord[]): FlowSample {
  return {
    kind: 'flow',
    expanded: false,
    sequence: seq,
    sourceIdType: 0,
    sourceIdIndex: 3,
    samplingRate: 256,
    samplePool: seq * 256,
    drops: 0,
    input: { format: 0, value: 3 },
    output: { format: 0, value: 4 },
    records: records ?? [{ type: 'raw_header', headerProtocol: 1, frameLength: 1514, stripped: 4, header: frame(false, 64, 1000 + seq), packet: null }],
    ...extra,
  };
}

function counters(seq: number, ifIndex: number): CounterSample {
  return { kind: 'counters', expanded: false, sequence: seq, sourceIdType: 0, sourceIdIndex: ifIndex, records: [{ type: 'port_name', name: `eth${ifIndex}` }] };
}

function dg(seq: number, samples: SflowDatagram['samples'], agent = '192.0.2.1', uptime = 10_000 + seq): Uint8Array {
  return encodeDatagram({ agent, subAgentId: 0, sequence: seq, uptime, samples });
}

describe('SflowIngest', () => {
  it('packs flow samples into a batch that agrees with decodeDatagram field by field', () => {
    const { ingest, batches } = collect({ clock: () => 1234 });
    const datagrams = [
      dg(1, [flow(1), flow(2, { expanded: true, sourceIdType: 2, sourceIdIndex: 70000, input: { format: 0, value: 0x3fffffff }, output: { format: 2, value: 5 } })]),
      dg(2, [flow(3, {}, [{ type: 'raw_header', headerProtocol: 1, frameLength: 90, stripped: 4, header: frame(true, 62, 4444), packet: null }, { type: 'extended_switch', srcVlan: 10, srcPriority: 0, dstVlan: 20, dstPriority: 0 }])]),
      dg(3, [flow(4, {}, [{ type: 'sampled_ipv4', length: 60, protocol: 17, srcIp: '198.51.100.1', dstIp: '198.51.100.2', srcPort: 5353, dstPort: 53, tcpFlags: 0, tos: 0 }])]),
    ];
    for (const d of datagrams) ingest.datagram(d);
    ingest.flush();
    expect(batches).toHaveLength(1);
    const b = batches[0]!;
    expect(b).toMatchObject({ type: 'sflow.batch', id: 1, firstMs: 1234, lastMs: 1234, datagrams: 3, malformed: 0 });
    expect(b.agents).toEqual([{ address: '192.0.2.1', subAgentId: 0, datagrams: 3, lostDatagrams: 0, lateDatagrams: 0, duplicateDatagrams: 0, restarts: 0, lastSequence: 3 }]);
    const flows = flowsOf(b);
    const expected = datagrams.flatMap((d) => decodeDatagram(d).samples) as FlowSample[];
    expect(flows).toHaveLength(4);
    flows.forEach((f, i) => {
      const e = expected[i]!;
      expect(f).toMatchObject({ sequence: e.sequence, expanded: e.expanded, sourceIdType: e.sourceIdType, sourceIdIndex: e.sourceIdIndex, samplingRate: e.samplingRate, samplePool: e.samplePool, input: e.input, output: e.output });
    });
    expect(flows[0]!.packet).toMatchObject({ from: 'header', ipVersion: 4, src: '10.0.0.1', dst: '10.0.0.2', ipProto: 6, srcPort: 1001, dstPort: 80, tcpFlags: 2, ttl: 63, srcMac: '02:00:00:00:00:aa', dstMac: '02:00:00:00:00:bb' });
    expect(flows[0]!.header).toMatchObject({ protocol: 1, frameLength: 1514, stripped: 4, length: 64 });
    expect(Buffer.from(flows[0]!.header!.bytes!).equals(Buffer.from(frame(false, 64, 1001)))).toBe(true);
    expect(flows[2]!.packet).toMatchObject({ ipVersion: 6, src: '2001:db8::1', dst: '2001:db8::2', ipProto: 17, srcPort: 4444, dstPort: 53 });
    expect(flows[2]!.switch).toEqual({ srcVlan: 10, dstVlan: 20 });
    expect(flows[3]!.header).toBeNull();
    expect(flows[3]!.packet).toMatchObject({ from: 'sampled-ip', ipVersion: 4, src: '198.51.100.1', dst: '198.51.100.2', ipProto: 17, srcPort: 5353, dstPort: 53, srcMac: null });
    // The packed table, read directly.
    expect(b.flows.fields.length).toBe(4 * FLOW_STRIDE);
    expect(b.flows.fields[2 * FLOW_STRIDE + FlowField.IP_VERSION]).toBe(6);
    expect(b.flows.fields[3 * FLOW_STRIDE + FlowField.HEADER_OFFSET]).toBe(-1);
  });

  it('accounts per source: sample loss, pool and drops deltas, estimates scaled by the sampling rate', () => {
    const { ingest, batches } = collect();
    const pool = (seq: number): number => seq * 100 + 7;
    // Samples 1..10 of one source, datagrams 3 and 6 lost (samples 3 and 6), agent drops 2 then 5.
    for (const seq of [1, 2, 4, 5, 7, 8, 9, 10]) {
      ingest.datagram(dg(seq, [flow(seq, { samplingRate: 100, samplePool: pool(seq), drops: seq < 5 ? 2 : 5 }, [{ type: 'raw_header', headerProtocol: 1, frameLength: 1000, stripped: 4, header: frame(false, 64, 1), packet: null }])]));
    }
    ingest.flush();
    const [agent] = ingest.agents();
    expect(agent).toMatchObject({ datagrams: 8, lostDatagrams: 2 });
    expect(agent!.sources).toEqual([{ sourceIdType: 0, sourceIdIndex: 3, samplingRate: 100, samples: 8, lostSamples: 2, samplePoolPackets: pool(10) - pool(1), drops: 3, estimatedPackets: 800, estimatedBytes: 800_000 }]);
    expect(batches[0]!.sources).toEqual([{ agent: 0, sourceIdType: 0, sourceIdIndex: 3, samplingRate: 100, samples: 8, lostSamples: 2, samplePoolPackets: pool(10) - pool(1), drops: 3, estimatedPackets: 800, estimatedBytes: 800_000 }]);
    expect(ingest.stats).toMatchObject({ lostDatagrams: 2, lostSamples: 2, agentDrops: 3, flowSamples: 8 });
  });

  it('treats uptime going backwards as an agent restart: no loss, sources start over', () => {
    const { ingest } = collect();
    ingest.datagram(dg(500, [flow(900)], '192.0.2.1', 3_600_000));
    ingest.datagram(dg(501, [flow(901)], '192.0.2.1', 3_601_000));
    // Restarted: uptime 2 s, sequences begin again (here at 498: close enough to look like reordering).
    ingest.datagram(dg(498, [flow(5)], '192.0.2.1', 2000));
    ingest.datagram(dg(499, [flow(6)], '192.0.2.1', 2500));
    const [a] = ingest.agents();
    expect(a).toMatchObject({ restarts: 1, lostDatagrams: 0, lateDatagrams: 0, lastSequence: 499 });
    expect(a!.sources[0]).toMatchObject({ samples: 4, lostSamples: 0 });
    expect(ingest.stats.agentRestarts).toBe(1);
  });

  it('tracks agents by address and sub-agent, IPv4 and IPv6, and bounds the table', () => {
    const { ingest } = collect({ maxAgents: 3 });
    const agents = ['192.0.2.1', '192.0.2.2', '2001:db8::1', '2001:db8::2', '192.0.2.3'];
    for (const a of agents) ingest.datagram(dg(1, [flow(1)], a));
    ingest.datagram(encodeDatagram({ agent: '192.0.2.1', subAgentId: 9, sequence: 1, uptime: 1, samples: [] }));
    expect(ingest.agents().map((a) => `${a.address}/${a.subAgentId}`).sort()).toEqual(['192.0.2.1/0', '192.0.2.2/0', '2001:db8::1/0']);
    ingest.flush();
    expect(ingest.stats.untrackedDatagrams).toBe(3);
    expect(ingest.stats.flowSamples).toBe(5);
  });

  it('splits batches at maxBatchSamples, even inside a datagram, and the per-batch deltas add up', () => {
    const { ingest, batches } = collect({ maxBatchSamples: 3 });
    for (let seq = 1; seq <= 4; seq++) ingest.datagram(dg(seq * 2 - (seq === 3 ? 0 : 1), [flow(seq * 3 - 2), flow(seq * 3 - 1), counters(seq, 9), flow(seq * 3)]));
    ingest.flush();
    expect(batches.map((b) => b.flows.count)).toEqual([3, 3, 3, 3]);
    const all = batches.flatMap((b) => flowsOf(b));
    expect(all.map((f) => f.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const f of all) expect(f.header!.bytes!.length).toBe(64);
    expect(all.map((f) => f.packet!.srcPort)).toEqual(all.map((f) => 1000 + f.sequence));
    expect(batches.reduce((n, b) => n + b.datagrams, 0)).toBe(4);
    expect(batches.reduce((n, b) => n + b.agents.reduce((m, a) => m + a.datagrams, 0), 0)).toBe(4);
    expect(batches.reduce((n, b) => n + b.sources.reduce((m, s) => m + s.samples, 0), 0)).toBe(12);
    expect(batches.reduce((n, b) => n + b.counters.length, 0)).toBe(4);
    // Datagram sequences 1 3 6 7: 2, 4 and 5 lost.
    expect(ingest.agents()[0]!.lostDatagrams).toBe(3);
    expect(batches.reduce((n, b) => n + b.agents.reduce((m, a) => m + a.lostDatagrams, 0), 0)).toBe(3);
  });

  it('decodes counter samples on demand from the batch bytes, or at once without raw bytes', () => {
    const d = dg(1, [counters(1, 7), flow(1), counters(2, 8)]);
    const expected = decodeDatagram(d).samples.filter((s) => s.kind === 'counters');
    for (const keepRaw of [true, false]) {
      const { ingest, batches } = collect({ keepRaw });
      ingest.datagram(d);
      ingest.flush();
      const b = batches[0]!;
      expect(b.counters.map((m) => [m.sourceIdIndex, m.sequence])).toEqual([[7, 1], [8, 2]]);
      expect([counterSampleAt(b, 0), counterSampleAt(b, 1)]).toEqual(expected);
      expect(b.counters[0]!.decoded === null).toBe(keepRaw);
      expect(flowAt(b, 0).header!.bytes === null).toBe(!keepRaw);
      expect(b.raw.length > 0).toBe(keepRaw);
    }
  });

  it('reuses the arrays of a released batch, once, and never those of a batch still unreleased', () => {
    const { ingest, batches } = collect({ maxBatchSamples: 4 });
    const fill = (base: number): void => {
      for (let k = 0; k < 4; k++) ingest.datagram(dg(base + k, [flow(base + k)]));
    };
    fill(1);
    fill(5);
    expect(batches).toHaveLength(2);
    const [b1, b2] = batches as [SflowBatch, SflowBatch];
    const before = flowsOf(b2);
    expect(ingest.release(b1)).toBe(true);
    expect(ingest.release(b1)).toBe(false);
    fill(9);
    fill(13);
    // The arrays staged when b1 came back fill b3; the batch after that is filled in b1's memory (b1 is
    // garbage now, as promised); b2's memory is never touched.
    const b4 = batches[3]!;
    expect(b4.flows.fields.buffer).toBe(b1.flows.fields.buffer);
    expect(b4.raw.buffer).toBe(b1.raw.buffer);
    for (const b of batches.slice(2)) expect(b.flows.fields.buffer).not.toBe(b2.flows.fields.buffer);
    expect(flowsOf(b2)).toEqual(before);
    expect(flowsOf(b4).map((f) => f.sequence)).toEqual([13, 14, 15, 16]);
    // A small batch gets copies, not the builder's arrays: nothing to take back.
    const small = collect({ maxBatchSamples: 16 });
    small.ingest.datagram(dg(17, [flow(17)]));
    small.ingest.flush();
    expect(small.ingest.release(small.batches[0]!)).toBe(false);
    expect(ingest.release(small.batches[0]!)).toBe(false);
  });

  it('leaves headers unparsed with summarizeHeaders false (raw bytes still there for the packet stage)', () => {
    const { ingest, batches } = collect({ summarizeHeaders: false });
    ingest.datagram(dg(1, [flow(1)]));
    ingest.flush();
    const f = flowAt(batches[0]!, 0);
    expect(f.packet).toBeNull();
    expect(Buffer.from(f.header!.bytes!).equals(Buffer.from(frame(false, 64, 1001)))).toBe(true);
  });

  it('survives structuredClone and v8 serialization unchanged (a stage can move to another process)', () => {
    const { ingest, batches } = collect();
    ingest.datagram(dg(1, [flow(1), counters(1, 7), flow(2, {}, [{ type: 'raw_header', headerProtocol: 1, frameLength: 90, stripped: 4, header: frame(true, 62, 9), packet: null }])]));
    ingest.flush();
    const b = batches[0]!;
    for (const copy of [structuredClone(b), deserialize(serialize(b)) as SflowBatch]) {
      expect(flowsOf(copy)).toEqual(flowsOf(b));
      expect(counterSampleAt(copy, 0)).toEqual(counterSampleAt(b, 0));
      expect(copy.agents).toEqual(b.agents);
      expect(copy.sources).toEqual(b.sources);
    }
  });

  it('counts junk, truncation and other versions and never throws (property)', () => {
    const good = dg(1, [flow(1), counters(1, 2)]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.nat({ max: good.length - 1 }).map((n) => good.subarray(0, n)),
          fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
            const x = Uint8Array.from(good);
            x[i] = v;
            return x;
          }),
        ),
        (bytes) => {
          const { ingest, batches } = collect();
          ingest.datagram(bytes);
          ingest.datagram(good);
          ingest.flush();
          const st = ingest.stats;
          expect(st.datagrams).toBe(2);
          expect(st.accepted + st.malformed + st.unsupportedVersion).toBe(2);
          expect(batches.reduce((n, b) => n + b.malformed + b.unsupportedVersion, 0)).toBe(st.malformed + st.unsupportedVersion);
          // Every sample the ingest emitted is one decodeDatagram can read from a well-formed datagram.
          for (const b of batches) for (let i = 0; i < b.counters.length; i++) expect(() => counterSampleAt(b, i)).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with decodeDatagram on random well-formed datagrams (property)', () => {
    const arbFlow = fc.record({
      seq: fc.nat(),
      rate: fc.integer({ min: 1, max: 0xffffffff }),
      pool: fc.nat({ max: 0xffffffff }),
      drops: fc.nat({ max: 0xffffffff }),
      input: fc.nat({ max: 0x3fffffff }),
      output: fc.nat({ max: 0x3fffffff }),
      len: fc.integer({ min: 14, max: 200 }),
      v6: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbFlow, { maxLength: 8 }), fc.nat(), (fs, seq) => {
        const d = dg(seq, fs.map((f) => flow(f.seq, { samplingRate: f.rate, samplePool: f.pool, drops: f.drops, input: { format: 0, value: f.input }, output: { format: 0, value: f.output } }, [{ type: 'raw_header', headerProtocol: 1, frameLength: f.len + 4, stripped: 4, header: frame(f.v6, f.len, 7), packet: null }])));
        const { ingest, batches } = collect({ maxBatchSamples: 3 });
        ingest.datagram(d);
        ingest.flush();
        const got = batches.flatMap((b) => flowsOf(b));
        const exp = decodeDatagram(d).samples as FlowSample[];
        expect(got).toHaveLength(exp.length);
        got.forEach((g, i) => {
          const e = exp[i]!;
          expect(g).toMatchObject({ sequence: e.sequence, samplingRate: e.samplingRate, samplePool: e.samplePool, drops: e.drops, input: e.input, output: e.output, datagramSequence: seq });
          const raw = e.records[0];
          expect(raw?.type === 'raw_header' && Buffer.from(raw.header).equals(Buffer.from(g.header!.bytes!))).toBe(true);
        });
      }),
    );
  });
});

describe('SflowIngest on the golden Open vSwitch capture', () => {
  const ovs = JSON.parse(readFileSync(FIX + 'ovs-capture.ovs.json', 'utf8')) as { ports: { v4: number; v6: number }; interfaces: { name: string; ifindex: number }[] };
  const payloads: Uint8Array[] = [];
  for (const pkt of readCapture(new Uint8Array(readFileSync(FIX + 'ovs-capture.pcapng')))) {
    for (const port of [ovs.ports.v4, ovs.ports.v6]) {
      const u = udpPayload(pkt, port);
      if (u instanceof Uint8Array) payloads.push(u);
    }
  }

  it('emits every sample OVS sent, with no loss in OVS sequence numbers', () => {
    const { ingest, batches } = collect();
    for (const p of payloads) ingest.datagram(p);
    ingest.flush();
    const decoded = payloads.map((p) => decodeDatagram(p));
    const flows = decoded.flatMap((d) => d.samples.filter((s) => s.kind === 'flow'));
    const counterSamples = decoded.flatMap((d) => d.samples.filter((s) => s.kind === 'counters'));
    expect(ingest.stats).toMatchObject({ datagrams: payloads.length, accepted: payloads.length, malformed: 0, lostDatagrams: 0, flowSamples: flows.length, counterSamples: counterSamples.length });
    const got = batches.flatMap((b) => flowsOf(b));
    expect(got.map((f) => f.sequence)).toEqual(flows.map((f) => f.sequence));
    expect(new Set(got.map((f) => f.agent))).toEqual(new Set(['127.0.0.1', '::1']));
    const names = new Set(batches.flatMap((b) => b.counters.map((_, i) => counterSampleAt(b, i).records.find((r) => r.type === 'port_name'))).map((r) => (r?.type === 'port_name' ? r.name : '')));
    for (const i of ovs.interfaces) expect(names).toContain(i.name);
  });
});
