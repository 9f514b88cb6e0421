/**
 * The inventory as a pure function of the replicated tables (bridges -> ports -> interfaces with ofport,
 * MAC, VLANs, VM context; controllers, sFlow, mirrors), its lookups, and inventory$: one emission now,
 * one per change that alters the inventory, none for changes that do not.
 */
import fc from 'fast-check';
import { toArray, take, firstValueFrom } from 'rxjs';
import type { RowUpdate2 } from '../../../../src/codec/ovsdb/updates.js';
import { cond, op } from '../../../../src/codec/ovsdb/operations.js';
import { NamedUuid, OvsdbMap, OvsdbSet, Uuid } from '../../../../src/codec/ovsdb/value.js';
import { planAttach } from '../../../../src/southbound/ovsdb/bridge-attach.js';
import {
  bridgeByDatapathId,
  bridgeByName,
  deriveInventory,
  interfaceByOfport,
  interfacesByMac,
  interfacesOfVm,
  inventory$,
  type Inventory,
} from '../../../../src/southbound/ovsdb/inventory.js';
import { planMirror } from '../../../../src/southbound/ovsdb/mirrors.js';
import { Replica } from '../../../../src/southbound/ovsdb/replica.js';
import { DEFAULT_SFLOW } from '../../../../src/southbound/ovsdb/sflow-config.js';
import { SWITCH_MONITOR, type VswitchState } from '../../../../src/southbound/ovsdb/switch-plan.js';
import type { VswitchRows } from '../../../../src/southbound/ovsdb/vswitch.js';
import { MemoryVswitch, schema } from './switch-fixture.js';

function lab(): MemoryVswitch {
  const db = new MemoryVswitch();
  db.addBridge('br-int', {
    failMode: 'secure',
    protocols: ['OpenFlow13'],
    ports: [
      { name: 'tap1', tag: 10, ofport: 5, mac: 'FE:16:3E:00:00:01', ifaceIds: { 'iface-id': 'port-1', 'attached-mac': 'FA:16:3E:AA:BB:01', 'vm-uuid': 'vm-a', 'iface-status': 'active' } },
      { name: 'tap2', tag: 10, ofport: 6, ifaceIds: { 'vm-id': 'vm-b' } },
      { name: 'uplink', trunks: [30, 10, 20], ofport: 1 },
      { name: 'broken', ofport: -1 },
    ],
  });
  db.addBridge('br-ex', { ports: [{ name: 'eth9', ofport: 1 }] });
  return db;
}

describe('deriveInventory', () => {
  it('describes bridges, ports and interfaces, sorted by name', () => {
    const inv = deriveInventory(lab());
    expect([inv.systemId, inv.hostname, inv.ovsVersion]).toEqual(['sys-1', 'hv1', '3.1.0']);
    expect(inv.bridges.map((b) => b.name)).toEqual(['br-ex', 'br-int']);
    const br = bridgeByName(inv, 'br-int')!;
    expect(br).toMatchObject({ failMode: 'secure', protocols: ['OpenFlow13'], datapathType: 'netdev', controllers: [], sflow: null, mirrors: [], attached: false, datapathId: null });
    expect(br.ports.map((p) => p.name)).toEqual(['br-int', 'broken', 'tap1', 'tap2', 'uplink']);
    const tap1 = br.ports.find((p) => p.name === 'tap1')!;
    expect(tap1).toMatchObject({ tag: 10, trunks: [], vlanMode: null, rstp: null });
    expect(br.rstpBridgeId).toBeNull();
    expect(tap1.interfaces).toEqual([
      {
        uuid: expect.any(String),
        name: 'tap1',
        type: '',
        ofport: 5,
        ifindex: null,
        options: {},
        mac: 'fe:16:3e:00:00:01',
        vm: { ifaceId: 'port-1', attachedMac: 'fa:16:3e:aa:bb:01', vmUuid: 'vm-a', ifaceStatus: 'active' },
        ingressPolicing: { rateKbps: 0, burstKb: 0 },
        error: null,
        externalIds: { 'iface-id': 'port-1', 'attached-mac': 'FA:16:3E:AA:BB:01', 'vm-uuid': 'vm-a', 'iface-status': 'active' },
      },
    ]);
    expect(br.ports.find((p) => p.name === 'uplink')).toMatchObject({ tag: null, trunks: [10, 20, 30] });
    expect(br.ports.find((p) => p.name === 'broken')!.interfaces[0]!.ofport).toBeNull(); // ofport -1: failed
    expect(br.ports.find((p) => p.name === 'tap2')!.interfaces[0]!.vm).toEqual({ vmId: 'vm-b' });
    expect(br.ports.find((p) => p.name === 'uplink')!.interfaces[0]!.vm).toBeNull();
  });

  it('takes VM context from the port when the interface has none', () => {
    const db = lab();
    const port = [...db.rows('Port').values()].find((p) => p.name === 'uplink')!;
    db.edit([op.update('Port', [cond.uuid(port._uuid)], { external_ids: new OvsdbMap([['vm-uuid', 'vm-port']]) })]);
    expect(bridgeByName(deriveInventory(db), 'br-int')!.ports.find((p) => p.name === 'uplink')!.interfaces[0]!.vm).toEqual({ vmUuid: 'vm-port' });
  });

  it("shows controllers, sFlow and mirrors, marking Vigil's", () => {
    const db = lab();
    db.transact(planAttach(db, 'br-int', { controller: 'tcp:127.0.0.1:6653', sflow: { targets: ['127.0.0.1:6343'], ...DEFAULT_SFLOW } }).ops);
    db.transact(planMirror(db, 'br-int', { name: 'm', selectSrcPorts: ['tap1', 'tap2'], outputPort: 'uplink' }).ops);
    const br = db.bridge('br-int');
    db.edit([op.insert('Controller', { target: 'tcp:10.0.0.1:6633' }, 'c'), op.mutate('Bridge', [cond.uuid(br._uuid)], [['controller', 'insert', [new NamedUuid('c')]]])]);
    const inv = bridgeByName(deriveInventory(db), 'br-int')!;
    expect(inv.attached).toBe(true);
    expect(inv.controllers.map((c) => [c.target, c.vigil, c.connected])).toEqual([
      ['tcp:10.0.0.1:6633', false, false],
      ['tcp:127.0.0.1:6653', true, false],
    ]);
    expect(inv.sflow).toMatchObject({ agent: null, targets: ['127.0.0.1:6343'], sampling: 64, polling: 10, header: 128, vigil: true });
    expect(inv.mirrors).toEqual([
      { uuid: expect.any(String), name: 'm', selectAll: false, selectSrcPorts: ['tap1', 'tap2'], selectDstPorts: [], selectVlans: [], outputPort: 'uplink', outputVlan: null, snaplen: null, vigil: true },
    ]);
  });
});

describe('lookups', () => {
  const db = lab();
  const br = db.bridge('br-int');
  db.edit([op.update('Bridge', [cond.uuid(br._uuid)], { datapath_id: OvsdbSet.of('00000a0b0c0d0e0f') })]);
  const inv = deriveInventory(db);

  it('finds a bridge by datapath id (bigint or hex) and an interface by ofport', () => {
    expect(bridgeByDatapathId(inv, 0x0a0b0c0d0e0fn)?.name).toBe('br-int');
    expect(bridgeByDatapathId(inv, '0x00000a0b0c0d0e0f')?.name).toBe('br-int');
    expect(bridgeByDatapathId(inv, 1n)).toBeUndefined();
    const b = bridgeByName(inv, 'br-int')!;
    expect(interfaceByOfport(b, 6)?.iface.name).toBe('tap2');
    expect(interfaceByOfport(b, 6)?.port.tag).toBe(10);
    expect(interfaceByOfport(b, 99)).toBeUndefined();
  });

  it('finds interfaces by MAC (in use or VM attached-mac, any case) and by VM', () => {
    expect(interfacesByMac(inv, 'FE-16-3E-00-00-01').map((l) => l.iface.name)).toEqual(['tap1']);
    expect(interfacesByMac(inv, 'fa:16:3e:aa:bb:01').map((l) => l.iface.name)).toEqual(['tap1']);
    expect(interfacesByMac(inv, 'not a mac')).toEqual([]);
    expect(interfacesOfVm(inv, 'vm-a').map((l) => `${l.bridge.name}/${l.iface.name}`)).toEqual(['br-int/tap1']);
    expect(interfacesOfVm(inv, 'vm-b').map((l) => l.iface.name)).toEqual(['tap2']);
  });
});

describe('inventory$', () => {
  it('emits now, after each change of the inventory, and not for changes it does not show', async () => {
    const db = lab();
    const seen: Inventory[] = [];
    const sub = inventory$(db).subscribe((i) => seen.push(i));
    expect(seen).toHaveLength(1);
    const tap2 = [...db.rows('Port').values()].find((p) => p.name === 'tap2')!;
    db.edit([op.update('Port', [cond.uuid(tap2._uuid)], { tag: [20] })]);
    expect(seen).toHaveLength(2);
    expect(bridgeByName(seen[1]!, 'br-int')!.ports.find((p) => p.name === 'tap2')!.tag).toBe(20);
    db.edit([op.update('Port', [cond.uuid(tap2._uuid)], { tag: [20] })]); // same value: a batch, no change
    expect(seen).toHaveLength(2);
    db.transact(planAttach(db, 'br-ex', { controller: 'tcp:127.0.0.1:6653', sflow: null }).ops);
    expect(seen).toHaveLength(3);
    const ctrl = [...db.rows('Controller').values()][0]!;
    db.edit([op.mutate('Controller', [cond.uuid(ctrl._uuid)], [['external_ids', 'insert', new OvsdbMap([['note', 'x']])]])]); // not shown
    expect(seen).toHaveLength(3);
    sub.unsubscribe();
    // A late subscriber gets the current inventory first.
    const first = await firstValueFrom(inventory$(db).pipe(take(1), toArray()));
    expect(bridgeByName(first[0]!, 'br-ex')!.attached).toBe(true);
  });
});

describe('derivation reuses unchanged bridges', () => {
  const U = (i: number): Uuid => new Uuid(`00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);
  /** The same tables with every row a new object: nothing derived before can be reused. */
  const copied = (r: VswitchState): VswitchState => ({
    rows: (<T extends keyof VswitchRows & string>(t: T) => new Map([...r.rows(t)].map(([k, row]) => [k, { ...row }]))) as VswitchState['rows'],
  });

  it('property: after any sequence of replica updates, the inventory equals one derived from scratch', () => {
    // Bridges 1..2, ports/interfaces 10..15 (port i+10 has interface i+20), a controller 30.
    const edit = fc.oneof(
      fc.record({ k: fc.constant('tag' as const), port: fc.integer({ min: 0, max: 5 }), tag: fc.integer({ min: 0, max: 4095 }) }),
      fc.record({ k: fc.constant('vm' as const), iface: fc.integer({ min: 0, max: 5 }), vm: fc.constantFrom('vm-a', 'vm-b') }),
      fc.record({ k: fc.constant('ofport' as const), iface: fc.integer({ min: 0, max: 5 }), ofport: fc.integer({ min: -1, max: 99 }) }),
      fc.record({ k: fc.constant('move' as const), port: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ k: fc.constant('ctrl' as const), up: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 25 }), (edits) => {
        const columns = Object.fromEntries(Object.entries(SWITCH_MONITOR).map(([t, r]) => [t, r.columns]));
        const replica = new Replica<VswitchRows>(schema, columns);
        const ports = [0, 1, 2, 3, 4, 5];
        const where = ports.map((p) => (p < 3 ? 1 : 2)); // the bridge each port is on
        const initial = new Map<string, RowUpdate2[]>([
          ['Interface', ports.map((i) => ({ uuid: U(i + 20), kind: 'initial' as const, row: { name: `i${i}`, ofport: OvsdbSet.of(i + 1) } }))],
          ['Port', ports.map((i) => ({ uuid: U(i + 10), kind: 'initial' as const, row: { name: `p${i}`, interfaces: OvsdbSet.of(U(i + 20)) } }))],
          ['Controller', [{ uuid: U(30), kind: 'initial' as const, row: { target: 'tcp:127.0.0.1:6653' } }]],
          [
            'Bridge',
            [1, 2].map((b) => ({
              uuid: U(b),
              kind: 'initial' as const,
              row: { name: `br${b}`, ports: new OvsdbSet(ports.filter((p) => where[p] === b).map((p) => U(p + 10))), controller: b === 1 ? OvsdbSet.of(U(30)) : OvsdbSet.EMPTY },
            })),
          ],
        ]);
        replica.applyTableUpdates2(initial, 'initial');
        const seen: Inventory[] = [];
        const sub = inventory$(replica).subscribe((i) => seen.push(i));
        for (const e of edits) {
          const mod = (table: string, id: number, row: Record<string, unknown>) => replica.applyTableUpdates2(new Map([[table, [{ uuid: U(id), kind: 'modify', row: row as RowUpdate2['row'] }]]]));
          if (e.k === 'tag') mod('Port', e.port + 10, { tag: OvsdbSet.of(e.tag) }); // update2 diff of a 0..1 column: the new value
          if (e.k === 'vm') mod('Interface', e.iface + 20, { external_ids: new OvsdbMap([['vm-uuid', e.vm]]) });
          if (e.k === 'ofport') mod('Interface', e.iface + 20, { ofport: OvsdbSet.of(e.ofport) });
          if (e.k === 'ctrl') mod('Controller', 30, { is_connected: e.up });
          if (e.k === 'move') {
            const from = where[e.port]!;
            const to = from === 1 ? 2 : 1;
            where[e.port] = to;
            replica.applyTableUpdates2(
              new Map([
                [
                  'Bridge',
                  [
                    { uuid: U(from), kind: 'modify' as const, row: { ports: OvsdbSet.of(U(e.port + 10)) } }, // set diffs toggle elements
                    { uuid: U(to), kind: 'modify' as const, row: { ports: OvsdbSet.of(U(e.port + 10)) } },
                  ],
                ],
              ]),
            );
          }
          const inv = deriveInventory(replica);
          expect(inv).toEqual(deriveInventory(copied(replica)));
          expect(seen[seen.length - 1]).toEqual(inv); // inventory$ is current
        }
        sub.unsubscribe();
        // Consecutive emissions always differ.
        for (let i = 1; i < seen.length; i++) expect(JSON.stringify(seen[i])).not.toBe(JSON.stringify(seen[i - 1]));
      }),
      { numRuns: 150 },
    );
  });
});
