/**
 * The OVSDB client against the real ovsdb-server of the running Open vSwitch (unix:/var/run/openvswitch/db.sock):
 * list_dbs and get_schema compared with ovsdb-client, transactions with every operation type and every
 * condition function and mutator on bridges this test creates (vgtest-ovsdb*, external_ids:vigil-test=1),
 * wait/assert guards, refusals as typed errors, cancel, locks, and replicas fed by monitor, monitor_cond
 * and monitor_cond_since that must show every change made with ovs-vsctl within 1 s, checked against
 * ovsdb-client dump and ovs-vsctl get.
 */
import { firstValueFrom, filter, take, toArray, timeout } from 'rxjs';
import { OvsdbTransactionError, OvsdbValidationError } from '../../src/codec/ovsdb/errors.js';
import { cond, op, type Operation } from '../../src/codec/ovsdb/operations.js';
import { columnTypeToJson, decodeColumnValue, parseSchema, type DatabaseSchema } from '../../src/codec/ovsdb/schema.js';
import { NamedUuid, OvsdbMap, OvsdbSet, Uuid, valueEquals, type Value } from '../../src/codec/ovsdb/value.js';
import { Registry } from '../../src/observability/metrics.js';
import { OvsdbClient } from '../../src/southbound/ovsdb/client.js';
import { OvsdbCanceledError } from '../../src/southbound/ovsdb/errors.js';
import type { Monitor } from '../../src/southbound/ovsdb/monitor.js';
import type { ReplicaRow, RowTypes } from '../../src/southbound/ovsdb/replica.js';
import type { VswitchRows } from '../../src/southbound/ovsdb/vswitch.js';
import { ovsRunning, vsctl } from '../support/ovs.js';
import { ovsdbDump, run, SYSTEM_DB_SOCK, within } from './ovsdb-support.js';

const REMOTE = `unix:${SYSTEM_DB_SOCK}`;
const DB = 'Open_vSwitch';
const BR1 = 'vgtest-ovsdb1';
const BR2 = 'vgtest-ovsdb2';
const BR3 = 'vgtest-ovsdb3';
const P1 = 'vgob1-p1';
const P2 = 'vgob2-p1';
const ours = [BR1, BR2, BR3];

const available = ovsRunning();
const d = available ? describe : describe.skip;

/** Removes a bridge of ours (marked) left by an earlier run; refuses to touch any other. */
function removeOurBridge(name: string): void {
  if (!vsctl('list-br').split('\n').includes(name)) return;
  const mark = vsctl('get', 'bridge', name, 'external_ids:vigil-test').trim();
  if (mark !== '"1"' && mark !== '1') throw new Error(`bridge ${name} exists and was not created by Vigil's tests`);
  vsctl('del-br', name);
}

/** ovs-vsctl's view of one column (the independent oracle). */
const vsget = (table: string, record: string, column: string): string => vsctl('get', table, record, column).trim();

/** Operations that create a bridge with an internal port of its name, as `ovs-vsctl add-br` does. */
function addBridgeOps(name: string, extraPort?: { name: string; tag: number }): Operation[] {
  const ops: Operation[] = [
    op.insert('Interface', { name, type: 'internal' }, 'iface0'),
    op.insert('Port', { name, interfaces: [new NamedUuid('iface0')] }, 'port0'),
  ];
  const ports = [new NamedUuid('port0')];
  if (extraPort) {
    ops.push(
      op.insert('Interface', { name: extraPort.name, type: 'internal' }, 'iface1'),
      op.insert('Port', { name: extraPort.name, interfaces: [new NamedUuid('iface1')], tag: OvsdbSet.of(extraPort.tag), trunks: [1, 2, 3] }, 'port1'),
    );
    ports.push(new NamedUuid('port1'));
  }
  ops.push(
    op.insert('Bridge', { name, ports, datapath_type: 'netdev', fail_mode: ['secure'], external_ids: new Map([['vigil-test', '1']]) }, 'br'),
    op.mutate('Open_vSwitch', [], [['bridges', 'insert', [new NamedUuid('br')]]]),
  );
  return ops;
}

function txError(e: unknown): OvsdbTransactionError {
  expect(e).toBeInstanceOf(OvsdbTransactionError);
  return e as OvsdbTransactionError;
}

async function refused(p: Promise<unknown>): Promise<OvsdbTransactionError> {
  try {
    await p;
  } catch (e) {
    return txError(e);
  }
  throw new Error('expected the transaction to be refused');
}

d('OVSDB client against the system ovsdb-server', () => {
  let client: OvsdbClient;
  let metrics: Registry;

  beforeAll(async () => {
    for (const b of ours) removeOurBridge(b);
    metrics = new Registry();
    client = new OvsdbClient({ remote: REMOTE, metrics, requestTimeoutMs: 10_000 });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    for (const b of ours) {
      try {
        removeOurBridge(b);
      } catch {
        /* reported by the tests */
      }
    }
  });

  describe('list_dbs, get_schema, echo', () => {
    it('lists the databases ovsdb-client lists', async () => {
      const oracle = run('ovsdb-client', ['list-dbs', REMOTE]).trim().split('\n').sort();
      expect((await client.listDbs()).sort()).toEqual(oracle);
      expect(oracle).toContain('Open_vSwitch');
    });

    it('gets the schema ovsdb-client get-schema prints, column for column', async () => {
      const schema = await client.getSchema(DB);
      const oracle: DatabaseSchema = parseSchema(JSON.parse(run('ovsdb-client', ['get-schema', REMOTE, DB])));
      expect(schema.version).toBe(run('ovsdb-client', ['get-schema-version', REMOTE, DB]).trim());
      expect([...schema.tables.keys()].sort()).toEqual([...oracle.tables.keys()].sort());
      for (const [name, t] of oracle.tables) {
        for (const [cname, c] of t.columns) expect([name, cname, columnTypeToJson(schema.tables.get(name)!.columns.get(cname)!.type)]).toEqual([name, cname, columnTypeToJson(c.type)]);
      }
      // Vigil's typed tables fit the server's schema.
      await expect(client.checkVswitchSchema()).resolves.toBe(schema);
    });

    it('echoes', async () => {
      expect(await client.echo('vigil', 1, { a: [true] })).toEqual(['vigil', 1, { a: [true] }]);
    });
  });

  describe('transactions', () => {
    let brUuid: Uuid;

    it('inserts a bridge with ports (uuid-names, mutate insert, comment, commit)', async () => {
      const results = await client.transact(DB, [...addBridgeOps(BR1, { name: P1, tag: 10 }), op.comment('vigil test: add bridge'), op.commit(false)]);
      const insertBr = results[4] as { uuid: Uuid };
      expect(results.slice(0, 4).every((r) => (r as { uuid: Uuid }).uuid instanceof Uuid)).toBe(true);
      expect(insertBr.uuid).toBeInstanceOf(Uuid);
      brUuid = insertBr.uuid;
      expect(results[5]).toEqual({ count: 1 }); // the Open_vSwitch row mutated
      expect(results.slice(6)).toEqual([{}, {}]);
      // Oracle: ovs-vsctl sees the bridge, its uuid, its ports and the port's tag.
      expect(vsget('bridge', BR1, '_uuid')).toBe(brUuid.value);
      expect(vsctl('list-ports', BR1).trim().split('\n')).toEqual([P1]);
      expect(vsget('port', P1, 'tag')).toBe('10');
      expect(vsget('bridge', BR1, 'external_ids:vigil-test')).toBe('"1"');
    });

    it('selects with every condition function', async () => {
      const count = async (where: Parameters<typeof op.select>[1]): Promise<number> => {
        const [r] = await client.transact(DB, [op.select('Port', [cond.eq('name', P1), ...where], ['name'])]);
        return r.rows.length;
      };
      // tag is an optional integer (ovsdb-server allows the inequalities on it); it holds 10.
      expect(await count([cond.lt('tag', [11])])).toBe(1);
      expect(await count([cond.lt('tag', [10])])).toBe(0);
      expect(await count([cond.le('tag', [10])])).toBe(1);
      expect(await count([cond.gt('tag', [9])])).toBe(1);
      expect(await count([cond.gt('tag', [10])])).toBe(0);
      expect(await count([cond.ge('tag', [10])])).toBe(1);
      expect(await count([cond.eq('tag', [10])])).toBe(1);
      expect(await count([cond.ne('tag', [10])])).toBe(0);
      expect(await count([cond.includes('trunks', [1, 3])])).toBe(1);
      expect(await count([cond.includes('trunks', [4])])).toBe(0);
      expect(await count([cond.excludes('trunks', [4, 5])])).toBe(1);
      expect(await count([cond.excludes('trunks', [3, 4])])).toBe(0);
      expect(await count([true])).toBe(1);
      expect(await count([false])).toBe(0);
      // The whole row comes back typed.
      const [sel] = await client.transact(DB, [op.select('Bridge', [cond.uuid(brUuid)])]);
      const row = sel.rows[0]!;
      expect(row.name).toBe(BR1);
      expect(row.fail_mode).toEqual(OvsdbSet.of('secure'));
      expect((row.ports as OvsdbSet).size).toBe(2);
      expect((row.external_ids as OvsdbMap).get('vigil-test')).toBe('1');
    });

    it('updates and mutates with every mutator', async () => {
      const where = [cond.eq('name', P1)];
      const [upd] = await client.transact(DB, [op.update('Port', where, { external_ids: new Map([['k1', 'a'], ['k2', 'b']]), trunks: [1, 2, 3] })]);
      expect(upd.count).toBe(1);
      const steps: [string, number][] = [
        ['+=', 5],
        ['-=', 3],
        ['*=', 4],
        ['/=', 3],
        ['%=', 5],
      ];
      let tag = 10;
      for (const [m, v] of steps) {
        const [r] = await client.transact(DB, [op.mutate('Port', where, [['tag', m as '+=', v]])]);
        expect(r.count).toBe(1);
        tag = m === '+=' ? tag + v : m === '-=' ? tag - v : m === '*=' ? tag * v : m === '/=' ? Math.trunc(tag / v) : tag % v;
        expect([m, vsget('port', P1, 'tag')]).toEqual([m, String(tag)]);
      }
      expect(tag).toBe(1); // 10 +5 -3 *4 /3 %5
      await client.transact(DB, [
        op.mutate('Port', where, [
          ['trunks', 'insert', [7, 8]],
          ['trunks', 'delete', [1]],
          ['external_ids', 'insert', new Map([['k3', 'c']])],
          ['external_ids', 'delete', ['k1']], // map delete by keys
          ['external_ids', 'delete', new Map([['k2', 'not-b']])], // by pairs: the value differs, nothing removed
        ]),
      ]);
      expect(vsget('port', P1, 'trunks')).toBe('[2, 3, 7, 8]');
      expect(vsget('port', P1, 'external_ids')).toBe('{k2=b, k3=c}');
      // update of an optional column to empty, checked by ovs-vsctl.
      await client.transact(DB, [op.update('Bridge', [cond.uuid(brUuid)], { fail_mode: OvsdbSet.EMPTY })]);
      expect(vsget('bridge', BR1, 'fail_mode')).toBe('[]');
    });

    it('inserts and deletes a mirror (delete, and a refused delete of a referenced row)', async () => {
      const [port] = await client.transact(DB, [op.select('Port', [cond.eq('name', P1)], ['_uuid'])]);
      const portUuid = port.rows[0]!._uuid as Uuid;
      await client.transact(DB, [
        op.insert('Mirror', { name: 'vgob1-m', select_all: true, output_port: [portUuid] }, 'm'),
        op.mutate('Bridge', [cond.uuid(brUuid)], [['mirrors', 'insert', [new NamedUuid('m')]]]),
      ]);
      expect(vsget('mirror', 'vgob1-m', 'output_port')).toBe(portUuid.value);
      // Deleting the mirror while the bridge still refers to it violates referential integrity at commit.
      const e = await refused(client.transact(DB, [op.delete('Mirror', [cond.eq('name', 'vgob1-m')])]));
      expect(e.error).toBe('referential integrity violation');
      expect(e.index).toBe(1);
      expect(e.operation).toBeUndefined();
      const [m] = await client.transact(DB, [op.select('Mirror', [cond.eq('name', 'vgob1-m')], ['_uuid'])]);
      const [, del] = await client.transact(DB, [
        op.mutate('Bridge', [cond.uuid(brUuid)], [['mirrors', 'delete', m.rows.map((r) => r._uuid as Uuid)]]),
        op.delete('Mirror', [cond.eq('name', 'vgob1-m')]),
      ]);
      expect(del.count).toBe(1);
      expect(vsget('bridge', BR1, 'mirrors')).toBe('[]');
    });

    it('waits: satisfied at once, times out, and is satisfied by a concurrent ovs-vsctl change', async () => {
      const where = [cond.uuid(brUuid)];
      const [ok] = await client.transact(DB, [op.wait('Bridge', where, ['name'], '==', [{ name: BR1 }], 0), op.comment('guarded')]);
      expect(ok).toEqual({});
      const e = await refused(client.transact(DB, [op.wait('Bridge', where, ['name'], '!=', [{ name: BR1 }], 0), op.update('Bridge', where, { fail_mode: ['secure'] })]));
      expect([e.error, e.index, e.operation]).toEqual(['timed out', 0, 'wait']);
      expect(vsget('bridge', BR1, 'fail_mode')).toBe('[]'); // the guarded update did not run
      const t0 = Date.now();
      const guarded = client.transact(DB, [op.wait('Bridge', where, ['fail_mode'], '==', [{ fail_mode: ['standalone'] }], 5000), op.update('Bridge', where, { other_config: new Map([['vigil-waited', 'yes']]) })], {
        timeoutMs: 10_000,
      });
      setTimeout(() => vsctl('set', 'bridge', BR1, 'fail_mode=standalone'), 200);
      const [w, u] = await guarded;
      expect(w).toEqual({});
      expect(u.count).toBe(1);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
      expect(vsget('bridge', BR1, 'other_config:vigil-waited')).toBe('yes');
    });

    it('asserts a lock: refused without it, accepted while held', async () => {
      const lock = 'vigil_test_ovsdb_assert';
      const e = await refused(client.transact(DB, [op.assert(lock), op.comment('x')]));
      expect([e.error, e.index, e.operation]).toEqual(['not owner', 0, 'assert']);
      expect(await client.lock(lock)).toBe(true);
      await expect(client.transact(DB, [op.assert(lock), op.comment('x')])).resolves.toEqual([{}, {}]);
      await client.unlock(lock);
      await refused(client.transact(DB, [op.assert(lock)]));
    });

    it('aborts: nothing of the transaction is applied', async () => {
      const e = await refused(client.transact(DB, [op.update('Bridge', [cond.uuid(brUuid)], { other_config: new Map([['vigil-aborted', 'yes']]) }), op.abort(), op.comment('never')]));
      expect([e.error, e.index, e.operation]).toEqual(['aborted', 1, 'abort']);
      expect(e.partialResults).toEqual([{ count: 1 }]);
      expect(() => vsget('bridge', BR1, 'other_config:vigil-aborted')).toThrow(/no key/);
    });

    it('reports refusals as typed errors: operation errors and commit-time constraint violations', async () => {
      // An operation error in the middle.
      const div = await refused(client.transact(DB, [op.comment('a'), op.mutate('Port', [cond.eq('name', P1)], [['tag', '/=', 0]]), op.comment('b')]));
      expect([div.error, div.details, div.index, div.operation]).toEqual(['domain error', 'Division by zero.', 1, 'mutate']);
      // Every operation succeeds, the commit does not: the maxRows of Open_vSwitch.
      const rows = await refused(client.transact(DB, [op.insert('Open_vSwitch', {})]));
      expect([rows.error, rows.index, rows.operation]).toEqual(['constraint violation', 1, undefined]);
      expect(rows.details).toMatch(/greater than the schema-defined limit of 1 row/);
      expect(rows.partialResults).toHaveLength(1);
      // A reference to a row that does not exist.
      const ref = await refused(client.transact(DB, [op.insert('Port', { name: 'vgob3-x', interfaces: [new Uuid('11111111-2222-3333-4444-555555555555')] })]));
      expect([ref.error, ref.index]).toEqual(['referential integrity violation', 1]);
      expect(ref.details).toMatch(/references nonexistent row 11111111-2222-3333-4444-555555555555 in table Interface/);
    });

    it('validates before sending, and the server refuses the same operation when validation is off', async () => {
      const bad = op.update('Port', [cond.eq('name', P1)], { tag: [5000] });
      await expect(client.transact(DB, [bad])).rejects.toThrow(OvsdbValidationError);
      const e = await refused(client.transact(DB, [bad], { validate: false }));
      expect(e.error).toBe('constraint violation');
      expect(e.details).toMatch(/5000 is not in the valid range 0 to 4095/);
    });

    it('cancels a blocked transaction and stays usable', async () => {
      const ac = new AbortController();
      const blocked = client.transact(DB, [op.wait('Bridge', [cond.uuid(brUuid)], ['name'], '==', [{ name: 'never-this' }])], { signal: ac.signal, timeoutMs: 0 });
      setTimeout(() => ac.abort(), 100);
      await expect(blocked).rejects.toThrow(OvsdbCanceledError);
      expect(await client.echo('still here')).toEqual(['still here']);
    });

    it('hands out locks between two clients: lock, wait, steal, stolen', async () => {
      const lock = 'vigil_test_ovsdb_steal';
      const other = new OvsdbClient({ remote: REMOTE });
      await other.connect();
      try {
        expect(await client.lock(lock)).toBe(true);
        expect(client.lockState(lock)).toBe('locked');
        expect(await other.lock(lock)).toBe(false);
        expect(other.lockState(lock)).toBe('waiting');
        // (ovsdb-server 3.1 also re-sends "locked" to the owner when another session starts waiting.)
        const stolen = firstValueFrom(client.lockEvents$.pipe(filter((e) => e.lock === lock && e.event !== 'locked'), timeout(5000)));
        await other.steal(lock);
        expect(await stolen).toEqual({ lock, event: 'stolen' });
        expect(client.lockState(lock)).toBe('stolen');
        await expect(other.transact(DB, [op.assert(lock)])).resolves.toEqual([{}]);
        expect((await refused(client.transact(DB, [op.assert(lock)]))).error).toBe('not owner');
        // The other releases it; asking again gets it back.
        await other.unlock(lock);
        expect(await client.lock(lock)).toBe(true);
        await client.unlock(lock);
      } finally {
        await other.close();
      }
    });
  });

  describe('monitors and replicas', () => {
    const BR = BR2;
    const PORT = P2;
    const cols = {
      Bridge: ['name', 'ports', 'mirrors', 'sflow', 'fail_mode', 'protocols', 'other_config', 'external_ids'],
      Port: ['name', 'interfaces', 'tag', 'trunks', 'external_ids', 'qos'],
      Mirror: ['name', 'select_all', 'output_port', 'select_src_port'],
      sFlow: ['agent', 'targets', 'sampling'],
      QoS: ['type', 'queues'],
      Queue: ['other_config'],
    } as const;
    type Tables = keyof typeof cols;
    let schema: DatabaseSchema;
    const monitors: { name: string; mon: Monitor<RowTypes> }[] = [];

    beforeAll(async () => {
      schema = await client.getSchema(DB);
      const requests = Object.fromEntries(Object.entries(cols).map(([t, c]) => [t, { columns: c }]));
      const condRequests = { ...requests, Bridge: { columns: cols.Bridge, where: [cond.eq('name', BR)] } };
      monitors.push({ name: 'monitor_cond (update2)', mon: (await client.monitorCond(DB, condRequests)) as Monitor<RowTypes> });
      monitors.push({ name: 'monitor_cond_since (update3)', mon: (await client.monitorCondSince(DB, condRequests)) as Monitor<RowTypes> });
      monitors.push({ name: 'monitor (update)', mon: (await client.monitor(DB, requests)) as Monitor<RowTypes> });
    });

    afterAll(async () => {
      for (const { mon } of monitors) await mon.cancel().catch(() => undefined);
    });

    /** What the database holds for our bridge and the rows it refers to, per ovsdb-client dump. */
    function oracleState(): Map<Tables, Map<string, Record<string, Value>>> {
      const state = new Map<Tables, Map<string, Record<string, Value>>>();
      const decode = (table: Tables, raw: Record<string, unknown>): Record<string, Value> => {
        const t = schema.tables.get(table)!;
        return Object.fromEntries(Object.entries(raw).map(([c, v]) => [c, decodeColumnValue(t.columns.get(c)!.type, v, `${table}.${c}`)]));
      };
      const dump = (table: Tables): Record<string, Value>[] => ovsdbDump(REMOTE, DB, table, ['_uuid', ...cols[table]]).map((r) => decode(table, r));
      const bridges = dump('Bridge').filter((b) => b.name === BR);
      state.set('Bridge', new Map(bridges.map((b) => [(b._uuid as Uuid).value, b])));
      const refs = (rows: Record<string, Value>[], col: string): Set<string> => new Set(rows.flatMap((r) => [...(r[col] as OvsdbSet<Uuid>)].map((u) => u.value)));
      const pick = (table: Tables, uuids: Set<string>): Record<string, Value>[] => dump(table).filter((r) => uuids.has((r._uuid as Uuid).value));
      const ports = pick('Port', refs(bridges, 'ports'));
      state.set('Port', new Map(ports.map((r) => [(r._uuid as Uuid).value, r])));
      state.set('Mirror', new Map(pick('Mirror', refs(bridges, 'mirrors')).map((r) => [(r._uuid as Uuid).value, r])));
      state.set('sFlow', new Map(pick('sFlow', refs(bridges, 'sflow')).map((r) => [(r._uuid as Uuid).value, r])));
      const qos = pick('QoS', refs(ports, 'qos'));
      state.set('QoS', new Map(qos.map((r) => [(r._uuid as Uuid).value, r])));
      const queueIds = new Set(qos.flatMap((q) => [...(q.queues as OvsdbMap<number, Uuid>).values()].map((u) => u.value)));
      state.set('Queue', new Map(pick('Queue', queueIds).map((r) => [(r._uuid as Uuid).value, r])));
      return state;
    }

    /** The same view taken from a replica (rows reached from our bridge). */
    function replicaMatches(mon: Monitor<RowTypes>, oracle: Map<Tables, Map<string, Record<string, Value>>>): boolean {
      const r = mon.replica;
      const rows = (t: Tables): ReadonlyMap<string, ReplicaRow> => r.rows(t) as ReadonlyMap<string, ReplicaRow>;
      for (const [table, want] of oracle) {
        for (const [u, row] of want) {
          const got = rows(table).get(u);
          if (!got) return false;
          for (const [c, v] of Object.entries(row)) if (!valueEquals(got[c]!, v)) return false;
        }
      }
      // The bridge is gone from the replica when it is gone from the database.
      const br = [...rows('Bridge').values()].filter((b) => b.name === BR);
      return br.length === oracle.get('Bridge')!.size;
    }

    async function step(what: string, ...vsctlArgs: string[][]): Promise<void> {
      for (const args of vsctlArgs) vsctl(...args);
      const oracle = oracleState();
      for (const { name, mon } of monitors) {
        const ms = await within(1000, () => replicaMatches(mon, oracle), `${name} replica after "${what}"`);
        expect(ms).toBeLessThan(1000);
      }
    }

    it('use monitor_cond_since on OVS 3.1 when asked for the best method, with typed rows', async () => {
      const mon = await client.monitorVswitch({ Bridge: { columns: ['name', 'fail_mode'], where: [cond.eq('name', BR)] } });
      try {
        expect(mon.method).toBe('monitor_cond_since');
        vsctl('add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev', 'fail_mode=secure', 'external_ids:vigil-test=1');
        await within(1000, () => mon.replica.find('Bridge', (b) => b.name === BR) !== undefined, 'typed replica row');
        const b = mon.replica.find('Bridge', (x) => x.name === BR)!;
        const mode: 'standalone' | 'secure' | undefined = b.fail_mode.only();
        expect(mode).toBe('secure');
        expect(b._uuid.value).toBe(vsget('bridge', BR, '_uuid'));
      } finally {
        await mon.cancel();
        removeOurBridge(BR);
      }
      // Let the three main monitors see the deletion before the sequence starts.
      await step('cleanup');
    });

    it('see every change made with ovs-vsctl within 1 s, as ovsdb-client dump shows it', async () => {
      const changes: string[] = [];
      const sub = monitors[0]!.mon.replica.changes$.subscribe((c) => changes.push(`${c.table}:${c.kind}`));
      try {
        await step('add-br', ['add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev', 'external_ids:vigil-test=1']);
        await step('set bridge columns', ['set', 'bridge', BR, 'fail_mode=secure', 'protocols=OpenFlow13,OpenFlow15', 'other_config:a=1', 'external_ids:note="naïve 中文 😀 {b} [k] \\"q\\""']);
        await step('add-port with tag and trunks', ['add-port', BR, PORT, '--', 'set', 'interface', PORT, 'type=internal', '--', 'set', 'port', PORT, 'tag=10', 'trunks=1,2,3']);
        await step('change set and map', ['set', 'port', PORT, 'trunks=2,3,4', 'external_ids:x=1', 'external_ids:y=2']);
        await step('change a map value, remove a key, clear an optional column', ['set', 'port', PORT, 'external_ids:x=9', '--', 'remove', 'port', PORT, 'external_ids', 'y', '--', 'clear', 'port', PORT, 'tag']);
        await step('add a mirror', ['--', '--id=@p', 'get', 'port', PORT, '--', '--id=@m', 'create', 'mirror', 'name=vgob2-m', 'select_all=true', 'output_port=@p', '--', 'add', 'bridge', BR, 'mirrors', '@m']);
        await step('add sFlow', ['--', '--id=@s', 'create', 'sflow', 'agent=lo', 'target="127.0.0.1:6343"', 'sampling=64', '--', 'set', 'bridge', BR, 'sflow=@s']);
        await step('add QoS with a queue', ['--', 'set', 'port', PORT, 'qos=@q', '--', '--id=@q', 'create', 'qos', 'type=linux-htb', 'queues:0=@q0', '--', '--id=@q0', 'create', 'queue', 'other_config:max-rate=1000000']);
        const qos = vsget('port', PORT, 'qos');
        const queue = vsget('qos', qos, 'queues:0');
        expect(vsget('bridge', BR, 'protocols')).toBe('[OpenFlow13, OpenFlow15]');
        await step('change protocols, remove the mirror and sFlow', ['set', 'bridge', BR, 'protocols=OpenFlow13'], ['clear', 'bridge', BR, 'mirrors', 'sflow']);
        await step('remove QoS and queue', ['clear', 'port', PORT, 'qos'], ['destroy', 'qos', qos], ['destroy', 'queue', queue]);
        await step('del-port', ['del-port', BR, PORT]);
        await step('del-br', ['del-br', BR]);
      } finally {
        sub.unsubscribe();
        removeOurBridge(BR);
      }
      // The change stream told the story: the bridge inserted, modified and deleted, ports too.
      expect(changes).toContain('Bridge:insert');
      expect(changes).toContain('Bridge:delete');
      expect(changes.filter((c) => c === 'Bridge:modify').length).toBeGreaterThanOrEqual(5);
      expect(changes).toContain('Mirror:insert');
      expect(changes).toContain('Queue:delete');
      expect(metrics.counter('vigil_ovsdb_malformed_total', '').total()).toBe(0);
    });

    it('evaluates several monitor conditions as "any of"', async () => {
      const mon = await client.monitorCond(DB, { Bridge: { columns: ['name'], where: [cond.eq('name', BR1), cond.eq('name', BR3)] } });
      try {
        vsctl('add-br', BR3, '--', 'set', 'bridge', BR3, 'datapath_type=netdev', 'external_ids:vigil-test=1');
        await within(1000, () => mon.replica.rows('Bridge').size === 2, 'both bridges');
        expect([...mon.replica.rows('Bridge').values()].map((b) => b.name).sort()).toEqual([BR1, BR3]);
      } finally {
        await mon.cancel();
        removeOurBridge(BR3);
      }
    });

    it('emits table snapshots and completes them on cancel', async () => {
      const mon = await client.monitorCond(DB, { Bridge: { columns: ['name'], where: [cond.eq('name', BR1)] } });
      const snaps = firstValueFrom(mon.replica.table$('Bridge').pipe(take(2), toArray(), timeout(3000)));
      vsctl('set', 'bridge', BR1, 'external_ids:vigil-snap=1'); // not monitored: no snapshot
      vsctl('del-br', BR1);
      const [before, after] = await snaps;
      expect([...before!.values()].map((b) => b.name)).toEqual([BR1]);
      expect(after!.size).toBe(0);
      let completed = false;
      mon.replica.table$('Bridge').subscribe({ complete: () => (completed = true) });
      const updates = mon.updatesReceived;
      await mon.cancel(); // monitor_cancel
      expect(completed).toBe(true);
      // The server no longer sends updates for it.
      const stray = metrics.counter('vigil_ovsdb_stray_updates_total', '').total();
      vsctl('add-br', BR1, '--', 'set', 'bridge', BR1, 'datapath_type=netdev', 'external_ids:vigil-test=1');
      await new Promise((r) => setTimeout(r, 300));
      expect(mon.updatesReceived).toBe(updates);
      expect(metrics.counter('vigil_ovsdb_stray_updates_total', '').total()).toBe(stray);
      removeOurBridge(BR1);
    });

    it('typed rows for the Vigil tables', () => {
      const typed = monitors[0]!.mon as unknown as Monitor<VswitchRows>;
      // Compile-time: the row type carries the schema's column types.
      const names: string[] = [...typed.replica.rows('Bridge').values()].map((b) => b.name);
      expect(Array.isArray(names)).toBe(true);
    });
  });
});
