/**
 * The replica of monitored tables: the golden ovsdb-server session replayed row by row, atomic application
 * (an inconsistent update changes nothing), observables, and properties: random sequences of server states
 * sent as update2 diffs, as monitor v1 updates, or as resyncs always leave the replica equal to the state,
 * and the change events it emits replay to the same state.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { OvsdbDecodeError } from '../../../../src/codec/ovsdb/errors.js';
import { JsonRpcFramer } from '../../../../src/codec/ovsdb/framer.js';
import { decodeRpcMessage } from '../../../../src/codec/ovsdb/jsonrpc.js';
import { defaultValue, parseSchema } from '../../../../src/codec/ovsdb/schema.js';
import { decodeTableUpdates2, type RowUpdate, type RowUpdate2 } from '../../../../src/codec/ovsdb/updates.js';
import { atomKey, OvsdbMap, OvsdbSet, Uuid, valueEquals, type Atom, type Value } from '../../../../src/codec/ovsdb/value.js';
import { Replica, rowEquals, type ReplicaBatch, type ReplicaRow, type RowChange } from '../../../../src/southbound/ovsdb/replica.js';
import type { BridgeRow, PortRow, VswitchRows } from '../../../../src/southbound/ovsdb/vswitch.js';

const vswitch = parseSchema(JSON.parse(readFileSync(new URL('../../../fixtures/ovsdb/vswitch.ovsschema', import.meta.url), 'utf8')));
const golden = Uint8Array.from(Buffer.from(readFileSync(new URL('../../../fixtures/ovsdb/monitor-cond-session.hex', import.meta.url), 'utf8').trim(), 'hex'));
const request = JSON.parse(readFileSync(new URL('../../../fixtures/ovsdb/monitor-cond-session.request.json', import.meta.url), 'utf8').trim().split('\n')[0]!) as {
  params: [string, string, Record<string, { columns: string[] }[]>];
};

describe('Replica on the golden ovsdb-server session', () => {
  const columns = Object.fromEntries(Object.entries(request.params[2]).map(([t, reqs]) => [t, reqs[0]!.columns]));
  const messages = new JsonRpcFramer().push(golden).map(decodeRpcMessage);

  function replay(upto: number): Replica<VswitchRows> {
    const r = new Replica<VswitchRows>(vswitch, columns);
    const reply = messages[0]!;
    if (reply.kind !== 'response') throw new Error('first message is the monitor reply');
    r.applyTableUpdates2(decodeTableUpdates2(reply.result, vswitch), 'initial');
    for (const m of messages.slice(1, upto + 1)) {
      if (m.kind !== 'notification') throw new Error('update2 expected');
      r.applyTableUpdates2(decodeTableUpdates2(m.params[1], vswitch));
    }
    return r;
  }
  const bridge = (r: Replica<VswitchRows>): BridgeRow => r.find('Bridge', (b) => b.name === 'vgtest-ovsdbcap')!;
  const port = (r: Replica<VswitchRows>, name: string): PortRow | undefined => r.find('Port', (p) => p.name === name);

  it('starts empty (no matching rows yet)', () => {
    const r = replay(0);
    expect(r.rows('Bridge').size).toBe(0);
    expect(r.rows('Port').size).toBe(0);
  });

  it('follows add-br: the bridge with its own port, defaults filled in', () => {
    const r = replay(1);
    const b = bridge(r);
    expect(b.ports.size).toBe(1);
    expect(b.fail_mode).toEqual(OvsdbSet.EMPTY);
    expect(b.protocols).toEqual(OvsdbSet.EMPTY);
    expect(b.other_config).toEqual(new OvsdbMap());
    expect(b.external_ids.get('vigil-test')).toBe('1');
    expect(port(r, 'vgtest-ovsdbcap')!._uuid).toEqual(b.ports.only());
  });

  it('follows every ovs-vsctl change to the final state', () => {
    let r = replay(2);
    expect(bridge(r).fail_mode.only()).toBe('secure');
    expect(bridge(r).protocols.toArray().sort()).toEqual(['OpenFlow13', 'OpenFlow15']);
    expect(bridge(r).external_ids.get('note')).toBe('naïve 中文 😀 {b} [k] "q" back\\slash');
    r = replay(4);
    expect(bridge(r).ports.size).toBe(3);
    expect(port(r, 'vgcap-p1')).toMatchObject({ tag: OvsdbSet.of(10), trunks: OvsdbSet.of(1, 2, 3) });
    r = replay(5);
    expect(port(r, 'vgcap-p1')!.trunks.toArray().sort()).toEqual([2, 3, 4]);
    expect(port(r, 'vgcap-p1')!.external_ids.toRecord()).toEqual({ a: '1', b: '2' });
    r = replay(6);
    expect(port(r, 'vgcap-p1')!.external_ids.toRecord()).toEqual({ a: '9' });
    expect(port(r, 'vgcap-p1')!.tag.size).toBe(0);
    r = replay(7);
    expect(bridge(r).fail_mode.only()).toBe('standalone');
    expect(bridge(r).protocols.toArray()).toEqual(['OpenFlow13']);
    r = replay(8);
    expect(port(r, 'vgcap-p2')).toBeUndefined();
    expect(bridge(r).ports.size).toBe(2);
    r = replay(9);
    expect(r.rows('Bridge').size).toBe(0);
    expect(r.rows('Port').size).toBe(0);
  });
});

// ------------------------------------------------------------------------------------ synthetic table

const schema = parseSchema({
  name: 'D',
  tables: {
    T: {
      columns: {
        name: { type: 'string' },
        n: { type: 'integer' },
        opt: { type: { key: 'integer', min: 0, max: 1 } },
        tags: { type: { key: 'string', min: 0, max: 'unlimited' } },
        refs: { type: { key: { type: 'uuid', refTable: 'T', refType: 'weak' }, min: 0, max: 3 } },
        kv: { type: { key: 'string', value: 'integer', min: 0, max: 'unlimited' } },
      },
    },
  },
});
const table = schema.tables.get('T')!;
const COLS = ['name', 'n', 'opt', 'tags', 'refs', 'kv'] as const;
const UUIDS = ['1', '2', '3', '4', '5'].map((d) => new Uuid(`${d.repeat(8)}-1111-2222-3333-444444444444`));

type State = Map<string, Record<string, Value>>;

const rowArb: fc.Arbitrary<Record<string, Value>> = fc.record({
  name: fc.constantFrom('a', 'b', ''),
  n: fc.integer({ min: -2, max: 3 }),
  opt: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }).map((v) => (v === undefined ? OvsdbSet.EMPTY : OvsdbSet.of(v))),
  tags: fc.uniqueArray(fc.constantFrom('x', 'y', 'z', 'w'), { maxLength: 4 }).map((a) => new OvsdbSet(a)),
  refs: fc.uniqueArray(fc.constantFrom(...UUIDS), { maxLength: 3, selector: atomKey }).map((a) => new OvsdbSet<Atom>(a)),
  kv: fc.uniqueArray(fc.tuple(fc.constantFrom('k1', 'k2', 'k3'), fc.integer({ min: 0, max: 2 })), { maxLength: 3, selector: (e) => e[0] }).map((e) => new OvsdbMap<Atom, Atom>(e)),
});
const stateArb: fc.Arbitrary<State> = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...UUIDS), rowArb), { maxLength: 5, selector: (e) => e[0].value })
  .map((rows) => new Map(rows.map(([u, r]) => [u.value, r])));

/** What ovsdb-server sends to go from `a` to `b` (written from ovsdb-server(7) §4.1.14, not from src/). */
function serverUpdate2(a: State, b: State, initial = false): Map<string, RowUpdate2[]> {
  const out: RowUpdate2[] = [];
  for (const [u, row] of b) {
    const old = a.get(u);
    if (!old) {
      // initial/insert rows omit columns equal to the default.
      const partial: Record<string, Value> = {};
      for (const c of COLS) if (!valueEquals(row[c]!, defaultValue(table.columns.get(c)!.type))) partial[c] = row[c]!;
      out.push({ uuid: new Uuid(u), kind: initial ? 'initial' : 'insert', row: partial });
      continue;
    }
    const diff: Record<string, Value> = {};
    for (const c of COLS) {
      const t = table.columns.get(c)!.type;
      if (valueEquals(old[c]!, row[c]!)) continue;
      if (t.max <= 1) diff[c] = row[c]!;
      else if (t.value) {
        const o = old[c] as OvsdbMap<Atom, Atom>;
        const n = row[c] as OvsdbMap<Atom, Atom>;
        diff[c] = new OvsdbMap([...[...o].filter(([k]) => !n.has(k)), ...[...n].filter(([k, v]) => !o.has(k) || o.get(k) !== v)]);
      } else {
        const o = old[c] as OvsdbSet<Atom>;
        const n = row[c] as OvsdbSet<Atom>;
        diff[c] = new OvsdbSet([...[...o].filter((e) => !n.has(e)), ...[...n].filter((e) => !o.has(e))]);
      }
    }
    if (Object.keys(diff).length > 0) out.push({ uuid: new Uuid(u), kind: 'modify', row: diff });
  }
  for (const u of a.keys()) if (!b.has(u)) out.push({ uuid: new Uuid(u), kind: 'delete', row: {} });
  return new Map(out.length ? [['T', out]] : []);
}

/** Monitor v1: full new rows, old values of changed columns. */
function serverUpdate1(a: State, b: State): Map<string, RowUpdate[]> {
  const out: RowUpdate[] = [];
  for (const [u, row] of b) {
    const old = a.get(u);
    if (!old) out.push({ uuid: new Uuid(u), new: row });
    else if (!rowEquals(old, row)) out.push({ uuid: new Uuid(u), old: Object.fromEntries(COLS.filter((c) => !valueEquals(old[c]!, row[c]!)).map((c) => [c, old[c]!])), new: row });
  }
  for (const [u, row] of a) if (!b.has(u)) out.push({ uuid: new Uuid(u), old: row });
  return new Map(out.length ? [['T', out]] : []);
}

function expectEqualState(r: Replica, s: State): void {
  const rows = r.rows('T');
  expect([...rows.keys()].sort()).toEqual([...s.keys()].sort());
  for (const [u, row] of s) expect(rowEquals(rows.get(u)!, { ...row, _uuid: new Uuid(u) })).toBe(true);
}

/** Applies change events to a plain map: they must tell the whole story. */
function replayChanges(into: Map<string, ReplicaRow>, changes: readonly RowChange[]): void {
  for (const c of changes) {
    if (c.kind === 'delete') {
      expect(into.has(c.uuid)).toBe(true);
      into.delete(c.uuid);
    } else {
      if (c.kind === 'insert') expect(into.has(c.uuid)).toBe(false);
      else expect(rowEquals(into.get(c.uuid)!, c.old!)).toBe(true);
      into.set(c.uuid, c.new!);
    }
  }
}

describe('Replica properties', () => {
  it('update2 diffs of random state sequences keep it equal to the server state, and its events replay', () => {
    fc.assert(
      fc.property(fc.array(stateArb, { minLength: 1, maxLength: 8 }), (states) => {
        const r = new Replica(schema, { T: undefined });
        const mirror = new Map<string, ReplicaRow>();
        r.changes$.subscribe((c) => replayChanges(mirror, [c]));
        r.applyTableUpdates2(serverUpdate2(new Map(), states[0]!, true), 'initial');
        expectEqualState(r, states[0]!);
        for (let i = 1; i < states.length; i++) {
          r.applyTableUpdates2(serverUpdate2(states[i - 1]!, states[i]!));
          expectEqualState(r, states[i]!);
        }
        expect([...mirror.keys()].sort()).toEqual([...r.rows('T').keys()].sort());
      }),
      { numRuns: 400 },
    );
  });

  it('monitor v1 updates of random state sequences keep it equal to the server state', () => {
    fc.assert(
      fc.property(fc.array(stateArb, { minLength: 1, maxLength: 8 }), (states) => {
        const r = new Replica(schema, { T: undefined });
        let prev: State = new Map();
        for (const s of states) {
          r.applyTableUpdates(serverUpdate1(prev, s));
          expectEqualState(r, s);
          prev = s;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a resync from any state to any state gives that state and the exact difference as events', () => {
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        const r = new Replica(schema, { T: undefined });
        r.applyTableUpdates2(serverUpdate2(new Map(), a, true), 'initial');
        const mirror = new Map(r.rows('T'));
        const changes = r.resync(serverUpdate2(new Map(), b, true));
        expectEqualState(r, b);
        replayChanges(mirror, changes);
        expect([...mirror.keys()].sort()).toEqual([...b.keys()].sort());
        // Rows equal in a and b produce no event.
        for (const c of changes) if (c.kind === 'modify') expect(rowEquals(c.old!, c.new!)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Replica consistency and observables', () => {
  const U1 = UUIDS[0]!;
  const U2 = UUIDS[1]!;
  const tu2 = (rows: RowUpdate2[]): Map<string, RowUpdate2[]> => new Map([['T', rows]]);
  const insert = (u: Uuid, row: Record<string, Value> = { name: 'a' }): Map<string, RowUpdate2[]> => tu2([{ uuid: u, kind: 'insert', row }]);

  function refused(f: () => unknown): OvsdbDecodeError {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(OvsdbDecodeError);
      expect((e as OvsdbDecodeError).reason).toBe('bad-update');
      return e as OvsdbDecodeError;
    }
    throw new Error('expected a bad-update refusal');
  }

  it('refuses inconsistent updates and applies nothing of them', () => {
    const r = new Replica(schema, { T: undefined });
    r.applyTableUpdates2(insert(U1));
    const before = r.rows('T');
    const version = r.version;
    refused(() => r.applyTableUpdates2(insert(U1)));
    refused(() => r.applyTableUpdates2(tu2([{ uuid: U2, kind: 'modify', row: { n: 1 } }])));
    refused(() => r.applyTableUpdates2(tu2([{ uuid: U2, kind: 'delete', row: {} }])));
    // A valid insert followed by an invalid diff: all or nothing.
    refused(() =>
      r.applyTableUpdates2(
        tu2([
          { uuid: U2, kind: 'insert', row: { name: 'b' } },
          { uuid: U1, kind: 'modify', row: { refs: new OvsdbSet(UUIDS.slice(0, 4)) } }, // 4 refs > max 3
        ]),
      ),
    );
    refused(() => r.applyTableUpdates2(new Map([['Nope', []]])));
    expect(r.rows('T')).toBe(before);
    expect(r.version).toBe(version);
  });

  it('refuses modifies of columns it does not monitor', () => {
    const r = new Replica(schema, { T: ['name'] });
    r.applyTableUpdates2(insert(U1));
    expect(Object.keys(r.get('T', U1)!).sort()).toEqual(['_uuid', 'name']);
    refused(() => r.applyTableUpdates2(tu2([{ uuid: U1, kind: 'modify', row: { n: 3 } }])));
  });

  it('emits snapshots, row changes and batches in order; rows are frozen', () => {
    const r = new Replica(schema, { T: undefined });
    const snaps: number[] = [];
    const changes: string[] = [];
    const batches: ReplicaBatch[] = [];
    r.table$('T').subscribe((m) => snaps.push(m.size));
    r.changes$.subscribe((c) => changes.push(`${c.kind}:${c.uuid.slice(0, 1)}`));
    r.batches$.subscribe((b) => batches.push(b));
    r.applyTableUpdates2(insert(U1), 'initial');
    r.applyTableUpdates2(
      tu2([
        { uuid: U2, kind: 'insert', row: { name: 'b' } },
        { uuid: U1, kind: 'modify', row: { n: 5 } },
      ]),
    );
    r.applyTableUpdates2(tu2([{ uuid: U1, kind: 'delete', row: {} }]));
    expect(snaps).toEqual([0, 1, 2, 1]);
    expect(changes).toEqual(['insert:1', 'insert:2', 'modify:1', 'delete:1']);
    expect(batches.map((b) => [b.cause, b.changes.length])).toEqual([
      ['initial', 1],
      ['update', 2],
      ['update', 1],
    ]);
    const row = r.get('T', U2)!;
    expect(Object.isFrozen(row)).toBe(true);
    expect(row.n).toBe(0); // default filled in
    expect(row._uuid).toEqual(U2);
  });

  it('reports the net change of a row touched twice in one update', () => {
    const r = new Replica(schema, { T: undefined });
    const changes = r.applyTableUpdates2(
      tu2([
        { uuid: U1, kind: 'insert', row: { name: 'a' } },
        { uuid: U1, kind: 'modify', row: { n: 2 } },
        { uuid: U2, kind: 'insert', row: {} },
        { uuid: U2, kind: 'delete', row: {} },
      ]),
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'insert', uuid: U1.value, new: { name: 'a', n: 2 } });
  });

  it('completes its observables', () => {
    const r = new Replica(schema, { T: undefined });
    let done = 0;
    r.table$('T').subscribe({ complete: () => done++ });
    r.changes$.subscribe({ complete: () => done++ });
    r.complete();
    expect(done).toBe(2);
  });
});
