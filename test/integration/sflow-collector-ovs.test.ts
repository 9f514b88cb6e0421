/**
 * Vigil's sFlow collector fed by real Open vSwitch: a userspace bridge of this test (external_ids:
 * vigil-test=1) joins two network namespaces (vgsc-*) by veth pairs, bounded ping/UDP traffic flows, and
 * OVS exports sFlow to the collector on an ephemeral port, first over IPv4, then to an IPv6 listener.
 * OVS itself is the oracle: the samples must name the agent and sampling rate it was configured with, the
 * ifindexes `ovs-vsctl` reports for the ports, the MAC/IP addresses `ip` reports in the namespaces, and
 * counter samples must carry the port names. Meanwhile crafted datagrams with a sequence gap and junk go
 * to the same socket: the gap is counted as lost for that agent only, the junk is counted and dropped, and
 * the OVS stream is unaffected (no loss, nothing malformed). Everything created is removed in finally.
 */
import { execFileSync } from 'node:child_process';
import { Registry } from '../../src/observability/metrics.js';
import { SflowCollector, counterSampleAt, type SflowBatch } from '../../src/southbound/sflow/index.js';
import { ovsRunning, removeTestNetwork, vsctl } from '../support/ovs.js';
import { Batches, Sender, crafted, flowSample } from './sflow-collector-support.js';

const ID = (process.pid % 46656).toString(36).padStart(3, '0');
const BR = `vgsc${ID}`;
const NS = { a: `vgsc-a${ID}`, b: `vgsc-b${ID}` };
const VETH = { a: `vgsc${ID}a`, b: `vgsc${ID}b` };
const IP4 = { a: '10.214.0.1', b: '10.214.0.2' };
const IP6 = { a: 'fd00:214::1', b: 'fd00:214::2' };

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
const ip = (...args: string[]): string => run('ip', args);
const inNs = (ns: string, cmd: string, args: string[]): string => run('ip', ['netns', 'exec', ns, cmd, ...args]);

function cleanup(): void {
  removeTestNetwork({ bridge: BR, namespaces: Object.values(NS), links: Object.values(VETH) });
}

function macIn(ns: string, dev: string): string {
  const m = /link\/ether ([0-9a-f:]{17})/.exec(inNs(ns, 'ip', ['link', 'show', dev]));
  if (!m) throw new Error(`no MAC for ${dev} in ${ns}`);
  return m[1]!;
}

describe('sFlow collector fed by Open vSwitch', () => {
  let c4: SflowCollector | undefined;
  let c6: SflowCollector | undefined;
  let sender: Sender | undefined;

  beforeAll(() => {
    if (!ovsRunning()) throw new Error('Open vSwitch is not running: start it with lab/ovs start (lab/test does)');
    cleanup();
  });

  afterAll(async () => {
    try {
      if (vsctl('list-br').split('\n').includes(BR)) vsctl('clear', 'bridge', BR, 'sflow');
    } catch {
      /* gone */
    }
    sender?.close();
    await c4?.stop();
    await c6?.stop();
    cleanup();
  });

  it('receives OVS samples with the agent, sampling rate, ports and addresses OVS reports; accounts loss and junk', async () => {
    vsctl('add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev', 'external_ids:vigil-test=1');
    for (const side of ['a', 'b'] as const) {
      ip('netns', 'add', NS[side]);
      ip('link', 'add', VETH[side], 'type', 'veth', 'peer', 'name', `${VETH[side]}p`);
      ip('link', 'set', `${VETH[side]}p`, 'netns', NS[side]);
      run('sysctl', ['-qw', `net.ipv6.conf.${VETH[side]}.disable_ipv6=1`]);
      inNs(NS[side], 'ethtool', ['-K', `${VETH[side]}p`, 'tx', 'off']);
      ip('link', 'set', VETH[side], 'up');
      vsctl('add-port', BR, VETH[side]);
      inNs(NS[side], 'ip', ['addr', 'add', `${IP4[side]}/24`, 'dev', `${VETH[side]}p`]);
      inNs(NS[side], 'ip', ['-6', 'addr', 'add', `${IP6[side]}/64`, 'dev', `${VETH[side]}p`, 'nodad']);
      inNs(NS[side], 'ip', ['link', 'set', `${VETH[side]}p`, 'up']);
      inNs(NS[side], 'ip', ['link', 'set', 'lo', 'up']);
    }
    const ifindex = { a: Number(vsctl('get', 'interface', VETH.a, 'ifindex').trim()), b: Number(vsctl('get', 'interface', VETH.b, 'ifindex').trim()) };
    const mac = { a: macIn(NS.a, `${VETH.a}p`), b: macIn(NS.b, `${VETH.b}p`) };

    const metrics = new Registry();
    c4 = new SflowCollector({ host: '127.0.0.1', port: 0, transport: 'native', metrics });
    const b4 = new Batches(c4);
    const a4 = await c4.start();
    vsctl('--', '--id=@s', 'create', 'sflow', 'agent=lo', `target="127.0.0.1:${a4.port}"`, 'header=128', 'sampling=4', 'polling=1', '--', 'set', 'bridge', BR, 'sflow=@s');

    // Bounded traffic: ICMP both ways and UDP datagrams (answered by port unreachables).
    inNs(NS.a, 'ping', ['-c', '60', '-i', '0.02', '-W', '1', IP4.b]);
    inNs(NS.a, 'bash', ['-c', `for i in $(seq 1 40); do echo x > /dev/udp/${IP4.b}/$((6000 + i)); sleep 0.005; done`]);

    // Crafted datagrams from another agent with a gap (1 2 5: two lost), and junk, to the same socket.
    sender = await Sender.open('127.0.0.1', a4.port);
    await sender.send(...[1, 2, 5].map((seq) => crafted({ agent: '192.0.2.77', sequence: seq, samples: [flowSample({ sequence: seq })] })));
    await sender.send(new Uint8Array([0, 0, 0, 5, 0, 0, 0, 1]), new Uint8Array(100).fill(0xff), new Uint8Array([1, 2, 3]));

    const ovsFlows = (): ReturnType<Batches['flows']> => b4.flows().filter((f) => f.agent === '127.0.0.1');
    const counterIfindexes = (): Set<number> => new Set(b4.all.flatMap((b: SflowBatch) => b.counters.filter((m) => b.agents[m.agent]?.address === '127.0.0.1').map((m) => m.sourceIdIndex)));
    const udpSampled = (): boolean => ovsFlows().some((f) => f.packet?.ipProto === 17 && f.packet.dstPort > 6000 && f.packet.dstPort <= 6040);
    await b4.until(() => ovsFlows().length >= 20 && udpSampled() && counterIfindexes().has(ifindex.a) && counterIfindexes().has(ifindex.b) && c4!.stats().ingest.datagrams >= 6, 20_000, 'OVS flow samples (ICMP and UDP) and counter samples');

    const flows = ovsFlows();
    const ports = new Set([ifindex.a, ifindex.b]);
    for (const f of flows) {
      expect(f.samplingRate).toBe(4);
      expect(f.subAgentId).toBe(0);
      expect(ports.has(f.input.value) || ports.has(f.output.value)).toBe(true);
      expect(f.header?.protocol).toBe(1);
      expect(f.header!.bytes!.length).toBe(f.header!.length);
    }
    // The packets OVS sampled: ICMP echo/reply and UDP between the namespaces, with the namespaces' MACs.
    const icmp = flows.filter((f) => f.packet?.ipProto === 1 && f.packet.ipVersion === 4);
    expect(icmp.length).toBeGreaterThan(5);
    for (const f of icmp) {
      const fromA = f.packet!.src === IP4.a;
      expect([IP4.a, IP4.b]).toContain(f.packet!.src);
      expect(f.packet!.dst).toBe(fromA ? IP4.b : IP4.a);
      expect(f.packet!.srcMac).toBe(fromA ? mac.a : mac.b);
      expect(f.packet!.dstMac).toBe(fromA ? mac.b : mac.a);
      // The packet entered on the sender's port.
      expect(f.input.value).toBe(fromA ? ifindex.a : ifindex.b);
    }
    // UDP to ports 6001..6040 (the until() above waited for one), each from A to B.
    for (const f of flows.filter((x) => x.packet?.ipProto === 17 && x.packet.dstPort > 6000 && x.packet.dstPort <= 6040)) {
      expect(f.packet).toMatchObject({ src: IP4.a, dst: IP4.b, srcMac: mac.a, dstMac: mac.b });
    }

    // Counter samples name the ports as OVS does.
    const names = new Map<number, string>();
    for (const b of b4.all) {
      b.counters.forEach((m, i) => {
        if (b.agents[m.agent]?.address !== '127.0.0.1') return;
        const rec = counterSampleAt(b, i).records.find((r) => r.type === 'port_name');
        if (rec?.type === 'port_name') names.set(m.sourceIdIndex, rec.name);
      });
    }
    expect(names.get(ifindex.a)).toBe(VETH.a);
    expect(names.get(ifindex.b)).toBe(VETH.b);

    // Accounting: OVS's stream lost nothing; the crafted agent lost two; the junk was counted, not thrown.
    const agents = c4.agents();
    const ovs = agents.find((a) => a.address === '127.0.0.1')!;
    const craftedAgent = agents.find((a) => a.address === '192.0.2.77')!;
    expect(ovs).toMatchObject({ lostDatagrams: 0, restarts: 0 });
    expect(ovs.datagrams).toBeGreaterThanOrEqual(6);
    expect(craftedAgent).toMatchObject({ datagrams: 3, lostDatagrams: 2 });
    const st = c4.stats();
    expect(st.ingest.malformed + st.ingest.unsupportedVersion).toBe(3);
    expect(st.ingest.lostDatagrams).toBe(2);
    expect(st.receiveDrops).toBe(0);
    expect(metrics.counter('vigil_sflow_dropped_datagrams_total', '').total()).toBe(3);
    // OVS's source: sample pool and the estimate from the sampling rate.
    const src = ovs.sources.find((s) => s.samples >= 20)!;
    expect(src.samplingRate).toBe(4);
    expect(src.estimatedPackets).toBe(src.samples * 4);
    expect(src.samplePoolPackets).toBeGreaterThanOrEqual(src.samples - 1);
    expect(src.lostSamples).toBe(0);

    // IPv6: an IPv6 agent address and target, to a collector listening on ::1.
    c6 = new SflowCollector({ host: '::1', port: 0, transport: 'native' });
    const b6 = new Batches(c6);
    const a6 = await c6.start();
    vsctl('--', '--id=@s', 'create', 'sflow', 'agent="::1"', `target="[::1]:${a6.port}"`, 'header=128', 'sampling=4', 'polling=1', '--', 'set', 'bridge', BR, 'sflow=@s');
    inNs(NS.a, 'ping', ['-c', '30', '-i', '0.02', '-W', '1', IP4.b]);
    await b6.until(() => b6.flows().length >= 5, 20_000, 'OVS flow samples over IPv6');
    for (const f of b6.flows()) {
      expect(f.agent).toBe('::1');
      expect(f.samplingRate).toBe(4);
    }
    expect(c6.stats().ingest).toMatchObject({ malformed: 0, lostDatagrams: 0 });
    vsctl('clear', 'bridge', BR, 'sflow');
    b4.unsubscribe();
    b6.unsubscribe();
  });
});
