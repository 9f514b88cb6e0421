/**
 * Helpers for the switch-management tests against the real Open vSwitch: bridges and network namespaces
 * this test run creates (vgtest-sw*, external_ids:vigil-test=1; netns vgsw-*), removed in finally, and the
 * ovsdb-client view of a bridge with every row it refers to (the oracle for "restored exactly").
 */
import { spawn, spawnSync } from 'node:child_process';
import { filter, firstValueFrom, timeout, type Observable } from 'rxjs';
import type { Inventory } from '../../src/southbound/ovsdb/inventory.js';
import { vsctl } from '../support/ovs.js';
import { ovsdbDump, run, SYSTEM_DB_SOCK } from './ovsdb-support.js';

export const REMOTE = `unix:${SYSTEM_DB_SOCK}`;
export const DB = 'Open_vSwitch';

/** ovs-vsctl's view of one column (trimmed). */
export const vsget = (table: string, record: string, column: string): string => vsctl('get', table, record, column).trim();

/** Removes a bridge of ours (marked vigil-test=1) left by an earlier run; refuses to touch any other. */
export function removeOurBridge(name: string): void {
  if (!vsctl('list-br').split('\n').includes(name)) return;
  const mark = vsctl('get', 'bridge', name, 'external_ids:vigil-test').trim();
  if (mark !== '"1"' && mark !== '1') throw new Error(`bridge ${name} exists and was not created by Vigil's tests`);
  vsctl('del-br', name);
}

/** A userspace bridge of ours with extra `set bridge` settings (e.g. fail_mode=standalone). */
export function createOurBridge(name: string, ...settings: string[]): void {
  removeOurBridge(name);
  vsctl('add-br', name, '--', 'set', 'bridge', name, 'datapath_type=netdev', 'external_ids:vigil-test=1', ...settings);
}

export function addInternalPort(bridge: string, port: string, ...portSettings: string[]): void {
  vsctl('add-port', bridge, port, '--', 'set', 'interface', port, 'type=internal', ...(portSettings.length ? ['--', 'set', 'port', port, ...portSettings] : []));
}

const sh = (args: string[]): string => run(args[0]!, args.slice(1));

/**
 * A network namespace `vgsw-<id>` with one end of a veth pair (`vgsw<id>n`, address `addr`) and the other end
 * (`vgsw<id>`) as a port of `bridge`. Removed (namespace, link) by dispose().
 */
export class NetnsPort {
  readonly ns: string;
  readonly hostIf: string;
  readonly nsIf: string;

  constructor(
    readonly id: string,
    readonly addr: string,
  ) {
    this.ns = `vgsw-${id}`;
    this.hostIf = `vgsw${id}`;
    this.nsIf = `vgsw${id}n`;
  }

  create(bridge: string): this {
    this.dispose();
    sh(['ip', 'netns', 'add', this.ns]);
    sh(['ip', 'link', 'add', this.hostIf, 'type', 'veth', 'peer', 'name', this.nsIf]);
    sh(['ip', 'link', 'set', this.nsIf, 'netns', this.ns]);
    sh(['ip', '-n', this.ns, 'link', 'set', 'lo', 'up']);
    sh(['ip', '-n', this.ns, 'addr', 'add', this.addr, 'dev', this.nsIf]);
    sh(['ip', '-n', this.ns, 'link', 'set', this.nsIf, 'up']);
    sh(['ip', 'link', 'set', this.hostIf, 'up']);
    vsctl('add-port', bridge, this.hostIf);
    return this;
  }

  /** A bounded ping from this namespace; resolves with the number of replies. */
  ping(dest: string, count: number): number {
    const r = spawnSync('ip', ['netns', 'exec', this.ns, 'ping', '-n', '-c', String(count), '-i', '0.2', '-W', '1', dest], { encoding: 'utf8', timeout: 20_000 });
    const m = /(\d+) received/.exec(r.stdout);
    return m ? Number(m[1]) : 0;
  }

  /**
   * Starts `tcpdump -c max` (bounded by `seconds`) on this namespace's interface; resolves, once it is
   * listening, to a function that waits for it to end and returns the packet lines it printed.
   */
  async capture(filterExpr: string, max: number, seconds: number): Promise<() => Promise<string[]>> {
    const p = spawn('ip', ['netns', 'exec', this.ns, 'timeout', String(seconds), 'tcpdump', '-i', this.nsIf, '-n', '-l', '-c', String(max), filterExpr], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const ended = new Promise<void>((r) => p.once('exit', () => r()));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`tcpdump did not start: ${err}`)), 10_000);
      p.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('listening on')) {
          clearTimeout(t);
          resolve();
        }
      });
      void ended.then(() => {
        clearTimeout(t);
        if (!err.includes('listening on')) reject(new Error(`tcpdump exited: ${err}`));
      });
    });
    return async () => {
      await ended;
      return out.split('\n').filter((l) => l.trim().length > 0);
    };
  }

  dispose(): void {
    spawnSync('ip', ['netns', 'del', this.ns], { stdio: 'ignore' });
    spawnSync('ip', ['link', 'del', this.hostIf], { stdio: 'ignore' });
  }
}

/** Every ["uuid", x] inside a raw ovsdb-client JSON cell. */
export function uuidsIn(cell: unknown): string[] {
  if (!Array.isArray(cell)) return [];
  if (cell.length === 2 && cell[0] === 'uuid' && typeof cell[1] === 'string') return [cell[1]];
  return cell.flatMap(uuidsIn);
}

/** Columns ovs-vswitchd rewrites on its own (counters): not configuration, left out of comparisons. */
export const VOLATILE = new Set(['_version', 'statistics', 'rstp_statistics']);

export type Closure = Record<string, Record<string, Record<string, unknown>>>;

/**
 * ovsdb-client's dump of a bridge and every Port, Interface, Controller, sFlow and Mirror row it refers to:
 * table -> uuid -> column -> raw JSON cell, every column except `exclude`.
 */
export function bridgeClosure(bridge: string, exclude: ReadonlySet<string> = VOLATILE, withVersion = false): Closure {
  const dump = (table: string): Record<string, unknown>[] => {
    const cols = columnsOf(table);
    return ovsdbDump(REMOTE, DB, table, withVersion ? [...cols, '_version'] : cols);
  };
  const strip = (r: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(r).filter(([c]) => !exclude.has(c)));
  const index = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [(r._uuid as [string, string])[1], r]));
  const out: Closure = {};
  const b = dump('Bridge').find((r) => r.name === bridge);
  if (!b) throw new Error(`no bridge ${bridge}`);
  const bid = (b._uuid as [string, string])[1];
  out.Bridge = { [bid]: strip(b) };
  const pick = (table: string, ids: string[]): Record<string, unknown>[] => {
    const rows = index(dump(table));
    out[table] = {};
    const got: Record<string, unknown>[] = [];
    for (const id of ids) {
      const r = rows.get(id);
      if (r) {
        out[table]![id] = strip(r);
        got.push(r);
      }
    }
    return got;
  };
  const ports = pick('Port', uuidsIn(b.ports));
  pick('Interface', ports.flatMap((p) => uuidsIn(p.interfaces)));
  pick('Controller', uuidsIn(b.controller));
  pick('sFlow', uuidsIn(b.sflow));
  pick('Mirror', uuidsIn(b.mirrors));
  return out;
}

const columnCache = new Map<string, string[]>();
function columnsOf(table: string): string[] {
  let c = columnCache.get(table);
  if (!c) {
    const t = JSON.parse(run('ovsdb-client', ['-f', 'json', 'dump', REMOTE, DB, table])) as { headings: string[] };
    c = t.headings;
    columnCache.set(table, c);
  }
  return c;
}

/** Resolves with the elapsed ms once the inventory satisfies `check` (fails after `ms`). */
export async function inventoryWhere(inv$: Observable<Inventory>, check: (inv: Inventory) => boolean, ms: number, what: string): Promise<number> {
  const t0 = performance.now();
  try {
    await firstValueFrom(inv$.pipe(filter(check), timeout(ms)));
  } catch (e) {
    throw new Error(`inventory did not show ${what} within ${ms} ms (${(e as Error).message})`);
  }
  return performance.now() - t0;
}

/** The _version of each row (ovsdb-client transact select): it changes with any write to the row. */
export function rowVersions(table: string, uuids: readonly string[]): Record<string, string> {
  if (uuids.length === 0) return {};
  const ops = uuids.map((u) => ({ op: 'select', table, where: [['_uuid', '==', ['uuid', u]]], columns: ['_uuid', '_version'] }));
  const res = JSON.parse(run('ovsdb-client', ['transact', REMOTE, JSON.stringify([DB, ...ops])])) as { rows: { _uuid: [string, string]; _version: [string, string] }[] }[];
  return Object.fromEntries(res.flatMap((r) => r.rows.map((row) => [row._uuid[1], row._version[1]])));
}
