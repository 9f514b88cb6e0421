/**
 * An immutable string-keyed map with structural sharing, for TopologyState: entries live in SHARDS small
 * maps chosen by a hash of the key, and an update copies only the shard it touches (plus the shard array).
 * A change to a state of n entries therefore costs O(n / SHARDS + SHARDS), not O(n), and every earlier
 * state stays valid and unchanged (snapshots and reducers can hold on to them).
 */
const SHARDS = 64;

function shardOf(key: string): number {
  // FNV-1a over UTF-16 code units: cheap and spreads MACs, dpids and port keys evenly.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SHARDS;
}

const EMPTY_SHARD: ReadonlyMap<string, never> = new Map<string, never>();

export class PersistentMap<V> implements Iterable<[string, V]> {
  private constructor(
    private readonly shards: readonly ReadonlyMap<string, V>[],
    readonly size: number,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(new Array<ReadonlyMap<string, V>>(SHARDS).fill(EMPTY_SHARD), 0);
  }

  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    const shards = Array.from({ length: SHARDS }, () => new Map<string, V>());
    for (const [k, v] of entries) shards[shardOf(k)]!.set(k, v);
    return new PersistentMap<V>(shards, shards.reduce((n, s) => n + s.size, 0));
  }

  get(key: string): V | undefined {
    return this.shards[shardOf(key)]!.get(key);
  }

  has(key: string): boolean {
    return this.shards[shardOf(key)]!.has(key);
  }

  /** A map with `key` set to `value` (this one when it already holds that very value). */
  set(key: string, value: V): PersistentMap<V> {
    const i = shardOf(key);
    const shard = this.shards[i]!;
    if (shard.get(key) === value && (value !== undefined || shard.has(key))) return this;
    const next = new Map(shard);
    next.set(key, value);
    const shards = this.shards.slice();
    shards[i] = next;
    return new PersistentMap<V>(shards, this.size + (shard.has(key) ? 0 : 1));
  }

  /** A map without `key` (this one when it has no such key). */
  delete(key: string): PersistentMap<V> {
    const i = shardOf(key);
    const shard = this.shards[i]!;
    if (!shard.has(key)) return this;
    const next = new Map(shard);
    next.delete(key);
    const shards = this.shards.slice();
    shards[i] = next.size === 0 ? EMPTY_SHARD : next;
    return new PersistentMap<V>(shards, this.size - 1);
  }

  /** A map without every key for which `drop` holds (one copy per touched shard). */
  deleteWhere(drop: (value: V, key: string) => boolean): PersistentMap<V> {
    let shards: ReadonlyMap<string, V>[] | undefined;
    let size = this.size;
    for (let i = 0; i < SHARDS; i++) {
      const shard = this.shards[i]!;
      let next: Map<string, V> | undefined;
      for (const [k, v] of shard) {
        if (!drop(v, k)) continue;
        next ??= new Map(shard);
        next.delete(k);
        size--;
      }
      if (next) (shards ??= this.shards.slice())[i] = next.size === 0 ? EMPTY_SHARD : next;
    }
    return shards ? new PersistentMap<V>(shards, size) : this;
  }

  *[Symbol.iterator](): Iterator<[string, V]> {
    for (const s of this.shards) yield* s;
  }

  *values(): IterableIterator<V> {
    for (const s of this.shards) yield* s.values();
  }

  *keys(): IterableIterator<string> {
    for (const s of this.shards) yield* s.keys();
  }
}
