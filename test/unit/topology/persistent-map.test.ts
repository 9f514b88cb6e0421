/** PersistentMap: behaves like a Map, never changes an earlier version, and shares what an update did not touch. */
import fc from 'fast-check';
import { PersistentMap } from '../../../src/topology/persistent-map.js';

describe('PersistentMap', () => {
  it('sets, gets, deletes; earlier versions are unchanged', () => {
    const a = PersistentMap.empty<number>();
    const b = a.set('x', 1).set('y', 2);
    const c = b.delete('x');
    expect([a.size, b.size, c.size]).toEqual([0, 2, 1]);
    expect([b.get('x'), c.get('x'), c.get('y')]).toEqual([1, undefined, 2]);
    expect(a.has('y')).toBe(false);
    expect(b.set('x', 1)).toBe(b); // same value: no new version
    expect(c.delete('nope')).toBe(c);
    expect([...b.keys()].sort()).toEqual(['x', 'y']);
    expect(b.deleteWhere((v) => v > 1).get('y')).toBeUndefined();
    expect(b.deleteWhere(() => false)).toBe(b);
    expect(PersistentMap.from([['k', 3]]).get('k')).toBe(3);
  });

  it('property: any sequence of updates matches a Map, and every intermediate version stays intact', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('set' as const), key: fc.string({ maxLength: 3 }), v: fc.integer() }),
      fc.record({ k: fc.constant('del' as const), key: fc.string({ maxLength: 3 }) }),
      fc.record({ k: fc.constant('where' as const), mod: fc.integer({ min: 2, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let p = PersistentMap.empty<number>();
        const m = new Map<string, number>();
        const versions: [PersistentMap<number>, [string, number][]][] = [];
        for (const o of ops) {
          if (o.k === 'set') {
            p = p.set(o.key, o.v);
            m.set(o.key, o.v);
          } else if (o.k === 'del') {
            p = p.delete(o.key);
            m.delete(o.key);
          } else {
            p = p.deleteWhere((v) => v % o.mod === 0);
            for (const [k, v] of m) if (v % o.mod === 0) m.delete(k);
          }
          versions.push([p, [...m].sort()]);
        }
        for (const [v, entries] of versions) {
          expect([...v].sort()).toEqual(entries);
          expect(v.size).toBe(entries.length);
        }
      }),
    );
  });
});
