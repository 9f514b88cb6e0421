/**
 * Topology discovery on the Mininet fabric (s1-s2-s3 triangle with RSTP, 8 hosts), Vigil in-process with
 * its default discovery settings (LLDP every 500 ms, down after 4 missed; OVSDB inventory from the local
 * ovsdb-server):
 *  - the discovered switches, links (both directions) and hosts (MAC, IP, switch, port) equal Mininet's
 *    (fabric.dump()); the link RSTP blocks is known from OVSDB, the others from LLDP;
 *  - `link s1 s2 down`: link.down for both directions within 3 s (measured), the s2-s3 link stays while
 *    RSTP unblocks it, and the link comes back after `link s1 s2 up`;
 *  - LLDP aging alone (probes silently dropped one way): down within 3 s (measured);
 *  - a host moved to another switch port: host.moved with the new port, and the graph equals Mininet's again.
 * Traffic stays inside Mininet and is bounded (pingAll, a few pings).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/observability/log.js';
import { Registry } from '../../src/observability/metrics.js';
import { startController, type Controller } from '../../src/pipeline/controller.js';
import type { TopologyEvent } from '../../src/topology/model.js';
import { ensureOvs, labAvailable, releaseOvs, startFabric, type Fabric, type FabricDump } from '../support/lab.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, ms: number, what: string, describeState?: () => string): Promise<number> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}${describeState ? `:\n${describeState()}` : ''}`);
    await sleep(25);
  }
  return Date.now() - t0;
}

/** Mininet's view as sorted text lines: switches, directed links, hosts. */
function expected(d: FabricDump): { switches: string[]; links: string[]; hosts: string[] } {
  const dpid = new Map(d.switches.map((s) => [s.name, s.dpid]));
  const links = d.links.flatMap((l) => {
    const a = `${dpid.get(l.a.switch)}:${l.a.port}`;
    const b = `${dpid.get(l.b.switch)}:${l.b.port}`;
    return [`${a}>${b}`, `${b}>${a}`];
  });
  return {
    switches: d.switches.map((s) => s.dpid).sort(),
    links: links.sort(),
    hosts: d.hosts.map((h) => `${h.mac} ${h.ip} ${dpid.get(h.switch)}:${h.port}`).sort(),
  };
}

/** Vigil's view in the same form. */
function discovered(c: Controller): { switches: string[]; links: string[]; hosts: string[] } {
  const s = c.topologyState();
  return {
    switches: [...s.switches.values()].filter((x) => x.info.connected).map((x) => x.info.dpid).sort(),
    links: [...s.links.values()].map((l) => `${l.src.dpid}:${l.src.portNo}>${l.dst.dpid}:${l.dst.portNo}`).sort(),
    hosts: [...s.hosts.values()].map((h) => `${h.mac} ${h.ips.filter((i) => i.version === 4).map((i) => i.address).join(',')} ${h.port.dpid}:${h.port.portNo}`).sort(),
  };
}

describe('topology discovery on the fabric', () => {
  let fabric: Fabric | undefined;
  let controller: Controller | undefined;
  const events: { at: number; e: TopologyEvent }[] = [];

  beforeAll(async () => {
    const lab = labAvailable();
    if (!lab.ok) throw new Error(`the lab cannot run here: ${lab.reason}`);
    await ensureOvs();
    const config = loadConfig({ env: { VIGIL_OPENFLOW_PORT: '0', VIGIL_SFLOW_PORT: '0' }, text: 'openflow:\n  host: 127.0.0.1\nsflow:\n  host: 127.0.0.1\n' });
    controller = await startController(config, { logger: silentLogger, metrics: new Registry() });
    controller.topology$.subscribe((e) => events.push({ at: Date.now(), e }));
    const port = controller.openflow.address!.port;
    fabric = await startFabric({ controllerPort: port, failMode: 'secure', waitConnected: 30, timeoutMs: 90_000 });
    await until(() => controller!.topologyState().switches.size === 3, 30_000, 'three switches');
  });

  afterAll(async () => {
    await fabric?.stop();
    await controller?.close();
    await releaseOvs();
  });

  it("discovers Mininet's switches, links (both directions) and hosts (MAC, IP, switch, port)", async () => {
    const c = controller!;
    const t0 = Date.now();
    await fabric!.waitForRstp(40_000);
    const reach = await fabric!.waitForFullReachability(45_000);
    expect(reach.lossPercent).toBe(0);
    const want = expected(await fabric!.dump());
    expect(want.links).toHaveLength(6);
    expect(want.hosts).toHaveLength(8);
    const ms = await until(() => JSON.stringify(discovered(c)) === JSON.stringify(want), 20_000, "Vigil's graph to equal Mininet's", () => JSON.stringify({ want, got: discovered(c) }, null, 1));
    console.log(`graph equal to Mininet's ${Date.now() - t0} ms after the fabric was up (${ms} ms after pingAll)`);
    const via = [...c.topologyState().links.values()].map((l) => `${l.src.dpid.slice(-1)}:${l.src.portNo}>${l.dst.dpid.slice(-1)}:${l.dst.portNo} ${l.via}`).sort();
    console.log(`links: ${via.join(', ')}`);
    // RSTP blocks s3-eth1 (s3 port 1, toward s2 port 2): known from OVSDB; the rest from LLDP.
    expect(via.filter((v) => v.endsWith('rstp')).sort()).toEqual(['2:2>3:1 rstp', '3:1>2:2 rstp']);
    for (const h of c.topologyState().hosts.values()) expect(h.source).toBe('packet-in');
  });

  it('link s1 s2 down: link.down for both directions within 3 s; back after link up', async () => {
    const c = controller!;
    const d = await fabric!.dump();
    const l = d.links.find((x) => [x.a.switch, x.b.switch].sort().join() === 's1,s2')!;
    const a = `0000000000000001:${l.a.switch === 's1' ? l.a.port : l.b.port}`;
    const b = `0000000000000002:${l.a.switch === 's1' ? l.b.port : l.a.port}`;
    const n0 = events.length;
    const t0 = Date.now();
    await fabric!.link('s1', 's2', 'down');
    const downs = (): TopologyEvent[] =>
      events
        .slice(n0)
        .map((x) => x.e)
        .filter((e) => e.type === 'link.down' && [`${e.src.dpid}:${e.src.portNo}>${e.dst.dpid}:${e.dst.portNo}`].some((k) => k === `${a}>${b}` || k === `${b}>${a}`));
    await until(() => downs().length === 2, 10_000, 'link.down both ways');
    const times = events.slice(n0).filter((x) => x.e.type === 'link.down').map((x) => x.at - t0);
    const reasons = downs().map((e) => (e.type === 'link.down' ? e.reason : ''));
    console.log(`link s1 s2 down: link.down ${a}<->${b} after ${times.join(' and ')} ms (reasons: ${reasons.join(', ')})`);
    expect(Math.max(...times)).toBeLessThanOrEqual(3000);
    // RSTP unblocks s2-s3: the link stays (LLDP takes over from the RSTP pin).
    await sleep(4000);
    const s2s3 = [...c.topologyState().links.values()].filter((x) => ['2', '3'].includes(x.src.dpid.slice(-1)) && ['2', '3'].includes(x.dst.dpid.slice(-1)));
    expect(s2s3).toHaveLength(2);
    expect(events.slice(n0).filter((x) => x.e.type === 'link.down')).toHaveLength(2);
    console.log(`after the failover s2-s3 is known via ${s2s3.map((x) => x.via).join(', ')}`);
    await fabric!.link('s1', 's2', 'up');
    const back = await until(() => discovered(c).links.includes(`${a}>${b}`) && discovered(c).links.includes(`${b}>${a}`), 10_000, 'the link back');
    console.log(`link s1 s2 up: both directions back after ${back} ms`);
    await fabric!.waitForRstp(40_000);
  });

  it('LLDP aging alone (probes dropped one way, no PORT_STATUS): down within 3 s', async () => {
    const c = controller!;
    // A foreign rule on s2 (cookie 0x1, above Vigil's LLDP rule) silently drops LLDP arriving on s2 port 1.
    const r = await fabric!.ovs('s2', ['add-flow', 'cookie=0x1,table=0,priority=65535,in_port=1,dl_type=0x88cc,actions=drop']);
    expect(r.exitCode).toBe(0);
    const t0 = Date.now();
    const down = await firstValueFrom(c.topology$.pipe(filter((e) => e.type === 'link.down'), timeout(10_000)));
    const ms = Date.now() - t0;
    console.log(`LLDP aging: ${down.type === 'link.down' ? `${down.src.dpid.slice(-1)}:${down.src.portNo}>${down.dst.dpid.slice(-1)}:${down.dst.portNo} (${down.reason})` : ''} ${ms} ms after its probes stopped arriving`);
    expect(down).toMatchObject({ type: 'link.down', dst: { dpid: '0000000000000002', portNo: 1 }, reason: 'timeout' });
    expect(ms).toBeLessThanOrEqual(3000);
    await fabric!.ovs('s2', ['del-flows', '--strict', 'cookie=0x1/-1,table=0,priority=65535,in_port=1,dl_type=0x88cc']);
    await until(() => c.topologyState().links.size === 6, 10_000, 'six links again');
  });

  it('a host moved to another switch port: host.moved with the new port; the graph equals Mininet again', async () => {
    const c = controller!;
    const c3 = fabric!.host('c3');
    const n0 = events.length;
    const moved = await fabric!.move('c3', 's1');
    console.log(`moved c3 from ${moved.from.switch} port ${moved.from.port} to ${moved.to.switch} port ${moved.to.port}`);
    // OVS drops every frame of a port RSTP has not put in Forwarding yet (copies to Vigil included): wait.
    const rstp = await fabric!.waitForRstp(40_000);
    console.log(`the new port forwards ${rstp.elapsedMs} ms after the move`);
    const t0 = Date.now();
    const ping = await fabric!.cmd('c3', 'ping -c 3 -i 0.3 -W 1 10.0.0.1', 15_000);
    const isMove = (e: TopologyEvent): boolean => e.type === 'host.moved' && e.mac === c3.mac;
    await until(() => events.slice(n0).some((x) => isMove(x.e)), 10_000, 'host.moved for c3', () =>
      [ping.output, JSON.stringify(events.slice(n0).map((x) => x.e)), JSON.stringify(c.discovery.hosts.counters), JSON.stringify(c.discovery.hosts.get(c3.mac))].join('\n'),
    );
    const m = events.slice(n0).find((x) => isMove(x.e))!;
    console.log(`host.moved for c3 ${m.at - t0} ms after its first packet from the new port`);
    expect(m.e).toMatchObject({ type: 'host.moved', mac: c3.mac, from: { dpid: '0000000000000003', portNo: moved.from.port }, to: { dpid: '0000000000000001', portNo: moved.to.port } });
    const want = expected(await fabric!.dump());
    expect(want.hosts).toContain(`${c3.mac} ${c3.ip} 0000000000000001:${moved.to.port}`);
    await until(() => JSON.stringify(discovered(c)) === JSON.stringify(want), 10_000, "Vigil's graph to equal Mininet's after the move", () => JSON.stringify({ want, got: discovered(c) }, null, 1));
    // Moved back to its old port: moved again (at most one move per 2 s: wait that out first).
    await sleep(2000);
    const n1 = events.length;
    await fabric!.move('c3', 's3', moved.from.port);
    await fabric!.waitForRstp(40_000);
    await fabric!.cmd('c3', 'ping -c 3 -i 0.3 -W 1 10.0.0.1', 15_000);
    await until(() => events.slice(n1).some((x) => isMove(x.e)), 10_000, 'host.moved back');
    expect(c.topologyState().hosts.get(c3.mac)?.port).toEqual({ dpid: '0000000000000003', portNo: moved.from.port });
  });
});
