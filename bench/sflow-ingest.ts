/**
 * Live sFlow ingest benchmark (figures printed, never asserted).
 *
 * A sender process (native sendmmsg, bounded in count and time, 127.0.0.1 only) offers a realistic Open
 * vSwitch datagram mix at fixed rates: 64 agents/sub-agents, each sending full datagrams (<= 1400 bytes,
 * OVS's datagram size) of compact flow samples (raw_header of the first 128 bytes of frames from a DC-edge
 * protocol mix + extended_switch, source = the bridge, as OVS sends them) and, one datagram in 16, interface
 * counter samples (generic, ethernet, openflow_port, port_name); sequence numbers, sample sequence numbers
 * and sample pools advance per send as an agent's would.
 *
 * Each load is offered to Vigil's collector (this process: native recvmmsg ring -> walker -> batches on the
 * RxJS stream, a subscriber counting samples) and then to FastNetMon 1.2.4 (Debian package; its own config
 * in a temp dir, its own loopback port, started and stopped by pid), on the same two cores.
 * Printed per run: datagrams offered, received, processed (%), samples/s processed, the socket's own drop
 * count (/proc/net/udp) and the RcvbufErrors delta (/proc/net/snmp), CPU, and RSS over the run.
 *
 *   npm run bench:sflow-ingest -- [--seconds 60] [--loads 150000,200000,407000] [--collectors vigil,fastnetmon,dgram]
 *                                  [--no-summarize] [--offline]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCapture } from '../src/codec/pcap/index.js';
import { Registry } from '../src/observability/metrics.js';
import { SflowCollector, SflowIngest, loadAddon, type FloodResult } from '../src/southbound/sflow/index.js';

const SELF = fileURLToPath(import.meta.url);
const FIX = new URL('../../test/fixtures/packet/', import.meta.url).pathname;
const DATAGRAM_MAX = 1400;
const AGENTS = 8;
const SUB_AGENTS = 8;
const COUNTER_EVERY = 16;
const SAMPLING_RATE = 1000;
/** --no-summarize: leave raw headers unparsed (the packet stage parses them), to show what parsing costs. */
const SUMMARIZE = !process.argv.includes('--no-summarize');

// ───────────────────────────── the datagram mix ─────────────────────────────

/** Frame index in protocols.pcap and weight (as bench/packet.ts: a virtualised DC edge). */
const MIX: Array<[number, number]> = [
  [0, 10], [1, 8], [2, 20], [3, 10], [4, 2],
  [5, 6], [6, 8],
  [22, 6], [23, 2], [30, 1],
  [14, 4], [15, 3],
  [38, 8], [39, 3], [36, 2],
  [7, 3], [12, 2], [19, 1], [20, 1],
];

class Xdr {
  readonly buf = new Uint8Array(65536);
  private readonly view = new DataView(this.buf.buffer);
  o = 0;
  u32(v: number): this {
    this.view.setUint32(this.o, v >>> 0);
    this.o += 4;
    return this;
  }
  u64(v: number): this {
    this.view.setBigUint64(this.o, BigInt(v));
    this.o += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.buf.set(b, this.o);
    this.o += (b.length + 3) & ~3;
    return this;
  }
  patchLength(at: number): void {
    this.view.setUint32(at, this.o - at - 4);
  }
}

export interface Mix {
  templates: Uint8Array[];
  patches: Uint32Array[];
  samples: number[];
  flowDatagrams: number;
  counterDatagrams: number;
}

function frames(): Uint8Array[] {
  const all = [...readCapture(new Uint8Array(readFileSync(FIX + 'protocols.pcap')))].map((p) => p.data.slice());
  const picks: Uint8Array[] = [];
  for (const [i, w] of MIX) for (let k = 0; k < w; k++) picks.push(all[i]!);
  let seed = 12345;
  for (let i = picks.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [picks[i], picks[j]] = [picks[j]!, picks[i]!];
  }
  return picks;
}

/** 64 templates (8 agents × 8 sub-agents), each with its patch list. Deterministic. */
export function buildMix(): Mix {
  const picks = frames();
  let next = 0;
  const templates: Uint8Array[] = [];
  const patches: Uint32Array[] = [];
  const samples: number[] = [];
  let flowDatagrams = 0;
  let counterDatagrams = 0;
  for (let a = 0; a < AGENTS; a++) {
    for (let s = 0; s < SUB_AGENTS; s++) {
      const t = templates.length;
      const w = new Xdr();
      const patch: number[] = [];
      w.u32(5).u32(1).u32(((10 << 24) | (0 << 16) | (255 << 8) | (a + 1)) >>> 0).u32(s);
      patch.push(w.o, 1);
      w.u32(1).u32(3_600_000 + t).u32(0);
      const countAt = w.o - 4;
      let n = 0;
      if (t % COUNTER_EVERY === COUNTER_EVERY - 1) {
        counterDatagrams++;
        for (let port = 1; w.o + 220 <= DATAGRAM_MAX; port++) {
          const ifIndex = 1000 + s * 16 + port;
          w.u32(2);
          const len = w.o;
          w.u32(0);
          patch.push(w.o, 1);
          w.u32(1).u32(ifIndex).u32(4);
          w.u32(1).u32(88).u32(ifIndex).u32(6).u64(10_000_000_000).u32(1).u32(3).u64(123456789).u32(1000).u32(10).u32(5).u32(0).u32(0).u32(0).u64(987654321).u32(2000).u32(20).u32(10).u32(0).u32(0).u32(0);
          w.u32(2).u32(52);
          for (let k = 0; k < 13; k++) w.u32(0);
          w.u32(1004).u32(12).u64(0x9aa8ee7e674b).u32(port);
          const name = new TextEncoder().encode(`vm${s}p${port}`);
          w.u32(1005).u32(4 + ((name.length + 3) & ~3)).u32(name.length).bytes(name);
          w.patchLength(len);
          n++;
        }
      } else {
        flowDatagrams++;
        const seqs: number[] = [];
        for (;;) {
          const f = picks[next % picks.length]!;
          const h = f.subarray(0, 128);
          const size = 8 + 32 + 8 + 16 + ((h.length + 3) & ~3) + 8 + 16;
          if (w.o + size > DATAGRAM_MAX) break;
          next++;
          w.u32(1);
          const len = w.o;
          w.u32(0);
          seqs.push(w.o);
          w.u32(1 + n).u32(((2 << 24) | 1000) >>> 0).u32(SAMPLING_RATE);
          seqs.push(w.o);
          w.u32(SAMPLING_RATE * (1 + n)).u32(0).u32(1000 + s * 16 + (n % 4)).u32(1000 + s * 16 + ((n + 1) % 4)).u32(2);
          w.u32(1).u32(16 + ((h.length + 3) & ~3)).u32(1).u32(f.length + 4).u32(4).u32(h.length).bytes(h);
          w.u32(1001).u32(16).u32(100 + s).u32(0).u32(100 + s).u32(0);
          w.patchLength(len);
          n++;
        }
        for (let k = 0; k < seqs.length; k += 2) patch.push(seqs[k]!, n, seqs[k + 1]!, n * SAMPLING_RATE);
      }
      new DataView(w.buf.buffer).setUint32(countAt, n);
      templates.push(w.buf.slice(0, w.o));
      patches.push(Uint32Array.from(patch));
      samples.push(n);
    }
  }
  return { templates, patches, samples, flowDatagrams, counterDatagrams };
}

// ───────────────────────────── system figures ─────────────────────────────

function snmpUdp(): Record<string, number> {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const keys = lines[0]!.split(/\s+/).slice(1);
  const vals = lines[1]!.split(/\s+/).slice(1).map(Number);
  return Object.fromEntries(keys.map((k, i) => [k, vals[i]!]));
}

/** The drops column of /proc/net/udp{,6} for the socket bound to `port` (the kernel's own per-socket count). */
function socketDrops(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  let total = 0;
  for (const f of ['/proc/net/udp', '/proc/net/udp6']) {
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 12 && cols[1]!.endsWith(`:${hex}`)) total += Number(cols[cols.length - 1]);
    }
  }
  return total;
}

function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function procRssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ───────────────────────────── the sender ─────────────────────────────

interface SenderArgs {
  host: string;
  port: number;
  rate: number;
  count: number;
  seconds: number;
}

function runSenderChild(): void {
  const args = JSON.parse(process.argv[3]!) as SenderArgs;
  const { addon, error } = loadAddon();
  if (!addon) throw new Error(`native addon unavailable: ${error}`);
  const mix = buildMix();
  const r = addon.sendFlood({ ...args, templates: mix.templates, patches: mix.patches, sendBufferBytes: 4 << 20 });
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ ...r, cpuSeconds: (cpu.user + cpu.system) / 1e6 }) + '\n');
}

type SenderResult = FloodResult & { cpuSeconds: number };

/** Busy and total CPU seconds of the whole machine (/proc/stat), all cores. */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0) / 100;
  const idle = (f[3]! + f[4]!) / 100;
  return { busy: total - idle, total };
}

function startSender(args: SenderArgs): { child: ChildProcess; done: Promise<SenderResult> } {
  const child = spawn(process.execPath, [SELF, '--sender', JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<SenderResult>((resolve, reject) => {
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as SenderResult);
      else reject(new Error(`sender exited with ${code}`));
    });
  });
  return { child, done };
}

// ───────────────────────────── runs ─────────────────────────────

interface RunResult {
  collector: string;
  load: number;
  sent: number;
  sendSeconds: number;
  received: number;
  processedDatagrams: number;
  /** Flow samples processed, and all samples (flow + counter; FastNetMon counts flow samples only). */
  flowSamples: number;
  samples: number;
  socketDrops: number;
  rcvbufErrors: number;
  cpuSeconds: number;
  senderCpuSeconds: number;
  /** Machine CPU seconds used by everything else (other processes, softirq work not charged to a process). */
  otherCpuSeconds: number;
  rssStartMb: number;
  /** RSS 10 s into the run (after warm-up), at the end of the offered load, and the maximum. */
  rss10sMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  note: string;
}

async function runVigil(load: number, seconds: number, transport: 'native' | 'dgram'): Promise<RunResult> {
  const metrics = new Registry();
  const c = new SflowCollector({ host: '127.0.0.1', port: 0, transport, receiveBufferBytes: 32 * 1024 * 1024, metrics, summarizeHeaders: SUMMARIZE });
  let flows = 0;
  let counters = 0;
  let batches = 0;
  const sub = c.batches$.subscribe((b) => {
    flows += b.flows.count;
    counters += b.counters.length;
    batches++;
    c.release(b);
  });
  const addr = await c.start();
  if (global.gc) global.gc();
  const rss: number[] = [];
  const timer = setInterval(() => rss.push(process.memoryUsage().rss / 1048576), 1000);
  const snmp0 = snmpUdp();
  const drops0 = socketDrops(addr.port);
  const cpu0 = process.cpuUsage();
  const m0 = machineCpu();
  const rssStart = process.memoryUsage().rss / 1048576;
  const sender = startSender({ host: '127.0.0.1', port: addr.port, rate: load, count: Math.round(load * seconds), seconds: seconds * 1.5 + 5 });
  const sent = await sender.done;
  const m1 = machineCpu();
  const cpuAtEnd = process.cpuUsage(cpu0);
  const rssEnd = process.memoryUsage().rss / 1048576;
  // Drain: wait until nothing new arrives for 300 ms (at most 10 s).
  let last = -1;
  for (let i = 0; i < 100 && c.stats().ingest.datagrams !== last; i++) {
    last = c.stats().ingest.datagrams;
    await sleep(300);
  }
  const cpu = process.cpuUsage(cpu0);
  const snmp1 = snmpUdp();
  const st = c.stats();
  const ns = c.receiveStats();
  const drops = socketDrops(addr.port) - drops0;
  clearInterval(timer);
  await c.stop();
  sub.unsubscribe();
  return {
    collector: `vigil (${transport})`,
    load,
    sent: sent.sent,
    sendSeconds: sent.seconds,
    received: st.received,
    processedDatagrams: st.ingest.accepted,
    flowSamples: flows,
    samples: flows + counters,
    socketDrops: drops,
    rcvbufErrors: snmp1.RcvbufErrors! - snmp0.RcvbufErrors!,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    senderCpuSeconds: sent.cpuSeconds,
    otherCpuSeconds: m1.busy - m0.busy - (cpuAtEnd.user + cpuAtEnd.system) / 1e6 - sent.cpuSeconds,
    rssStartMb: rssStart,
    rss10sMb: rss[9] ?? NaN,
    rssEndMb: rssEnd,
    rssMaxMb: Math.max(rssStart, rssEnd, ...rss),
    note: `rcvbuf ${addr.receiveBufferBytes} B, ${batches} batches, malformed ${st.ingest.malformed}, lost (seq) ${st.ingest.lostDatagrams}${ns ? `, recvmmsg calls ${ns.recvCalls}, wake-ups ${ns.wakeups}, ring-full waits ${ns.ringFullWaits}` : ''}`,
  };
}

function fastnetmonConfig(dir: string, port: number, promPort: number): string {
  writeFileSync(join(dir, 'networks_list'), '10.0.0.0/16\n192.168.1.0/24\n');
  writeFileSync(join(dir, 'networks_whitelist'), '');
  const conf = join(dir, 'fastnetmon.conf');
  writeFileSync(
    conf,
    [
      'logging_level = info', 'logging_local_syslog_logging = off', 'logging_remote_syslog_logging = off', 'disable_usage_report = on',
      'enable_ban = off', 'enable_ban_ipv6 = off', 'process_incoming_traffic = on', 'process_outgoing_traffic = on',
      `networks_list_path = ${dir}/networks_list`, `white_list_path = ${dir}/networks_whitelist`, 'check_period = 1',
      'enable_connection_tracking = off', 'sflow = on', 'netflow = off', 'pcap = off', 'mirror_afpacket = off', 'mirror_afxdp = off', 'mirror_netmap = off',
      `sflow_port = ${port}`, 'sflow_host = 127.0.0.1', `pid_path = ${dir}/fastnetmon.pid`,
      `cli_stats_file_path = ${dir}/fastnetmon.dat`, `cli_stats_ipv6_file_path = ${dir}/fastnetmon_ipv6.dat`,
      'enable_api = off', 'prometheus = on', `prometheus_port = ${promPort}`, 'prometheus_host = 127.0.0.1',
      'redis_enabled = off', 'mongodb_enabled = off', 'exabgp = off', 'gobgp = off', 'influxdb = off', 'graphite = off',
      'monitor_local_ip_addresses = off', 'kafka_traffic_export = off', '',
    ].join('\n'),
  );
  return conf;
}

async function promCounter(port: number, name: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await res.text();
  const m = new RegExp(`^${name} (\\d+)`, 'm').exec(text);
  if (!m) throw new Error(`FastNetMon's metrics have no ${name}`);
  return Number(m[1]);
}

function freePort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

async function runFastnetmon(load: number, seconds: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fnm-'));
  const port = freePort();
  const promPort = port + 1;
  const conf = fastnetmonConfig(dir, port, promPort);
  const child = spawn('/usr/sbin/fastnetmon', ['--configuration_file', conf, '--log_file', join(dir, 'fastnetmon.log'), '--disable_pid_logic'], { stdio: 'ignore' });
  const pid = child.pid!;
  try {
    // Ready when its UDP port is bound and Prometheus answers.
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      await sleep(200);
      try {
        await promCounter(promPort, 'fastnetmon_total_simple_packets_processed');
        ready = readFileSync('/proc/net/udp', 'utf8').includes(`:${port.toString(16).toUpperCase().padStart(4, '0')} `);
      } catch {
        /* not yet */
      }
      if (child.exitCode !== null) throw new Error(`FastNetMon exited (${child.exitCode}); log: ${readFileSync(join(dir, 'fastnetmon.log'), 'utf8').slice(-2000)}`);
    }
    if (!ready) throw new Error('FastNetMon did not start listening within 20 s');
    const processed0 = await promCounter(promPort, 'fastnetmon_total_simple_packets_processed');
    const snmp0 = snmpUdp();
    const drops0 = socketDrops(port);
    const cpu0 = procCpuSeconds(pid);
    const m0 = machineCpu();
    const self0 = process.cpuUsage();
    const rssStart = procRssMb(pid);
    const rss: number[] = [];
    const timer = setInterval(() => rss.push(procRssMb(pid)), 1000);
    const sender = startSender({ host: '127.0.0.1', port, rate: load, count: Math.round(load * seconds), seconds: seconds * 1.5 + 5 });
    const sent = await sender.done;
    const m1 = machineCpu();
    const selfCpu = process.cpuUsage(self0);
    const fnmCpu = procCpuSeconds(pid) - cpu0;
    await sleep(1500);
    clearInterval(timer);
    const processed = (await promCounter(promPort, 'fastnetmon_total_simple_packets_processed')) - processed0;
    const snmp1 = snmpUdp();
    const drops = socketDrops(port) - drops0;
    const received = sent.sent - drops;
    return {
      collector: 'fastnetmon 1.2.4',
      load,
      sent: sent.sent,
      sendSeconds: sent.seconds,
      received,
      processedDatagrams: received,
      flowSamples: processed,
      samples: processed,
      socketDrops: drops,
      rcvbufErrors: snmp1.RcvbufErrors! - snmp0.RcvbufErrors!,
      cpuSeconds: fnmCpu,
      senderCpuSeconds: sent.cpuSeconds,
      otherCpuSeconds: m1.busy - m0.busy - fnmCpu - sent.cpuSeconds - (selfCpu.user + selfCpu.system) / 1e6,
      rssStartMb: rssStart,
      rss10sMb: rss[9] ?? NaN,
      rssEndMb: procRssMb(pid),
      rssMaxMb: Math.max(rssStart, ...rss),
      note: 'default SO_RCVBUF (212992 B); samples = total_simple_packets_processed (flow samples it parsed)',
    };
  } finally {
    child.kill('SIGTERM');
    for (let i = 0; i < 30 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The ingest core alone (no socket): datagrams/s and samples/s of walker + accounting + batches on one core. */
function runOffline(mix: Mix, n: number): void {
  let samples = 0;
  const ingest: SflowIngest = new SflowIngest(
    (b) => {
      samples += b.flows.count + b.counters.length;
      ingest.release(b);
    },
    { summarizeHeaders: SUMMARIZE },
  );
  const tpl = mix.templates.map((t) => t.slice());
  const views = tpl.map((t) => new DataView(t.buffer));
  const step = (i: number): void => {
    const k = i % tpl.length;
    const p = mix.patches[k]!;
    const v = views[k]!;
    for (let j = 0; j < p.length; j += 2) v.setUint32(p[j]!, (v.getUint32(p[j]!) + p[j + 1]!) >>> 0);
    ingest.datagram(tpl[k]!);
    if ((i & 4095) === 4095) ingest.flush();
  };
  for (let i = 0; i < 200_000; i++) step(i);
  samples = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) step(i);
  const s = (performance.now() - t0) / 1000;
  console.log(`ingest core (in-process, a flush every 4096 datagrams): ${Math.round(n / s)} datagrams/s, ${(samples / s / 1e6).toFixed(2)} M samples/s`);
}

function print(r: RunResult, mix: Mix): void {
  const sentRate = r.sent / r.sendSeconds;
  const pct = (100 * r.processedDatagrams) / r.sent;
  // Flow samples in the datagrams actually offered (the sender cycles through the templates in order).
  let offeredFlows = 0;
  for (let i = 0; i < mix.templates.length; i++) {
    const times = Math.floor(r.sent / mix.templates.length) + (i < r.sent % mix.templates.length ? 1 : 0);
    if (i % COUNTER_EVERY !== COUNTER_EVERY - 1) offeredFlows += times * mix.samples[i]!;
  }
  console.log(
    [
      `${r.collector.padEnd(17)} load ${String(r.load).padStart(6)}/s`,
      `offered ${r.sent} in ${r.sendSeconds.toFixed(1)} s (${Math.round(sentRate)}/s)`,
      `received ${r.received}`,
      `processed ${r.processedDatagrams} (${pct.toFixed(1)}%)`,
      `flow samples ${r.flowSamples} = ${(r.flowSamples / r.sendSeconds / 1e6).toFixed(2)} M/s (${((100 * r.flowSamples) / offeredFlows).toFixed(1)}% of ${offeredFlows} offered)`,
      r.samples !== r.flowSamples ? `all samples ${(r.samples / r.sendSeconds / 1e6).toFixed(2)} M/s` : 'counter samples not counted',
      `socket drops ${r.socketDrops}`,
      `RcvbufErrors Δ ${r.rcvbufErrors}`,
      `CPU collector ${((100 * r.cpuSeconds) / r.sendSeconds).toFixed(0)}%, sender ${((100 * r.senderCpuSeconds) / r.sendSeconds).toFixed(0)}%, rest of machine ${((100 * r.otherCpuSeconds) / r.sendSeconds).toFixed(0)}% (of 200%)`,
      `RSS start ${r.rssStartMb.toFixed(0)}, 10 s ${r.rss10sMb.toFixed(0)}, end ${r.rssEndMb.toFixed(0)} MB (max ${r.rssMaxMb.toFixed(0)})`,
    ].join(' | '),
  );
  console.log(`${''.padEnd(17)} ${r.note}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--sender') {
    runSenderChild();
    return;
  }
  const arg = (name: string, dflt: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
  };
  const seconds = Number(arg('seconds', '60'));
  const loads = arg('loads', '150000,200000,407000').split(',').map(Number);
  const collectors = arg('collectors', 'vigil,fastnetmon').split(',');
  const { addon, error } = loadAddon();
  if (!addon) throw new Error(`the native addon is needed for the sender: ${error}`);
  const mix = buildMix();
  const total = mix.samples.reduce((a, b) => a + b, 0);
  const flowSamples = mix.samples.filter((_, i) => i % COUNTER_EVERY !== COUNTER_EVERY - 1).reduce((a, b) => a + b, 0);
  const spd = total / mix.templates.length;
  const fpd = flowSamples / mix.templates.length;
  const bytes = mix.templates.reduce((a, t) => a + t.length, 0) / mix.templates.length;
  console.log(`sFlow ingest: ${mix.templates.length} agent/sub-agent streams, ${mix.flowDatagrams} flow + ${mix.counterDatagrams} counter datagrams in the cycle,`);
  if (!SUMMARIZE) console.log('  --no-summarize: Vigil does not parse the raw headers in these runs (FastNetMon does)');
  console.log(`  ${spd.toFixed(2)} samples/datagram (${fpd.toFixed(2)} flow), ${bytes.toFixed(0)} bytes/datagram; ${seconds} s per run; loads ${loads.join(', ')} datagrams/s`);
  if (process.argv.includes('--offline')) {
    runOffline(mix, 1_000_000);
    return;
  }
  const fnmAvailable = spawnSync('/usr/sbin/fastnetmon', ['--version'], { encoding: 'utf8' }).status === 0;
  for (const load of loads) {
    for (const who of collectors) {
      let r: RunResult;
      if (who === 'vigil') r = await runVigil(load, seconds, 'native');
      else if (who === 'dgram') r = await runVigil(load, seconds, 'dgram');
      else if (who === 'fastnetmon') {
        if (!fnmAvailable) {
          console.log('fastnetmon: /usr/sbin/fastnetmon not installed (lab/install installs the Debian package); skipped');
          continue;
        }
        r = await runFastnetmon(load, seconds);
      } else throw new Error(`unknown collector ${who}`);
      print(r, mix);
      await sleep(1000);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
