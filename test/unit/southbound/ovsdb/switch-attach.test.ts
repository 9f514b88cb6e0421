/**
 * Attach/detach planning without I/O: the exact transaction for a fresh bridge, idempotence (a second plan
 * is empty), detach restoring the tables exactly, ownership rules (foreign controllers and sFlow), guards
 * that refuse a plan made on stale state, spec validation, and fast-check properties over random bridges:
 * attach∘attach = attach, detach∘attach = identity, every plan passes the schema validation.
 */
import fc from 'fast-check';
import { OvsdbTransactionError } from '../../../../src/codec/ovsdb/errors.js';
import { cond, op } from '../../../../src/codec/ovsdb/operations.js';
import { NamedUuid, OvsdbMap, OvsdbSet } from '../../../../src/codec/ovsdb/value.js';
import { attachProtocols, isControllerTarget, planAttach, planDetach, type AttachSpec } from '../../../../src/southbound/ovsdb/bridge-attach.js';
import { planMirror } from '../../../../src/southbound/ovsdb/mirrors.js';
import { planIngressPolicing } from '../../../../src/southbound/ovsdb/policing.js';
import { DEFAULT_SFLOW } from '../../../../src/southbound/ovsdb/sflow-config.js';
import { SwitchConflictError, SwitchNotFoundError, SwitchSpecError } from '../../../../src/southbound/ovsdb/switch-errors.js';
import { PREV_FAIL_MODE_KEY, PREV_PROTOCOLS_KEY, VIGIL_OWNER_KEY } from '../../../../src/southbound/ovsdb/switch-plan.js';
import { comparable, MemoryVswitch } from './switch-fixture.js';

const SPEC: AttachSpec = { controller: 'tcp:127.0.0.1:6653', sflow: { targets: ['127.0.0.1:6343'], ...DEFAULT_SFLOW, agent: 'lo' } };

function fresh(opts: Parameters<MemoryVswitch['addBridge']>[1] = {}): MemoryVswitch {
  const db = new MemoryVswitch();
  db.addBridge('br0', { ports: [{ name: 'p1' }, { name: 'p2' }], ...opts });
  return db;
}

describe('planAttach', () => {
  it('plans one guarded transaction for a fresh bridge', () => {
    const db = fresh();
    const br = db.bridge('br0');
    const plan = planAttach(db, 'br0', SPEC);
    expect(plan.changes).toEqual([
      'add controller tcp:127.0.0.1:6653',
      'set fail_mode secure (was unset)',
      'set protocols [OpenFlow13] (was [])',
      'export sFlow: targets [127.0.0.1:6343] sampling 1/64 polling 10s header 128B agent lo',
    ]);
    expect(plan.guards).toBe(1);
    const where = [cond.uuid(br._uuid)];
    expect(plan.ops).toEqual([
      op.wait('Bridge', where, ['controller', 'fail_mode', 'protocols', 'sflow'], '==', [{ controller: br.controller, fail_mode: br.fail_mode, protocols: br.protocols, sflow: br.sflow }], 0),
      op.insert('Controller', { target: 'tcp:127.0.0.1:6653', external_ids: new OvsdbMap([[VIGIL_OWNER_KEY, 'vigil']]) }, 'vigil_controller'),
      op.mutate('Bridge', where, [['controller', 'insert', [new NamedUuid('vigil_controller')]]]),
      op.mutate('Bridge', where, [['external_ids', 'insert', new OvsdbMap([[PREV_FAIL_MODE_KEY, '']])]]),
      op.update('Bridge', where, { fail_mode: ['secure'] }),
      op.mutate('Bridge', where, [['external_ids', 'insert', new OvsdbMap([[PREV_PROTOCOLS_KEY, '']])]]),
      op.update('Bridge', where, { protocols: OvsdbSet.of('OpenFlow13') }),
      op.insert(
        'sFlow',
        { targets: OvsdbSet.of('127.0.0.1:6343'), sampling: OvsdbSet.of(64), polling: OvsdbSet.of(10), header: OvsdbSet.of(128), agent: OvsdbSet.of('lo'), external_ids: new OvsdbMap([[VIGIL_OWNER_KEY, 'vigil']]) },
        'vigil_sflow',
      ),
      op.update('Bridge', where, { sflow: [new NamedUuid('vigil_sflow')] }),
      op.comment('vigil: attach br0'),
    ]);
  });

  it('applies, and a second attach plans nothing', () => {
    const db = fresh();
    db.transact(planAttach(db, 'br0', SPEC).ops);
    const br = db.bridge('br0');
    expect(br.fail_mode.only()).toBe('secure');
    expect(br.protocols.toArray()).toEqual(['OpenFlow13']);
    expect(br.external_ids.toRecord()).toEqual({ [PREV_FAIL_MODE_KEY]: '', [PREV_PROTOCOLS_KEY]: '' });
    const ctrl = db.rows('Controller').get(br.controller.only()!.value)!;
    expect(ctrl.target).toBe('tcp:127.0.0.1:6653');
    const sf = db.rows('sFlow').get(br.sflow.only()!.value)!;
    expect([sf.targets.toArray(), sf.sampling.only(), sf.polling.only(), sf.header.only(), sf.agent.only()]).toEqual([['127.0.0.1:6343'], 64, 10, 128, 'lo']);
    const again = planAttach(db, 'br0', SPEC);
    expect(again.ops).toEqual([]);
    expect(again.changes).toEqual([]);
  });

  it('keeps OpenFlow15 when the bridge has it, drops other versions, and honours explicit protocols', () => {
    expect(attachProtocols(OvsdbSet.of('OpenFlow10', 'OpenFlow15'), SPEC).toArray()).toEqual(['OpenFlow13', 'OpenFlow15']);
    expect(attachProtocols(OvsdbSet.of('OpenFlow10', 'OpenFlow14'), SPEC).toArray()).toEqual(['OpenFlow13']);
    expect(attachProtocols(OvsdbSet.of('OpenFlow10'), { ...SPEC, protocols: ['OpenFlow13', 'OpenFlow14'] }).toArray()).toEqual(['OpenFlow13', 'OpenFlow14']);
    const db = fresh({ protocols: ['OpenFlow13', 'OpenFlow15'], failMode: 'secure' });
    const plan = planAttach(db, 'br0', { ...SPEC, sflow: null });
    expect(plan.changes).toEqual(['add controller tcp:127.0.0.1:6653']);
  });

  it('changes the target of its own controller, and leaves foreign controllers alone (with a warning)', () => {
    const db = fresh({ controllers: ['tcp:10.0.0.9:6633'] });
    db.transact(planAttach(db, 'br0', { ...SPEC, sflow: null }).ops);
    const moved = planAttach(db, 'br0', { ...SPEC, controller: 'tcp:127.0.0.1:6654', sflow: null });
    expect(moved.changes).toEqual(['add controller tcp:127.0.0.1:6654', 'remove Vigil controller [tcp:127.0.0.1:6653]']);
    expect(moved.warnings).toEqual(['the bridge also has controller tcp:10.0.0.9:6633 (not Vigil\'s): left as is']);
    db.transact(moved.ops);
    const targets = [...db.rows('Controller').values()].map((c) => c.target).sort();
    expect(targets).toEqual(['tcp:10.0.0.9:6633', 'tcp:127.0.0.1:6654']); // the old Vigil row was collected
  });

  it('uses a foreign controller that already has the target instead of adding a second one', () => {
    const db = fresh({ controllers: ['tcp:127.0.0.1:6653'], failMode: 'secure', protocols: ['OpenFlow13'] });
    const plan = planAttach(db, 'br0', { ...SPEC, sflow: null });
    expect(plan.ops).toEqual([]);
    expect(plan.warnings).toEqual(['controller tcp:127.0.0.1:6653 is already configured (not by Vigil): used as is']);
  });

  it('refuses to take over an sFlow row it does not own', () => {
    const db = fresh();
    const br = db.bridge('br0');
    db.transact([op.insert('sFlow', { targets: ['10.1.1.1:6343'] }, 's'), op.update('Bridge', [cond.uuid(br._uuid)], { sflow: [new NamedUuid('s')] })]);
    expect(() => planAttach(db, 'br0', SPEC)).toThrow(SwitchConflictError);
    expect(() => planAttach(db, 'br0', SPEC)).toThrow(/already exports sFlow to \[10\.1\.1\.1:6343\].*ovs-vsctl clear bridge br0 sflow/);
    // Without sFlow the attach goes ahead, and detach leaves the foreign row.
    db.transact(planAttach(db, 'br0', { ...SPEC, sflow: null }).ops);
    db.transact(planDetach(db, 'br0').ops);
    expect(db.bridge('br0').sflow.size).toBe(1);
  });

  it('records the first previous value only: a re-attach after an operator change keeps the original', () => {
    const db = fresh({ failMode: 'standalone', protocols: ['OpenFlow10'] });
    db.transact(planAttach(db, 'br0', SPEC).ops);
    const br = db.bridge('br0');
    db.edit([op.update('Bridge', [cond.uuid(br._uuid)], { fail_mode: ['standalone'] })]);
    const plan = planAttach(db, 'br0', SPEC);
    expect(plan.changes).toEqual(['set fail_mode secure (was standalone)']);
    expect(plan.ops.filter((o) => o.op === 'mutate')).toEqual([]); // no second record
    db.transact(plan.ops);
    expect(db.bridge('br0').external_ids.get(PREV_FAIL_MODE_KEY)).toBe('standalone');
    db.transact(planDetach(db, 'br0').ops);
    expect(db.bridge('br0').fail_mode.only()).toBe('standalone');
    expect(db.bridge('br0').protocols.toArray()).toEqual(['OpenFlow10']);
  });

  it('is refused at its guard when the bridge changed after planning (a race), and succeeds when planned again', () => {
    const db = fresh();
    const plan = planAttach(db, 'br0', SPEC);
    const br = db.bridge('br0');
    db.edit([op.update('Bridge', [cond.uuid(br._uuid)], { protocols: ['OpenFlow14'] })]); // the racing writer
    let err: unknown;
    try {
      db.transact(plan.ops);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OvsdbTransactionError);
    expect((err as OvsdbTransactionError).error).toBe('timed out');
    expect((err as OvsdbTransactionError).index).toBeLessThan(plan.guards);
    expect(db.bridge('br0').controller.size).toBe(0); // nothing of the plan applied
    const again = planAttach(db, 'br0', SPEC);
    expect(again.changes).toContain('set protocols [OpenFlow13] (was [OpenFlow14])');
    db.transact(again.ops);
    expect(planAttach(db, 'br0', SPEC).ops).toEqual([]);
  });

  it('rejects bad specs and unknown bridges with typed errors before planning anything', () => {
    const db = fresh();
    expect(() => planAttach(db, 'nope', SPEC)).toThrow(SwitchNotFoundError);
    expect(() => planAttach(db, 'nope', SPEC)).toThrow('no bridge named "nope"');
    const bad: [Partial<AttachSpec>, string][] = [
      [{ controller: 'http://x' }, 'controller'],
      [{ controller: 'tcp:300.1.1.1:6653' }, 'controller'],
      [{ controller: 'tcp:127.0.0.1:70000' }, 'controller'],
      [{ protocols: [] }, 'protocols'],
      [{ protocols: ['OpenFlow10'] }, 'protocols'],
      [{ sflow: { ...SPEC.sflow!, sampling: 0 } }, 'sflow.sampling'],
      [{ sflow: { ...SPEC.sflow!, targets: [] } }, 'sflow.targets'],
      [{ sflow: { ...SPEC.sflow!, targets: ['localhost:6343'] } }, 'sflow.targets'],
      [{ sflow: { ...SPEC.sflow!, header: 4 } }, 'sflow.header'],
      [{ sflow: { ...SPEC.sflow!, polling: 1.5 } }, 'sflow.polling'],
    ];
    for (const [patch, field] of bad) {
      let err: unknown;
      try {
        planAttach(db, 'br0', { ...SPEC, ...patch });
      } catch (e) {
        err = e;
      }
      expect([field, err]).toEqual([field, expect.any(SwitchSpecError)]);
      expect((err as SwitchSpecError).field).toBe(field);
    }
  });

  it('accepts the controller targets OVS accepts', () => {
    for (const t of ['tcp:127.0.0.1', 'tcp:127.0.0.1:6653', 'ssl:10.0.0.1:6653', 'tcp:[::1]:6653', 'unix:/run/vigil.sock']) expect([t, isControllerTarget(t)]).toEqual([t, true]);
    for (const t of ['tcp:', 'tcp:[::1', 'ptcp:6653', 'tcp:[zz::1]:6653', 'unix:', 'tcp:1.2.3.4:0']) expect([t, isControllerTarget(t)]).toEqual([t, false]);
  });
});

describe('planDetach', () => {
  it('removes exactly what attach, mirror and policing set: the tables are as before', () => {
    const db = fresh({ failMode: 'standalone', protocols: ['OpenFlow10', 'OpenFlow15'], controllers: ['tcp:10.0.0.9:6633'], ports: [{ name: 'p1', policing: [100, 10] }, { name: 'p2' }] });
    const before = comparable(db.dump());
    db.transact(planAttach(db, 'br0', SPEC).ops);
    db.transact(planMirror(db, 'br0', { name: 'vigil-m', selectSrcPorts: ['p1'], outputPort: 'p2' }).ops);
    db.transact(planIngressPolicing(db, 'p1', { rateKbps: 1000, burstKb: 100 }).ops);
    db.transact(planIngressPolicing(db, 'p2', { rateKbps: 2000, burstKb: 0 }).ops);
    expect(comparable(db.dump())).not.toEqual(before);
    const plan = planDetach(db, 'br0');
    expect(plan.changes).toEqual([
      'remove controller [tcp:127.0.0.1:6653]',
      'remove sFlow export to [127.0.0.1:6343]',
      'remove mirror [vigil-m]',
      'restore fail_mode [standalone]',
      'restore protocols [OpenFlow10, OpenFlow15]',
      'p1: restore ingress policing rate 100 kbps burst 10 kb',
      'p2: restore ingress policing rate 0 kbps burst 0 kb',
    ]);
    db.transact(plan.ops);
    expect(comparable(db.dump())).toEqual(before);
    expect(planDetach(db, 'br0').ops).toEqual([]);
  });

  it('guards the records it restores from: a concurrent change of the record refuses the detach', () => {
    const db = fresh({ failMode: 'standalone' });
    db.transact(planAttach(db, 'br0', SPEC).ops);
    const plan = planDetach(db, 'br0');
    const br = db.bridge('br0');
    db.edit([op.mutate('Bridge', [cond.uuid(br._uuid)], [['external_ids', 'delete', [PREV_FAIL_MODE_KEY]]])]);
    expect(() => db.transact(plan.ops)).toThrow(expect.objectContaining({ error: 'timed out' }));
  });

  it('warns about and forgets a record that is not a valid value', () => {
    const db = fresh({ externalIds: { [PREV_FAIL_MODE_KEY]: 'bogus' } });
    const plan = planDetach(db, 'br0');
    expect(plan.warnings).toEqual(['external_ids:vigil-prev-fail-mode="bogus" is not a valid fail_mode: fail_mode left as is']);
    db.transact(plan.ops);
    expect(db.bridge('br0').external_ids.size).toBe(0);
  });
});

describe('properties over random bridges', () => {
  const versions = ['OpenFlow10', 'OpenFlow11', 'OpenFlow12', 'OpenFlow13', 'OpenFlow14', 'OpenFlow15'];
  const bridgeArb = fc.record({
    failMode: fc.constantFrom(undefined, 'standalone' as const, 'secure' as const),
    protocols: fc.subarray(versions),
    controllers: fc.subarray(['tcp:10.0.0.1:6633', 'tcp:127.0.0.1:6653', 'ssl:10.0.0.2:6653']),
    ports: fc.uniqueArray(
      fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e'), policing: fc.option(fc.tuple(fc.nat(5000), fc.nat(500)), { nil: undefined }), tag: fc.option(fc.integer({ min: 0, max: 4095 }), { nil: undefined }) }),
      { selector: (p) => p.name, minLength: 2, maxLength: 5 },
    ),
  });
  const specArb = fc.record({
    controller: fc.constantFrom('tcp:127.0.0.1:6653', 'tcp:[::1]:6653', 'unix:/run/v.sock'),
    sflow: fc.option(
      fc.record({ targets: fc.constantFrom(['127.0.0.1:6343'], ['127.0.0.1:6343', '[::1]:6343']), sampling: fc.integer({ min: 1, max: 4096 }), polling: fc.integer({ min: 1, max: 60 }), header: fc.integer({ min: 14, max: 256 }) }),
      { nil: null },
    ),
    protocols: fc.option(fc.constantFrom(['OpenFlow13'] as const, ['OpenFlow13', 'OpenFlow15'] as const), { nil: undefined }),
  });

  it('attach is idempotent and detach undoes attach, mirrors and policing exactly', () => {
    fc.assert(
      fc.property(bridgeArb, specArb, fc.array(specArb, { maxLength: 2 }), fc.nat(1000), (b, spec, reattach, rate) => {
        const db = new MemoryVswitch();
        db.addBridge('br0', b);
        const before = comparable(db.dump());
        db.transact(planAttach(db, 'br0', spec).ops);
        expect(planAttach(db, 'br0', spec).ops).toEqual([]);
        for (const s of reattach) db.transact(planAttach(db, 'br0', s).ops); // re-attach with other settings
        const [p1, p2] = b.ports;
        db.transact(planMirror(db, 'br0', { name: 'm', selectDstPorts: [p1!.name], outputPort: p2!.name }).ops);
        db.transact(planIngressPolicing(db, p1!.name, { rateKbps: rate, burstKb: 7 }).ops);
        db.transact(planDetach(db, 'br0').ops);
        expect(comparable(db.dump())).toEqual(before);
        expect(planDetach(db, 'br0').ops).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('a plan made before another writer touched a guarded column is refused at a guard and changes nothing', () => {
    fc.assert(
      fc.property(bridgeArb, specArb, fc.constantFrom('controller', 'fail_mode', 'protocols'), (b, spec, column) => {
        const db = new MemoryVswitch();
        db.addBridge('br0', { ...b, failMode: 'standalone' });
        const plan = planAttach(db, 'br0', spec);
        fc.pre(plan.ops.length > 0);
        const br = db.bridge('br0');
        const racing =
          column === 'controller'
            ? [op.insert('Controller', { target: 'tcp:10.9.9.9:1' }, 'x'), op.mutate('Bridge', [cond.uuid(br._uuid)], [['controller', 'insert', [new NamedUuid('x')]]])]
            : column === 'fail_mode'
              ? [op.update('Bridge', [cond.uuid(br._uuid)], { fail_mode: [] })]
              : [op.update('Bridge', [cond.uuid(br._uuid)], { protocols: br.protocols.size === 1 && br.protocols.has('OpenFlow12') ? ['OpenFlow11'] : ['OpenFlow12'] })];
        db.edit(racing);
        const after = comparable(db.dump());
        let err: OvsdbTransactionError | undefined;
        try {
          db.transact(plan.ops);
        } catch (e) {
          err = e as OvsdbTransactionError;
        }
        expect(err?.error).toBe('timed out');
        expect(err!.index).toBeLessThan(plan.guards);
        expect(comparable(db.dump())).toEqual(after);
      }),
      { numRuns: 100 },
    );
  });
});
