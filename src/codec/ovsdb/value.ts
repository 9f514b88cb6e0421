/**
 * OVSDB values (RFC 7047 §5.1) as TypeScript values, and their JSON forms both ways.
 *
 *   integer, real  -> number         (JSON numbers; integers are 64-bit on the server, see below)
 *   boolean        -> boolean
 *   string         -> string
 *   ["uuid", u]    -> Uuid
 *   ["named-uuid", n] -> NamedUuid  (a reference to a row inserted by the same transaction)
 *   ["set", [...]] -> OvsdbSet<T>    (a single atom is the one-element shorthand)
 *   ["map", [[k, v], ...]] -> OvsdbMap<K, V>
 *
 * Sets and maps are immutable and compare atoms by value (two `Uuid` objects with the same text are the
 * same element), which a native Set/Map of objects would not do. Integers beyond 2^53 cannot be held
 * exactly by a JSON.parse number: schema validation refuses them for integer columns rather than send a
 * rounded value (large reals are fine).
 *
 * The schema-less decoders here read what the JSON says; `types.ts` decodes against a column's type
 * (scalar vs set normalisation, defaults) and `validate.ts` checks constraints.
 */
import { OvsdbDecodeError, OvsdbEncodeError } from './errors.js';
import type { JsonValue } from './jsonrpc.js';

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** RFC 7047 <id>: letters, digits and underscores, not starting with a digit. */
const ID_RE = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

export function isUuidText(s: string): boolean {
  return UUID_RE.test(s);
}

export function isId(s: string): boolean {
  return ID_RE.test(s);
}

/** A row's UUID. The text is kept in lower case (the server's form), so `value` compares directly. */
export class Uuid {
  readonly value: string;
  constructor(value: string) {
    if (!UUID_RE.test(value)) throw new RangeError(`not a UUID: ${JSON.stringify(value)}`);
    this.value = value.toLowerCase();
  }

  static readonly ZERO = new Uuid('00000000-0000-0000-0000-000000000000');

  equals(other: unknown): boolean {
    return other instanceof Uuid && other.value === this.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): JsonValue {
    return ['uuid', this.value];
  }
}

/** `["named-uuid", name]`: the row an `insert` with this `uuid-name` creates in the same transaction. */
export class NamedUuid {
  constructor(readonly name: string) {
    if (!ID_RE.test(name)) throw new RangeError(`not a valid uuid-name (letters, digits, _): ${JSON.stringify(name)}`);
  }

  equals(other: unknown): boolean {
    return other instanceof NamedUuid && other.name === this.name;
  }

  toString(): string {
    return `@${this.name}`;
  }

  toJSON(): JsonValue {
    return ['named-uuid', this.name];
  }
}

export type Atom = number | boolean | string | Uuid | NamedUuid;

/** Literal atom types widened to their primitive (`'a'` -> string). */
export type Widen<T extends Atom> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T;

/** A key under which atoms are equal exactly when OVSDB says so. */
export function atomKey(a: Atom): string {
  switch (typeof a) {
    case 'string':
      return `s${a}`;
    case 'number':
      return `n${a === 0 ? 0 : a}`; // -0 and 0 are one element
    case 'boolean':
      return a ? 'bt' : 'bf';
    default:
      return a instanceof Uuid ? `u${a.value}` : `N${a.name}`;
  }
}

export function atomEquals(a: Atom, b: Atom): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  return a.equals(b);
}

/** An immutable OVSDB set: insertion-ordered, elements unique by value. */
export class OvsdbSet<T extends Atom = Atom> implements Iterable<T> {
  private readonly items: ReadonlyMap<string, T>;

  constructor(elements: Iterable<T> = []) {
    const m = new Map<string, T>();
    for (const e of elements) {
      const k = atomKey(e);
      if (!m.has(k)) m.set(k, e);
    }
    this.items = m;
  }

  /** A set of the given atoms (literal types widened: `OvsdbSet.of(1, 2)` is an `OvsdbSet<number>`). */
  static of<T extends Atom>(...elements: T[]): OvsdbSet<Widen<T>> {
    return new OvsdbSet<Widen<T>>(elements as Widen<T>[]);
  }

  static readonly EMPTY: OvsdbSet<never> = new OvsdbSet<never>();

  get size(): number {
    return this.items.size;
  }

  has(e: T): boolean {
    return this.items.has(atomKey(e));
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.items.values();
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  toArray(): T[] {
    return [...this.items.values()];
  }

  /** The only element of a 0-or-1 set ("optional" columns), undefined when empty. */
  only(): T | undefined {
    if (this.items.size > 1) throw new RangeError(`set has ${this.items.size} elements, expected at most one`);
    for (const v of this.items.values()) return v;
    return undefined;
  }

  /** Elements in exactly one of the two sets (the update2 diff of two sets). */
  symmetricDifference(other: OvsdbSet<T>): OvsdbSet<T> {
    const out: T[] = [];
    for (const [k, v] of this.items) if (!other.items.has(k)) out.push(v);
    for (const [k, v] of other.items) if (!this.items.has(k)) out.push(v);
    return new OvsdbSet(out);
  }

  union(other: Iterable<T>): OvsdbSet<T> {
    return new OvsdbSet([...this.items.values(), ...other]);
  }

  difference(other: Iterable<T>): OvsdbSet<T> {
    const drop = new Set<string>();
    for (const e of other) drop.add(atomKey(e));
    return new OvsdbSet([...this.items].filter(([k]) => !drop.has(k)).map(([, v]) => v));
  }

  equals(other: unknown): boolean {
    if (!(other instanceof OvsdbSet) || other.size !== this.size) return false;
    for (const k of this.items.keys()) if (!(other as OvsdbSet<Atom>).items.has(k)) return false;
    return true;
  }

  toJSON(): JsonValue {
    return ['set', this.toArray().map((a) => encodeAtom(a))];
  }

  toString(): string {
    return `{${this.toArray().map(String).join(', ')}}`;
  }
}

/** An immutable OVSDB map: insertion-ordered, keys unique by value. Implements ReadonlyMap. */
export class OvsdbMap<K extends Atom = Atom, V extends Atom = Atom> implements ReadonlyMap<K, V> {
  private readonly items: ReadonlyMap<string, readonly [K, V]>;

  /** Later pairs with an equal key replace earlier ones (as a native Map would). */
  constructor(entries: Iterable<readonly [K, V]> = []) {
    const m = new Map<string, readonly [K, V]>();
    for (const [k, v] of entries) m.set(atomKey(k), [k, v]);
    this.items = m;
  }

  static fromRecord<V extends Atom>(rec: Readonly<Record<string, V>>): OvsdbMap<string, V> {
    return new OvsdbMap(Object.entries(rec));
  }

  get size(): number {
    return this.items.size;
  }

  get(k: K): V | undefined {
    return this.items.get(atomKey(k))?.[1];
  }

  has(k: K): boolean {
    return this.items.has(atomKey(k));
  }

  *entries(): MapIterator<[K, V]> {
    for (const [k, v] of this.items.values()) yield [k, v];
  }

  *keys(): MapIterator<K> {
    for (const e of this.items.values()) yield e[0];
  }

  *values(): MapIterator<V> {
    for (const e of this.items.values()) yield e[1];
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(cb: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.items.values()) cb(v, k, this);
  }

  /** Entries as a plain object (string keys only; other atoms are stringified). */
  toRecord(): Record<string, V> {
    const out: Record<string, V> = {};
    for (const [k, v] of this.items.values()) out[String(k)] = v;
    return out;
  }

  equals(other: unknown): boolean {
    if (!(other instanceof OvsdbMap) || other.size !== this.size) return false;
    for (const [key, [, v]] of this.items) {
      const o = (other as OvsdbMap<Atom, Atom>).items.get(key);
      if (o === undefined || !atomEquals(o[1], v)) return false;
    }
    return true;
  }

  toJSON(): JsonValue {
    return ['map', [...this.items.values()].map(([k, v]) => [encodeAtom(k), encodeAtom(v)])];
  }

  toString(): string {
    return `{${[...this.items.values()].map(([k, v]) => `${String(k)}=${String(v)}`).join(', ')}}`;
  }
}

export type Value = Atom | OvsdbSet<Atom> | OvsdbMap<Atom, Atom>;

/** What callers may hand to encoders: typed values, or native arrays/Sets (sets) and Maps (maps). */
export type ValueInput = Value | readonly Atom[] | ReadonlySet<Atom> | ReadonlyMap<Atom, Atom>;

export function valueEquals(a: Value, b: Value): boolean {
  if (a instanceof OvsdbSet || a instanceof OvsdbMap) return a.equals(b);
  if (b instanceof OvsdbSet || b instanceof OvsdbMap) return false;
  return atomEquals(a, b);
}

// ---------------------------------------------------------------------------------------------- encode

export function encodeAtom(a: Atom, path = 'value'): JsonValue {
  switch (typeof a) {
    case 'string':
    case 'boolean':
      return a;
    case 'number':
      if (!Number.isFinite(a)) throw new OvsdbEncodeError(`${a} is not a JSON number`, path);
      return a;
    default:
      if (a instanceof Uuid) return ['uuid', a.value];
      if (a instanceof NamedUuid) return ['named-uuid', a.name];
      throw new OvsdbEncodeError(`not an OVSDB atom: ${describe(a)}`, path);
  }
}

/** The JSON form of a value. Native arrays and Sets become `["set", ...]`, native Maps `["map", ...]`. */
export function encodeValue(v: ValueInput, path = 'value'): JsonValue {
  if (v instanceof OvsdbSet) return ['set', v.toArray().map((e, i) => encodeAtom(e, `${path}[${i}]`))];
  if (v instanceof OvsdbMap || v instanceof Map) {
    const pairs: JsonValue[] = [];
    for (const [k, val] of v as ReadonlyMap<Atom, Atom>) pairs.push([encodeAtom(k, `${path}.key`), encodeAtom(val, `${path}[${String(k)}]`)]);
    return ['map', pairs];
  }
  if (Array.isArray(v) || v instanceof Set) {
    return ['set', [...(v as Iterable<Atom>)].map((e, i) => encodeAtom(e, `${path}[${i}]`))];
  }
  return encodeAtom(v as Atom, path);
}

/** Normalises native collections to OvsdbSet/OvsdbMap (atoms pass through). */
export function toValue(v: ValueInput): Value {
  if (v instanceof OvsdbSet || v instanceof OvsdbMap) return v;
  if (v instanceof Map) return new OvsdbMap(v);
  if (Array.isArray(v) || v instanceof Set) return new OvsdbSet(v as Iterable<Atom>);
  return v as Atom;
}

// ---------------------------------------------------------------------------------------------- decode

/** An atom as the JSON says: numbers, booleans, strings, ["uuid", u], ["named-uuid", n]. */
export function decodeAtom(json: unknown, path = 'value'): Atom {
  switch (typeof json) {
    case 'string':
    case 'boolean':
      return json;
    case 'number':
      return json;
    default:
      if (Array.isArray(json) && json.length === 2 && typeof json[1] === 'string') {
        try {
          if (json[0] === 'uuid') return new Uuid(json[1]);
          if (json[0] === 'named-uuid') return new NamedUuid(json[1]);
        } catch (e) {
          throw new OvsdbDecodeError((e as Error).message, 'bad-value', path);
        }
      }
      throw new OvsdbDecodeError(`not an OVSDB atom: ${describe(json)}`, 'bad-value', path);
  }
}

/** A value as the JSON says (no schema): an atom, ["set", [...]] or ["map", [[k, v], ...]]. */
export function decodeValue(json: unknown, path = 'value'): Value {
  if (Array.isArray(json) && json.length === 2) {
    if (json[0] === 'set') return decodeSet(json[1], path);
    if (json[0] === 'map') return decodeMap(json[1], path);
  }
  return decodeAtom(json, path);
}

export function decodeSet(elements: unknown, path: string): OvsdbSet<Atom> {
  if (!Array.isArray(elements)) throw new OvsdbDecodeError('["set", ...] needs an array of atoms', 'bad-value', path);
  const atoms = elements.map((e, i) => decodeAtom(e, `${path}[${i}]`));
  const set = new OvsdbSet(atoms);
  if (set.size !== atoms.length) throw new OvsdbDecodeError('set has duplicate elements', 'bad-value', path);
  return set;
}

export function decodeMap(pairs: unknown, path: string): OvsdbMap<Atom, Atom> {
  if (!Array.isArray(pairs)) throw new OvsdbDecodeError('["map", ...] needs an array of [key, value] pairs', 'bad-value', path);
  const entries = pairs.map((p, i): [Atom, Atom] => {
    if (!Array.isArray(p) || p.length !== 2) throw new OvsdbDecodeError('map entry is not a [key, value] pair', 'bad-value', `${path}[${i}]`);
    return [decodeAtom(p[0], `${path}[${i}].key`), decodeAtom(p[1], `${path}[${i}].value`)];
  });
  const map = new OvsdbMap(entries);
  if (map.size !== entries.length) throw new OvsdbDecodeError('map has duplicate keys', 'bad-value', path);
  return map;
}

function describe(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    if (s !== undefined) return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    /* fall through */
  }
  return String(v);
}
