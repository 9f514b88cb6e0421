/**
 * The sFlow decoder against real Open vSwitch sFlow and two oracles nobody here wrote:
 *  - tshark: every field it decodes of every datagram (and of every sample re-framed on its own, because
 *    tshark 4.0 gives up after the first counter record it does not know, and OVS sends three of those)
 *    must equal Vigil's decode: header, sample sequence numbers, source ids, sampling rate, pool, drops,
 *    input/output, record formats and lengths, raw header length/frame length/stripped/bytes, the Ethernet/
 *    IP/TCP/UDP/ICMP fields inside the headers, Ethernet counters.
 *  - OVS itself: the ifindex/ofport/name/datapath id of each port (ovs-vsctl) must be what the counter
 *    samples carry, and the interface counters must equal `ovs-ofctl dump-ports` taken while they are still.
 * A userspace bridge of its own (external_ids:vigil-test=1) joins two network namespaces (vgsf-*) by veth
 * pairs; bounded ping/ping6/UDP/TCP runs between them; sFlow goes to a UDP socket of this test (IPv4, then
 * an IPv6 agent/target) while tshark captures it on lo. Everything it creates is removed in finally.
 *
 * With VIGIL_SFLOW_FIXTURE_DIR=test/fixtures/sflow the capture, tshark's reading and the OVS facts are
 * written there as the golden fixture the unit tests replay.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { udpPayload } from '../../src/cli/sflow.js';
import { readCapture } from '../../src/codec/pcap/index.js';
import { decodeDatagram, SflowWalker, WalkStatus, type CounterSample, type SflowDatagram } from '../../src/codec/sflow/index.js';
import { ovsRunning, removeTestNetwork, vsctl } from '../support/ovs.js';
import { Comparison, reframeSamples, storeTshark, tsharkAvailable, tsharkSflow } from '../support/tshark-sflow.js';
import { udpPcap } from '../support/sflow-encode.js';

const ID = (process.pid % 46656).toString(36).padStart(3, '0');
const BR = `vgsf${ID}`;
const NS = { a: `vgsf-a${ID}`, b: `vgsf-b${ID}` };
const VETH = { a: `vgsf${ID}a`, b: `vgsf${ID}b` };
const IP4 = { a: '10.213.0.1', b: '10.213.0.2' };
const IP6 = { a: 'fd00:213::1', b: 'fd00:213::2' };

/** Every command is bounded: a stuck one fails the test instead of blocking it. */
const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
const ip = (...args: string[]): string => run('ip', args);
const inNs = (ns: string, cmd: string, args: string[]): string => run('ip', ['netns', 'exec', ns, cmd, ...args]);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface PortStats {
  rxPackets: number;
  rxBytes: number;
  rxDropped: number;
  rxErrors: number;
  txPackets: number;
  txBytes: number;
  txDropped: number;
  txErrors: number;
}

/** `ovs-ofctl dump-ports BR PORT`: what OVS counts for the port right now. */
function dumpPort(ofport: number): PortStats {
  const out = run('ovs-ofctl', ['dump-ports', BR, String(ofport)]);
  const rx = /rx pkts=(\d+), bytes=(\d+), drop=(\d+), errs=(\d+)/.exec(out);
  const tx = /tx pkts=(\d+), bytes=(\d+), drop=(\d+), errs=(\d+)/.exec(out);
  if (!rx || !tx) throw new Error(`unexpected dump-ports output: ${out}`);
  return {
    rxPackets: Number(rx[1]), rxBytes: Number(rx[2]), rxDropped: Number(rx[3]), rxErrors: Number(rx[4]),
    txPackets: Number(tx[1]), txBytes: Number(tx[2]), txDropped: Number(tx[3]), txErrors: Number(tx[4]),
  };
}

class Receiver {
  readonly messages: Uint8Array[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly socket: Socket) {
    socket.on('message', (m) => {
      this.messages.push(new Uint8Array(m));
      for (const w of this.waiters.splice(0)) w();
    });
  }
  /** Waits (at most `ms`) until `pred` holds for the messages received so far. */
  async until(pred: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
}

async function bind(type: 'udp4' | 'udp6', host: string): Promise<Receiver> {
  const s = createSocket(type);
  await new Promise<void>((r) => s.bind(0, host, () => r()));
  return new Receiver(s);
}

/** Counter samples in `msgs` (from index `from`) for the interface with `ifIndex`. */
function counterSamples(msgs: Uint8Array[], from: number, ifIndex: number): CounterSample[] {
  const out: CounterSample[] = [];
  for (const m of msgs.slice(from)) {
    for (const s of decodeDatagram(m).samples) if (s.kind === 'counters' && s.sourceIdType === 0 && s.sourceIdIndex === ifIndex) out.push(s);
  }
  return out;
}

function cleanup(): void {
  removeTestNetwork({ bridge: BR, namespaces: Object.values(NS), links: Object.values(VETH) });
}

describe('sFlow from Open vSwitch, decoded by Vigil, checked against tshark and OVS', () => {
  let dir: string;
  let tshark: ChildProcess | undefined;
  let rx4: Receiver | undefined;
  let rx6: Receiver | undefined;

  beforeAll(() => {
    if (!ovsRunning()) throw new Error('Open vSwitch is not running: start it with lab/ovs start (lab/test does)');
    if (!tsharkAvailable()) throw new Error('tshark is not installed (lab/install installs it)');
    dir = mkdtempSync(join(tmpdir(), 'vigil-sflow-'));
    cleanup();
  });

  afterAll(() => {
    if (tshark && tshark.exitCode === null) tshark.kill('SIGKILL');
    tshark?.stderr?.destroy();
    rx4?.socket.close();
    rx6?.socket.close();
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decodes every datagram exactly as tshark and OVS read them', async () => {
    // Bridge (standalone: NORMAL forwarding) with one veth into each namespace.
    vsctl('add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev', 'external_ids:vigil-test=1');
    for (const side of ['a', 'b'] as const) {
      ip('netns', 'add', NS[side]);
      ip('link', 'add', VETH[side], 'type', 'veth', 'peer', 'name', `${VETH[side]}p`);
      ip('link', 'set', `${VETH[side]}p`, 'netns', NS[side]);
      run('sysctl', ['-qw', `net.ipv6.conf.${VETH[side]}.disable_ipv6=1`]);
      // The userspace datapath does not complete offloaded checksums: without this TCP/UDP from the
      // namespace would arrive with bad checksums and be dropped.
      inNs(NS[side], 'ethtool', ['-K', `${VETH[side]}p`, 'tx', 'off']);
      ip('link', 'set', VETH[side], 'up');
      vsctl('add-port', BR, VETH[side]);
      inNs(NS[side], 'ip', ['addr', 'add', `${IP4[side]}/24`, 'dev', `${VETH[side]}p`]);
      inNs(NS[side], 'ip', ['-6', 'addr', 'add', `${IP6[side]}/64`, 'dev', `${VETH[side]}p`, 'nodad']);
      inNs(NS[side], 'ip', ['link', 'set', `${VETH[side]}p`, 'up']);
      inNs(NS[side], 'ip', ['link', 'set', 'lo', 'up']);
    }
    const ports = Object.fromEntries(
      (['a', 'b'] as const).map((side) => [
        side,
        { name: VETH[side], ifindex: Number(vsctl('get', 'interface', VETH[side], 'ifindex').trim()), ofport: Number(vsctl('get', 'interface', VETH[side], 'ofport').trim()) },
      ]),
    ) as Record<'a' | 'b', { name: string; ifindex: number; ofport: number }>;
    const dpid = BigInt('0x' + vsctl('get', 'bridge', BR, 'datapath_id').trim().replace(/"/g, ''));

    rx4 = await bind('udp4', '127.0.0.1');
    rx6 = await bind('udp6', '::1');
    const p4 = rx4.socket.address().port;
    const p6 = rx6.socket.address().port;

    // tshark on lo, bounded by duration and packet count; stopped with SIGINT when done.
    const pcap = join(dir, 'ovs.pcapng');
    tshark = spawn('tshark', ['-i', 'lo', '-f', `udp port ${p4} or udp port ${p6}`, '-w', pcap, '-a', 'duration:60', '-a', 'packets:2000', '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<void>((r) => tshark!.once('exit', () => r()));
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const t = setTimeout(() => reject(new Error(`tshark did not start capturing: ${err}`)), 20_000);
      tshark!.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('Capturing on')) {
          clearTimeout(t);
          resolve();
        }
      });
    });

    vsctl('--', '--id=@s', 'create', 'sflow', 'agent=lo', `target="127.0.0.1:${p4}"`, 'header=128', 'sampling=4', 'polling=1', '--', 'set', 'bridge', BR, 'sflow=@s');
    await rx4.until(() => rx4!.messages.length > 0, 10_000, 'the first sFlow datagram');

    // Bounded traffic between the namespaces: ICMP, ICMPv6, UDP (answered by port unreachables), TCP (SYN/RST).
    inNs(NS.a, 'ping', ['-c', '20', '-i', '0.05', '-W', '1', IP4.b]);
    inNs(NS.b, 'ping', ['-6', '-c', '10', '-i', '0.05', '-W', '1', IP6.a]);
    inNs(NS.a, 'bash', ['-c', `for i in $(seq 1 30); do echo x > /dev/udp/${IP4.b}/$((5000 + i)); sleep 0.01; done`]);
    inNs(NS.a, 'bash', ['-c', `for i in $(seq 1 10); do timeout 1 bash -c "echo > /dev/tcp/${IP4.b}/$((8000 + i))" 2>/dev/null; sleep 0.01; done; true`]);

    // Interface counters vs OVS: a counter sample polled after snapshot S1, with S1 equal to a later S2
    // (the port was still in between), must carry S1's numbers.
    const counterChecks: { port: string; datagram: Uint8Array; sample: number; stats: PortStats }[] = [];
    for (const side of ['a', 'b'] as const) {
      const port = ports[side];
      let done = false;
      for (let attempt = 0; attempt < 8 && !done; attempt++) {
        // Let datagrams that queued while synchronous commands blocked the event loop arrive first, so
        // the samples counted below are the ones sent after S1.
        await sleep(200);
        const s1 = dumpPort(port.ofport);
        const from = rx4.messages.length;
        // The second sample after S1 was polled after S1 (polling=1: one per second).
        await rx4.until(() => counterSamples(rx4!.messages, from, port.ifindex).length >= 2, 10_000, `counter samples for ${port.name}`);
        const s2 = dumpPort(port.ofport);
        if (JSON.stringify(s1) !== JSON.stringify(s2)) continue;
        let seen = 0;
        let found: { datagram: Uint8Array; sample: number } | undefined;
        for (const m of rx4.messages.slice(from)) {
          decodeDatagram(m).samples.forEach((smp, i) => {
            if (smp.kind === 'counters' && smp.sourceIdType === 0 && smp.sourceIdIndex === port.ifindex && ++seen === 2) found = { datagram: m, sample: i };
          });
          if (found) break;
        }
        counterChecks.push({ port: port.name, datagram: found!.datagram, sample: found!.sample, stats: s1 });
        done = true;
      }
      expect(done).toBe(true);
    }

    // An IPv6 agent and target for a couple of seconds.
    vsctl('--', '--id=@s', 'create', 'sflow', 'agent="::1"', `target="[::1]:${p6}"`, 'header=128', 'sampling=4', 'polling=1', '--', 'set', 'bridge', BR, 'sflow=@s');
    await rx6.until(() => rx6!.messages.length >= 2, 15_000, 'sFlow datagrams over IPv6');
    vsctl('clear', 'bridge', BR, 'sflow');
    await sleep(500);
    tshark.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 15_000)))]);
    clearTimeout(timer);
    expect(tshark.exitCode).not.toBeNull();

    // The capture holds exactly the datagrams the socket received, in order.
    const captured: { port: number; payload: Uint8Array }[] = [];
    for (const pkt of readCapture(new Uint8Array(readFileSync(pcap)))) {
      for (const port of [p4, p6]) {
        const u = udpPayload(pkt, port);
        if (u instanceof Uint8Array) captured.push({ port, payload: u });
      }
    }
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    expect(captured.filter((c) => c.port === p4).map((c) => hex(c.payload))).toEqual(rx4.messages.map(hex));
    expect(captured.filter((c) => c.port === p6).map((c) => hex(c.payload))).toEqual(rx6.messages.map(hex));

    // Vigil's decode vs tshark's, datagram by datagram, and sample by sample re-framed.
    const payloads = captured.map((c) => c.payload);
    const decoded: SflowDatagram[] = payloads.map((p) => decodeDatagram(p));
    const reading = tsharkSflow(pcap, [p4, p6]);
    expect(reading).toHaveLength(payloads.length);
    const cmp = new Comparison();
    decoded.forEach((d, i) => cmp.datagram(`datagram[${i}]`, reading[i]!, d));
    const inOriginals = cmp.samplesCompared;
    const headersInOriginals = cmp.headersCompared;
    const reframed = payloads.flatMap((p) => reframeSamples(p));
    const refPcap = join(dir, 'reframed.pcap');
    writeFileSync(refPcap, udpPcap(reframed));
    const refReading = tsharkSflow(refPcap);
    expect(refReading).toHaveLength(reframed.length);
    reframed.forEach((p, i) => cmp.sample(`reframed[${i}]`, refReading[i]!.samples[0]!, decodeDatagram(p).samples[0]!, refReading[i]!.malformed));
    expect(cmp.mismatches).toEqual([]);

    const samples = decoded.flatMap((d) => d.samples);
    const flows = samples.filter((s) => s.kind === 'flow');
    const counters = samples.filter((s) => s.kind === 'counters');
    expect(flows.length).toBeGreaterThanOrEqual(10);
    expect(counters.length).toBeGreaterThanOrEqual(6);
    // tshark read at least the first sample of every datagram, and every sample re-framed.
    expect(inOriginals).toBeGreaterThanOrEqual(decoded.length);
    expect(cmp.samplesCompared - inOriginals).toBe(reframed.length);
    expect(reframed.length).toBe(samples.length);
    // Every raw header's protocol fields were compared (in the re-framed samples; most also in the originals).
    const headers = flows.flatMap((f) => f.records.filter((r) => r.type === 'raw_header'));
    expect(cmp.headersCompared - headersInOriginals).toBe(headers.length);
    expect(headersInOriginals).toBeGreaterThan(0);
    const protocols = new Set(headers.flatMap((h) => (h.type === 'raw_header' && h.packet ? h.packet.layers.map((l) => l.type) : [])));
    for (const p of ['ethernet', 'ipv4', 'icmp', 'ipv6', 'icmpv6', 'udp']) expect(protocols).toContain(p);
    expect(decoded.some((d) => d.agent === '127.0.0.1')).toBe(true);
    expect(decoded.filter((d) => d.agent === '::1').length).toBeGreaterThanOrEqual(2);

    // OVS's own facts: flow samples name the two ports; counter samples carry each port's name, OpenFlow
    // port number, the bridge's datapath id, and (while still) exactly OVS's counters.
    const ifindexes = new Set([ports.a.ifindex, ports.b.ifindex]);
    for (const f of flows) {
      if (f.kind !== 'flow') continue;
      expect(f.samplingRate).toBe(4);
      expect(ifindexes.has(f.input.value) || ifindexes.has(f.output.value)).toBe(true);
    }
    for (const side of ['a', 'b'] as const) {
      const mine = counters.filter((c) => c.kind === 'counters' && c.sourceIdIndex === ports[side].ifindex) as CounterSample[];
      expect(mine.length).toBeGreaterThan(0);
      for (const c of mine) {
        expect(c.records.find((r) => r.type === 'port_name')).toEqual({ type: 'port_name', name: ports[side].name });
        expect(c.records.find((r) => r.type === 'openflow_port')).toEqual({ type: 'openflow_port', datapathId: dpid, portNo: ports[side].ofport });
        expect(c.records.find((r) => r.type === 'generic_interface')).toMatchObject({ ifIndex: ports[side].ifindex });
      }
    }
    for (const check of counterChecks) {
      const s = decodeDatagram(check.datagram).samples[check.sample] as CounterSample;
      const g = s.records.find((r) => r.type === 'generic_interface');
      expect(g).toMatchObject({
        ifInUcastPkts: check.stats.rxPackets,
        ifInOctets: BigInt(check.stats.rxBytes),
        ifInDiscards: check.stats.rxDropped,
        ifInErrors: check.stats.rxErrors,
        ifOutUcastPkts: check.stats.txPackets,
        ifOutOctets: BigInt(check.stats.txBytes),
        ifOutDiscards: check.stats.txDropped,
        ifOutErrors: check.stats.txErrors,
      });
      expect(check.stats.rxPackets).toBeGreaterThan(20);
    }

    // The walker reads every datagram without error and visits every sample decodeDatagram found.
    const walker = new SflowWalker();
    let visited = 0;
    for (const p of payloads) expect(walker.walk(p, { onFlowSample: () => visited++, onCounterSample: () => visited++ })).toBe(WalkStatus.OK);
    expect(visited).toBe(samples.filter((s) => s.kind !== 'unknown').length);

    const out = process.env.VIGIL_SFLOW_FIXTURE_DIR;
    if (out) {
      writeFileSync(join(out, 'ovs-capture.pcapng'), readFileSync(pcap));
      writeFileSync(join(out, 'ovs-capture.tshark.json'), JSON.stringify({ datagrams: storeTshark(reading, { records: false }), reframed: storeTshark(refReading) }) + '\n');
      const payloadIndex = (b: Uint8Array): number => payloads.findIndex((p) => hex(p) === hex(b));
      writeFileSync(
        join(out, 'ovs-capture.ovs.json'),
        JSON.stringify(
          {
            ports: { v4: p4, v6: p6 },
            bridge: { datapathId: dpid.toString(16).padStart(16, '0') },
            interfaces: [ports.a, ports.b],
            counterChecks: counterChecks.map((c) => ({ port: c.port, datagram: payloadIndex(c.datagram), sample: c.sample, dumpPorts: c.stats })),
          },
          null,
          1,
        ) + '\n',
      );
    }
  });
});
