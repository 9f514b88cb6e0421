/**
 * Topology discovery against real Open vSwitch (userspace datapath), with the controller in-process:
 * two bridges of this test joined by a veth pair, a network namespace host on each.
 *  - both switches and their ports; the link in both directions from LLDP; TRANSIT rules on the link ports;
 *  - hosts from punted first packets with MAC, IP, switch and port; HOST rules so later packets are not
 *    copied; the HOST_PUNT meter in place;
 *  - a bounded flood of new source MACs: forwarding loses nothing (pings across during the flood), the
 *    meter drops copies, the controller sees at most rate x time copies, links do not flap;
 *  - LLDP aging alone (LLDP silently dropped one way by a foreign rule): that direction times out within
 *    lldpMissedIntervals x lldpIntervalMs (+ a tick) at the defaults; the other stays;
 *  - a port set down: PORT_STATUS -> link.down (both directions) at once;
 *  - sFlow: a controller without host punting learns a host from OVS's sFlow samples, its port found
 *    through the sample's input ifIndex and the OVSDB inventory.
 * Everything this test creates (bridges marked external_ids:vigil-test=1, vgtd-* namespaces and veths) is
 * removed at the end; OVS is never restarted.
 */
import { execFile, execFileSync } from 'node:child_process';
import { filter, firstValueFrom, timeout, type Observable } from 'rxjs';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/observability/log.js';
import { Registry } from '../../src/observability/metrics.js';
import { startController, type Controller } from '../../src/pipeline/controller.js';
import { COOKIE_MAGIC, COOKIE_MAGIC_MASK, parseCookie } from '../../src/southbound/openflow/cookies.js';
import type { TopologyEvent } from '../../src/topology/model.js';
import { createTestBridge, dumpFlows, ofctl, ovsRunning, removeTestNetwork, vsctl } from '../support/ovs.js';

const BR1 = 'vgtd1';
const BR2 = 'vgtd2';
const BR3 = 'vgtd3';
const D1 = '00000000000000d1';
const D2 = '00000000000000d2';
const D3 = '00000000000000d3';
const TRUNK = { a: 'vgtdA', b: 'vgtdB' };
const HOSTS = {
  h1: { ns: 'vgtd-h1', sw: 'vgtd1h1', host: 'vgtdh1', br: BR1, mac: '0a:00:00:00:0d:01', ip: '10.214.0.1' },
  h2: { ns: 'vgtd-h2', sw: 'vgtd2h2', host: 'vgtdh2', br: BR2, mac: '0a:00:00:00:0d:02', ip: '10.214.0.2' },
  h3: { ns: 'vgtd-h3', sw: 'vgtd3h3', host: 'vgtdh3', br: BR3, mac: '0a:00:00:00:0d:03', ip: '10.214.0.3' },
};

const run = (cmd: string, args: string[], timeoutMs = 30_000): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
const ip = (...args: string[]): string => run('ip', args);
const inNs = (ns: string, cmd: string, args: string[], timeoutMs?: number): string => run('ip', ['netns', 'exec', ns, cmd, ...args], timeoutMs);
/** Traffic runs asynchronously: the controller shares this event loop and must keep answering meanwhile. */
const inNsAsync = (ns: string, cmd: string, args: string[], timeoutMs = 30_000): Promise<string> =>
  new Promise((resolve, reject) =>
    execFile('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', timeout: timeoutMs }, (err, out, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(out))),
  );
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ofport = (iface: string): number => Number(vsctl('get', 'interface', iface, 'ofport').trim());

function cleanup(): void {
  for (const br of [BR1, BR2, BR3]) removeTestNetwork({ bridge: br, namespaces: [], links: [] });
  removeTestNetwork({ bridge: BR1, namespaces: Object.values(HOSTS).map((h) => h.ns), links: [TRUNK.a, ...Object.values(HOSTS).map((h) => h.sw)] });
}

function addHost(h: (typeof HOSTS)[keyof typeof HOSTS]): void {
  ip('netns', 'add', h.ns);
  ip('link', 'add', h.sw, 'type', 'veth', 'peer', 'name', h.host);
  ip('link', 'set', h.host, 'netns', h.ns);
  inNs(h.ns, 'ip', ['link', 'set', h.host, 'address', h.mac]);
  inNs(h.ns, 'ethtool', ['-K', h.host, 'tx', 'off']);
  inNs(h.ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
  inNs(h.ns, 'ip', ['addr', 'add', `${h.ip}/24`, 'dev', h.host]);
  inNs(h.ns, 'ip', ['link', 'set', h.host, 'up']);
  run('sysctl', ['-qw', `net.ipv6.conf.${h.sw}.disable_ipv6=1`]);
  ip('link', 'set', h.sw, 'up');
  vsctl('add-port', h.br, h.sw);
}

async function start(text: string): Promise<{ c: Controller; port: number; events: TopologyEvent[]; metrics: Registry }> {
  const metrics = new Registry();
  const config = loadConfig({ env: { VIGIL_OPENFLOW_PORT: '0' }, text: `openflow:\n  host: 127.0.0.1\nsflow:\n  host: 127.0.0.1\n  port: 0\n${text}` });
  const c = await startController(config, { logger: silentLogger, metrics });
  const events: TopologyEvent[] = [];
  c.topology$.subscribe((e) => events.push(e));
  return { c, port: c.openflow.address!.port, events, metrics };
}

function next<T extends TopologyEvent>(topology$: Observable<TopologyEvent>, pred: (e: TopologyEvent) => e is T, ms: number): Promise<T> {
  return firstValueFrom(topology$.pipe(filter(pred), timeout(ms)));
}

async function until(pred: () => boolean, ms: number, what: string): Promise<number> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
  return Date.now() - t0;
}

const isLink = (src: string, sp: number, dst: string, dp: number) => (l: { src: { dpid: string; portNo: number }; dst: { dpid: string; portNo: number } }) =>
  l.src.dpid === src && l.src.portNo === sp && l.dst.dpid === dst && l.dst.portNo === dp;

function vigilFlows(br: string, kind: string) {
  return dumpFlows(br).filter((f) => (f.cookie & COOKIE_MAGIC_MASK) === COOKIE_MAGIC && parseCookie(f.cookie)?.kindName === kind);
}

describe('topology discovery against real Open vSwitch', () => {
  let ctl: Awaited<ReturnType<typeof start>> | undefined;
  let ctl3: Awaited<ReturnType<typeof start>> | undefined;
  let pa = 0;
  let pb = 0;

  beforeAll(async () => {
    if (!ovsRunning()) throw new Error('Open vSwitch is not running: start it with lab/ovs start (lab/test does)');
    cleanup();
    ctl = await start('');
  });

  afterAll(async () => {
    await ctl?.c.close();
    await ctl3?.c.close();
    cleanup();
  });

  it('discovers both switches, their ports, and the link in both directions (LLDP), with TRANSIT rules on it', async () => {
    const { c, port } = ctl!;
    ip('link', 'add', TRUNK.a, 'type', 'veth', 'peer', 'name', TRUNK.b);
    for (const v of [TRUNK.a, TRUNK.b]) {
      run('sysctl', ['-qw', `net.ipv6.conf.${v}.disable_ipv6=1`]);
      ip('link', 'set', v, 'up');
    }
    createTestBridge(BR1, 0xd1n, `tcp:127.0.0.1:${port}`);
    createTestBridge(BR2, 0xd2n, `tcp:127.0.0.1:${port}`);
    vsctl('add-port', BR1, TRUNK.a);
    vsctl('add-port', BR2, TRUNK.b);
    addHost(HOSTS.h1);
    addHost(HOSTS.h2);
    pa = ofport(TRUNK.a);
    pb = ofport(TRUNK.b);
    const t0 = Date.now();
    const both = await until(() => c.topologyState().links.size >= 2, 15_000, 'both link directions');
    console.log(`link discovered in both directions ${both} ms after the bridges were configured`);
    const links = [...c.topologyState().links.values()];
    expect(links.some(isLink(D1, pa, D2, pb))).toBe(true);
    expect(links.some(isLink(D2, pb, D1, pa))).toBe(true);
    expect(links.every((l) => l.via === 'lldp' && typeof l.latencyMs === 'number')).toBe(true);
    console.log(`probe latency (PACKET_OUT -> PACKET_IN): ${links.map((l) => `${l.latencyMs} ms`).join(', ')}`);
    const s1 = c.topologyState().switches.get(D1)!;
    expect(s1.info).toMatchObject({ dpid: D1, name: BR1, connected: true });
    expect([...s1.ports.values()].map((p) => p.name).sort()).toEqual([BR1, HOSTS.h1.sw, TRUNK.a].sort());
    expect(Date.now() - t0).toBeLessThan(15_000);
    await until(() => vigilFlows(BR1, 'transit').length === 1 && vigilFlows(BR2, 'transit').length === 1, 5000, 'TRANSIT rules');
    expect(vigilFlows(BR1, 'transit')[0]!.match).toContain(`in_port=${pa}`);
    expect(ofctl('dump-meters', BR1)).toMatch(/meter=61441 pktps burst stats bands=\s*type=drop rate=200 burst_size=200/);
  });

  it('learns hosts from punted first packets (MAC, IP, switch, port) and stops copying their packets', async () => {
    const { c } = ctl!;
    await inNsAsync(HOSTS.h1.ns, 'ping', ['-c', '3', '-i', '0.2', '-W', '1', HOSTS.h2.ip]);
    await until(() => c.topologyState().hosts.size >= 2, 10_000, 'two hosts');
    const h1 = c.topologyState().hosts.get(HOSTS.h1.mac)!;
    const h2 = c.topologyState().hosts.get(HOSTS.h2.mac)!;
    expect(h1).toMatchObject({ port: { dpid: D1, portNo: ofport(HOSTS.h1.sw) }, vlan: null, source: 'packet-in' });
    expect(h2).toMatchObject({ port: { dpid: D2, portNo: ofport(HOSTS.h2.sw) } });
    expect(h1.ips.map((i) => i.address)).toEqual([HOSTS.h1.ip]);
    expect(h2.ips.map((i) => i.address)).toEqual([HOSTS.h2.ip]);
    // No host is placed on the switch-to-switch ports, although the ARP broadcast crossed them.
    for (const h of c.topologyState().hosts.values()) expect([pa, pb]).not.toContain(h.port.portNo);
    await until(() => vigilFlows(BR1, 'host').length === 1 && vigilFlows(BR2, 'host').length === 1, 5000, 'HOST rules');
    const hostFlow = vigilFlows(BR1, 'host')[0]!;
    expect(hostFlow.match).toContain(`dl_src=${HOSTS.h1.mac}`);
    // Later pings go through the HOST rules, not the copy path.
    const copiesBefore = dumpFlows(BR1).find((f) => f.table === 3)!.nPackets;
    await inNsAsync(HOSTS.h1.ns, 'ping', ['-c', '5', '-i', '0.1', '-W', '1', HOSTS.h2.ip]);
    // (OVS updates flow statistics from its datapath flows every few hundred ms.)
    await until(() => vigilFlows(BR1, 'host')[0]!.nPackets >= 5, 5000, 'the HOST rule counting the pings');
    expect(dumpFlows(BR1).find((f) => f.table === 3)!.nPackets - copiesBefore).toBeLessThanOrEqual(2); // ARP refresh at most
  });

  it('a flood of new source MACs: forwarding loses nothing, the meter drops copies, links do not flap', async () => {
    const { c, events, metrics } = ctl!;
    const sightings = (): number => metrics.counter('vigil_topology_host_sightings_total', '').get({ source: 'packet-in' });
    const before = sightings();
    const n0 = events.length;
    // 3000 IPv4 frames with random source MACs (locally administered, unicast) from h1, in about 1.5 s, while
    // h1 pings h2 every 50 ms. Bounded, inside the test's namespaces.
    const flood = `
import socket, os, struct, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('${HOSTS.h1.host}', 0))
dst = bytes.fromhex('${HOSTS.h2.mac.replace(/:/g, '')}')
ip = bytes.fromhex('4500001c0000000040110000') + socket.inet_aton('10.214.0.200') + socket.inet_aton('${HOSTS.h2.ip}') + bytes(8)
for i in range(3000):
    src = bytes([0x0a]) + os.urandom(5)
    s.send(dst + src + b'\\x08\\x00' + ip + bytes(18))
    if i % 20 == 0: time.sleep(0.01)
`;
    const t0 = Date.now();
    const [pingOut] = await Promise.all([inNsAsync(HOSTS.h1.ns, 'ping', ['-c', '40', '-i', '0.05', '-W', '1', HOSTS.h2.ip]), inNsAsync(HOSTS.h1.ns, 'python3', ['-c', flood])]);
    const secs = (Date.now() - t0) / 1000;
    await sleep(500);
    const copies = sightings() - before;
    const meter = ofctl('meter-stats', BR1);
    const dropped = Number(/0: packet_count:(\d+)/.exec(meter)?.[1] ?? 0);
    const m = /(\d+) packets transmitted, (\d+) received/.exec(pingOut)!;
    console.log(`flood: ${secs.toFixed(1)} s, pings ${m[2]}/${m[1]}, copies to Vigil ${copies}, meter dropped ${dropped}, hosts now ${c.topologyState().hosts.size}`);
    expect(m[1]).toBe(m[2]); // no ping lost
    expect(dropped).toBeGreaterThan(0);
    expect(copies).toBeLessThanOrEqual(200 + 200 * (secs + 1)); // burst + rate x time
    expect(events.slice(n0).filter((e) => e.type === 'link.down')).toEqual([]);
    expect(c.topologyState().links.size).toBe(2);
  });

  it('LLDP aging alone: a direction whose probes stop arriving goes down within lldpMissedIntervals x lldpIntervalMs (+ tick)', async () => {
    const { c } = ctl!;
    const intervalMs = 500;
    const timeoutMs = 4 * intervalMs;
    // A foreign rule (cookie 0x1, above Vigil's LLDP rule) silently drops LLDP arriving at BR2's trunk port.
    ofctl('add-flow', BR2, `cookie=0x1,table=0,priority=65535,in_port=${pb},dl_type=0x88cc,actions=drop`);
    const t0 = Date.now();
    const down = await next(c.topology$, (e): e is Extract<TopologyEvent, { type: 'link.down' }> => e.type === 'link.down', 10_000);
    const ms = Date.now() - t0;
    console.log(`LLDP aging: ${D1}:${pa} -> ${D2}:${pb} down ${ms} ms after its probes stopped arriving (timeout ${timeoutMs} ms)`);
    expect(down).toMatchObject({ src: { dpid: D1, portNo: pa }, dst: { dpid: D2, portNo: pb }, reason: 'timeout' });
    expect(ms).toBeGreaterThanOrEqual(timeoutMs - intervalMs);
    expect(ms).toBeLessThanOrEqual(timeoutMs + intervalMs);
    expect([...c.topologyState().links.values()].some(isLink(D2, pb, D1, pa))).toBe(true);
    ofctl('del-flows', BR2, '--strict', `cookie=0x1/-1,table=0,priority=65535,in_port=${pb},dl_type=0x88cc`);
    await until(() => c.topologyState().links.size === 2, 5000, 'the link back');
  });

  it('a port set down: PORT_STATUS ends the link in both directions at once', async () => {
    const { c, events } = ctl!;
    const n0 = events.length;
    const t0 = Date.now();
    ip('link', 'set', TRUNK.a, 'down');
    const ms = await until(() => events.slice(n0).filter((e) => e.type === 'link.down').length >= 2, 5000, 'link.down x2');
    console.log(`port down -> link.down (both directions) in ${ms} ms`);
    const downs = events.slice(n0).filter((e) => e.type === 'link.down');
    expect(downs.map((e) => e.type === 'link.down' && e.reason).sort()).toEqual(['port-down', 'port-down']);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(events.slice(n0).some((e) => e.type === 'port.down' && e.port.dpid === D1 && e.port.portNo === pa)).toBe(true);
    expect(c.topologyState().links.size).toBe(0);
    await until(() => vigilFlows(BR1, 'transit').length === 0, 5000, 'TRANSIT rule removed');
    ip('link', 'set', TRUNK.a, 'up');
    await until(() => c.topologyState().links.size === 2, 10_000, 'the link back after port up');
  });

  it('learns a host from sFlow samples: input ifIndex -> port through the OVSDB inventory', async () => {
    ctl3 = await start('discovery:\n  hostPunt: false\n');
    const { c, port } = ctl3;
    createTestBridge(BR3, 0xd3n, `tcp:127.0.0.1:${port}`);
    addHost(HOSTS.h3);
    await until(() => c.topologyState().switches.has(D3), 10_000, 'the switch');
    // A second address on the bridge's internal port so h3 has someone to talk to; the flows forward NORMAL.
    ip('addr', 'add', '10.214.0.254/24', 'dev', BR3);
    ip('link', 'set', BR3, 'up');
    const sflowPort = c.sflow!.address.port;
    vsctl('--', '--id=@s', 'create', 'sflow', 'agent=lo', `target="127.0.0.1:${sflowPort}"`, 'header=128', 'sampling=1', 'polling=0', '--', 'set', 'bridge', BR3, 'sflow=@s');
    await inNsAsync(HOSTS.h3.ns, 'ping', ['-c', '10', '-i', '0.1', '-W', '1', '10.214.0.254']);
    await until(() => c.topologyState().hosts.has(HOSTS.h3.mac), 10_000, 'h3 from sFlow');
    expect(c.topologyState().hosts.get(HOSTS.h3.mac)).toMatchObject({ port: { dpid: D3, portNo: ofport(HOSTS.h3.sw) }, source: 'sflow' });
    expect(c.topologyState().hosts.get(HOSTS.h3.mac)!.ips.map((i) => i.address)).toContain(HOSTS.h3.ip);
    expect(vigilFlows(BR3, 'host')).toEqual([]); // no punting: no HOST rules
  });
});
