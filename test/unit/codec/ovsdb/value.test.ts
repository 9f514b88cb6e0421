/**
 * OVSDB values (RFC 7047 §5.1) both ways: atoms, uuid/named-uuid, sets (incl. the one-atom shorthand) and
 * maps; equality by value; column-typed decoding (scalar/optional/set/map normalisation, defaults).
 */
import fc from 'fast-check';
import { OvsdbDecodeError, OvsdbEncodeError } from '../../../../src/codec/ovsdb/errors.js';
import { decodeColumnValue, defaultValue, parseColumnType } from '../../../../src/codec/ovsdb/schema.js';
import {
  atomKey,
  decodeAtom,
  decodeValue,
  encodeAtom,
  encodeValue,
  NamedUuid,
  OvsdbMap,
  OvsdbSet,
  toValue,
  Uuid,
  valueEquals,
  type Atom,
  type Value,
} from '../../../../src/codec/ovsdb/value.js';

const U1 = '4ef497fd-4029-44fd-912a-61369c172c93';
const U2 = '2d3df371-70ee-4b9d-9779-6bd299dc6893';

describe('atoms', () => {
  it('encodes and decodes each atomic type', () => {
    expect(encodeAtom(42)).toBe(42);
    expect(encodeAtom(-1.5)).toBe(-1.5);
    expect(encodeAtom(true)).toBe(true);
    expect(encodeAtom('br0')).toBe('br0');
    expect(encodeAtom(new Uuid(U1))).toEqual(['uuid', U1]);
    expect(encodeAtom(new NamedUuid('new_port'))).toEqual(['named-uuid', 'new_port']);
    expect(decodeAtom(['uuid', U1])).toEqual(new Uuid(U1));
    expect(decodeAtom(['named-uuid', 'x'])).toEqual(new NamedUuid('x'));
    expect(decodeAtom('s')).toBe('s');
  });

  it('keeps UUIDs in lower case and compares them by value', () => {
    const a = new Uuid(U1.toUpperCase());
    expect(a.value).toBe(U1);
    expect(a.equals(new Uuid(U1))).toBe(true);
    expect(a.equals(new Uuid(U2))).toBe(false);
    expect(JSON.stringify(a)).toBe(`["uuid","${U1}"]`);
  });

  it.each([['not-a-uuid'], ['4ef497fd402944fd912a61369c172c93'], ['']])('refuses uuid text %j', (t) => {
    expect(() => new Uuid(t)).toThrow(RangeError);
    const e = (() => {
      try {
        decodeAtom(['uuid', t]);
      } catch (err) {
        return err as OvsdbDecodeError;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(OvsdbDecodeError);
    expect(e?.reason).toBe('bad-value');
  });

  it('refuses uuid-names that are not identifiers', () => {
    expect(() => new NamedUuid('1abc')).toThrow(RangeError);
    expect(() => new NamedUuid('a-b')).toThrow(RangeError);
    expect(new NamedUuid('_a1').name).toBe('_a1');
  });

  it('refuses numbers JSON cannot carry exactly', () => {
    expect(() => encodeAtom(Number.NaN)).toThrow(OvsdbEncodeError);
    expect(() => encodeAtom(Infinity)).toThrow(OvsdbEncodeError);
    expect(encodeAtom(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(encodeAtom(1e300)).toBe(1e300); // a real; integer columns refuse it in validation
  });

  it.each([[null], [{}], [['uuid']], [['set', [1], 2]], [['foo', 'bar']]])('refuses %j as an atom', (j) => {
    expect(() => decodeAtom(j)).toThrow(OvsdbDecodeError);
  });
});

describe('sets and maps', () => {
  it('encodes sets as ["set", [...]] and maps as ["map", [[k, v], ...]]', () => {
    expect(encodeValue(OvsdbSet.of(1, 2))).toEqual(['set', [1, 2]]);
    expect(encodeValue(OvsdbSet.EMPTY)).toEqual(['set', []]);
    expect(encodeValue(new OvsdbMap([['a', '1']]))).toEqual(['map', [['a', '1']]]);
    expect(encodeValue([new Uuid(U1)])).toEqual(['set', [['uuid', U1]]]);
    expect(encodeValue(new Set(['x']))).toEqual(['set', ['x']]);
    expect(encodeValue(new Map([[1, new Uuid(U2)]]))).toEqual(['map', [[1, ['uuid', U2]]]]);
  });

  it('decodes sets and maps, refusing duplicates', () => {
    expect(decodeValue(['set', ['a', 'b']])).toEqual(OvsdbSet.of('a', 'b'));
    expect(decodeValue(['map', [['k', 1]]])).toEqual(new OvsdbMap([['k', 1]]));
    expect(() => decodeValue(['set', ['a', 'a']])).toThrow(/duplicate/);
    expect(() => decodeValue(['map', [['k', 1], ['k', 2]]])).toThrow(/duplicate/);
    expect(() => decodeValue(['map', [['k']]])).toThrow(OvsdbDecodeError);
    expect(() => decodeValue(['set', 'a'])).toThrow(OvsdbDecodeError);
  });

  it('holds elements unique by value (uuid objects included) in insertion order', () => {
    const s = new OvsdbSet<Atom>([new Uuid(U1), new Uuid(U1), 'a', new Uuid(U2)]);
    expect(s.size).toBe(3);
    expect(s.has(new Uuid(U1))).toBe(true);
    expect(s.toArray()).toEqual([new Uuid(U1), 'a', new Uuid(U2)]);
    expect(OvsdbSet.of(1, 2).equals(OvsdbSet.of(2, 1))).toBe(true);
    expect(OvsdbSet.of(1, 2).equals(OvsdbSet.of(1))).toBe(false);
    // 1 and "1" and true are different atoms.
    expect(new OvsdbSet<Atom>([1, '1', true]).size).toBe(3);
  });

  it('offers set algebra and only()', () => {
    const a = OvsdbSet.of(1, 2, 3);
    expect(a.symmetricDifference(OvsdbSet.of(3, 4)).toArray().sort()).toEqual([1, 2, 4]);
    expect(a.union([4]).size).toBe(4);
    expect(a.difference([1, 2]).toArray()).toEqual([3]);
    expect(OvsdbSet.EMPTY.only()).toBeUndefined();
    expect(OvsdbSet.of('x').only()).toBe('x');
    expect(() => a.only()).toThrow(RangeError);
  });

  it('behaves as a ReadonlyMap keyed by value', () => {
    const m = new OvsdbMap<Atom, Atom>([
      [new Uuid(U1), 1],
      ['k', 'v'],
    ]);
    expect(m.get(new Uuid(U1))).toBe(1);
    expect(m.has('k')).toBe(true);
    expect([...m.keys()]).toEqual([new Uuid(U1), 'k']);
    expect(new Map(m)).toEqual(new Map<Atom, Atom>([[new Uuid(U1), 1], ['k', 'v']]));
    expect(OvsdbMap.fromRecord({ a: 'b' }).toRecord()).toEqual({ a: 'b' });
    expect(new OvsdbMap([['a', 1]]).equals(new OvsdbMap([['a', 2]]))).toBe(false);
  });

  it('round-trips any value through its JSON form (property)', () => {
    const uuid = fc.uuid().map((u) => new Uuid(u));
    const atom: fc.Arbitrary<Atom> = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.string({ unit: 'binary' }), uuid);
    const value: fc.Arbitrary<Value> = fc.oneof(
      atom,
      fc.array(atom, { maxLength: 6 }).map((a) => new OvsdbSet(a)),
      fc.array(fc.tuple(atom, atom), { maxLength: 6 }).map((e) => new OvsdbMap(e)),
    );
    fc.assert(
      fc.property(value, (v) => {
        const wire = JSON.parse(JSON.stringify(encodeValue(v)));
        const back = decodeValue(wire);
        expect(valueEquals(back, v)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('normalises native collections with toValue', () => {
    expect(toValue(['a'])).toEqual(OvsdbSet.of('a'));
    expect(toValue(new Map([['k', 'v']]))).toEqual(new OvsdbMap([['k', 'v']]));
    expect(toValue('x')).toBe('x');
    expect(atomKey(-0)).toBe(atomKey(0));
  });
});

describe('column-typed decoding', () => {
  const scalar = parseColumnType('string', 't');
  const optional = parseColumnType({ key: 'integer', min: 0, max: 1 }, 't');
  const set = parseColumnType({ key: { type: 'uuid', refTable: 'Port' }, min: 0, max: 'unlimited' }, 't');
  const map = parseColumnType({ key: 'string', value: 'string', min: 0, max: 'unlimited' }, 't');

  it('normalises the one-atom shorthand and ["set", [x]] to the column kind', () => {
    expect(decodeColumnValue(scalar, 'br0')).toBe('br0');
    expect(decodeColumnValue(scalar, ['set', ['br0']])).toBe('br0');
    expect(decodeColumnValue(optional, 10)).toEqual(OvsdbSet.of(10));
    expect(decodeColumnValue(optional, ['set', []])).toEqual(OvsdbSet.EMPTY);
    expect(decodeColumnValue(set, ['uuid', U1])).toEqual(OvsdbSet.of(new Uuid(U1)));
    expect(decodeColumnValue(set, ['set', [['uuid', U1], ['uuid', U2]]])).toEqual(OvsdbSet.of(new Uuid(U1), new Uuid(U2)));
    expect(decodeColumnValue(map, ['map', [['a', 'b']]])).toEqual(new OvsdbMap([['a', 'b']]));
  });

  it.each([
    ['a string in an integer set', optional, 'x'],
    ['a real in an integer column', optional, 1.5],
    ['a string in a uuid set', set, 'x'],
    ['a set in a scalar column', scalar, ['set', ['a', 'b']]],
    ['an atom in a map column', map, 'a'],
    ['an integer value in a string map', map, ['map', [['a', 1]]]],
  ])('refuses %s', (_what, t, json) => {
    expect(() => decodeColumnValue(t, json)).toThrow(OvsdbDecodeError);
  });

  it('gives each kind its default', () => {
    expect(defaultValue(scalar)).toBe('');
    expect(defaultValue(parseColumnType('integer', 't'))).toBe(0);
    expect(defaultValue(parseColumnType('boolean', 't'))).toBe(false);
    expect(defaultValue(parseColumnType('uuid', 't'))).toEqual(Uuid.ZERO);
    expect(defaultValue(optional)).toEqual(OvsdbSet.EMPTY);
    expect(defaultValue(map)).toEqual(new OvsdbMap());
    expect(defaultValue(parseColumnType({ key: 'string', min: 1, max: 2 }, 't'))).toEqual(OvsdbSet.of(''));
  });
});
