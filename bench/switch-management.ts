/**
 * Switch-management benchmarks (figures printed, never asserted):
 *   1. deriveInventory on a replica of 10 bridges x 100 ports (1000 interfaces with VM context): first
 *      derivation, and again with nothing changed
 *   2. replica update (one port's tag) -> inventory$ emission (one bridge re-derived): updates/s
 *   3. planning on that replica: planAttach, planMirror, planDetach, plans/s
 *   4. against the system Open vSwitch (skipped when it is not running), on a bridge of its own
 *      (vgbench-sw, external_ids:vigil-test=1, removed at the end): attach and detach round trips p50/p99,
 *      each until ovs-vswitchd reports the configuration applied (cur_cfg), and ovs-vsctl -> Inventory latency
 * Run: npx tsc -p tsconfig.bench.json && node dist-bench/bench/switch-management.js
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { filter, firstValueFrom } from 'rxjs';
import { parseSchema } from '../src/codec/ovsdb/schema.js';
import type { RowUpdate2, TableUpdates2 } from '../src/codec/ovsdb/updates.js';
import { OvsdbMap, OvsdbSet, Uuid } from '../src/codec/ovsdb/value.js';
import { planAttach, planDetach } from '../src/southbound/ovsdb/bridge-attach.js';
import { OvsdbClient } from '../src/southbound/ovsdb/client.js';
import { deriveInventory, inventory$, type Inventory } from '../src/southbound/ovsdb/inventory.js';
import { planMirror } from '../src/southbound/ovsdb/mirrors.js';
import { Replica } from '../src/southbound/ovsdb/replica.js';
import { DEFAULT_SFLOW } from '../src/southbound/ovsdb/sflow-config.js';
import { SwitchManager } from '../src/southbound/ovsdb/switch-manager.js';
import { SWITCH_MONITOR } from '../src/southbound/ovsdb/switch-plan.js';
import type { VswitchRows } from '../src/southbound/ovsdb/vswitch.js';
import { pct, timeIt } from './timing.js';

const SCHEMA_FILE = '/usr/share/openvswitch/vswitch.ovsschema';
const schema = parseSchema(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
const uuid = (i: number): Uuid => new Uuid(`${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);

/** A replica holding `bridges` bridges of `ports` ports each. */
function bigReplica(bridges: number, ports: number): Replica<VswitchRows> {
  const columns = Object.fromEntries(Object.entries(SWITCH_MONITOR).map(([t, r]) => [t, r.columns]));
  const replica = new Replica<VswitchRows>(schema, columns);
  const up: TableUpdates2 = new Map(Object.keys(SWITCH_MONITOR).map((t) => [t, [] as RowUpdate2[]]));
  let id = 1;
  const bridgeIds: Uuid[] = [];
  for (let b = 0; b < bridges; b++) {
    const portIds: Uuid[] = [];
    for (let p = 0; p < ports; p++) {
      const iface = uuid(id++);
      const port = uuid(id++);
      const mac = `fa:16:3e:${b.toString(16).padStart(2, '0')}:${(p >> 8).toString(16).padStart(2, '0')}:${(p & 255).toString(16).padStart(2, '0')}`;
      up.get('Interface')!.push({
        uuid: iface,
        kind: 'initial',
        row: {
          name: `tap${b}-${p}`,
          ofport: OvsdbSet.of(p + 1),
          mac_in_use: OvsdbSet.of(mac),
          external_ids: new OvsdbMap([
            ['iface-id', `port-${b}-${p}`],
            ['attached-mac', mac],
            ['vm-uuid', `vm-${b}-${p >> 2}`],
          ]),
        },
      });
      up.get('Port')!.push({ uuid: port, kind: 'initial', row: { name: `tap${b}-${p}`, interfaces: OvsdbSet.of(iface), tag: OvsdbSet.of((p % 100) + 1) } });
      portIds.push(port);
    }
    const br = uuid(id++);
    bridgeIds.push(br);
    up.get('Bridge')!.push({ uuid: br, kind: 'initial', row: { name: `br${b}`, ports: new OvsdbSet(portIds), datapath_type: 'netdev', datapath_id: OvsdbSet.of(b.toString(16).padStart(16, '0')) } });
  }
  up.get('Open_vSwitch')!.push({ uuid: uuid(id++), kind: 'initial', row: { bridges: new OvsdbSet(bridgeIds) } });
  replica.applyTableUpdates2(up, 'initial');
  return replica;
}

function benchPure(): void {
  const cold: number[] = [];
  for (let i = 0; i < 10; i++) {
    const fresh = bigReplica(10, 100);
    const t0 = performance.now();
    deriveInventory(fresh);
    cold.push(performance.now() - t0);
  }
  console.log(`deriveInventory, 10 bridges x 100 ports, first derivation: p50 ${pct(cold, 50).toFixed(2)} ms`);
  const replica = bigReplica(10, 100);
  const d = timeIt(() => deriveInventory(replica));
  console.log(`deriveInventory again, nothing changed (per-bridge entries reused): ${((d.ms / d.runs) * 1000).toFixed(0)} us each`);

  const port = [...replica.rows('Port').values()][0]!;
  let last: Inventory | undefined;
  const sub = inventory$(replica).subscribe((i) => (last = i));
  let tag = 1;
  const u = timeIt(() => {
    tag = (tag % 4000) + 1;
    replica.applyTableUpdates2(new Map([['Port', [{ uuid: port._uuid, kind: 'modify', row: { tag: OvsdbSet.of(tag) } }]]]));
  });
  sub.unsubscribe();
  if (!last) throw new Error('no inventory emitted');
  console.log(`replica update -> inventory$ emission (same size): ${(u.runs / (u.ms / 1000)).toFixed(0)} updates/s (${((u.ms / u.runs) * 1000).toFixed(0)} us each)`);

  const spec = { controller: 'tcp:127.0.0.1:6653', sflow: { targets: ['127.0.0.1:6343'], ...DEFAULT_SFLOW } };
  for (const [name, fn] of [
    ['planAttach', () => planAttach(replica, 'br5', spec)],
    ['planMirror', () => planMirror(replica, 'br5', { name: 'm', selectSrcPorts: ['tap5-1', 'tap5-2'], outputPort: 'tap5-99' })],
    ['planDetach', () => planDetach(replica, 'br5')],
  ] as const) {
    const r = timeIt(() => void fn(), 500);
    console.log(`${name} on that replica: ${(r.runs / (r.ms / 1000)).toFixed(0)} plans/s`);
  }
}

function vsctl(...args: string[]): string {
  return execFileSync('ovs-vsctl', ['--timeout=10', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function benchLive(): Promise<void> {
  try {
    vsctl('show');
  } catch {
    console.log('system Open vSwitch not running: live figures skipped');
    return;
  }
  const BR = 'vgbench-sw';
  const ours = (): boolean => vsctl('list-br').split('\n').includes(BR);
  if (ours()) {
    if (!vsctl('get', 'bridge', BR, 'external_ids:vigil-test').includes('1')) throw new Error(`${BR} exists and is not ours`);
    vsctl('del-br', BR);
  }
  const client = new OvsdbClient({ remote: 'unix:/var/run/openvswitch/db.sock' });
  await client.connect();
  const manager = await SwitchManager.open(client);
  try {
    vsctl('add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev', 'external_ids:vigil-test=1', 'fail_mode=standalone');
    await firstValueFrom(manager.inventory$.pipe(filter((i) => i.bridges.some((b) => b.name === BR))));
    // Targets nobody listens on (the ports of this process's closed listeners would do as well).
    const spec = { controller: 'tcp:127.0.0.1:1', sflow: { targets: ['127.0.0.1:9'], ...DEFAULT_SFLOW } };
    const attach: number[] = [];
    const detach: number[] = [];
    let notApplied = 0;
    for (let i = 0; i < 50; i++) {
      let t0 = performance.now();
      const a = await manager.attach(BR, spec);
      attach.push(performance.now() - t0);
      t0 = performance.now();
      const d = await manager.detach(BR);
      detach.push(performance.now() - t0);
      if (!a.applied || !d.applied) notApplied++;
    }
    console.log(
      `attach (until ovs-vswitchd applied it): p50 ${pct(attach, 50).toFixed(1)} ms p99 ${pct(attach, 99).toFixed(1)} ms; ` +
        `detach: p50 ${pct(detach, 50).toFixed(1)} ms p99 ${pct(detach, 99).toFixed(1)} ms (50 each, ${notApplied} not applied in time)`,
    );
    const seen: number[] = [];
    for (let i = 0; i < 50; i++) {
      const want = `v${i}`;
      const t0 = performance.now();
      vsctl('--no-wait', 'set', 'bridge', BR, `external_ids:bench=${want}`);
      await firstValueFrom(manager.inventory$.pipe(filter((inv) => inv.bridges.find((b) => b.name === BR)?.externalIds.bench === want)));
      seen.push(performance.now() - t0);
    }
    console.log(`ovs-vsctl --no-wait -> Inventory (incl. the ovs-vsctl process): p50 ${pct(seen, 50).toFixed(1)} ms p99 ${pct(seen, 99).toFixed(1)} ms`);
  } finally {
    await manager.close();
    await client.close();
    if (ours()) vsctl('del-br', BR);
  }
}

benchPure();
await benchLive();
