/**
 * Switch management against the real Open vSwitch (system ovsdb-server and ovs-vswitchd), on bridges this
 * test creates (vgtest-sw1..4, external_ids:vigil-test=1). Oracles: ovs-vsctl, ovsdb-client dump and
 * ovsdb-client transact (row _version).
 *   - attach: every value Vigil sets, exactly as ovs-vsctl and ovsdb-client show it;
 *   - attach twice: one set of rows, no row written (same _version), nothing sent;
 *   - detach: the bridge and every row it refers to exactly as before attach (modulo counters);
 *   - a writer racing between planning and commit: the guarded transaction is refused with the typed
 *     error carrying OVSDB's details, nothing of it applied; planning again on fresh state succeeds;
 *   - sFlow and ingress policing set, updated and removed;
 *   - every ovs-vsctl change shows in the Inventory within 1 s (latencies printed);
 *   - `vigil attach` / `vigil detach` in-process: output, idempotence, exit statuses.
 */
import { OvsdbTransactionError } from '../../src/codec/ovsdb/errors.js';
import { attachCommand, detachCommand, type CliIo } from '../../src/cli/attach.js';
import { Registry } from '../../src/observability/metrics.js';
import { planAttach, planDetach, type AttachSpec } from '../../src/southbound/ovsdb/bridge-attach.js';
import { OvsdbClient } from '../../src/southbound/ovsdb/client.js';
import { bridgeByName, type Inventory, type InventoryBridge } from '../../src/southbound/ovsdb/inventory.js';
import { DEFAULT_SFLOW } from '../../src/southbound/ovsdb/sflow-config.js';
import { SwitchChangeError } from '../../src/southbound/ovsdb/switch-errors.js';
import { SwitchManager } from '../../src/southbound/ovsdb/switch-manager.js';
import { findBridge } from '../../src/southbound/ovsdb/switch-plan.js';
import { ovsRunning, vsctl } from '../support/ovs.js';
import { freePort, ovsdbDump, within } from './ovsdb-support.js';
import { addInternalPort, bridgeClosure, createOurBridge, DB, inventoryWhere, REMOTE, removeOurBridge, rowVersions, uuidsIn, vsget } from './ovsdb-switch-support.js';

const BR1 = 'vgtest-sw1';
const BR2 = 'vgtest-sw2';
const BR3 = 'vgtest-sw3';
const BR4 = 'vgtest-sw4';
const ours = [BR1, BR2, BR3, BR4];

const available = ovsRunning();
const d = available ? describe : describe.skip;

function captureIo(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) }, stdout: () => out, stderr: () => err };
}

d('switch management against Open vSwitch', () => {
  let client: OvsdbClient;
  let manager: SwitchManager;
  let metrics: Registry;
  let spec: AttachSpec;
  let ctrlTarget: string;
  let sflowTarget: string;
  const br = (inv: Inventory, name: string): InventoryBridge | undefined => bridgeByName(inv, name);

  beforeAll(async () => {
    for (const b of ours) removeOurBridge(b);
    // Ports nobody listens on: the bridges must not reach another test's controller or collector.
    ctrlTarget = `tcp:127.0.0.1:${await freePort()}`;
    sflowTarget = `127.0.0.1:${await freePort()}`;
    spec = { controller: ctrlTarget, sflow: { targets: [sflowTarget], ...DEFAULT_SFLOW, agent: 'lo' } };
    metrics = new Registry();
    client = new OvsdbClient({ remote: REMOTE });
    await client.connect();
    manager = await SwitchManager.open(client, { metrics });
  });

  afterAll(async () => {
    await manager?.close();
    await client?.close();
    for (const b of ours) {
      try {
        removeOurBridge(b);
      } catch {
        /* reported by the tests */
      }
    }
  });

  describe('attach and detach', () => {
    let before: ReturnType<typeof bridgeClosure>;

    beforeAll(async () => {
      createOurBridge(BR1, 'fail_mode=standalone', 'protocols=OpenFlow10,OpenFlow15');
      addInternalPort(BR1, 'vgsw1-p1', 'tag=10');
      addInternalPort(BR1, 'vgsw1-p2');
      vsctl('set', 'interface', 'vgsw1-p1', 'ingress_policing_rate=300', 'ingress_policing_burst=30');
      await inventoryWhere(manager.inventory$, (inv) => br(inv, BR1)?.ports.length === 3, 2000, 'the new bridge');
      // Let ovs-vswitchd finish its own writes (ofport, mac_in_use, status) before taking the baseline.
      await within(5000, () => vsget('interface', 'vgsw1-p2', 'ofport') !== '[]', 'ofports');
      before = bridgeClosure(BR1);
    });

    it('sets controller, fail_mode, protocols and sFlow exactly as ovs-vsctl and ovsdb-client show them', async () => {
      const r = await manager.attach(BR1, spec);
      expect([r.changed, r.attempts, r.settled, r.applied]).toEqual([true, 1, true, true]); // applied: ovs-vswitchd's cur_cfg caught up
      expect(r.plan.changes).toEqual([
        `add controller ${ctrlTarget}`,
        'set fail_mode secure (was standalone)',
        'set protocols [OpenFlow13, OpenFlow15] (was [OpenFlow10, OpenFlow15])',
        `export sFlow: targets [${sflowTarget}] sampling 1/64 polling 10s header 128B agent lo`,
      ]);
      const ctrl = vsget('bridge', BR1, 'controller').replace(/[[\]]/g, '');
      expect(vsget('controller', ctrl, 'target')).toBe(`"${ctrlTarget}"`);
      expect(vsget('controller', ctrl, 'external_ids')).toBe('{vigil-owner=vigil}');
      expect(vsget('bridge', BR1, 'fail_mode')).toBe('secure');
      expect(vsget('bridge', BR1, 'protocols')).toBe('[OpenFlow13, OpenFlow15]');
      expect(vsget('bridge', BR1, 'external_ids')).toBe('{vigil-prev-fail-mode=standalone, vigil-prev-protocols="OpenFlow10,OpenFlow15", vigil-test="1"}');
      const sf = vsget('bridge', BR1, 'sflow');
      expect(vsget('sflow', sf, 'targets')).toBe(`["${sflowTarget}"]`);
      expect([vsget('sflow', sf, 'agent'), vsget('sflow', sf, 'sampling'), vsget('sflow', sf, 'polling'), vsget('sflow', sf, 'header')]).toEqual(['lo', '64', '10', '128']);
      // The same row as ovsdb-client dump prints it (raw OVSDB JSON).
      const dumped = ovsdbDump(REMOTE, DB, 'sFlow', ['_uuid', 'agent', 'targets', 'sampling', 'polling', 'header', 'external_ids']).find((row) => uuidsIn(row._uuid)[0] === sf);
      expect(dumped).toEqual({ _uuid: ['uuid', sf], agent: 'lo', targets: sflowTarget, sampling: 64, polling: 10, header: 128, external_ids: ['map', [['vigil-owner', 'vigil']]] });
      // The inventory shows it when attach resolves.
      const inv = br(manager.inventory, BR1)!;
      expect(inv.controllers).toEqual([{ uuid: ctrl, target: ctrlTarget, connected: false, vigil: true }]);
      expect([inv.failMode, inv.protocols, inv.attached, inv.sflow?.targets]).toEqual(['secure', ['OpenFlow13', 'OpenFlow15'], true, [sflowTarget]]);
    });

    it('attached twice is one set of rows: nothing is sent and no row is written', async () => {
      const closure = bridgeClosure(BR1);
      const bridgeId = Object.keys(closure.Bridge!)[0]!;
      const sfId = Object.keys(closure.sFlow!)[0]!;
      const ctrlId = Object.keys(closure.Controller!)[0]!;
      const versions = { ...rowVersions('Bridge', [bridgeId]), ...rowVersions('sFlow', [sfId]) };
      const sent = metrics.counter('vigil_switch_changes_total', '').get({ action: 'attach', result: 'applied' });
      const r = await manager.attach(BR1, spec);
      expect([r.changed, r.plan.ops.length, r.plan.changes]).toEqual([false, 0, []]);
      expect(metrics.counter('vigil_switch_changes_total', '').get({ action: 'attach', result: 'applied' })).toBe(sent);
      expect({ ...rowVersions('Bridge', [bridgeId]), ...rowVersions('sFlow', [sfId]) }).toEqual(versions);
      const again = bridgeClosure(BR1);
      expect(Object.keys(again.Controller!)).toEqual([ctrlId]);
      expect(Object.keys(again.sFlow!)).toEqual([sfId]);
      expect(again.Bridge).toEqual(closure.Bridge);
      expect(again.sFlow).toEqual(closure.sFlow);
    });

    it('detach restores the bridge and every row it refers to exactly (ovsdb-client dump)', async () => {
      // Vigil's mirror and policing on the bridge go too.
      await manager.setMirror(BR1, { name: 'vgsw1-m', selectSrcPorts: ['vgsw1-p1'], outputPort: 'vgsw1-p2' });
      await manager.setIngressPolicing('vgsw1-p1', { rateKbps: 1000, burstKb: 100 });
      expect(vsget('interface', 'vgsw1-p1', 'ingress_policing_rate')).toBe('1000');
      const r = await manager.detach(BR1);
      expect(r.plan.changes).toEqual([
        `remove controller [${ctrlTarget}]`,
        `remove sFlow export to [${sflowTarget}]`,
        'remove mirror [vgsw1-m]',
        'restore fail_mode [standalone]',
        'restore protocols [OpenFlow10, OpenFlow15]',
        'vgsw1-p1: restore ingress policing rate 300 kbps burst 30 kb',
      ]);
      expect(bridgeClosure(BR1)).toEqual(before);
      expect(vsget('bridge', BR1, 'fail_mode')).toBe('standalone');
      expect(vsget('bridge', BR1, 'external_ids')).toBe('{vigil-test="1"}');
      // No Vigil row is left anywhere (Controller, sFlow and Mirror rows go with their last reference).
      for (const t of ['Controller', 'sFlow', 'Mirror']) {
        const left = ovsdbDump(REMOTE, DB, t, ['_uuid', 'external_ids']).filter((row) => JSON.stringify(row.external_ids).includes('"vigil-owner"'));
        expect([t, left]).toEqual([t, []]);
      }
      expect((await manager.detach(BR1)).changed).toBe(false);
    });

    it('configures sFlow: create, update in place, remove', async () => {
      await manager.configureSflow(BR1, { targets: [sflowTarget], sampling: 32, polling: 5, header: 64 });
      const sf = vsget('bridge', BR1, 'sflow');
      expect([vsget('sflow', sf, 'sampling'), vsget('sflow', sf, 'polling'), vsget('sflow', sf, 'header'), vsget('sflow', sf, 'agent')]).toEqual(['32', '5', '64', '[]']);
      const r = await manager.configureSflow(BR1, { targets: [sflowTarget, '[::1]:6399'], sampling: 1000, polling: 5, header: 64, agent: 'lo' });
      expect(r.plan.changes).toEqual([`update sFlow: targets ${sflowTarget} -> [${sflowTarget}, [::1]:6399], sampling 32 -> 1000, agent unset -> lo`]);
      expect(vsget('bridge', BR1, 'sflow')).toBe(sf); // the same row
      expect(vsget('sflow', sf, 'targets')).toBe(`["${sflowTarget}", "[::1]:6399"]`);
      expect([vsget('sflow', sf, 'sampling'), vsget('sflow', sf, 'agent')]).toEqual(['1000', 'lo']);
      await manager.configureSflow(BR1, null);
      expect(vsget('bridge', BR1, 'sflow')).toBe('[]');
      expect(ovsdbDump(REMOTE, DB, 'sFlow', ['_uuid']).some((row) => uuidsIn(row._uuid)[0] === sf)).toBe(false);
    });

    it('sets and restores ingress policing as ovs-vsctl shows it', async () => {
      await manager.setIngressPolicing('vgsw1-p2', { rateKbps: 2000, burstKb: 200 });
      expect([vsget('interface', 'vgsw1-p2', 'ingress_policing_rate'), vsget('interface', 'vgsw1-p2', 'ingress_policing_burst')]).toEqual(['2000', '200']);
      expect(vsget('interface', 'vgsw1-p2', 'external_ids:vigil-prev-ingress-policing')).toBe('"0,0"');
      expect((await manager.setIngressPolicing('vgsw1-p2', { rateKbps: 2000, burstKb: 200 })).changed).toBe(false);
      await manager.setIngressPolicing('vgsw1-p2', null);
      expect([vsget('interface', 'vgsw1-p2', 'ingress_policing_rate'), vsget('interface', 'vgsw1-p2', 'ingress_policing_burst'), vsget('interface', 'vgsw1-p2', 'external_ids')]).toEqual(['0', '0', '{}']);
      expect(bridgeClosure(BR1)).toEqual(before);
    });
  });

  describe('guards against a racing writer', () => {
    beforeAll(async () => {
      createOurBridge(BR2, 'fail_mode=standalone');
      await inventoryWhere(manager.inventory$, (inv) => br(inv, BR2) !== undefined, 2000, BR2);
    });

    it('refuses a transaction planned on state another writer changed, with OVSDB details; a fresh plan succeeds', async () => {
      const plan = planAttach(manager.state, BR2, { ...spec, sflow: null });
      vsctl('set', 'bridge', BR2, 'protocols=OpenFlow12'); // commits between planning and sending
      let err: unknown;
      try {
        await manager.execute(plan);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SwitchChangeError);
      const e = err as SwitchChangeError;
      expect(e.cause).toBeInstanceOf(OvsdbTransactionError);
      expect([e.raced, e.error, e.index, e.operation]).toEqual([true, 'timed out', 0, 'wait']);
      expect(e.details).toBe('"where" clause test failed'); // ovsdb-server's own words, as ovsdb-client transact shows them
      expect(e.message).toContain(`attach ${BR2}: the switch changed while the change was planned (timed out`);
      // Nothing of the refused transaction was applied.
      expect([vsget('bridge', BR2, 'controller'), vsget('bridge', BR2, 'fail_mode'), vsget('bridge', BR2, 'protocols')]).toEqual(['[]', 'standalone', '[OpenFlow12]']);
      // Planned again on the fresh replica, the same request goes through.
      await within(1000, () => findBridge(manager.state, BR2)!.protocols.has('OpenFlow12'), 'replica sees the racing write');
      const r = await manager.attach(BR2, { ...spec, sflow: null }, { retries: 0 });
      expect([r.changed, r.attempts]).toEqual([true, 1]);
      expect([vsget('bridge', BR2, 'fail_mode'), vsget('bridge', BR2, 'protocols'), vsget('bridge', BR2, 'external_ids:vigil-prev-protocols')]).toEqual(['secure', '[OpenFlow13]', 'OpenFlow12']);
    });

    it('re-plans by itself after losing a race', async () => {
      let raced = false;
      const r = await manager.apply((s) => {
        const plan = planDetach(s, BR2);
        if (!raced) {
          raced = true;
          vsctl('set', 'bridge', BR2, 'protocols=OpenFlow13,OpenFlow14'); // after planning, before sending
        }
        return plan;
      });
      expect([r.changed, r.attempts, r.settled]).toEqual([true, 2, true]);
      expect([vsget('bridge', BR2, 'controller'), vsget('bridge', BR2, 'fail_mode'), vsget('bridge', BR2, 'protocols'), vsget('bridge', BR2, 'external_ids')]).toEqual([
        '[]',
        'standalone',
        '[OpenFlow12]',
        '{vigil-test="1"}',
      ]);
      expect(metrics.counter('vigil_switch_changes_total', '').get({ action: 'detach', result: 'raced' })).toBe(1);
    });
  });

  describe('inventory', () => {
    it('shows every ovs-vsctl change within 1 s', async () => {
      const P = 'vgsw4-p1';
      const latencies: [string, number][] = [];
      const step = async (what: string, args: string[][], check: (b: InventoryBridge | undefined) => boolean): Promise<void> => {
        for (const a of args) vsctl(...a);
        const ms = await inventoryWhere(manager.inventory$, (inv) => check(br(inv, BR4)), 1000, what);
        latencies.push([what, ms]);
      };
      const port = (b: InventoryBridge | undefined) => b?.ports.find((p) => p.name === P);
      try {
        await step('add-br', [['add-br', BR4, '--', 'set', 'bridge', BR4, 'datapath_type=netdev', 'external_ids:vigil-test=1']], (b) => b?.datapathType === 'netdev' && b.ports.length === 1);
        await step('add-port with tag', [['add-port', BR4, P, 'tag=20', '--', 'set', 'interface', P, 'type=internal']], (b) => port(b)?.tag === 20 && port(b)?.interfaces[0]?.type === 'internal');
        await within(5000, () => vsget('interface', P, 'ofport') !== '[]' && vsget('interface', P, 'mac_in_use') !== '[]', 'ofport and MAC from ovs-vswitchd');
        const ofport = Number(vsget('interface', P, 'ofport'));
        const mac = JSON.parse(vsget('interface', P, 'mac_in_use')) as string;
        await step('ofport and MAC assigned', [], (b) => port(b)?.interfaces[0]?.ofport === ofport && port(b)?.interfaces[0]?.mac === mac);
        await step(
          'VM external_ids',
          [['set', 'interface', P, 'external_ids:iface-id=9f0c-port', 'external_ids:attached-mac=FA:16:3E:01:02:03', 'external_ids:vm-uuid=4d3c-vm', 'external_ids:vm-id=instance-7']],
          (b) => JSON.stringify(port(b)?.interfaces[0]?.vm) === JSON.stringify({ ifaceId: '9f0c-port', attachedMac: 'fa:16:3e:01:02:03', vmUuid: '4d3c-vm', vmId: 'instance-7' }),
        );
        await step('trunks, tag cleared', [['set', 'port', P, 'trunks=30,10,20'], ['clear', 'port', P, 'tag']], (b) => port(b)?.tag === null && port(b)?.trunks.join() === '10,20,30');
        await step('ingress policing', [['set', 'interface', P, 'ingress_policing_rate=500', 'ingress_policing_burst=50']], (b) => port(b)?.interfaces[0]?.ingressPolicing.rateKbps === 500);
        await step(
          'mirror (not Vigil\'s)',
          [['--', '--id=@p', 'get', 'port', P, '--', '--id=@m', 'create', 'mirror', 'name=vgsw4-m', 'select_all=true', 'output_port=@p', '--', 'add', 'bridge', BR4, 'mirrors', '@m']],
          (b) => b?.mirrors[0]?.name === 'vgsw4-m' && b.mirrors[0].outputPort === P && b.mirrors[0].selectAll && !b.mirrors[0].vigil,
        );
        await step('controller (not Vigil\'s)', [['set-controller', BR4, ctrlTarget]], (b) => b?.controllers.length === 1 && b.controllers[0]!.target === ctrlTarget && !b.attached);
        await step('sFlow', [['--', '--id=@s', 'create', 'sflow', `target="${sflowTarget}"`, 'sampling=16', '--', 'set', 'bridge', BR4, 'sflow=@s']], (b) => b?.sflow?.sampling === 16 && b.sflow.targets[0] === sflowTarget && !b.sflow.vigil);
        await step('fail_mode and protocols', [['set', 'bridge', BR4, 'fail_mode=secure', 'protocols=OpenFlow13']], (b) => b?.failMode === 'secure' && b.protocols.join() === 'OpenFlow13');
        await step('del-port', [['del-port', BR4, P]], (b) => b !== undefined && port(b) === undefined && b.mirrors.length === 1 && b.mirrors[0]!.outputPort === null);
        await step('del-br', [['del-br', BR4]], (b) => b === undefined);
      } finally {
        removeOurBridge(BR4);
      }
      for (const [, ms] of latencies) expect(ms).toBeLessThan(1000);
      const sorted = latencies.map(([, ms]) => ms).sort((a, b) => a - b);
      console.log(
        `inventory latency after ovs-vsctl (ms): ${latencies.map(([w, ms]) => `${w} ${ms.toFixed(1)}`).join('; ')}; ` +
          `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} max ${sorted[sorted.length - 1]!.toFixed(1)}`,
      );
    });
  });

  describe('vigil attach / detach', () => {
    beforeAll(() => {
      createOurBridge(BR3);
      addInternalPort(BR3, 'vgsw3-p1');
    });

    const args = (): string[] => ['--controller', ctrlTarget, '--sflow-target', sflowTarget, '--sampling', '128', '--polling', '20', '--header', '96', '--ovsdb', REMOTE];

    it('attaches, reports nothing to do the second time, detaches', async () => {
      const dry = captureIo();
      expect(await attachCommand([BR3, ...args(), '--dry-run'], dry)).toBe(0);
      expect(dry.stdout()).toContain(`${BR3}: would attach (dry run, nothing sent):`);
      expect(vsget('bridge', BR3, 'controller')).toBe('[]');
      const io = captureIo();
      expect(await attachCommand([BR3, ...args()], io)).toBe(0);
      expect(io.stdout()).toBe(
        `${BR3}: attached in one transaction:\n  add controller ${ctrlTarget}\n  set fail_mode secure (was unset)\n  set protocols [OpenFlow13] (was [])\n` +
          `  export sFlow: targets [${sflowTarget}] sampling 1/128 polling 20s header 96B\n`,
      );
      const sf = vsget('bridge', BR3, 'sflow');
      expect([vsget('sflow', sf, 'sampling'), vsget('sflow', sf, 'polling'), vsget('sflow', sf, 'header')]).toEqual(['128', '20', '96']);
      const again = captureIo();
      expect(await attachCommand([BR3, ...args(), '--json'], again)).toBe(0);
      expect(JSON.parse(again.stdout())).toEqual({ command: 'attach', bridge: BR3, dryRun: false, changed: false, changes: [], warnings: [], attempts: 1, applied: true });
      const det = captureIo();
      expect(await detachCommand([BR3, '--ovsdb', REMOTE], det)).toBe(0);
      expect(det.stdout()).toContain(`${BR3}: detached in one transaction:\n  remove controller [${ctrlTarget}]\n  remove sFlow export to [${sflowTarget}]\n  restore fail_mode []\n  restore protocols []\n`);
      expect([vsget('bridge', BR3, 'controller'), vsget('bridge', BR3, 'sflow'), vsget('bridge', BR3, 'fail_mode'), vsget('bridge', BR3, 'protocols')]).toEqual(['[]', '[]', '[]', '[]']);
      const det2 = captureIo();
      expect(await detachCommand([BR3, '--ovsdb', REMOTE], det2)).toBe(0);
      expect(det2.stdout()).toBe(`${BR3}: nothing of Vigil's to remove; nothing changed\n`);
    });

    it('exits 1 for a missing bridge, a foreign sFlow row or an unreachable OVSDB, 2 for bad usage', async () => {
      const io = captureIo();
      expect(await attachCommand(['vgtest-sw-none', '--ovsdb', REMOTE], io)).toBe(1);
      expect(io.stderr()).toContain('vigil attach: no bridge named "vgtest-sw-none"');
      vsctl('--', '--id=@s', 'create', 'sflow', `target="${sflowTarget}"`, '--', 'set', 'bridge', BR3, 'sflow=@s');
      const conflict = captureIo();
      expect(await attachCommand([BR3, ...args()], conflict)).toBe(1);
      expect(conflict.stderr()).toContain(`bridge ${BR3} already exports sFlow to [${sflowTarget}]`);
      expect(vsget('bridge', BR3, 'controller')).toBe('[]'); // nothing applied
      const noSflow = captureIo();
      expect(await attachCommand([BR3, '--controller', ctrlTarget, '--no-sflow', '--ovsdb', REMOTE], noSflow)).toBe(0);
      vsctl('clear', 'bridge', BR3, 'sflow');
      expect(await detachCommand([BR3, '--ovsdb', REMOTE], captureIo())).toBe(0);
      const gone = captureIo();
      expect(await attachCommand([BR3, '--ovsdb', 'unix:/nonexistent/vigil-test.sock'], gone)).toBe(1);
      expect(gone.stderr()).toContain('vigil attach: cannot reach OVSDB at unix:/nonexistent/vigil-test.sock');
      for (const bad of [[BR3, '--sampling', 'x'], [BR3, '--sampling', '0'], [BR3, '--ovsdb', 'http://x'], [], [BR3, 'extra'], [BR3, '--bogus'], [BR3, '--no-sflow', '--sampling', '5'], [BR3, '--controller', 'tcp:1.2.3']]) {
        const u = captureIo();
        expect([bad, await attachCommand([...bad, ...(bad.includes('--ovsdb') ? [] : ['--ovsdb', REMOTE])], u)]).toEqual([bad, 2]);
        expect(u.stderr()).toMatch(/^vigil attach: /);
      }
      const help = captureIo();
      expect(await detachCommand(['--help'], help)).toBe(0);
      expect(help.stdout()).toMatch(/^Usage: vigil detach <bridge>/);
    });
  });
});
