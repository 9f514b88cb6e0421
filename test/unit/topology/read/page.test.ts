import { afterPredicate, CursorError, decodeCursor, encodeCursor, orderBy, type SortKey } from '../../../../src/topology/read/page.js';

const LINK_KEYS: SortKey[] = [
  { expr: 'a.dpid', type: 'string' },
  { expr: 'a.portNo', type: 'int' },
];

describe('cursors', () => {
  it('round-trip, opaque (base64url), bound to their connection', () => {
    const c = encodeCursor('links', ['0000000000000001', 4294967294]);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(c).not.toContain('0000000000000001');
    expect(decodeCursor('links', LINK_KEYS, c)).toEqual(['0000000000000001', 4294967294]);
    expect(() => decodeCursor('hosts', LINK_KEYS, c)).toThrow(CursorError);
  });

  it.each([
    ['not base64url', '***'],
    ['empty', ''],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['wrong arity', encodeCursor('links', ['x'])],
    ['wrong type', encodeCursor('links', ['x', 'y'])],
    ['unsafe integer', Buffer.from(JSON.stringify(['links', 'x', 2 ** 60])).toString('base64url')],
  ])('refuses a cursor that is %s', (_what, cursor) => expect(() => decodeCursor('links', LINK_KEYS, cursor)).toThrow(CursorError));
});

describe('afterPredicate', () => {
  it('is the lexicographic "tuple greater than" with typed parameters', () => {
    const { where, params } = afterPredicate([...LINK_KEYS, { expr: 'b.dpid', type: 'string' }], ['d1', 3, 'd2']);
    expect(where).toBe('((a.dpid > $after0) OR (a.dpid = $after0 AND a.portNo > $after1) OR (a.dpid = $after0 AND a.portNo = $after1 AND b.dpid > $after2))');
    expect(params.after0).toBe('d1');
    expect(String(params.after1)).toBe('3');
    expect((params.after1 as { constructor: { name: string } }).constructor.name).toBe('Integer');
    expect(orderBy(LINK_KEYS)).toBe('a.dpid, a.portNo');
  });
});
