/**
 * Transact operations: their JSON forms (RFC 7047 §5.2) and the decoding of result arrays into typed
 * results or OvsdbTransactionError. The refusal replies below are what ovsdb-server 3.1 really sent (probe
 * on the lab machine, see the OVSDB integration test for the live versions).
 */
import { OvsdbDecodeError, OvsdbTransactionError } from '../../../../src/codec/ovsdb/errors.js';
import { cond, decodeTransactResult, encodeOperation, encodeTransact, op, type Operation } from '../../../../src/codec/ovsdb/operations.js';
import { parseSchema } from '../../../../src/codec/ovsdb/schema.js';
import { NamedUuid, OvsdbMap, OvsdbSet, Uuid } from '../../../../src/codec/ovsdb/value.js';

const U = '4ef497fd-4029-44fd-912a-61369c172c93';

function txError(ops: readonly Operation[], result: unknown): OvsdbTransactionError {
  try {
    decodeTransactResult(ops, result);
  } catch (e) {
    expect(e).toBeInstanceOf(OvsdbTransactionError);
    return e as OvsdbTransactionError;
  }
  throw new Error('expected a refusal');
}

function badResult(ops: readonly Operation[], result: unknown): OvsdbDecodeError {
  try {
    decodeTransactResult(ops, result);
  } catch (e) {
    expect(e).toBeInstanceOf(OvsdbDecodeError);
    expect((e as OvsdbDecodeError).reason).toBe('bad-result');
    return e as OvsdbDecodeError;
  }
  throw new Error('expected a bad-result error');
}

describe('encodeOperation', () => {
  it.each<[Operation, unknown]>([
    [op.insert('Bridge', { name: 'br0', ports: [new NamedUuid('p')] }, 'br'), { op: 'insert', table: 'Bridge', row: { name: 'br0', ports: ['set', [['named-uuid', 'p']]] }, 'uuid-name': 'br' }],
    [op.insert('Bridge', { name: 'br0' }), { op: 'insert', table: 'Bridge', row: { name: 'br0' } }],
    [op.select('Port', [cond.eq('name', 'p1')], ['_uuid', 'tag']), { op: 'select', table: 'Port', where: [['name', '==', 'p1']], columns: ['_uuid', 'tag'] }],
    [op.select('Port', []), { op: 'select', table: 'Port', where: [] }],
    [op.update('Port', [cond.uuid(U)], { tag: OvsdbSet.of(5) }), { op: 'update', table: 'Port', where: [['_uuid', '==', ['uuid', U]]], row: { tag: ['set', [5]] } }],
    [
      op.mutate('Bridge', [cond.includes('ports', [new Uuid(U)]), true], [['external_ids', 'insert', new OvsdbMap([['k', 'v']])], ['ports', 'delete', [new Uuid(U)]], ['x', '%=', 3]]),
      {
        op: 'mutate',
        table: 'Bridge',
        where: [['ports', 'includes', ['set', [['uuid', U]]]], true],
        mutations: [['external_ids', 'insert', ['map', [['k', 'v']]]], ['ports', 'delete', ['set', [['uuid', U]]]], ['x', '%=', 3]],
      },
    ],
    [op.delete('Mirror', [cond.ne('name', 'm')]), { op: 'delete', table: 'Mirror', where: [['name', '!=', 'm']] }],
    [
      op.wait('Bridge', [cond.eq('name', 'b')], ['fail_mode'], '!=', [{ fail_mode: OvsdbSet.EMPTY }], 100),
      { op: 'wait', table: 'Bridge', where: [['name', '==', 'b']], columns: ['fail_mode'], until: '!=', rows: [{ fail_mode: ['set', []] }], timeout: 100 },
    ],
    [op.wait('Bridge', [], [], '==', []), { op: 'wait', table: 'Bridge', where: [], columns: [], until: '==', rows: [] }],
    [op.commit(true), { op: 'commit', durable: true }],
    [op.abort(), { op: 'abort' }],
    [op.comment('why'), { op: 'comment', comment: 'why' }],
    [op.assert('lk'), { op: 'assert', lock: 'lk' }],
  ])('encodes %j', (o, json) => {
    expect(encodeOperation(o)).toEqual(json);
  });

  it('builds each condition function', () => {
    const fns = [cond.lt('c', 1), cond.le('c', 1), cond.eq('c', 1), cond.ne('c', 1), cond.ge('c', 1), cond.gt('c', 1), cond.includes('c', [1]), cond.excludes('c', [1])];
    expect(fns.map((c) => (c as readonly unknown[])[1])).toEqual(['<', '<=', '==', '!=', '>=', '>', 'includes', 'excludes']);
  });

  it('puts the database name first in transact params', () => {
    expect(encodeTransact('Open_vSwitch', [op.comment('x')])).toEqual(['Open_vSwitch', { op: 'comment', comment: 'x' }]);
  });

  it('refuses unknown mutators and malformed conditions with a path', () => {
    expect(() => encodeOperation(op.mutate('T', [], [['c', '^=' as '+=', 1]]))).toThrow(/mutations\[0\]/);
    expect(() => encodeOperation(op.select('T', [['c', 'like' as '==', 1]]))).toThrow(/where\[0\]/);
  });
});

describe('decodeTransactResult', () => {
  const schema = parseSchema({
    name: 'D',
    tables: { T: { columns: { name: { type: 'string' }, tags: { type: { key: 'integer', min: 0, max: 'unlimited' } } } } },
  });

  it('types every result', () => {
    const ops = [op.insert('T', { name: 'a' }), op.select('T', []), op.update('T', [], {}), op.mutate('T', [], []), op.delete('T', []), op.comment('c'), op.commit()] as const;
    const [ins, sel, upd, mut, del, com, cmt] = decodeTransactResult(
      ops,
      [{ uuid: ['uuid', U] }, { rows: [{ _uuid: ['uuid', U], name: 'a', tags: 7 }] }, { count: 1 }, { count: 0 }, { count: 2 }, {}, {}],
      schema,
    );
    expect(ins.uuid).toEqual(new Uuid(U));
    // With the schema, the one-atom shorthand of a set column comes back as a set.
    expect(sel.rows).toEqual([{ _uuid: new Uuid(U), name: 'a', tags: OvsdbSet.of(7) }]);
    expect([upd.count, mut.count, del.count]).toEqual([1, 0, 2]);
    expect([com, cmt]).toEqual([{}, {}]);
  });

  it('decodes select rows without a schema as the JSON says', () => {
    const [sel] = decodeTransactResult([op.select('T', [])], [{ rows: [{ tags: 7, m: ['map', [['k', 'v']]] }] }]);
    expect(sel.rows[0]).toEqual({ tags: 7, m: new OvsdbMap([['k', 'v']]) });
  });

  it('reports the failing operation (ovsdb-server: abort)', () => {
    const ops = [op.comment('x'), op.abort(), op.comment('y')];
    const e = txError(ops, [{}, { details: 'aborted by request', error: 'aborted' }, null]);
    expect(e).toMatchObject({ error: 'aborted', details: 'aborted by request', index: 1, operation: 'abort' });
    expect(e.partialResults).toEqual([{}]);
    expect(e.message).toBe('transaction refused: aborted: aborted by request (operation 1, abort)');
  });

  it('keeps the syntax member of a syntax error (ovsdb-server: unknown column)', () => {
    const e = txError([op.select('Bridge', [['nocol', '==', 1]])], [{ syntax: '["nocol","==",1]', details: 'No column nocol in table Bridge.', error: 'unknown column' }]);
    expect(e).toMatchObject({ error: 'unknown column', index: 0, operation: 'select', syntax: '["nocol","==",1]' });
  });

  it('reports a commit-time failure after all operations (ovsdb-server: referential integrity)', () => {
    const ops = [op.insert('Port', { name: 'p' })];
    const e = txError(ops, [
      { uuid: ['uuid', U] },
      { details: `Table Port column interfaces row ${U} references nonexistent row 00000000-0000-0000-0000-000000000000 in table Interface.`, error: 'referential integrity violation' },
    ]);
    expect(e.index).toBe(1);
    expect(e.operation).toBeUndefined();
    expect(e.error).toBe('referential integrity violation');
    expect(e.partialResults).toEqual([{ uuid: new Uuid(U) }]);
    expect(e.message).toContain('(at commit, after 1 operations)');
  });

  it.each<[string, readonly Operation[], unknown]>([
    ['not an array', [op.comment('x')], { error: 'x' }],
    ['too few elements', [op.comment('x'), op.comment('y')], [{}]],
    ['too many elements', [op.comment('x')], [{}, {}, {}]],
    ['an extra element that is not an error', [op.comment('x')], [{}, {}]],
    ['a null without a preceding error', [op.comment('x'), op.comment('y')], [null, {}]],
    ['a result after a failure', [op.comment('x'), op.comment('y')], [{ error: 'e' }, {}]],
    ['an insert without a uuid', [op.insert('T', {})], [{}]],
    ['an insert with a bad uuid', [op.insert('T', {})], [{ uuid: ['uuid', 'x'] }]],
    ['a count that is not a count', [op.delete('T', [])], [{ count: -1 }]],
    ['a select without rows', [op.select('T', [])], [{ rows: {} }]],
    ['a non-string error', [op.comment('x')], [{ error: 5 }]],
  ])('refuses a malformed result: %s', (_what, ops, result) => {
    badResult(ops, result);
  });

  it('refuses select rows that do not fit the schema', () => {
    expect(() => decodeTransactResult([op.select('T', [])], [{ rows: [{ nope: 1 }] }], schema)).toThrow(/no column nope/);
    expect(() => decodeTransactResult([op.select('T', [])], [{ rows: [{ name: 5 }] }], schema)).toThrow(OvsdbDecodeError);
  });
});
