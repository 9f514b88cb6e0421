/**
 * Schema validation of transactions before they are sent, on the real Open_vSwitch schema (and a small
 * synthetic one for reals and string lengths, which Open_vSwitch does not use): each rule ovsdb-server
 * applies is refused here with the path of the offending value.
 */
import { readFileSync } from 'node:fs';
import { OvsdbValidationError } from '../../../../src/codec/ovsdb/errors.js';
import { cond, op, type Operation } from '../../../../src/codec/ovsdb/operations.js';
import { parseSchema } from '../../../../src/codec/ovsdb/schema.js';
import { validateTransaction, validateValue } from '../../../../src/codec/ovsdb/validate.js';
import { NamedUuid, OvsdbMap, OvsdbSet, Uuid } from '../../../../src/codec/ovsdb/value.js';

const schema = parseSchema(JSON.parse(readFileSync(new URL('../../../fixtures/ovsdb/vswitch.ovsschema', import.meta.url), 'utf8')));
const U = new Uuid('4ef497fd-4029-44fd-912a-61369c172c93');
const U2 = new Uuid('2d3df371-70ee-4b9d-9779-6bd299dc6893');

function refusal(ops: readonly Operation[]): OvsdbValidationError {
  try {
    validateTransaction(schema, ops);
  } catch (e) {
    expect(e).toBeInstanceOf(OvsdbValidationError);
    return e as OvsdbValidationError;
  }
  throw new Error('expected the transaction to be refused');
}

/** A bridge with one internal port, as ovs-vsctl add-br does it. */
const addBridge: Operation[] = [
  op.insert('Interface', { name: 'br9', type: 'internal' }, 'iface'),
  op.insert('Port', { name: 'br9', interfaces: [new NamedUuid('iface')], tag: OvsdbSet.of(10), trunks: [1, 2] }, 'port'),
  op.insert('Bridge', { name: 'br9', ports: [new NamedUuid('port')], fail_mode: OvsdbSet.of('secure'), protocols: ['OpenFlow13'], external_ids: new Map([['vigil-test', '1']]) }, 'br'),
  op.mutate('Open_vSwitch', [], [['bridges', 'insert', OvsdbSet.of(new NamedUuid('br'))]]),
  op.comment('vigil: add br9'),
  op.commit(false),
];

describe('validateTransaction', () => {
  it('accepts a well-formed transaction using every operation', () => {
    expect(() =>
      validateTransaction(schema, [
        ...addBridge,
        op.select('Bridge', [cond.eq('name', 'br9')], ['_uuid', 'ports']),
        op.update('Port', [cond.uuid(new NamedUuid('port'))], { tag: OvsdbSet.EMPTY }),
        op.mutate('Port', [cond.eq('name', 'br9')], [['tag', '+=', 1], ['trunks', 'delete', [1]], ['external_ids', 'delete', ['k']]]),
        op.delete('Mirror', [cond.includes('select_src_port', [U])]),
        op.wait('Bridge', [cond.eq('name', 'br9')], ['fail_mode'], '==', [{ fail_mode: OvsdbSet.of('secure') }], 1000),
        op.assert('vigil_lock'),
        op.abort(),
      ]),
    ).not.toThrow();
  });

  it.each<[string, Operation[], string, RegExp]>([
    ['an unknown table', [op.select('Bridges', [])], 'ops[0].table', /no table Bridges/],
    ['an unknown column', [op.insert('Bridge', { nmae: 'x' })], 'ops[0].row.nmae', /no column nmae in table Bridge/],
    ['a string in an integer column', [op.insert('Port', { name: 'p', interfaces: [U], tag: OvsdbSet.of('10' as unknown as number) })], 'ops[0].row.tag[0]', /expected integer/],
    ['a VLAN above 4095', [op.insert('Port', { name: 'p', interfaces: [U], tag: OvsdbSet.of(4096) })], 'ops[0].row.tag[0]', /above the maximum 4095/],
    ['a value outside the enum', [op.update('Bridge', [], { fail_mode: ['open'] })], 'ops[0].row.fail_mode[0]', /not one of "standalone", "secure"/],
    ['too few elements (a port without interfaces)', [op.insert('Port', { name: 'p', interfaces: [] })], 'ops[0].row.interfaces', /0 elements where the column allows set of 1 or more uuid/],
    ['too many elements in an optional column', [op.update('Mirror', [], { output_port: [U, U2] })], 'ops[0].row.output_port', /2 elements/],
    ['a set in a scalar column', [op.update('Bridge', [], { datapath_type: ['a', 'b'] })], 'ops[0].row.datapath_type', /2 elements/],
    ['an atom in a map column', [op.update('Bridge', [], { external_ids: 'x' })], 'ops[0].row.external_ids', /expected a map/],
    ['a map value of the wrong type', [op.update('Bridge', [], { external_ids: new OvsdbMap([['k', 1]]) })], 'ops[0].row.external_ids["k"]', /expected string/],
    ['an update of an immutable column', [op.update('Bridge', [], { name: 'x' })], 'ops[0].row.name', /immutable/],
    ['a write to _uuid', [op.insert('Bridge', { _uuid: U, name: 'x' })], 'ops[0].row._uuid', /read-only/],
    ['an undeclared named-uuid', [op.mutate('Bridge', [], [['ports', 'insert', [new NamedUuid('nope')]]])], 'ops[0].mutations[0][2][0]', /not the uuid-name of an insert/],
    [
      'a named-uuid of a row in the wrong table',
      [op.insert('Interface', { name: 'i' }, 'i'), op.insert('Bridge', { name: 'b', ports: [new NamedUuid('i')] })],
      'ops[1].row.ports[0]',
      /names a row of Interface, but this column refers to Port/,
    ],
    ['a duplicate uuid-name', [op.insert('Interface', { name: 'i' }, 'x'), op.insert('Interface', { name: 'j' }, 'x')], 'ops[1].uuidName', /duplicate uuid-name x/],
    ['an integer beyond 2^53', [op.update('Open_vSwitch', [], { next_cfg: 2 ** 60 })], 'ops[0].row.next_cfg', /exactly representable/],
    ['"<" on a string column', [op.select('Bridge', [['name', '<', 'x']])], 'ops[0].where[0][1]', /"<" applies to integer or real columns/],
    ['"<" on a set column', [op.select('Port', [['trunks', '<', [1]]])], 'ops[0].where[0][1]', /"<" applies/],
    ['an unknown condition function', [op.select('Bridge', [['name', '~=' as '==', 'x']])], 'ops[0].where[0][1]', /unknown function/],
    ['an enum violation in a condition', [op.select('Bridge', [cond.eq('fail_mode', ['open'])])], 'ops[0].where[0][2][0]', /not one of/],
    ['"+=" on a string column', [op.mutate('Bridge', [], [['datapath_type', '+=', 1]])], 'ops[0].mutations[0][1]', /"\+=" may not be applied/],
    ['"+=" on a map column', [op.mutate('QoS', [], [['queues', '+=', 1]])], 'ops[0].mutations[0][1]', /may not be applied/],
    ['"insert" on a scalar column', [op.mutate('Bridge', [], [['datapath_type', 'insert', ['x']]])], 'ops[0].mutations[0][1]', /"insert" applies to set and map columns/],
    ['an arithmetic mutation with a set', [op.mutate('Port', [], [['tag', '+=', [1, 2]]])], 'ops[0].mutations[0][2]', /2 elements/],
    ['a mutation of an immutable column', [op.mutate('Bridge', [], [['name', 'insert', ['x']]])], 'ops[0].mutations[0][0]', /immutable/],
    ['a wait row column not in "columns"', [op.wait('Bridge', [], ['name'], '==', [{ fail_mode: ['secure'] }])], 'ops[0].rows[0].fail_mode', /not among the wait's "columns"/],
    ['a wait with a bad "until"', [op.wait('Bridge', [], [], '<' as '==', [])], 'ops[0].until', /"until"/],
    ['a negative wait timeout', [op.wait('Bridge', [], [], '==', [], -1)], 'ops[0].timeout', /non-negative/],
    ['an assert without a lock', [op.assert('')], 'ops[0].lock', /lock name/],
    ['an assert of a lock name ovsdb-server refuses', [op.assert('vigil-lock')], 'ops[0].lock', /letters, digits/],
  ])('refuses %s', (_what, ops, path, message) => {
    const e = refusal(ops);
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
  });

  it('relaxes counts as ovsdb-server does for includes/excludes and set mutations', () => {
    // includes: a subset of a 1..n column may be empty; excludes: more elements than an optional column holds.
    expect(() => validateTransaction(schema, [op.select('Port', [cond.includes('interfaces', [])])])).not.toThrow();
    expect(() => validateTransaction(schema, [op.select('Mirror', [cond.excludes('output_port', [U, U2])])])).not.toThrow();
    expect(() => validateTransaction(schema, [op.select('Mirror', [cond.eq('output_port', [U, U2])])])).toThrow(OvsdbValidationError);
    // "<" on an optional integer (ovsdb-server extension), "delete" from a map by keys or by pairs.
    expect(() => validateTransaction(schema, [op.select('Port', [cond.lt('tag', [100])])])).not.toThrow();
    expect(() => validateTransaction(schema, [op.mutate('Bridge', [], [['external_ids', 'delete', new OvsdbMap([['a', 'b']])]])])).not.toThrow();
    expect(() => validateTransaction(schema, [op.mutate('Bridge', [], [['external_ids', 'delete', OvsdbSet.of('a', 'b')]])])).not.toThrow();
    // Arithmetic mutators ignore the column's range: the result is checked by the server.
    expect(() => validateTransaction(schema, [op.mutate('Port', [], [['tag', '+=', 10000]])])).not.toThrow();
  });
});

describe('validateValue on reals and string lengths', () => {
  const s = parseSchema({
    name: 'D',
    tables: {
      T: {
        columns: {
          r: { type: { key: { type: 'real', minReal: -1, maxReal: 2.5 } } },
          s: { type: { key: { type: 'string', minLength: 2, maxLength: 3 }, min: 0, max: 'unlimited' } },
          m: { type: { key: 'integer', value: 'real', min: 1, max: 2 } },
        },
      },
    },
  });
  const t = (c: string) => s.tables.get('T')!.columns.get(c)!.type;

  it('checks real ranges (integers are valid reals)', () => {
    expect(() => validateValue(t('r'), 2.5, 'r')).not.toThrow();
    expect(() => validateValue(t('r'), 2, 'r')).not.toThrow();
    expect(() => validateValue(t('r'), 2.6, 'r')).toThrow(/above the maximum 2.5/);
    expect(() => validateValue(t('r'), -1.01, 'r')).toThrow(/below the minimum -1/);
  });

  it('counts string length in code points', () => {
    expect(() => validateValue(t('s'), ['😀😀'], 's')).not.toThrow(); // 2 code points, 4 UTF-16 units
    expect(() => validateValue(t('s'), ['中文字'], 's')).not.toThrow();
    expect(() => validateValue(t('s'), ['😀'], 's')).toThrow(/shorter than 2/);
    expect(() => validateValue(t('s'), ['abcd'], 's')).toThrow(/longer than 3/);
  });

  it('checks map counts and value types', () => {
    expect(() => validateValue(t('m'), new Map([[1, 0.5]]), 'm')).not.toThrow();
    expect(() => validateValue(t('m'), new Map(), 'm')).toThrow(/0 pairs/);
    expect(() => validateValue(t('m'), new Map([[1.5, 0.5]]), 'm')).toThrow(/expected integer/);
  });
});
