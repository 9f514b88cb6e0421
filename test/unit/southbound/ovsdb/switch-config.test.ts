/**
 * sFlow, mirror and ingress-policing planning without I/O, applied to the in-memory database: exact
 * operations, idempotence, updates of only what differs (guarded by the row's current values), deletion,
 * ownership conflicts, validation, and a fast-check property: any sequence of mirror requests leaves the
 * bridge with exactly the last spec per name, and a repeated request plans nothing.
 */
import fc from 'fast-check';
import { cond, op } from '../../../../src/codec/ovsdb/operations.js';
import { NamedUuid, OvsdbMap, OvsdbSet } from '../../../../src/codec/ovsdb/value.js';
import { deriveInventory } from '../../../../src/southbound/ovsdb/inventory.js';
import { planMirror, planMirrorDelete, type MirrorSpec } from '../../../../src/southbound/ovsdb/mirrors.js';
import { planIngressPolicing } from '../../../../src/southbound/ovsdb/policing.js';
import { DEFAULT_SFLOW, isSflowTarget, planSflow } from '../../../../src/southbound/ovsdb/sflow-config.js';
import { SwitchConflictError, SwitchNotFoundError, SwitchSpecError } from '../../../../src/southbound/ovsdb/switch-errors.js';
import { PREV_POLICING_KEY, VIGIL_OWNER_KEY } from '../../../../src/southbound/ovsdb/switch-plan.js';
import { MemoryVswitch } from './switch-fixture.js';

function fresh(): MemoryVswitch {
  const db = new MemoryVswitch();
  db.addBridge('br0', { ports: [{ name: 'a' }, { name: 'b' }, { name: 'c', policing: [300, 30] }, { name: 'mon' }] });
  return db;
}

const portUuid = (db: MemoryVswitch, name: string) => [...db.rows('Port').values()].find((p) => p.name === name)!._uuid;

describe('planSflow', () => {
  const spec = { targets: ['127.0.0.1:6343'], ...DEFAULT_SFLOW };

  it('creates, updates only what differs, and removes Vigil\'s sFlow row', () => {
    const db = fresh();
    db.transact(planSflow(db, 'br0', spec).ops);
    expect(planSflow(db, 'br0', spec).ops).toEqual([]);
    const sf = [...db.rows('sFlow').values()][0]!;
    expect(sf.external_ids.get(VIGIL_OWNER_KEY)).toBe('vigil');
    const plan = planSflow(db, 'br0', { ...spec, sampling: 128, targets: ['127.0.0.1:6343', '[::1]:6343'] });
    expect(plan.changes).toEqual(['update sFlow: targets 127.0.0.1:6343 -> [127.0.0.1:6343, [::1]:6343], sampling 64 -> 128']);
    const br = db.bridge('br0');
    // Guards: the bridge still points at this row, and the row holds what was read.
    expect(plan.ops.slice(0, plan.guards)).toEqual([
      op.wait('Bridge', [cond.uuid(br._uuid)], ['sflow'], '==', [{ sflow: br.sflow }], 0),
      op.wait('sFlow', [cond.uuid(sf._uuid)], ['targets', 'sampling', 'polling', 'header', 'agent'], '==', [{ targets: sf.targets, sampling: sf.sampling, polling: sf.polling, header: sf.header, agent: sf.agent }], 0),
    ]);
    expect(plan.ops[plan.guards]).toEqual(op.update('sFlow', [cond.uuid(sf._uuid)], { targets: OvsdbSet.of('127.0.0.1:6343', '[::1]:6343'), sampling: OvsdbSet.of(128) }));
    db.transact(plan.ops);
    expect(db.rows('sFlow').get(sf._uuid.value)!.sampling.only()).toBe(128);
    const off = planSflow(db, 'br0', null);
    expect(off.changes).toEqual(['remove sFlow export to [127.0.0.1:6343, [::1]:6343]']);
    db.transact(off.ops);
    expect(db.rows('sFlow').size).toBe(0); // collected with its last reference
    expect(planSflow(db, 'br0', null).ops).toEqual([]);
  });

  it('does not remove a foreign sFlow row (a warning instead)', () => {
    const db = fresh();
    const br = db.bridge('br0');
    db.transact([op.insert('sFlow', { targets: ['10.1.1.1:6343'] }, 's'), op.update('Bridge', [cond.uuid(br._uuid)], { sflow: [new NamedUuid('s')] })]);
    const plan = planSflow(db, 'br0', null);
    expect(plan.ops).toEqual([]);
    expect(plan.warnings).toEqual(['sFlow export to [10.1.1.1:6343] is not Vigil\'s: left as is']);
    expect(() => planSflow(db, 'br0', spec)).toThrow(SwitchConflictError);
  });

  it('knows sFlow target syntax', () => {
    for (const t of ['127.0.0.1:6343', '[::1]:6343', '[2001:db8::5]:1']) expect([t, isSflowTarget(t)]).toEqual([t, true]);
    for (const t of ['127.0.0.1', '127.0.0.1:0', 'host:6343', '::1:6343', '[::1]', '[xyz]:6343', '1.2.3.4:65536']) expect([t, isSflowTarget(t)]).toEqual([t, false]);
  });
});

describe('planMirror / planMirrorDelete', () => {
  it('creates a named, Vigil-marked mirror referring to ports by uuid, guarded on the bridge and the ports', () => {
    const db = fresh();
    const br = db.bridge('br0');
    const plan = planMirror(db, 'br0', { name: 'm1', selectSrcPorts: ['a'], selectDstPorts: ['b'], selectVlans: [10, 20], outputPort: 'mon' });
    expect(plan.changes).toEqual(['create mirror m1: from [a] to [b] on VLAN [10, 20] -> port mon']);
    const pa = portUuid(db, 'a');
    const pb = portUuid(db, 'b');
    const pm = portUuid(db, 'mon');
    expect(plan.ops).toEqual([
      op.wait('Bridge', [cond.uuid(br._uuid)], ['mirrors'], '==', [{ mirrors: br.mirrors }], 0),
      op.wait('Port', [cond.uuid(pa)], ['name'], '==', [{ name: 'a' }], 0),
      op.wait('Port', [cond.uuid(pb)], ['name'], '==', [{ name: 'b' }], 0),
      op.wait('Port', [cond.uuid(pm)], ['name'], '==', [{ name: 'mon' }], 0),
      op.insert(
        'Mirror',
        {
          name: 'm1',
          select_all: false,
          select_src_port: OvsdbSet.of(pa),
          select_dst_port: OvsdbSet.of(pb),
          select_vlan: OvsdbSet.of(10, 20),
          output_port: OvsdbSet.of(pm),
          output_vlan: OvsdbSet.EMPTY,
          snaplen: OvsdbSet.EMPTY,
          external_ids: new OvsdbMap([[VIGIL_OWNER_KEY, 'vigil']]),
        },
        'vigil_mirror',
      ),
      op.mutate('Bridge', [cond.uuid(br._uuid)], [['mirrors', 'insert', [new NamedUuid('vigil_mirror')]]]),
      op.comment('vigil: mirror br0'),
    ]);
    db.transact(plan.ops);
    const m = deriveInventory(db).bridges[0]!.mirrors[0]!;
    expect(m).toMatchObject({ name: 'm1', selectAll: false, selectSrcPorts: ['a'], selectDstPorts: ['b'], selectVlans: [10, 20], outputPort: 'mon', outputVlan: null, vigil: true });
  });

  it('updates only the columns that differ, guarded on the mirror row; deletes; all idempotently', () => {
    const db = fresh();
    const spec: MirrorSpec = { name: 'm1', selectSrcPorts: ['a'], outputPort: 'mon' };
    db.transact(planMirror(db, 'br0', spec).ops);
    expect(planMirror(db, 'br0', spec).ops).toEqual([]);
    const row = [...db.rows('Mirror').values()][0]!;
    const upd = planMirror(db, 'br0', { ...spec, selectSrcPorts: ['a', 'b'], snaplen: 128 });
    expect(upd.changes).toEqual(['update mirror m1: select_src_port, snaplen (from [a, b] -> port mon)']);
    const update = upd.ops.find((o) => o.op === 'update');
    expect(update).toEqual(op.update('Mirror', [cond.uuid(row._uuid)], { select_src_port: OvsdbSet.of(portUuid(db, 'a'), portUuid(db, 'b')), snaplen: OvsdbSet.of(128) }));
    expect(upd.ops.some((o) => o.op === 'wait' && o.table === 'Mirror' && o.columns.includes('output_port'))).toBe(true);
    db.transact(upd.ops);
    expect(db.rows('Mirror').get(row._uuid.value)!.snaplen.only()).toBe(128); // same row, updated in place
    const del = planMirrorDelete(db, 'br0', 'm1');
    expect(del.changes).toEqual(['delete mirror m1']);
    db.transact(del.ops);
    expect(db.rows('Mirror').size).toBe(0);
    expect(db.bridge('br0').mirrors.size).toBe(0);
    expect(planMirrorDelete(db, 'br0', 'm1').ops).toEqual([]);
  });

  it('mirrors on VLAN output and select_all', () => {
    const db = fresh();
    db.transact(planMirror(db, 'br0', { name: 'all', selectAll: true, outputVlan: 99 }).ops);
    expect(deriveInventory(db).bridges[0]!.mirrors[0]).toMatchObject({ name: 'all', selectAll: true, outputPort: null, outputVlan: 99 });
  });

  it('refuses foreign mirrors of the same name, unknown ports and bad specs with typed errors', () => {
    const db = fresh();
    const br = db.bridge('br0');
    db.transact([op.insert('Mirror', { name: 'ops', select_all: true, output_vlan: [5] }, 'm'), op.mutate('Bridge', [cond.uuid(br._uuid)], [['mirrors', 'insert', [new NamedUuid('m')]]])]);
    expect(() => planMirror(db, 'br0', { name: 'ops', selectAll: true, outputPort: 'mon' })).toThrow(SwitchConflictError);
    expect(() => planMirrorDelete(db, 'br0', 'ops')).toThrow(SwitchConflictError);
    expect(() => planMirror(db, 'br0', { name: 'x', selectSrcPorts: ['zz'], outputPort: 'mon' })).toThrow(new SwitchNotFoundError('port', 'zz', 'br0'));
    const bad: [MirrorSpec, string][] = [
      [{ name: '', selectAll: true, outputPort: 'mon' }, 'mirror.name'],
      [{ name: 'x', outputPort: 'mon' }, 'mirror.select'],
      [{ name: 'x', selectAll: true }, 'mirror.output'],
      [{ name: 'x', selectAll: true, outputPort: 'mon', outputVlan: 3 }, 'mirror.output'],
      [{ name: 'x', selectAll: true, outputVlan: 0 }, 'mirror.outputVlan'],
      [{ name: 'x', selectVlans: [4096], outputPort: 'mon' }, 'mirror.selectVlans'],
      [{ name: 'x', selectSrcPorts: ['mon'], outputPort: 'mon' }, 'mirror.outputPort'],
      [{ name: 'x', selectAll: true, outputPort: 'mon', snaplen: 5 }, 'mirror.snaplen'],
    ];
    for (const [spec, field] of bad) {
      let err: unknown;
      try {
        planMirror(db, 'br0', spec);
      } catch (e) {
        err = e;
      }
      expect([field, err instanceof SwitchSpecError ? err.field : err]).toEqual([field, field]);
    }
  });

  it('property: after any sequence of requests each mirror holds its last spec, and repeating plans nothing', () => {
    const ports = ['a', 'b', 'c'];
    const specArb = fc.record({
      name: fc.constantFrom('m1', 'm2'),
      selectAll: fc.boolean(),
      selectSrcPorts: fc.subarray(ports),
      selectDstPorts: fc.subarray(ports),
      selectVlans: fc.uniqueArray(fc.integer({ min: 0, max: 4095 }), { maxLength: 3 }),
      out: fc.oneof(fc.constant({ outputPort: 'mon' }), fc.integer({ min: 1, max: 4095 }).map((v) => ({ outputVlan: v }))),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(specArb, { minLength: 1, maxLength: 8 }), (reqs) => {
        const db = fresh();
        const last = new Map<string, MirrorSpec | null>();
        for (const r of reqs) {
          const { out, remove, ...sel } = r;
          const spec: MirrorSpec = { ...sel, ...out, selectAll: sel.selectAll || (sel.selectSrcPorts.length + sel.selectDstPorts.length + sel.selectVlans.length === 0) };
          if (remove) {
            db.transact(planMirrorDelete(db, 'br0', r.name).ops);
            last.set(r.name, null);
          } else {
            db.transact(planMirror(db, 'br0', spec).ops);
            expect(planMirror(db, 'br0', spec).ops).toEqual([]);
            last.set(r.name, spec);
          }
        }
        const inv = deriveInventory(db).bridges[0]!.mirrors;
        const want = [...last].filter(([, s]) => s !== null).map(([n, s]) => ({
          name: n,
          selectAll: s!.selectAll ?? false,
          selectSrcPorts: [...(s!.selectSrcPorts ?? [])].sort(),
          selectDstPorts: [...(s!.selectDstPorts ?? [])].sort(),
          selectVlans: [...(s!.selectVlans ?? [])].sort((x, y) => x - y),
          outputPort: s!.outputPort ?? null,
          outputVlan: s!.outputVlan ?? null,
        }));
        expect(inv.map(({ uuid: _u, vigil: _v, snaplen: _s, ...rest }) => rest)).toEqual(want.sort((x, y) => (x.name < y.name ? -1 : 1)));
        expect(db.rows('Mirror').size).toBe(want.length); // no orphans
      }),
      { numRuns: 150 },
    );
  });
});

describe('planIngressPolicing', () => {
  it('records the previous values once, sets, and restores them on clear', () => {
    const db = fresh();
    const iface = () => [...db.rows('Interface').values()].find((i) => i.name === 'c')!;
    const plan = planIngressPolicing(db, 'c', { rateKbps: 1000, burstKb: 100 });
    expect(plan.changes).toEqual(['c: ingress policing rate 1000 kbps burst 100 kb (was 300/30)']);
    expect(plan.ops[0]).toEqual(op.wait('Interface', [cond.uuid(iface()._uuid)], ['ingress_policing_rate', 'ingress_policing_burst'], '==', [{ ingress_policing_rate: 300, ingress_policing_burst: 30 }], 0));
    db.transact(plan.ops);
    expect([iface().ingress_policing_rate, iface().ingress_policing_burst, iface().external_ids.get(PREV_POLICING_KEY)]).toEqual([1000, 100, '300,30']);
    expect(planIngressPolicing(db, 'c', { rateKbps: 1000, burstKb: 100 }).ops).toEqual([]);
    db.transact(planIngressPolicing(db, 'c', { rateKbps: 50, burstKb: 5 }).ops);
    expect(iface().external_ids.get(PREV_POLICING_KEY)).toBe('300,30'); // still the original
    const clear = planIngressPolicing(db, 'c', null);
    expect(clear.changes).toEqual(['c: restore ingress policing rate 300 kbps burst 30 kb']);
    db.transact(clear.ops);
    expect([iface().ingress_policing_rate, iface().ingress_policing_burst, iface().external_ids.size]).toEqual([300, 30, 0]);
    expect(planIngressPolicing(db, 'c', null).ops).toEqual([]);
  });

  it('rejects unknown interfaces and bad values', () => {
    const db = fresh();
    expect(() => planIngressPolicing(db, 'zz', { rateKbps: 1, burstKb: 1 })).toThrow(SwitchNotFoundError);
    expect(() => planIngressPolicing(db, 'a', { rateKbps: -1, burstKb: 1 })).toThrow(SwitchSpecError);
    expect(() => planIngressPolicing(db, 'a', { rateKbps: 1, burstKb: 2 ** 33 })).toThrow(/policing.burstKb/);
  });
});
