/**
 * The sFlow collector over real UDP sockets on loopback, one contract suite run against both receive
 * paths (the native recvmmsg ring and Node's dgram): crafted datagrams (test/support/sflow-encode.ts, an
 * encoder written from the spec independently of the decoder) arrive as batches with the right agent,
 * sampling rate and interfaces; sequence gaps, restarts and late datagrams are accounted; junk is counted
 * and dropped without a throw; IPv6 listeners work; the metrics Registry carries the counters.
 */
import { decodeDatagram } from '../../src/codec/sflow/index.js';
import { Registry } from '../../src/observability/metrics.js';
import { SflowCollector, SflowCollectorError, loadAddon, type SflowTransport } from '../../src/southbound/sflow/index.js';
import { Batches, Sender, crafted, flowSample, udpFrame } from './sflow-collector-support.js';

const transports: ('native' | 'dgram')[] = ['native', 'dgram'];

test('the native receive path is built (npm ci / npm run build build it)', () => {
  const { addon, error } = loadAddon();
  expect(error).toBeNull();
  expect(addon).not.toBeNull();
});

describe.each(transports)('sFlow collector over UDP (%s receive path)', (transport: SflowTransport) => {
  const open: { c: SflowCollector; b: Batches; s: Sender }[] = [];

  async function start(host: string, extra: Partial<ConstructorParameters<typeof SflowCollector>[0]> = {}): Promise<{ c: SflowCollector; b: Batches; s: Sender; metrics: Registry; port: number }> {
    const metrics = new Registry();
    const c = new SflowCollector({ host, port: 0, transport, metrics, receiveBufferBytes: 4 * 1024 * 1024, ...extra });
    const b = new Batches(c);
    const addr = await c.start();
    expect(addr.transport).toBe(transport);
    expect(addr.port).toBeGreaterThan(0);
    const s = await Sender.open(host, addr.port);
    open.push({ c, b, s });
    return { c, b, s, metrics, port: addr.port };
  }

  afterEach(async () => {
    for (const { c, b, s } of open.splice(0)) {
      s.close();
      b.unsubscribe();
      await c.stop();
    }
  });

  it('delivers flow samples with the agent, sampling rate, interfaces and packet fields', async () => {
    const { c, b } = await start('127.0.0.1');
    const s = open[0]!.s;
    const dgrams = [1, 2, 3].map((seq) =>
      crafted({ agent: '192.0.2.10', subAgentId: 3, sequence: seq, samples: [flowSample({ sequence: seq * 2 - 1, samplingRate: 512, input: 11, output: 12 }), flowSample({ sequence: seq * 2, samplingRate: 512, input: 11, output: 12, frame: udpFrame(64, 4000 + seq) })] }),
    );
    await s.send(...dgrams);
    await b.until(() => b.flows().length >= 6, 5000, 'six flow samples');
    const flows = b.flows();
    expect(flows).toHaveLength(6);
    for (const f of flows) {
      expect(f).toMatchObject({ agent: '192.0.2.10', subAgentId: 3, samplingRate: 512, input: { format: 0, value: 11 }, output: { format: 0, value: 12 } });
      expect(f.packet).toMatchObject({ from: 'header', ipVersion: 4, src: '10.1.0.1', dst: '10.1.0.2', ipProto: 17, dstPort: 53, srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02' });
      expect(f.header?.frameLength).toBe(64);
    }
    // Field by field against the object decoder (a different reading of the same bytes).
    const expected = dgrams.flatMap((d) => decodeDatagram(d).samples.map((smp) => ({ d: decodeDatagram(d), smp })));
    flows.forEach((f, i) => {
      const e = expected[i]!;
      if (e.smp.kind !== 'flow') throw new Error('expected a flow sample');
      expect(f.datagramSequence).toBe(e.d.sequence);
      expect(f.sequence).toBe(e.smp.sequence);
      expect(f.samplePool).toBe(e.smp.samplePool);
      const raw = e.smp.records[0];
      expect(raw?.type === 'raw_header' ? Buffer.from(raw.header).toString('hex') : null).toBe(Buffer.from(f.header!.bytes!).toString('hex'));
    });
    expect(flows.map((f) => f.packet?.srcPort)).toEqual([1234, 4001, 1234, 4002, 1234, 4003]);
    const st = c.stats();
    expect(st.ingest).toMatchObject({ datagrams: 3, accepted: 3, malformed: 0, flowSamples: 6, lostDatagrams: 0 });
    expect(st.received).toBe(3);
    if (transport === 'native') expect(st.receiveDrops).toBe(0);
    // The sources' estimated totals: each sample stands for samplingRate packets.
    const sources = b.all.flatMap((x) => x.sources);
    expect(sources.reduce((n, x) => n + x.estimatedPackets, 0)).toBe(6 * 512);
    expect(sources.reduce((n, x) => n + x.estimatedBytes, 0)).toBe(6 * 512 * 64);
  });

  it('counts datagrams lost in sequence gaps, late ones, duplicates and agent restarts', async () => {
    const { c, b, metrics } = await start('127.0.0.1');
    const s = open[0]!.s;
    const d = (seq: number, uptime = 50_000 + seq * 10, agent = '198.51.100.7'): Uint8Array =>
      crafted({ agent, sequence: seq, uptime, samples: [flowSample({ sequence: seq, samplingRate: 64, samplePool: seq * 64, drops: seq === 9 ? 5 : 0 })] });
    // 1 2 3 . . . 7 8 (6 late) 8 again, 9; then a restart: uptime back to 1 s and sequence 1, 2.
    await s.send(d(1), d(2), d(3), d(7), d(8), d(6), d(8), d(9), d(1, 1000), d(2, 1010));
    // A second agent with no loss, interleaved.
    await s.send(d(1, 10, '198.51.100.8'), d(2, 20, '198.51.100.8'));
    await b.until(() => c.stats().ingest.datagrams >= 12, 5000, 'twelve datagrams');
    const agents = c.agents();
    const a7 = agents.find((a) => a.address === '198.51.100.7')!;
    const a8 = agents.find((a) => a.address === '198.51.100.8')!;
    expect(a7).toMatchObject({ datagrams: 10, lostDatagrams: 2, lateDatagrams: 1, duplicateDatagrams: 1, restarts: 1, lastSequence: 2 });
    expect(a8).toMatchObject({ datagrams: 2, lostDatagrams: 0, restarts: 0 });
    // One flow source (ifIndex 7): samples 1 2 3 7 8 6 8 9 | restart 1 2: 3 missing (4 5 6), 6 came late.
    const src = a7.sources[0]!;
    expect(src).toMatchObject({ samplingRate: 64, samples: 10, lostSamples: 2, drops: 5 });
    // Pool deltas: 1→9 is 8 × 64 packets (late and duplicate samples add nothing), then 1→2 after the restart.
    expect(src.samplePoolPackets).toBe(8 * 64 + 64);
    expect(src.estimatedPackets).toBe(10 * 64);
    const st = c.stats().ingest;
    expect(st).toMatchObject({ lostDatagrams: 3, lateDatagrams: 1, duplicateDatagrams: 1, agentRestarts: 1 });
    // The batches carry the same accounting, agent by agent.
    const perBatch = b.all.flatMap((x) => x.agents).filter((a) => a.address === '198.51.100.7');
    expect(perBatch.reduce((n, a) => n + a.lostDatagrams, 0)).toBe(2);
    expect(perBatch.reduce((n, a) => n + a.restarts, 0)).toBe(1);
    expect(metrics.counter('vigil_sflow_lost_datagrams_total', '').total()).toBe(3);
    expect(metrics.counter('vigil_sflow_agent_restarts_total', '').total()).toBe(1);
    expect(metrics.counter('vigil_sflow_late_datagrams_total', '').total()).toBe(1);
    expect(metrics.counter('vigil_sflow_agent_dropped_samples_total', '').total()).toBe(5);
  });

  it('counts and drops malformed datagrams without throwing, and keeps receiving', async () => {
    const { c, b, metrics } = await start('127.0.0.1');
    const s = open[0]!.s;
    const good = crafted({ sequence: 1, samples: [flowSample({ sequence: 1 })] });
    const truncated = good.subarray(0, good.length - 10);
    const badVersion = Uint8Array.from(good);
    badVersion[3] = 4;
    const badAddress = Uint8Array.from(good);
    badAddress[7] = 9;
    // Bytes after the last sample: the datagram is malformed, but its one sample was complete and checked
    // before the walker reached the excess, so it is kept (the walker's documented rule).
    const wellFormed = crafted({ sequence: 2, samples: [flowSample({ sequence: 99 })] });
    const trailing = new Uint8Array(wellFormed.length + 4);
    trailing.set(wellFormed);
    let seed = 42;
    const junk = Array.from({ length: 50 }, (_, i) => {
      const n = 1 + (i * 37) % 300;
      const x = new Uint8Array(n);
      for (let k = 0; k < n; k++) x[k] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      return x;
    });
    await s.send(truncated, badVersion, badAddress, trailing, ...junk, new Uint8Array(0), good);
    const total = 4 + junk.length + 2;
    await b.until(() => c.stats().ingest.datagrams >= total, 5000, `${total} datagrams`);
    const st = c.stats().ingest;
    expect(st.accepted).toBe(1);
    expect(st.unsupportedVersion + st.malformed).toBe(total - 1);
    expect(st.unsupportedVersion).toBeGreaterThanOrEqual(1);
    expect(b.flows().map((f) => f.sequence)).toEqual([99, 1]);
    const dropped = metrics.counter('vigil_sflow_dropped_datagrams_total', '');
    expect(dropped.total()).toBe(total - 1);
    expect(dropped.get({ reason: 'bad-address-type' })).toBeGreaterThanOrEqual(1);
    expect(dropped.get({ reason: 'trailing-bytes' })).toBeGreaterThanOrEqual(1);
    expect(dropped.get({ reason: 'unsupported-version' })).toBe(st.unsupportedVersion);
    expect(b.all.reduce((n, x) => n + x.malformed + x.unsupportedVersion, 0)).toBe(total - 1);
    expect(metrics.expose()).toContain('vigil_sflow_dropped_datagrams_total{reason="truncated"}');
  });

  it('listens on IPv6 (::1) and reads IPv6 agent addresses', async () => {
    const { c, b } = await start('::1');
    const s = open[0]!.s;
    await s.send(crafted({ agent: '2001:db8::7', subAgentId: 1, sequence: 5, samples: [flowSample({ sequence: 1, samplingRate: 256 })] }));
    await b.until(() => b.flows().length >= 1, 5000, 'a flow sample over IPv6');
    expect(b.flows()[0]).toMatchObject({ agent: '2001:db8::7', subAgentId: 1, samplingRate: 256, datagramSequence: 5 });
    expect(c.agents().map((a) => a.address)).toEqual(['2001:db8::7']);
  });

  it('a dual-stack listener on :: receives IPv4 senders too', async () => {
    const { b, port } = await start('::');
    const v4 = await Sender.open('127.0.0.1', port);
    try {
      await v4.send(crafted({ agent: '192.0.2.99', sequence: 1, samples: [flowSample({ sequence: 1 })] }));
      await b.until(() => b.flows().length >= 1, 5000, 'a flow sample from an IPv4 sender');
      expect(b.flows()[0]?.agent).toBe('192.0.2.99');
    } finally {
      v4.close();
    }
  });

  it('reports a port already in use as a typed bind error', async () => {
    const { port } = await start('127.0.0.1');
    const other = new SflowCollector({ host: '127.0.0.1', port, transport });
    const err = await other.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SflowCollectorError);
    expect((err as SflowCollectorError).code).toBe('bind-failed');
    expect((err as Error).message).toContain(String(port));
    await other.stop();
  });

  it('completes the stream on stop and emits what was pending', async () => {
    const { c, b } = await start('127.0.0.1');
    const s = open[0]!.s;
    await s.send(crafted({ sequence: 1, samples: [flowSample({ sequence: 1 })] }));
    await b.until(() => b.flows().length >= 1, 5000, 'a flow sample');
    await c.stop();
    expect(b.completed).toBe(true);
    await c.stop();
  });

  if (transport === 'native') {
    it('counts datagrams longer than maxDatagramBytes as oversize and drops them', async () => {
      const { c, b, metrics } = await start('127.0.0.1', { maxDatagramBytes: 256 });
      const s = open[0]!.s;
      const big = crafted({ sequence: 1, samples: [flowSample({ sequence: 1, frame: udpFrame(128) }), flowSample({ sequence: 2, frame: udpFrame(128) })] });
      expect(big.length).toBeGreaterThan(256);
      await s.send(big, crafted({ sequence: 2, samples: [flowSample({ sequence: 3 })] }));
      await b.until(() => c.stats().ingest.datagrams >= 2, 5000, 'two datagrams');
      expect(c.stats().ingest).toMatchObject({ oversize: 1, accepted: 1 });
      expect(metrics.counter('vigil_sflow_dropped_datagrams_total', '').get({ reason: 'oversize' })).toBe(1);
      expect(b.flows().map((f) => f.sequence)).toEqual([3]);
    });

    it('wraps the ring many times without losing or corrupting a datagram', async () => {
      const { c, b } = await start('127.0.0.1', { ringBytes: 4 * (65535 + 16) + 64 });
      const s = open[0]!.s;
      const n = 3000;
      const sent: Uint8Array[] = [];
      for (let i = 1; i <= n; i++) sent.push(crafted({ sequence: i, samples: Array.from({ length: 1 + (i % 5) }, (_, k) => flowSample({ sequence: i * 10 + k, frame: udpFrame(42 + ((i * 7) % 100)) })) }));
      const bytes = sent.reduce((x, d) => x + d.length, 0);
      expect(bytes).toBeGreaterThan(3 * (4 * (65535 + 16) + 64));
      for (let i = 0; i < n; i += 100) {
        await s.send(...sent.slice(i, i + 100));
        await b.until(() => c.stats().ingest.datagrams >= Math.min(n, i + 100), 5000, `${i + 100} datagrams`);
      }
      expect(c.stats().ingest).toMatchObject({ datagrams: n, accepted: n, malformed: 0, lostDatagrams: 0 });
      const flows = b.flows();
      expect(flows.length).toBe(sent.reduce((x, d) => x + decodeDatagram(d).samples.length, 0));
      expect(flows.map((f) => f.sequence)).toEqual(sent.flatMap((d) => decodeDatagram(d).samples.map((smp) => (smp.kind === 'flow' ? smp.sequence : -1))));
    });
  }
});
