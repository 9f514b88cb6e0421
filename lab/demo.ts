/**
 * The demo (README's first command, via lab/demo): Open vSwitch up, Vigil started, the 'fabric' Mininet
 * topology attached to it; shows the switches connecting and Vigil's pipeline on each, runs pingAll
 * through it, then tears everything down (--keep leaves it all running and says how to stop it).
 */
import { execFileSync } from 'node:child_process';
import { ensureOvs, releaseOvs, startFabric, type Fabric } from './fabric-client.js';
import { VigilProcess, type LogLine } from './vigil-process.js';

const keep = process.argv.includes('--keep');
const port = Number(process.env.VIGIL_OPENFLOW_PORT ?? 6653);
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (s: string): void => console.log(`\n${bold(`== ${s}`)}`);

async function main(): Promise<number> {
  let vigil: VigilProcess | undefined;
  let fabric: Fabric | undefined;
  let ok = false;
  try {
    step('Open vSwitch (userspace datapath)');
    const ovs = await ensureOvs();
    console.log(ovs.startedNow ? 'started ovsdb-server and ovs-vswitchd' : 'already running');

    step(`Vigil controller on OpenFlow port ${port}`);
    vigil = VigilProcess.start({ VIGIL_OPENFLOW_PORT: String(port) });
    const listening = await Promise.race([
      vigil.waitFor((l) => l.msg === 'openflow listening', 1, 15_000, true),
      vigil.exited.then((code) => {
        throw new Error(`vigil exited (code ${code}): ${vigil!.logs.map((l) => l.msg).join('; ')}`);
      }),
    ]);
    console.log(`vigil pid ${vigil.pid} listening on [${String(listening[0]!.address)}]:${String(listening[0]!.port)}`);
    const show = (l: LogLine): void => {
      if (l.msg === 'switch ready') console.log(`  switch connected: dpid ${String(l.dpid)} (${String(l.ports)} ports) from ${String(l.remote)}`);
      if (l.msg === 'pipeline reconciled') console.log(`  pipeline on ${String(l.dpid)}: ${String(l.added)} rule(s) added, ${String(l.removed)} removed, ${String(l.unchanged)} already right`);
    };
    let shown = vigil.logs.length;
    const timer = setInterval(() => {
      while (shown < vigil!.logs.length) show(vigil!.logs[shown++]!);
    }, 100);

    step("Mininet 'fabric': s1, s2, s3 in a loop (RSTP), hosts c1 c2 c3 srv1 srv2 ids honeypot attacker");
    fabric = await startFabric({ controllerPort: port, failMode: 'secure', timeoutMs: 90_000 });
    await vigil.waitFor((l) => l.msg === 'pipeline reconciled', 3, 60_000, true);
    await new Promise((r) => setTimeout(r, 200));
    clearInterval(timer);
    while (shown < vigil.logs.length) show(vigil.logs[shown++]!);
    for (const sw of fabric.topology.switches) {
      console.log(`  ${sw.name} dpid ${sw.dpid}`);
    }
    for (const h of fabric.hosts) console.log(`  ${h.name.padEnd(9)} ${h.ip.padEnd(10)} ${h.mac}  on ${h.switch} port ${h.port}`);

    step("Vigil's pipeline on each switch (ovs-ofctl -O OpenFlow13 dump-flows)");
    for (const sw of ['s1', 's2', 's3']) {
      console.log(`  ${bold(sw)}`);
      const out = execFileSync('ovs-ofctl', ['-O', 'OpenFlow13', '--no-stats', 'dump-flows', sw], { encoding: 'utf8' });
      for (const line of out.trim().split('\n')) console.log(`    ${line.trim()}`);
    }

    step('pingAll through Vigil (waiting for RSTP to break the loop)');
    const r = await fabric.waitForFullReachability(60_000);
    console.log(r.raw.trim().split('\n').map((l) => `  ${l}`).join('\n'));
    console.log(`  ${r.received}/${r.sent} received, ${r.lossPercent}% loss (converged after ${(r.elapsedMs / 1000).toFixed(1)} s)`);
    ok = r.lossPercent === 0;

    if (keep) {
      step('left running (--keep)');
      console.log(`  vigil pid ${vigil.pid}; Mininet driver pid ${fabric.pid}`);
      console.log(`  stop them with: kill ${fabric.pid} ${vigil.pid}   (then lab/ovs stop)`);
      fabric = undefined;
      vigil = undefined;
      return ok ? 0 : 1;
    }
  } catch (e) {
    console.error(`demo failed: ${(e as Error).message}`);
  } finally {
    if (fabric || vigil) step('teardown');
    if (fabric) await fabric.stop();
    if (vigil) await vigil.stop();
    if (!keep) await releaseOvs();
  }
  console.log(ok ? '\ndemo complete: every host reached every other through Vigil.' : '\ndemo FAILED');
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code));
