/**
 * The controller runtime against a real Open vSwitch (userspace datapath): handshake, pipeline
 * installation, reconciliation on reconnect (exactly one copy of each rule, stale Vigil rules removed,
 * foreign rules untouched), typed refusals carrying OVS's error type/code, IPv6 transport, and
 * reinstallation after ovs-vswitchd restarts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { firstValueFrom, filter, timeout } from 'rxjs';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/observability/log.js';
import { Registry } from '../../src/observability/metrics.js';
import { startController, type Controller, type PipelineInstalled } from '../../src/pipeline/controller.js';
import { COOKIE_MAGIC, COOKIE_MAGIC_MASK, cookieFor, OwnerKind } from '../../src/southbound/openflow/cookies.js';
import { BatchRefusedError, SwitchRefusedError } from '../../src/southbound/openflow/errors.js';
import { addFlowMod } from '../../src/southbound/openflow/flow-rule.js';
import type { Outgoing } from '../../src/southbound/openflow/session.js';
import { basePipelineRules } from '../../src/southbound/openflow/tables.js';
import { createTestBridge, deleteTestBridge, dumpFlows, ofctl, ovsRunning } from '../support/ovs.js';


const BR = 'vgtest1';
const BR6 = 'vgtest2';
const DPID = 0xa1n;
const DPID6 = 0xa2n;
let controller: Controller;
let port: number;

/** Stops ovs-vswitchd gracefully and waits until its pid is gone (ovsdb-server keeps the config). */
function restartVswitchd(): void {
  const pid = Number(readFileSync('/var/run/openvswitch/ovs-vswitchd.pid', 'utf8').trim());
  execFileSync('ovs-appctl', ['-t', 'ovs-vswitchd', 'exit'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    execFileSync('sleep', ['0.1']);
  }
  throw new Error(`ovs-vswitchd (pid ${pid}) did not exit`);
}

function nextInstall(dpid: bigint, ms = 20_000): Promise<PipelineInstalled> {
  return firstValueFrom(controller.pipelineInstalled$.pipe(filter((p) => p.dpid === dpid), timeout(ms)));
}

function vigilFlows(bridge: string) {
  return dumpFlows(bridge).filter((f) => (f.cookie & COOKIE_MAGIC_MASK) === COOKIE_MAGIC);
}

async function start(onPort: number): Promise<void> {
  // sFlow on an ephemeral loopback port: these tests need no telemetry, and must not depend on 6343 being free.
  const config = loadConfig({ env: { VIGIL_OPENFLOW_PORT: String(onPort) }, text: 'openflow:\n  host: "::"\n  echoIntervalMs: 1000\n  deadAfterMs: 3000\nsflow:\n  host: 127.0.0.1\n  port: 0\n' });
  controller = await startController(config, { logger: silentLogger, metrics: new Registry() });
  port = controller.openflow.address!.port;
}

beforeAll(async () => {
  if (!ovsRunning()) throw new Error('Open vSwitch is not running: start it with lab/ovs start (lab/test does)');
  await start(0);
});

afterAll(async () => {
  deleteTestBridge(BR);
  deleteTestBridge(BR6);
  await controller?.close();
});

describe('controller against real Open vSwitch', () => {
  it('completes the handshake and installs the pipeline on connect', async () => {
    const installed = nextInstall(DPID);
    createTestBridge(BR, DPID, `tcp:127.0.0.1:${port}`);
    const p = await installed;
    expect(p.plan.add.length).toBe(basePipelineRules().length);
    const session = controller.openflow.sessions.get(DPID)!;
    expect(session.features?.nTables).toBeGreaterThanOrEqual(3);
    expect([...session.ports.values()].map((x) => x.name)).toContain(BR);

    const flows = vigilFlows(BR);
    expect(flows).toHaveLength(basePipelineRules().length);
    const byTable = (t: number) => flows.filter((f) => f.table === t);
    expect(byTable(0).find((f) => f.priority === 0)?.actions).toBe('goto_table:1');
    expect(byTable(1).find((f) => f.priority === 0)?.actions).toBe('goto_table:2');
    expect(byTable(2).find((f) => f.priority === 0)?.actions).toBe('NORMAL');
    expect(byTable(0).find((f) => f.match.includes('dl_type=0x88cc'))?.actions).toBe('CONTROLLER:65535');
    expect(byTable(0).find((f) => f.match.includes('dl_dst=01:80:c2:00:00:00/ff:ff:ff:ff:ff:f0'))?.actions).toBe('NORMAL');
  });

  it('reconciles when Vigil restarts: keeps what is right, removes stale Vigil rules, never touches foreign rules', async () => {
    // Vigil goes away; the switch (fail_mode=secure) keeps its flows. Meanwhile the table drifts: a stale
    // rule Vigil once owned, a Vigil rule whose actions changed, and a rule someone else owns.
    await controller.close();
    const stale = cookieFor(OwnerKind.PIPELINE, 0x99);
    ofctl('add-flow', BR, `cookie=0x${stale.toString(16)},table=1,priority=7,ip,nw_src=10.9.9.9,actions=drop`);
    ofctl('add-flow', BR, `cookie=0x${cookieFor(OwnerKind.PIPELINE, 3).toString(16)},table=2,priority=0,actions=drop`);
    ofctl('add-flow', BR, 'cookie=0x1,table=1,priority=9,ip,nw_src=10.8.8.8,actions=drop');

    await start(port); // same port: the switch reconnects by itself
    const p = await nextInstall(DPID);
    expect(p.plan.remove.map((r) => r.cookie)).toEqual([stale]);
    expect(p.plan.add).toHaveLength(1); // the drifted forwarding rule is put back
    expect(p.plan.unchanged).toBe(basePipelineRules().length - 1);

    const flows = vigilFlows(BR);
    expect(flows).toHaveLength(basePipelineRules().length); // exactly one copy of each
    expect(flows.find((f) => f.table === 2 && f.priority === 0)?.actions).toBe('NORMAL');
    expect(dumpFlows(BR).some((f) => f.cookie === 1n && f.match.includes('nw_src=10.8.8.8'))).toBe(true);
  });

  it('reports a flow-mod OVS rejects as a typed error with OVS type and code', async () => {
    const session = controller.openflow.sessions.get(DPID)!;
    const bad = addFlowMod({
      tableId: 2,
      priority: 10,
      match: [{ field: 'eth_type', value: 0x0800 }],
      instructions: [{ type: 'goto_table', tableId: 1 }], // goto_table must go forward: OFPBIC_BAD_TABLE_ID
      cookie: cookieFor(OwnerKind.SEGMENT, 1),
    });
    const good = addFlowMod({ tableId: 1, priority: 10, match: [{ field: 'eth_type', value: 0x0806 }], instructions: [{ type: 'goto_table', tableId: 2 }], cookie: cookieFor(OwnerKind.SEGMENT, 2) });
    let err: unknown;
    try {
      await session.sendBatch([good, bad, good] as Outgoing[]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BatchRefusedError);
    const failures = (err as BatchRefusedError).failures;
    expect(failures).toHaveLength(1);
    expect(failures[0]!.index).toBe(1);
    expect(failures[0]!.error).toBeInstanceOf(SwitchRefusedError);
    expect(failures[0]!.error.errType).toBe(3); // OFPET_BAD_INSTRUCTION
    expect(failures[0]!.error.errCode).toBe(2); // OFPBIC_BAD_TABLE_ID
    expect(failures[0]!.error.errorName).toBe('OFPET_BAD_INSTRUCTION/OFPBIC_BAD_TABLE_ID');

    // A meter that does not exist: OVS refuses it with OFPET_METER_MOD_FAILED/OFPMMFC_INVALID_METER.
    const noMeter = addFlowMod({ tableId: 1, priority: 11, match: [], instructions: [{ type: 'meter', meterId: 4242 }, { type: 'goto_table', tableId: 2 }], cookie: cookieFor(OwnerKind.SEGMENT, 3) });
    await expect(session.sendBatch([noMeter] as Outgoing[])).rejects.toMatchObject({ failures: [{ index: 0, error: { errType: 12, errCode: 2, errorName: 'OFPET_METER_MOD_FAILED/OFPMMFC_INVALID_METER' } }] });

    // The session survives refusals.
    await session.barrier();
    expect(session.isReady).toBe(true);
    // Clean up the one valid rule we added.
    ofctl('--strict', 'del-flows', BR, 'table=1,priority=10,arp');
  });

  it('accepts switches over IPv6', async () => {
    const installed = nextInstall(DPID6);
    createTestBridge(BR6, DPID6, `tcp:[::1]:${port}`);
    const p = await installed;
    expect(p.session.remote).toContain('::1');
    expect(vigilFlows(BR6)).toHaveLength(basePipelineRules().length);
    deleteTestBridge(BR6);
  });

  it('reinstalls the pipeline after ovs-vswitchd restarts', async () => {
    const installed = nextInstall(DPID, 40_000);
    restartVswitchd();
    execFileSync('/usr/share/openvswitch/scripts/ovs-ctl', ['--no-ovsdb-server', '--system-id=random', 'start'], { stdio: 'ignore' });
    const p = await installed;
    expect(p.plan.add.length).toBe(basePipelineRules().length);
    expect(vigilFlows(BR)).toHaveLength(basePipelineRules().length);
  });
});

describe('typed switch API against real Open vSwitch', () => {
  it('installs a weighted select group, a meter and a flow using both, then removes them', async () => {
    const { addGroup, addMeter, applyChanges } = await import('../../src/southbound/openflow/switch-api.js');
    createTestBridgeIfMissing();
    const session = await sessionFor(DPID);
    await addMeter(session, { meterId: 9, unit: 'kbps', burst: true, stats: true, bands: [{ type: 'drop', rate: 2000, burstSize: 200 }] });
    await addGroup(session, {
      groupId: 21,
      kind: 'SELECT',
      buckets: [
        { weight: 30, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: [{ type: 'output', port: 0xfffffffd, maxLen: 128 }] },
        { weight: 70, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: [] },
      ],
    });
    const rule = {
      tableId: 0, priority: 500, cookie: cookieFor(OwnerKind.MIRROR, 21),
      match: [{ field: 'eth_type', value: 0x0800 }, { field: 'ipv4_src', value: '10.0.0.66' }] as never,
      instructions: [{ type: 'meter', meterId: 9 }, { type: 'apply_actions', actions: [{ type: 'group', groupId: 21 }] }, { type: 'goto_table', tableId: 1 }] as never,
    };
    await applyChanges(session, { addFlows: [rule] });
    expect(ofctl('dump-groups', BR)).toMatch(/group_id=21,type=select,bucket=weight:30,actions=CONTROLLER:128,bucket=weight:70,actions=drop/);
    expect(ofctl('dump-meters', BR)).toMatch(/meter=9 kbps burst stats bands=\s*type=drop rate=2000 burst_size=200/);
    const f = dumpFlows(BR).find((x) => x.cookie === rule.cookie)!;
    expect(f.match).toBe('ip,nw_src=10.0.0.66');
    expect(f.actions).toBe('meter:9,group:21,goto_table:1');

    await applyChanges(session, { removeFlows: [rule], removeGroups: [21], removeMeters: [9] });
    expect(dumpFlows(BR).some((x) => x.cookie === rule.cookie)).toBe(false);
    expect(ofctl('dump-groups', BR)).not.toMatch(/group_id=21/);
    expect(ofctl('dump-meters', BR)).not.toMatch(/meter=9/);
  });
});

function createTestBridgeIfMissing(): void {
  if (!vsctlListBr().includes(BR)) createTestBridge(BR, DPID, `tcp:127.0.0.1:${port}`);
}

function vsctlListBr(): string[] {
  return execFileSync('ovs-vsctl', ['list-br'], { encoding: 'utf8' }).split('\n');
}

async function sessionFor(dpid: bigint) {
  const s = controller.openflow.sessions.get(dpid);
  if (s?.isReady) return s;
  return (await nextInstall(dpid)).session;
}
