/**
 * An in-memory Open_vSwitch database for planner tests (no I/O): the SWITCH_MONITOR tables with full rows,
 * and `transact` applying insert/update/mutate/delete/wait/comment with ovsdb-server's semantics as far as
 * the planners use them (named uuids, map "insert" keeping existing keys, wait with timeout 0 failing with
 * "timed out", atomic commit, garbage collection of unreferenced rows of non-root tables, weak references
 * dropped when their row goes). Every transaction is first checked with the codec's schema validation.
 */
import { readFileSync } from 'node:fs';
import { Subject } from 'rxjs';
import { OvsdbTransactionError } from '../../../../src/codec/ovsdb/errors.js';
import type { Condition, Operation, RowInput } from '../../../../src/codec/ovsdb/operations.js';
import { columnKind, parseSchema, type ColumnType, type TableSchema } from '../../../../src/codec/ovsdb/schema.js';
import { completeRow } from '../../../../src/codec/ovsdb/updates.js';
import { validateTransaction } from '../../../../src/codec/ovsdb/validate.js';
import { atomEquals, NamedUuid, OvsdbMap, OvsdbSet, toValue, Uuid, valueEquals, type Atom, type Value, type ValueInput } from '../../../../src/codec/ovsdb/value.js';
import { SWITCH_MONITOR, type VswitchState } from '../../../../src/southbound/ovsdb/switch-plan.js';
import type { VswitchRows } from '../../../../src/southbound/ovsdb/vswitch.js';

export const schema = parseSchema(JSON.parse(readFileSync(new URL('../../../fixtures/ovsdb/vswitch.ovsschema', import.meta.url), 'utf8')));

type Rows = Map<string, Record<string, Value>>;
type Tables = Map<string, Rows>;
const TABLES = Object.keys(SWITCH_MONITOR) as (keyof typeof SWITCH_MONITOR)[];

let seq = 0;
/** Deterministic uuids (per process). */
export function nextUuid(): Uuid {
  seq++;
  return new Uuid(`00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`);
}

function table(name: string): TableSchema {
  const t = schema.tables.get(name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
}

function columnType(tname: string, col: string): ColumnType {
  const c = table(tname).columns.get(col);
  if (!c) throw new Error(`no column ${tname}.${col}`);
  return c.type;
}

function fail(error: string, details: string, index: number, opName: string | undefined, partial: unknown[]): never {
  throw new OvsdbTransactionError(error, details, index, opName, partial);
}

export class MemoryVswitch implements VswitchState {
  private data: Tables = new Map(TABLES.map((t) => [t, new Map()]));
  private snapshot = new Map<string, ReadonlyMap<string, unknown>>();
  private readonly batches = new Subject<number>();
  readonly batches$ = this.batches.asObservable();
  transactions = 0;
  version = 0;

  constructor() {
    const ovs = nextUuid();
    this.data.get('Open_vSwitch')!.set(ovs.value, this.complete('Open_vSwitch', { _uuid: ovs, external_ids: new OvsdbMap([['system-id', 'sys-1'], ['hostname', 'hv1']]), ovs_version: OvsdbSet.of('3.1.0') }));
  }

  rows<T extends keyof VswitchRows & string>(t: T): ReadonlyMap<string, VswitchRows[T]> {
    let s = this.snapshot.get(t);
    if (!s) {
      const live = this.data.get(t);
      if (!live) throw new RangeError(`table ${t} is not monitored`);
      s = new Map([...live].map(([k, r]) => [k, Object.freeze({ ...r })]));
      this.snapshot.set(t, s);
    }
    return s as ReadonlyMap<string, VswitchRows[T]>;
  }

  /** A deep copy of every table (for before/after comparisons). */
  dump(): Map<string, Map<string, Record<string, Value>>> {
    return new Map([...this.data].map(([t, rows]) => [t, new Map([...rows].map(([k, r]) => [k, { ...r }]))]));
  }

  /** Runs a transaction with ovsdb-server's semantics; refusals throw OvsdbTransactionError. */
  transact(ops: readonly Operation[]): unknown[] {
    validateTransaction(schema, ops);
    const work: Tables = new Map([...this.data].map(([t, rows]) => [t, new Map([...rows].map(([k, r]) => [k, { ...r }]))]));
    const named = new Map<string, Uuid>();
    const results: unknown[] = [];
    ops.forEach((o, i) => {
      if (o.op === 'insert' && o.uuidName !== undefined) named.set(o.uuidName, nextUuid());
      void i;
    });
    const resolve = (v: ValueInput): Value => {
      const mapAtom = (a: Atom): Atom => (a instanceof NamedUuid ? named.get(a.name)! : a);
      const val = toValue(v);
      if (val instanceof OvsdbSet) return new OvsdbSet(val.toArray().map(mapAtom));
      if (val instanceof OvsdbMap) return new OvsdbMap([...val].map(([k, x]) => [mapAtom(k), mapAtom(x)] as const));
      return mapAtom(val);
    };
    const normal = (t: string, col: string, v: ValueInput): Value => {
      const r = resolve(v);
      const kind = columnKind(columnType(t, col));
      if ((kind === 'set' || kind === 'optional') && !(r instanceof OvsdbSet)) return OvsdbSet.of(r as Atom);
      return r;
    };
    const matches = (t: string, row: Record<string, Value>, where: readonly Condition[]): boolean =>
      where.every((c) => {
        if (typeof c === 'boolean') return c;
        const [col, fn, raw] = c;
        const have = row[col];
        if (have === undefined) throw new Error(`condition on unknown column ${t}.${col}`);
        const want = col === '_uuid' ? resolve(raw) : normal(t, col, raw);
        switch (fn) {
          case '==':
            return valueEquals(have, want);
          case '!=':
            return !valueEquals(have, want);
          case 'includes':
            if (have instanceof OvsdbMap && want instanceof OvsdbMap) return [...want].every(([k, v]) => have.has(k) && atomEquals(have.get(k)!, v));
            if (have instanceof OvsdbSet && want instanceof OvsdbSet) return want.toArray().every((e) => have.has(e));
            throw new Error('includes on a scalar');
          default:
            throw new Error(`condition ${fn} not supported by the fixture`);
        }
      });
    const select = (t: string, where: readonly Condition[]): Record<string, Value>[] => [...work.get(t)!.values()].filter((r) => matches(t, r, where));
    const rowOf = (t: string, input: RowInput): Record<string, Value> => Object.fromEntries(Object.entries(input).map(([c, v]) => [c, normal(t, c, v)]));

    ops.forEach((o, i) => {
      switch (o.op) {
        case 'insert': {
          const uuid = o.uuidName !== undefined ? named.get(o.uuidName)! : nextUuid();
          work.get(o.table)!.set(uuid.value, this.complete(o.table, { ...rowOf(o.table, o.row), _uuid: uuid }));
          results.push({ uuid });
          break;
        }
        case 'update': {
          const hit = select(o.table, o.where);
          for (const r of hit) Object.assign(r, rowOf(o.table, o.row));
          results.push({ count: hit.length });
          break;
        }
        case 'mutate': {
          const hit = select(o.table, o.where);
          for (const r of hit) {
            for (const [col, mut, raw] of o.mutations) {
              const cur = r[col]!;
              const kind = columnKind(columnType(o.table, col));
              if (kind === 'map') {
                const m = cur as OvsdbMap;
                const v = resolve(raw);
                if (mut === 'insert') r[col] = new OvsdbMap([...m, ...[...(v as OvsdbMap)].filter(([k]) => !m.has(k))]);
                else if (mut === 'delete') {
                  const drop = v instanceof OvsdbMap ? [...v].filter(([k, x]) => m.has(k) && atomEquals(m.get(k)!, x)).map(([k]) => k) : (v as OvsdbSet).toArray();
                  r[col] = new OvsdbMap([...m].filter(([k]) => !drop.some((d) => atomEquals(d, k))));
                } else throw new Error(`mutator ${mut} on a map`);
              } else {
                if (kind === 'scalar' && mut === '+=') {
                  r[col] = (cur as number) + (resolve(raw) as number);
                  continue;
                }
                const s = cur as OvsdbSet;
                const v = normal(o.table, col, raw) as OvsdbSet;
                if (mut === 'insert') r[col] = s.union(v);
                else if (mut === 'delete') r[col] = s.difference(v);
                else throw new Error(`mutator ${mut} not supported by the fixture`);
              }
            }
          }
          results.push({ count: hit.length });
          break;
        }
        case 'delete': {
          const hit = select(o.table, o.where);
          for (const r of hit) work.get(o.table)!.delete((r._uuid as Uuid).value);
          results.push({ count: hit.length });
          break;
        }
        case 'wait': {
          const got = select(o.table, o.where).map((r) => Object.fromEntries(o.columns.map((c) => [c, r[c]!])));
          const want = o.rows.map((r) => rowOf(o.table, r));
          const same =
            got.length === want.length && got.every((g) => want.some((w) => o.columns.every((c) => w[c] !== undefined && valueEquals(g[c]!, w[c]!))));
          if (same !== (o.until === '==')) {
            if (o.timeout !== 0) throw new Error('the fixture only waits with timeout 0');
            fail('timed out', '"wait" timed out', i, 'wait', results);
          }
          results.push({});
          break;
        }
        case 'select':
          results.push({ rows: select(o.table, o.where).map((r) => (o.columns ? Object.fromEntries(o.columns.map((c) => [c, r[c]!])) : { ...r })) });
          break;
        case 'comment':
          results.push({});
          break;
        default:
          throw new Error(`operation ${o.op} not supported by the fixture`);
      }
    });
    this.collect(work);
    this.checkReferences(work, ops.length, results);
    this.data = work;
    this.snapshot.clear();
    this.transactions++;
    this.version++;
    this.batches.next(this.version);
    if (this.vswitchd) setTimeout(() => this.reconfigure(), 1);
    return results;
  }

  /** Simulates ovs-vswitchd: after each transaction, cur_cfg catches up with next_cfg (when it lags). */
  vswitchd = false;

  private reconfigure(): void {
    const o = [...this.data.get('Open_vSwitch')!.values()][0]!;
    if (o.cur_cfg === o.next_cfg) return;
    this.transact([{ op: 'update', table: 'Open_vSwitch', where: [], row: { cur_cfg: o.next_cfg as number } }]);
  }

  /** Direct edit as another writer would make it (transact without validation of ownership). */
  edit(ops: readonly Operation[]): void {
    this.transact(ops);
  }

  private complete(t: string, row: Record<string, Value>): Record<string, Value> {
    return { ...completeRow(table(t), row, SWITCH_MONITOR[t as keyof typeof SWITCH_MONITOR].columns), _uuid: row._uuid! };
  }

  /** ovsdb-server's garbage collection: unreferenced rows of non-root tables go; weak references to gone rows too. */
  private collect(work: Tables): void {
    for (;;) {
      const referenced = new Set<string>();
      for (const [t, rows] of work) {
        for (const r of rows.values()) {
          for (const [col, v] of Object.entries(r)) {
            if (col === '_uuid') continue;
            const ty = columnType(t, col);
            for (const base of [ty.key, ty.value]) {
              if (!base?.refTable || base.refType === 'weak') continue;
              const atoms = v instanceof OvsdbMap ? [...(base === ty.key ? v.keys() : v.values())] : v instanceof OvsdbSet ? v.toArray() : [v];
              for (const a of atoms) if (a instanceof Uuid) referenced.add(a.value);
            }
          }
        }
      }
      let removed = false;
      for (const [t, rows] of work) {
        if (table(t).isRoot) continue;
        for (const k of [...rows.keys()]) {
          if (!referenced.has(k)) {
            rows.delete(k);
            removed = true;
          }
        }
      }
      if (!removed) break;
    }
    const exists = (u: Uuid): boolean => [...work.values()].some((rows) => rows.has(u.value));
    for (const [t, rows] of work) {
      for (const r of rows.values()) {
        for (const [col, v] of Object.entries(r)) {
          if (col === '_uuid') continue;
          const ty = columnType(t, col);
          if (ty.key.refType === 'weak' && v instanceof OvsdbSet) r[col] = new OvsdbSet(v.toArray().filter((a) => !(a instanceof Uuid) || exists(a)));
        }
      }
    }
  }

  /** A strong reference to a row that does not exist refuses the commit (as ovsdb-server does). */
  private checkReferences(work: Tables, n: number, results: unknown[]): void {
    for (const [t, rows] of work) {
      for (const r of rows.values()) {
        for (const [col, v] of Object.entries(r)) {
          if (col === '_uuid') continue;
          const ty = columnType(t, col);
          if (!ty.key.refTable || ty.key.refType === 'weak') continue;
          const target = work.get(ty.key.refTable);
          if (!target) continue;
          const atoms = v instanceof OvsdbMap ? [...v.keys()] : v instanceof OvsdbSet ? v.toArray() : [v];
          for (const a of atoms) if (a instanceof Uuid && !target.has(a.value)) fail('referential integrity violation', `${t}.${col} references nonexistent row ${a.value}`, n, undefined, results);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------ builders

  /** Adds a bridge (with ports of internal interfaces) as ovs-vsctl add-br/add-port would. */
  addBridge(
    name: string,
    opts: {
      failMode?: 'standalone' | 'secure';
      protocols?: string[];
      ports?: { name: string; tag?: number; trunks?: number[]; ifaceIds?: Record<string, string>; policing?: [number, number]; ofport?: number; mac?: string }[];
      controllers?: string[];
      externalIds?: Record<string, string>;
    } = {},
  ): Uuid {
    const ops: Operation[] = [];
    const ports: NamedUuid[] = [];
    const all = [{ name }, ...(opts.ports ?? [])] as NonNullable<typeof opts.ports>;
    all.forEach((p, i) => {
      ops.push({
        op: 'insert',
        table: 'Interface',
        uuidName: `i${i}`,
        row: {
          name: p.name,
          type: i === 0 ? 'internal' : '',
          external_ids: new OvsdbMap(Object.entries(p.ifaceIds ?? {})),
          ...(p.policing ? { ingress_policing_rate: p.policing[0], ingress_policing_burst: p.policing[1] } : {}),
          ofport: OvsdbSet.of(p.ofport ?? (i === 0 ? 65534 : i)),
          ...(p.mac ? { mac_in_use: OvsdbSet.of(p.mac) } : {}),
        },
      });
      ops.push({
        op: 'insert',
        table: 'Port',
        uuidName: `p${i}`,
        row: { name: p.name, interfaces: [new NamedUuid(`i${i}`)], tag: p.tag === undefined ? OvsdbSet.EMPTY : OvsdbSet.of(p.tag), trunks: p.trunks ?? [] },
      });
      ports.push(new NamedUuid(`p${i}`));
    });
    const ctrls = (opts.controllers ?? []).map((target, i) => {
      ops.push({ op: 'insert', table: 'Controller', uuidName: `c${i}`, row: { target } });
      return new NamedUuid(`c${i}`);
    });
    ops.push({
      op: 'insert',
      table: 'Bridge',
      uuidName: 'br',
      row: {
        name,
        ports,
        controller: ctrls,
        datapath_type: 'netdev',
        fail_mode: opts.failMode ? [opts.failMode] : [],
        protocols: opts.protocols ?? [],
        external_ids: new OvsdbMap(Object.entries(opts.externalIds ?? {})),
      },
    });
    ops.push({ op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['bridges', 'insert', [new NamedUuid('br')]]] });
    const res = this.transact(ops) as { uuid?: Uuid }[];
    return res[ops.length - 2]!.uuid!;
  }

  bridge(name: string): VswitchRows['Bridge'] {
    const b = [...this.rows('Bridge').values()].find((x) => x.name === name);
    if (!b) throw new Error(`no bridge ${name}`);
    return b;
  }
}

/** Tables as comparable plain data: table -> uuid -> column -> JSON text of the value. */
export function comparable(d: Map<string, Map<string, Record<string, Value>>>): Record<string, Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, Record<string, string>>> = {};
  for (const [t, rows] of d) {
    out[t] = {};
    for (const [k, r] of rows) out[t][k] = Object.fromEntries(Object.entries(r).map(([c, v]) => [c, JSON.stringify(sortValue(v))]));
  }
  return out;
}

function sortValue(v: Value): unknown {
  if (v instanceof OvsdbSet) return ['set', v.toArray().map((a) => JSON.stringify(a)).sort()];
  if (v instanceof OvsdbMap) return ['map', [...v].map(([k, x]) => JSON.stringify([k, x])).sort()];
  return v;
}
