/**
 * <table-updates> and <table-updates2> decoding and update2 "modify" diff application: the diffs ovsdb-server
 * really sent (golden stream), hand cases of each column kind, and a property test: for random column types
 * and random old/new values, the diff the spec prescribes (computed here independently of the code under
 * test) applied to the old value gives the new one.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { OvsdbDecodeError } from '../../../../src/codec/ovsdb/errors.js';
import { JsonRpcFramer } from '../../../../src/codec/ovsdb/framer.js';
import { decodeRpcMessage, type JsonValue } from '../../../../src/codec/ovsdb/jsonrpc.js';
import { parseColumnType, parseSchema, type ColumnType } from '../../../../src/codec/ovsdb/schema.js';
import { applyRowDiff, applyValueDiff, completeRow, decodeTableUpdates, decodeTableUpdates2 } from '../../../../src/codec/ovsdb/updates.js';
import { atomKey, OvsdbMap, OvsdbSet, Uuid, valueEquals, type Atom, type Value } from '../../../../src/codec/ovsdb/value.js';

const schema = parseSchema(JSON.parse(readFileSync(new URL('../../../fixtures/ovsdb/vswitch.ovsschema', import.meta.url), 'utf8')));
const golden = Uint8Array.from(Buffer.from(readFileSync(new URL('../../../fixtures/ovsdb/monitor-cond-session.hex', import.meta.url), 'utf8').trim(), 'hex'));
const notifications = new JsonRpcFramer()
  .push(golden)
  .map(decodeRpcMessage)
  .filter((m) => m.kind === 'notification');

const colType = (t: string, c: string): ColumnType => schema.tables.get(t)!.columns.get(c)!.type;

function updateError(f: () => unknown): OvsdbDecodeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OvsdbDecodeError);
    expect((e as OvsdbDecodeError).reason).toBe('bad-update');
    return e as OvsdbDecodeError;
  }
  throw new Error('expected a bad-update error');
}

describe('decodeTableUpdates2 on the golden stream', () => {
  const decoded = notifications.map((n) => decodeTableUpdates2(n.params[1], schema));

  it('decodes every notification with its kinds', () => {
    expect(decoded.map((tu) => [...tu.values()].flat().map((u) => u.kind).join(','))).toEqual([
      'insert,insert',
      'modify',
      'insert,modify',
      'insert,modify',
      'modify',
      'modify',
      'modify',
      'delete,modify',
      'delete,delete,delete',
    ]);
  });

  it('normalises row values to their column kinds', () => {
    const bridgeInsert = decoded[0]!.get('Bridge')![0]!;
    expect(bridgeInsert.row.name).toBe('vgtest-ovsdbcap');
    expect(bridgeInsert.row.ports).toBeInstanceOf(OvsdbSet); // sent as a bare ["uuid", ...]
    expect(bridgeInsert.row.external_ids).toEqual(new OvsdbMap([['vigil-test', '1']]));
    const note = decoded[1]!.get('Bridge')![0]!.row.external_ids as OvsdbMap<string, string>;
    expect(note.get('note')).toBe('naïve 中文 😀 {b} [k] "q" back\\slash');
  });

  it('applies the diffs ovsdb-server sent to the values they were computed from', () => {
    // Port vgcap-p1: trunks {1,2,3} -> {2,3,4} arrives as the toggle set {1,4}.
    expect(applyValueDiff(colType('Port', 'trunks'), OvsdbSet.of(1, 2, 3), decoded[4]!.get('Port')![0]!.row.trunks!)).toEqual(OvsdbSet.of(2, 3, 4));
    // external_ids {a=1,b=2} -> {a=9}: a changed (new value sent), b removed (old pair sent).
    const ext = applyValueDiff(colType('Port', 'external_ids'), new OvsdbMap([['a', '1'], ['b', '2']]), decoded[5]!.get('Port')![0]!.row.external_ids!);
    expect(ext).toEqual(new OvsdbMap([['a', '9']]));
    // An optional column carries its new value: tag cleared.
    expect(applyValueDiff(colType('Port', 'tag'), OvsdbSet.of(10), decoded[5]!.get('Port')![0]!.row.tag!)).toEqual(OvsdbSet.EMPTY);
    // fail_mode secure -> standalone (new value), protocols {13,15} -> {13} (toggle "OpenFlow15").
    const br = decoded[6]!.get('Bridge')![0]!.row;
    expect(applyValueDiff(colType('Bridge', 'fail_mode'), OvsdbSet.of('secure'), br.fail_mode!)).toEqual(OvsdbSet.of('standalone'));
    expect(applyValueDiff(colType('Bridge', 'protocols'), OvsdbSet.of('OpenFlow13', 'OpenFlow15'), br.protocols!)).toEqual(OvsdbSet.of('OpenFlow13'));
  });
});

describe('update decoding errors', () => {
  const row = { name: 'x' };
  it.each<[string, JsonValue]>([
    ['a non-object', [1]],
    ['an unknown table', { Nope: {} }],
    ['a row key that is not a UUID', { Bridge: { 'not-a-uuid': { insert: row } } }],
    ['two kinds in one row update', { Bridge: { [Uuid.ZERO.value]: { insert: row, modify: row } } }],
    ['no kind', { Bridge: { [Uuid.ZERO.value]: {} } }],
    ['an unknown kind', { Bridge: { [Uuid.ZERO.value]: { upsert: row } } }],
    ['an unknown column', { Bridge: { [Uuid.ZERO.value]: { insert: { nope: 1 } } } }],
    ['a value of the wrong type', { Bridge: { [Uuid.ZERO.value]: { insert: { name: 1 } } } }],
    ['a delete with content that is not a row', { Bridge: { [Uuid.ZERO.value]: { delete: 5 } } }],
  ])('refuses %s in table-updates2', (_what, json) => {
    updateError(() => decodeTableUpdates2(json, schema));
  });

  it('decodes table-updates (monitor v1) and refuses a row update with neither old nor new', () => {
    const U = '4ef497fd-4029-44fd-912a-61369c172c93';
    const tu = decodeTableUpdates({ Bridge: { [U]: { old: { fail_mode: 'secure' }, new: { name: 'b', fail_mode: ['set', []] } } } }, schema);
    expect(tu.get('Bridge')).toEqual([{ uuid: new Uuid(U), old: { fail_mode: OvsdbSet.of('secure') }, new: { name: 'b', fail_mode: OvsdbSet.EMPTY } }]);
    updateError(() => decodeTableUpdates({ Bridge: { [U]: {} } }, schema));
  });
});

describe('applyValueDiff', () => {
  it('refuses a diff that breaks the element count', () => {
    // Port.interfaces holds at least one: toggling away the only element is inconsistent.
    const U1 = new Uuid('4ef497fd-4029-44fd-912a-61369c172c93');
    updateError(() => applyValueDiff(colType('Port', 'interfaces'), OvsdbSet.of(U1), OvsdbSet.of(U1)));
    // Mirror.select_vlan holds at most 4096.
    const all = new OvsdbSet(Array.from({ length: 4096 }, (_, i) => i));
    updateError(() => applyValueDiff(colType('Mirror', 'select_vlan'), all, OvsdbSet.of(4096)));
  });

  it('applies a row diff column by column and completes initial rows with defaults', () => {
    const t = schema.tables.get('Port')!;
    const full = completeRow(t, { name: 'p' }, ['name', 'tag', 'trunks', 'external_ids']);
    expect(full).toEqual({ name: 'p', tag: OvsdbSet.EMPTY, trunks: OvsdbSet.EMPTY, external_ids: new OvsdbMap() });
    const next = applyRowDiff(t, full, { tag: OvsdbSet.of(7), trunks: OvsdbSet.of(1) });
    expect(next).toEqual({ name: 'p', tag: OvsdbSet.of(7), trunks: OvsdbSet.of(1), external_ids: new OvsdbMap() });
    expect(full.tag).toEqual(OvsdbSet.EMPTY); // the old row is untouched
  });
});

// ------------------------------------------------------------------------------------------ property

/** The diff of RFC 7047 / ovsdb-server(7) §4.1.14, written from the text, independently of src/. */
function specDiff(t: ColumnType, oldV: Value, newV: Value): Value {
  if (t.max <= 1) return newV;
  if (t.value) {
    const o = oldV as OvsdbMap<Atom, Atom>;
    const n = newV as OvsdbMap<Atom, Atom>;
    const out: [Atom, Atom][] = [];
    for (const [k, v] of o) if (!n.has(k)) out.push([k, v]); // key only in old
    for (const [k, v] of n) {
      if (!o.has(k)) out.push([k, v]); // key only in new
      else if (!valueEquals(o.get(k)!, v)) out.push([k, v]); // changed: the new value
    }
    return new OvsdbMap(out);
  }
  const o = oldV as OvsdbSet<Atom>;
  const n = newV as OvsdbSet<Atom>;
  return new OvsdbSet([...o].filter((e) => !n.has(e)).concat([...n].filter((e) => !o.has(e))));
}

const atomTypes = ['integer', 'string', 'boolean', 'uuid'] as const;
const atomOf = (type: (typeof atomTypes)[number]): fc.Arbitrary<Atom> =>
  type === 'integer' ? fc.integer({ min: -3, max: 6 }) : type === 'string' ? fc.constantFrom('a', 'b', 'c', 'd', '') : type === 'boolean' ? fc.boolean() : fc.constantFrom(...['1', '2', '3', '4'].map((d) => new Uuid(`${d.repeat(8)}-0000-0000-0000-000000000000`)));

/** A random column type and a generator of values conforming to it. */
const typedValues = fc
  .record({
    key: fc.constantFrom(...atomTypes),
    value: fc.option(fc.constantFrom(...atomTypes), { nil: undefined }),
    min: fc.constantFrom(0, 1),
    max: fc.constantFrom(1, 2, 3, 5, 'unlimited' as const),
  })
  .map(({ key, value, min, max }) => ({ t: parseColumnType({ key, ...(value ? { value } : {}), min, max }, 'c'), key, value }));

function valueArb(t: ColumnType, key: (typeof atomTypes)[number], value: (typeof atomTypes)[number] | undefined): fc.Arbitrary<Value> {
  const maxN = t.max === Infinity ? 6 : t.max;
  if (value) {
    return fc
      .uniqueArray(fc.tuple(atomOf(key), atomOf(value)), { minLength: t.min, maxLength: maxN, selector: (e) => atomKey(e[0]) })
      .map((e) => new OvsdbMap(e));
  }
  const elements = fc.uniqueArray(atomOf(key), { minLength: t.min, maxLength: maxN, selector: atomKey });
  if (t.min === 1 && t.max === 1) return elements.map((a) => a[0]!);
  return elements.map((a) => new OvsdbSet(a));
}

describe('applyValueDiff (property)', () => {
  it('turns the old value into the new one with the diff the spec prescribes', () => {
    fc.assert(
      fc.property(
        typedValues.chain(({ t, key, value }) => fc.tuple(fc.constant(t), fc.array(valueArb(t, key, value), { minLength: 2, maxLength: 8 }))),
        ([t, states]) => {
          let cur = states[0]!;
          for (const next of states.slice(1)) {
            cur = applyValueDiff(t, cur, specDiff(t, cur, next));
            expect(valueEquals(cur, next)).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
