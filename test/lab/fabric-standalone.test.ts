/**
 * Lab smoke test: the Mininet fabric alone (no controller; OVS in standalone fail mode, i.e. a learning
 * switch) must come up, converge through RSTP despite the s1-s2-s3 loop, reach every host from every
 * host, describe itself correctly, and leave no bridge behind when stopped.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureOvs, labAvailable, releaseOvs, startFabric, type Fabric } from '../support/lab.js';

// No silent skip: where the lab cannot run, the suite fails and says why.
const lab = labAvailable();
if (!lab.ok) throw new Error(`the lab cannot run here: ${lab.reason}`);
const suite = describe;

function bridges(): string[] {
  return execFileSync('ovs-vsctl', ['--timeout=10', 'list-br'], { encoding: 'utf8' }).split('\n').filter((b) => b);
}

suite('fabric in standalone mode (no controller)', () => {
  let fabric: Fabric | undefined;

  beforeAll(async () => {
    await ensureOvs();
    fabric = await startFabric({ controller: false, failMode: 'standalone', timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await fabric?.stop();
    await releaseOvs();
  });

  it('converges through RSTP to full reachability', async () => {
    const r = await fabric!.waitForFullReachability(20_000);
    console.log(`fabric: pingall ${r.lossPercent}% loss after ${r.elapsedMs} ms (${r.attempts} rounds)\n${r.raw}`);
    expect(r.lossPercent).toBe(0);
    expect(r.sent).toBe(fabric!.hosts.length * (fabric!.hosts.length - 1));
    // the loop is broken: once RSTP settles, exactly one trunk port is an alternate (discarding), the one
    // of s3 toward s2 (s1 has the lowest bridge priority and is the root, s2 the next)
    const settled = await fabric!.waitForRstp(40_000);
    console.log(`fabric: RSTP settled ${settled.elapsedMs} ms after full reachability; blocked ${settled.blocked.join(' ')}`);
    expect(settled.blocked).toEqual(['s3-eth1']);
    expect(settled.state.s1!.isRoot).toBe(true);
    expect(settled.state.s3!.ports.find((p) => p.intf === 's3-eth1')).toMatchObject({ port: 1, role: 'Alternate', state: 'Discarding' });
  });

  it('describes itself: 3 switches, 3 trunk links, 8 hosts with their MACs and IPs', async () => {
    const d = await fabric!.dump();
    expect(d.switches.map((s) => [s.name, s.dpid])).toEqual([
      ['s1', '0000000000000001'],
      ['s2', '0000000000000002'],
      ['s3', '0000000000000003'],
    ]);
    expect(d.switches.every((s) => s.failMode === 'standalone')).toBe(true);
    expect(d.controller).toBeNull();
    expect(d.links).toEqual([
      { a: { switch: 's1', port: 1, intf: 's1-eth1' }, b: { switch: 's2', port: 1, intf: 's2-eth1' } },
      { a: { switch: 's2', port: 2, intf: 's2-eth2' }, b: { switch: 's3', port: 1, intf: 's3-eth1' } },
      { a: { switch: 's3', port: 2, intf: 's3-eth2' }, b: { switch: 's1', port: 2, intf: 's1-eth2' } },
    ]);
    expect(d.hosts.length).toBeGreaterThanOrEqual(8);
    const byName = new Map(d.hosts.map((h) => [h.name, h]));
    for (const name of ['ids', 'honeypot', 'attacker', 'srv1', 'srv2', 'c1', 'c2', 'c3']) expect(byName.has(name)).toBe(true);
    for (const h of d.hosts) {
      const nn = /^10\.0\.0\.(\d+)$/.exec(h.ip);
      expect(nn).not.toBeNull();
      expect(h.mac).toBe(`00:00:00:00:00:${nn![1]!.padStart(2, '0')}`);
      expect(['s1', 's2', 's3']).toContain(h.switch);
      expect(h.port).toBeGreaterThanOrEqual(3);
      expect(h.switchIntf).toBe(`${h.switch}-eth${h.port}`);
    }
    expect(new Set(d.hosts.map((h) => h.switch)).size).toBe(3);
    expect(byName.get('srv1')!.ip).toBe('10.0.0.11');
    // each host's own view agrees with the dump
    const ipOut = await fabric!.sh('c1', 'ip -o link show c1-eth0; ip -o -4 addr show c1-eth0');
    expect(ipOut).toContain(byName.get('c1')!.mac);
    expect(ipOut).toContain(`${byName.get('c1')!.ip}/24`);
    // and OVS's bridges are the ones the dump names, marked as the lab's
    const ext = await fabric!.ovs('s2', ['get', 'bridge', 's2', 'external_ids:vigil-lab'], { tool: 'vsctl' });
    expect(ext.output.trim()).toBe('fabric');
  });

  it('carries TCP between hosts on different switches', async () => {
    const server = await fabric!.popen('srv2', 'python3 -m http.server 8080 --bind 10.0.0.12');
    try {
      let out = '';
      for (let i = 0; i < 20 && !out.startsWith('200'); i++) {
        const r = await fabric!.cmd('c3', 'curl -s -m 3 -o /dev/null -w "%{http_code}" http://10.0.0.12:8080/', 10_000);
        out = r.output;
        if (!out.startsWith('200')) await new Promise((res) => setTimeout(res, 250));
      }
      expect(out).toBe('200');
    } finally {
      await fabric!.kill(server);
    }
  });

  it('leaves no bridge behind after stop', async () => {
    expect(bridges()).toEqual(expect.arrayContaining(['s1', 's2', 's3']));
    await fabric!.stop();
    const left = bridges().filter((b) => ['s1', 's2', 's3'].includes(b));
    expect(left).toEqual([]);
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
    expect(links).not.toMatch(/\bs[123]-eth\d+/);
  });
});
