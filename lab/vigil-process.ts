/**
 * Vigil as a real OS process (`node dist/cli/main.js run`), for lab tests that kill and restart it.
 * Its JSON log lines (stderr) are parsed so tests can wait for events such as "pipeline reconciled".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './fabric-client.js';

export interface LogLine {
  level: string;
  msg: string;
  [k: string]: unknown;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class VigilProcess {
  readonly logs: LogLine[] = [];
  private waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    const rl = createInterface({ input: child.stderr! });
    rl.on('line', (line) => {
      let l: LogLine;
      try {
        l = JSON.parse(line) as LogLine;
      } catch {
        l = { level: 'raw', msg: line };
      }
      this.logs.push(l);
      if (process.env.VIGIL_LAB_VERBOSE === '1') process.stderr.write(`[vigil ${child.pid}] ${line}\n`);
      const due = this.waiters.filter((w) => w.pred(l));
      this.waiters = this.waiters.filter((w) => !due.includes(w));
      for (const w of due) w.resolve(l); // may register new waiters
    });
    child.stdout?.resume();
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(env: Record<string, string>): VigilProcess {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'run'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new VigilProcess(child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The `count` distinct log lines (from now on, or already seen if `past`) that satisfy `pred`. */
  waitFor(pred: (l: LogLine) => boolean, count = 1, ms = 30_000, past = false): Promise<LogLine[]> {
    const got: LogLine[] = past ? this.logs.filter(pred).slice(0, count) : [];
    if (got.length >= count) return Promise.resolve(got);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vigil: ${got.length}/${count} matching log line(s) within ${ms} ms; last logs:\n${this.logs.slice(-10).map((x) => JSON.stringify(x)).join('\n')}`)), ms);
      const add = (l: LogLine): void => {
        got.push(l);
        if (got.length >= count) {
          clearTimeout(timer);
          resolve(got);
        } else this.waiters.push({ pred, resolve: add });
      };
      this.waiters.push({ pred, resolve: add });
    });
  }

  /** Sends a signal to this process only (by pid) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(this.pid, signal);
      } catch {
        /* already gone */
      }
    }
    return this.exited;
  }
}
