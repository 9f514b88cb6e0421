/**
 * The fabric under Vigil's control (fail_mode=secure: without Vigil's flows nothing forwards):
 * every switch connects and carries Vigil's pipeline, RSTP still breaks the loop through the pipeline,
 * pingAll loses nothing, and killing and restarting Vigil under a running ping loses < 1 % of pings and
 * leaves exactly one copy of each Vigil rule.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { COOKIE_MAGIC, COOKIE_MAGIC_MASK, OwnerKind, parseCookie } from '../../src/southbound/openflow/cookies.js';
import { basePipelineRules } from '../../src/southbound/openflow/tables.js';
import { dumpFlows, ensureOvs, freePort, labAvailable, releaseOvs, startFabric, VigilProcess, type Fabric, type LogLine } from '../support/lab.js';


const RULES = basePipelineRules().length;
const SWITCHES = ['s1', 's2', 's3'];
const reconciled = (l: LogLine): boolean => l.msg === 'pipeline reconciled';

describe('fabric under Vigil', () => {
  let fabric: Fabric | undefined;
  let vigil: VigilProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    const lab = labAvailable();
    if (!lab.ok) throw new Error(`the lab cannot run here: ${lab.reason}`);
    await ensureOvs();
    port = await freePort();
    vigil = VigilProcess.start({ VIGIL_OPENFLOW_PORT: String(port), VIGIL_SFLOW_PORT: '0', VIGIL_LOG_LEVEL: 'info' });
    await vigil.waitFor((l) => l.msg === 'openflow listening', 1, 15_000, true);
    fabric = await startFabric({ controllerPort: port, failMode: 'secure', timeoutMs: 90_000 });
    await vigil.waitFor(reconciled, 3, 30_000, true);
  });

  afterAll(async () => {
    await fabric?.stop();
    await vigil?.stop();
    await releaseOvs();
  });

  /** Vigil's pipeline flows (discovery's learned HOST/TRANSIT rules come and go with the traffic: left out). */
  async function vigilFlows(sw: string) {
    const pipeline = new Set<number>([OwnerKind.PIPELINE, OwnerKind.DISCOVERY]);
    return (await dumpFlows(sw)).filter((f) => (f.cookie & COOKIE_MAGIC_MASK) === COOKIE_MAGIC && pipeline.has(parseCookie(f.cookie)?.kind ?? 0));
  }

  it("puts Vigil's pipeline on every switch", async () => {
    const dpids = new Set(vigil!.logs.filter(reconciled).map((l) => l.dpid));
    expect([...dpids].sort()).toEqual(['0000000000000001', '0000000000000002', '0000000000000003']);
    for (const sw of SWITCHES) {
      const flows = await vigilFlows(sw);
      expect(flows).toHaveLength(RULES);
      const t = (table: number, prio = 0) => flows.find((f) => f.table === table && f.priority === prio);
      expect(t(0)?.actions).toBe('goto_table:1');
      expect(t(1)?.actions).toBe('goto_table:2');
      expect(t(2)?.actions).toBe('NORMAL');
      expect(flows.find((f) => f.match.includes('dl_type=0x88cc'))?.actions).toBe('CONTROLLER:65535');
    }
  });

  it('reaches every host from every host (pingAll 0 % loss), with RSTP breaking the loop', async () => {
    const r = await fabric!.waitForFullReachability(45_000);
    console.log(`pingall under Vigil: ${r.lossPercent}% loss after ${r.elapsedMs} ms`);
    expect(r.lossPercent).toBe(0);
    const final = await fabric!.pingAll();
    expect(final.lossPercent).toBe(0);
    const settled = await fabric!.waitForRstp(40_000);
    expect(settled.blocked).toEqual(['s3-eth1']);
    // Traffic really went through Vigil's forwarding table (its NORMAL rules: the table-miss one, the
    // first-packet copy rules and discovery's learned ones).
    for (const sw of SWITCHES) {
      const fwd = (await dumpFlows(sw)).filter((f) => (f.cookie & COOKIE_MAGIC_MASK) === COOKIE_MAGIC && f.table === 2);
      expect(fwd.reduce((n, f) => n + f.n_packets, 0)).toBeGreaterThan(0);
    }
  });

  it('loses < 1 % of pings while Vigil is killed and restarted, and leaves one copy of each rule', async () => {
    const srv2 = fabric!.host('srv2');
    const ping = await fabric!.popen('c1', `ping -i 0.1 -c 150 -W 1 ${srv2.ip}`);
    await new Promise((r) => setTimeout(r, 2000));
    await vigil!.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    vigil = VigilProcess.start({ VIGIL_OPENFLOW_PORT: String(port), VIGIL_SFLOW_PORT: '0', VIGIL_LOG_LEVEL: 'info' });
    const again = await vigil.waitFor(reconciled, 3, 30_000, true);
    for (const l of again) {
      expect(l.added).toBe(0);
      expect(l.removed).toBe(0);
      expect(l.unchanged).toBe(RULES);
    }
    const res = await fabric!.wait(ping, 30_000);
    const m = /(\d+) packets transmitted, (\d+) received/.exec(res.output);
    expect(m).not.toBeNull();
    const sent = Number(m![1]);
    const received = Number(m![2]);
    const loss = (100 * (sent - received)) / sent;
    console.log(`ping through a Vigil kill/restart: ${sent} sent, ${received} received (${loss.toFixed(2)}% loss)`);
    expect(sent).toBe(150);
    expect(loss).toBeLessThan(1);
    for (const sw of SWITCHES) {
      const flows = await vigilFlows(sw);
      expect(flows).toHaveLength(RULES);
      expect(new Set(flows.map((f) => `${f.table}/${f.priority}/${f.match}`)).size).toBe(RULES);
    }
  });
});
