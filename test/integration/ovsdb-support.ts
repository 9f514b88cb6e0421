/**
 * Helpers for the OVSDB integration tests: a private ovsdb-server on a temporary database (started and
 * stopped by pid, never touching the system's), the oracles (ovs-vsctl, ovsdb-client), and polling.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SYSTEM_DB_SOCK = '/var/run/openvswitch/db.sock';
export const VSWITCH_SCHEMA_FILE = '/usr/share/openvswitch/vswitch.ovsschema';

export function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** `ovsdb-client -f json dump` of some columns of a table: rows as objects of raw JSON cells. */
export function ovsdbDump(remote: string, db: string, table: string, columns: string[]): Record<string, unknown>[] {
  const out = run('ovsdb-client', ['-f', 'json', 'dump', remote, db, table, ...columns]);
  const t = JSON.parse(out) as { headings: string[]; data: unknown[][] };
  return t.data.map((row) => Object.fromEntries(t.headings.map((h, i) => [h, row[i]])));
}

/** Polls `check` until it returns true or `ms` pass; resolves with the elapsed time. */
export async function within(ms: number, check: () => boolean, what = 'condition'): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (check()) return Date.now() - t0;
    if (Date.now() - t0 > ms) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A private ovsdb-server on a fresh Open_vSwitch database in a temporary directory, listening on a unix
 * socket and, when given a TCP port, on a Manager remote with a 1 s inactivity probe (so the server sends
 * echo requests). Stopped, paused and resumed by its pid only.
 */
export class PrivateOvsdb {
  readonly dir = mkdtempSync(join(tmpdir(), 'vigil-ovsdb-'));
  readonly db = join(this.dir, 'conf.db');
  readonly sock = join(this.dir, 'db.sock');
  readonly ctl = join(this.dir, 'ovsdb-server.ctl');
  private proc: ChildProcess | undefined;

  constructor(readonly tcpPort?: number) {
    run('ovsdb-tool', ['create', this.db, VSWITCH_SCHEMA_FILE]);
    const ops: unknown[] = [{ op: 'insert', table: 'Open_vSwitch', row: {}, 'uuid-name': 'ovs' }];
    if (tcpPort !== undefined) {
      ops.push(
        { op: 'insert', table: 'Manager', row: { target: `ptcp:${tcpPort}:127.0.0.1`, inactivity_probe: 1000 }, 'uuid-name': 'mgr' },
        { op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['manager_options', 'insert', ['set', [['named-uuid', 'mgr']]]]] },
      );
    }
    run('ovsdb-tool', ['transact', this.db, JSON.stringify(['Open_vSwitch', ...ops])]);
  }

  get remote(): string {
    return `unix:${this.sock}`;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Starts the server and waits until its unix socket answers. */
  async start(): Promise<void> {
    if (this.running) return;
    const args = [this.db, `--remote=punix:${this.sock}`, `--unixctl=${this.ctl}`, '--no-chdir', `--log-file=${join(this.dir, 'ovsdb-server.log')}`];
    if (this.tcpPort !== undefined) args.push('--remote=db:Open_vSwitch,Open_vSwitch,manager_options');
    this.proc = spawn('ovsdb-server', args, { stdio: 'ignore' });
    const t0 = Date.now();
    for (;;) {
      const r = spawnSync('ovsdb-client', ['--timeout=1', 'list-dbs', this.remote], { encoding: 'utf8' });
      if (r.status === 0) return;
      if (!this.running) throw new Error('private ovsdb-server exited at start');
      if (Date.now() - t0 > 10_000) throw new Error('private ovsdb-server did not come up');
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  /** Stops the server (SIGKILL by default: a crash, the client sees the connection drop). */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    if (p.signalCode === null) process.kill(p.pid!, 'SIGCONT');
    process.kill(p.pid!, signal);
    await exited;
  }

  pause(): void {
    if (this.running) process.kill(this.proc!.pid!, 'SIGSTOP');
  }

  resume(): void {
    if (this.running) process.kill(this.proc!.pid!, 'SIGCONT');
  }

  /** ovsdb-tool transact on the database file (only while the server is stopped). */
  offlineTransact(ops: unknown[]): unknown {
    if (this.running) throw new Error('offline transaction while the server runs');
    return JSON.parse(run('ovsdb-tool', ['transact', this.db, JSON.stringify(['Open_vSwitch', ...ops])]));
  }

  /** ovsdb-client transact against the running server (the oracle writes). */
  transact(ops: unknown[]): unknown {
    return JSON.parse(run('ovsdb-client', ['transact', this.remote, JSON.stringify(['Open_vSwitch', ...ops])]));
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
