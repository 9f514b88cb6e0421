/**
 * The executor with an in-memory backend (no I/O): a plan goes out as one transaction; a lost race is
 * retried on fresh state (or reported as a typed, raced SwitchChangeError with retries 0); any other refusal
 * is a SwitchChangeError carrying OVSDB's error and details at once; nothing to do sends nothing; results
 * are counted by action and result.
 */
import { OvsdbTransactionError } from '../../../../src/codec/ovsdb/errors.js';
import { cond, op, type Operation } from '../../../../src/codec/ovsdb/operations.js';
import { Registry } from '../../../../src/observability/metrics.js';
import { planAttach } from '../../../../src/southbound/ovsdb/bridge-attach.js';
import { SwitchChangeError } from '../../../../src/southbound/ovsdb/switch-errors.js';
import { SwitchManager } from '../../../../src/southbound/ovsdb/switch-manager.js';
import type { SwitchPlan } from '../../../../src/southbound/ovsdb/switch-plan.js';
import { MemoryVswitch } from './switch-fixture.js';

const SPEC = { controller: 'tcp:127.0.0.1:6653', sflow: null };

function setup(racer?: (db: MemoryVswitch) => void) {
  const db = new MemoryVswitch();
  db.vswitchd = true;
  db.addBridge('br0', { failMode: 'standalone' });
  const sent: (readonly Operation[])[] = [];
  let races = 0;
  const backend = {
    replica: db,
    transact: async (ops: readonly Operation[]) => {
      sent.push(ops);
      // The racing writer commits between Vigil's planning and its transaction.
      if (racer && races-- > 0) racer(db);
      return db.transact(ops);
    },
  };
  const metrics = new Registry();
  const manager = new SwitchManager(backend, { metrics, raceWaitMs: 50, settleMs: 50 });
  return { db, sent, manager, metrics, race: (n: number) => (races = n) };
}

const bumpProtocols = (db: MemoryVswitch): void => {
  const br = db.bridge('br0');
  db.edit([op.update('Bridge', [cond.uuid(br._uuid)], { protocols: br.protocols.has('OpenFlow10') ? ['OpenFlow11'] : ['OpenFlow10'] })]);
};

describe('SwitchManager', () => {
  it('executes a plan as one transaction and sends nothing the second time', async () => {
    const { db, sent, manager, metrics } = setup();
    const r = await manager.attach('br0', SPEC);
    expect([r.changed, r.attempts, r.settled, r.applied]).toEqual([true, 1, true, true]);
    expect(sent).toHaveLength(1);
    // Like ovs-vsctl: next_cfg bumped in the same transaction, read back, and cur_cfg awaited.
    expect(sent[0]!.slice(-2)).toEqual([op.mutate('Open_vSwitch', [], [['next_cfg', '+=', 1]]), op.select('Open_vSwitch', [], ['next_cfg'])]);
    expect([...db.rows('Open_vSwitch').values()][0]!.cur_cfg).toBe(1);
    expect(db.bridge('br0').fail_mode.only()).toBe('secure');
    const again = await manager.attach('br0', SPEC);
    expect([again.changed, again.plan.ops.length]).toEqual([false, 0]);
    expect(sent).toHaveLength(1);
    const c = metrics.counter('vigil_switch_changes_total', '');
    expect([c.get({ action: 'attach', result: 'applied' }), c.get({ action: 'attach', result: 'unchanged' })]).toEqual([1, 1]);
    expect(manager.inventory.bridges[0]!.attached).toBe(true);
  });

  it('re-plans after a lost race and succeeds on fresh state', async () => {
    const { db, sent, manager, metrics, race } = setup(bumpProtocols);
    race(2);
    const r = await manager.attach('br0', SPEC);
    expect(r.attempts).toBe(3);
    expect(sent).toHaveLength(3);
    expect(db.bridge('br0').protocols.toArray()).toEqual(['OpenFlow13']);
    expect(metrics.counter('vigil_switch_changes_total', '').get({ action: 'attach', result: 'raced' })).toBe(2);
  });

  it('reports a lost race as a typed error carrying OVSDB details when no retry is left', async () => {
    const { db, manager, race } = setup(bumpProtocols);
    race(1);
    let err: unknown;
    try {
      await manager.attach('br0', SPEC, { retries: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SwitchChangeError);
    const e = err as SwitchChangeError;
    expect([e.raced, e.error, e.details, e.index, e.operation, e.attempts, e.action, e.target]).toEqual([true, 'timed out', '"wait" timed out', 0, 'wait', 1, 'attach', 'br0']);
    expect(e.cause).toBeInstanceOf(OvsdbTransactionError);
    expect(e.message).toMatch(/attach br0: the switch changed while the change was planned/);
    expect(db.bridge('br0').controller.size).toBe(0);
    // Retried on fresh state, it succeeds.
    expect((await manager.attach('br0', SPEC, { retries: 0 })).changed).toBe(true);
  });

  it('does not retry other refusals', async () => {
    const db = new MemoryVswitch();
    db.addBridge('br0');
    let calls = 0;
    const manager = new SwitchManager({
      replica: db,
      transact: async () => {
        calls++;
        throw new OvsdbTransactionError('constraint violation', 'some detail', 3, undefined, []);
      },
    });
    await expect(manager.attach('br0', SPEC)).rejects.toMatchObject({ name: 'SwitchChangeError', raced: false, error: 'constraint violation', details: 'some detail', index: 3 });
    expect(calls).toBe(1);
  });

  it('passes other failures (connection loss...) through untouched', async () => {
    const db = new MemoryVswitch();
    db.addBridge('br0');
    const boom = new Error('connection closed');
    const manager = new SwitchManager({ replica: db, transact: () => Promise.reject(boom) });
    await expect(manager.attach('br0', SPEC)).rejects.toBe(boom);
  });

  it('reports applied: false when ovs-vswitchd does not catch up, and skips the wait when told to', async () => {
    const db = new MemoryVswitch();
    db.addBridge('br0');
    const sent: (readonly Operation[])[] = [];
    const backend = { replica: db, transact: async (ops: readonly Operation[]) => (sent.push(ops), db.transact(ops)) };
    const slow = await new SwitchManager(backend, { switchWaitMs: 30 }).attach('br0', SPEC);
    expect([slow.changed, slow.applied]).toEqual([true, false]);
    const noWait = await new SwitchManager(backend, { waitForSwitch: false }).detach('br0');
    expect([noWait.changed, noWait.applied]).toEqual([true, undefined]);
    expect(sent[1]!.some((o) => 'table' in o && o.table === 'Open_vSwitch')).toBe(false);
  });

  it('reports a change the replica never shows as not settled', async () => {
    const { manager } = setup();
    const stuck: SwitchPlan = { action: 'sflow', target: 'br0', changes: ['x'], warnings: [], ops: [op.comment('x')], guards: 0 };
    const r = await manager.apply(() => stuck);
    expect([r.changed, r.settled]).toEqual([true, false]);
  });

  it('shares the inventory stream and replays the latest', async () => {
    const { manager, db } = setup();
    const got: number[] = [];
    const sub = manager.inventory$.subscribe((i) => got.push(i.bridges[0]!.controllers.length));
    await manager.attach('br0', SPEC);
    const late: number[] = [];
    manager.inventory$.subscribe((i) => late.push(i.bridges[0]!.controllers.length)).unsubscribe();
    sub.unsubscribe();
    expect(got).toEqual([0, 1]);
    expect(late).toEqual([1]);
    expect(planAttach(db, 'br0', SPEC).ops).toEqual([]);
  });
});
