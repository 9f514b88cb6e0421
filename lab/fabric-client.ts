/**
 * Lab helpers: the Mininet fabric (mininet/fabric.py --driver) driven over JSON lines, Open vSwitch
 * daemons through lab/ovs, and the ovs-ofctl oracle.
 *
 *   const fabric = await startFabric({ controllerPort: 6653, waitConnected: true });
 *   try { await fabric.pingAll(); } finally { await fabric.stop(); }
 *
 * or `await withFabric(async (f) => { ... }, opts)`, which always stops the fabric.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The checkout this file belongs to (works from lab/ under ts-jest and from dist-bench/lab/ compiled). */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'mininet', 'fabric.py')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the Vigil checkout above ${from}`);
  }
}
export const FABRIC_SCRIPT = join(REPO_ROOT, 'mininet', 'fabric.py');
export const LAB_OVS = join(REPO_ROOT, 'lab', 'ovs');
/** Mininet is installed for Debian's interpreter only. */
export const LAB_PYTHON = '/usr/bin/python3';

// ------------------------------------------------------------------------------------------------
// topology as the driver reports it

export interface FabricPortRef {
  switch: string;
  /** OpenFlow port number (ofport as OVS assigned it). */
  port: number;
  intf: string;
}

export interface FabricSwitch {
  name: string;
  /** 16 hex digits. */
  dpid: string;
  dpidInt: number;
  rstpPriority: number;
  failMode: 'secure' | 'standalone';
  protocols: string;
  ports: { port: number; intf: string; peer: { node: string; intf: string } | null }[];
}

export interface FabricLink {
  a: FabricPortRef;
  b: FabricPortRef;
}

export interface FabricHost {
  name: string;
  role: 'client' | 'server' | 'attacker' | 'ids' | 'honeypot';
  ip: string;
  mac: string;
  intf: string;
  switch: string;
  port: number;
  switchIntf: string;
  /** pid of the host's shell (its network namespace). */
  pid: number;
}

export interface FabricDump {
  switches: FabricSwitch[];
  /** Switch-to-switch links only (hosts carry their own attachment). */
  links: FabricLink[];
  hosts: FabricHost[];
  controller: { ip: string; port: number } | null;
}

export interface FabricReady extends FabricDump {
  ready: true;
  pid: number;
  startupSeconds: number;
  /** Switches not connected to the controller when waitConnected ran out. */
  notConnected: string[];
}

export interface CmdResult {
  output: string;
  exitCode: number | null;
  timedOut: boolean;
}

export interface PopenHandle {
  handle: number;
  pid: number;
}

export interface WaitResult {
  exited: boolean;
  exitCode: number | null;
  output: string;
}

export interface PingAllResult {
  lossPercent: number;
  raw: string;
  sent: number;
  received: number;
  /** results[src][dst] is true when src reached dst. */
  results: Record<string, Record<string, boolean>>;
}

export interface RstpPort {
  intf: string;
  /** OpenFlow port number (RSTP numbers ports on its own; this is the ofport). */
  port: number | null;
  role: 'Root' | 'Designated' | 'Alternate' | 'Backup' | 'Disabled' | string;
  state: 'Forwarding' | 'Discarding' | 'Learning' | 'Disabled' | string;
  cost: number | string;
}

export interface RstpSwitch {
  enabled: boolean;
  isRoot: boolean;
  rootPort: string | null;
  ports: RstpPort[];
}

export type RstpState = Record<string, RstpSwitch>;

export interface OvsResult {
  output: string;
  stderr: string;
  exitCode: number;
  argv: string[];
}

export interface FabricOptions {
  /** Where the switches look for the controller (default: env VIGIL_OPENFLOW_PORT or 6653). */
  controllerPort?: number;
  controllerIp?: string;
  /** false: configure no controller at all (fastest standalone start). Default true. */
  controller?: boolean;
  /** 'secure' (default: no forwarding without the controller's flows) or 'standalone' (OVS learning switch). */
  failMode?: 'secure' | 'standalone';
  /** OpenFlow versions the bridges speak (default 'OpenFlow13,OpenFlow15'). */
  protocols?: string;
  /** Wait for every switch to connect to the controller: true = up to 30 s, or a number of seconds. */
  waitConnected?: boolean | number;
  /** Fail the start if waitConnected runs out (default: start anyway, see FabricReady.notConnected). */
  requireConnected?: boolean;
  /** Default true. Without RSTP the triangle is a forwarding loop. */
  rstp?: boolean;
  /** Start-up limit in ms (default 60 000). */
  timeoutMs?: number;
  /** Mininet's info log on stderr. */
  verbose?: boolean;
  /** Each stderr line of the driver (default: kept for error messages; printed if VIGIL_LAB_VERBOSE=1). */
  onStderr?: (line: string) => void;
}

interface DriverReply {
  id: number | null;
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

interface Pending {
  resolve: (r: DriverReply) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // The driver also stops on stdin EOF; SIGTERM (by pid) makes that immediate if Node exits abruptly.
  process.on('exit', () => {
    for (const child of live) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
      }
    }
  });
}

export class Fabric {
  readonly topology: FabricReady;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private readonly stderrTail: string[];
  private nextId = 1;
  private exited = false;
  private readonly exitPromise: Promise<void>;
  private stopping: Promise<void> | null = null;
  private stoppedCleanly = false;

  /** @internal use startFabric() */
  constructor(child: ChildProcess, ready: FabricReady, lines: AsyncIterator<string>, stderrTail: string[], exitPromise: Promise<void>) {
    this.child = child;
    this.topology = ready;
    this.stderrTail = stderrTail;
    this.exitPromise = exitPromise.then(() => {
      this.exited = true;
      const err = new Error(`fabric driver exited${this.describeTail()}`);
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(err);
      }
      this.pending.clear();
    });
    void this.pump(lines);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hosts(): FabricHost[] {
    return this.topology.hosts;
  }

  host(name: string): FabricHost {
    const h = this.topology.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no host ${name} in the fabric`);
    return h;
  }

  private describeTail(): string {
    const tail = this.stderrTail.slice(-15).join('\n');
    return tail ? `; driver stderr:\n${tail}` : '';
  }

  private async pump(lines: AsyncIterator<string>): Promise<void> {
    for (;;) {
      let next: IteratorResult<string>;
      try {
        next = await lines.next();
      } catch {
        return;
      }
      if (next.done) return;
      let msg: DriverReply;
      try {
        msg = JSON.parse(next.value) as DriverReply;
      } catch {
        this.stderrTail.push(`(stdout) ${next.value}`);
        continue;
      }
      if ((msg as { stopped?: unknown }).stopped === true) this.stoppedCleanly = true;
      if (typeof msg.id !== 'number') continue;
      const p = this.pending.get(msg.id);
      if (!p) continue;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      p.resolve(msg);
    }
  }

  /** Sends one request; rejects on {ok:false}, on timeout, or if the driver exits. */
  async request(op: string, params: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<DriverReply> {
    if (this.exited || this.stopping) throw new Error(`fabric is ${this.exited ? 'gone' : 'stopping'}: cannot ${op}`);
    const id = this.nextId++;
    const reply = await new Promise<DriverReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`fabric ${op} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.child.stdin!.write(JSON.stringify({ ...params, id, op }) + '\n');
    });
    if (!reply.ok) throw new Error(`fabric ${op} failed: ${reply.error ?? 'unknown error'}`);
    return reply;
  }

  /** Runs a shell command in a host and waits for it (killed after timeoutMs, default 30 s). */
  async cmd(host: string, cmd: string, timeoutMs = 30_000): Promise<CmdResult> {
    const r = await this.request('cmd', { host, cmd, timeoutMs }, timeoutMs + 15_000);
    return { output: String(r.output ?? ''), exitCode: (r.exitCode as number | null) ?? null, timedOut: Boolean(r.timedOut) };
  }

  /** Like cmd() but throws unless the command exits 0; returns its output. */
  async sh(host: string, cmd: string, timeoutMs = 30_000): Promise<string> {
    const r = await this.cmd(host, cmd, timeoutMs);
    if (r.exitCode !== 0) {
      throw new Error(`${host}$ ${cmd} -> ${r.timedOut ? 'timed out' : `exit ${r.exitCode}`}\n${r.output}`);
    }
    return r.output;
  }

  /** Starts a background process in a host (its own process group); end it with kill() or wait(). */
  async popen(host: string, cmd: string): Promise<PopenHandle> {
    const r = await this.request('popen', { host, cmd });
    return { handle: r.handle as number, pid: r.pid as number };
  }

  /** Signals the process group popen() started (TERM by default, KILL after 5 s) and returns its output. */
  async kill(handle: number | PopenHandle, signal: 'TERM' | 'INT' | 'KILL' | 'HUP' | 'USR1' | 'USR2' = 'TERM'): Promise<{ exitCode: number | null; output: string }> {
    const h = typeof handle === 'number' ? handle : handle.handle;
    const r = await this.request('kill', { handle: h, signal }, 30_000);
    return { exitCode: (r.exitCode as number | null) ?? null, output: String(r.output ?? '') };
  }

  /** Waits up to timeoutMs for a popen()ed process; exited=false if it still runs (the handle stays valid). */
  async wait(handle: number | PopenHandle, timeoutMs = 30_000): Promise<WaitResult> {
    const h = typeof handle === 'number' ? handle : handle.handle;
    const r = await this.request('wait', { handle: h, timeoutMs }, timeoutMs + 15_000);
    return { exited: Boolean(r.exited), exitCode: (r.exitCode as number | null) ?? null, output: String(r.output ?? '') };
  }

  /** Every host pings every other host once (per-ping wait perPingTimeoutMs, default 1 s). */
  async pingAll(perPingTimeoutMs = 1000): Promise<PingAllResult> {
    const r = await this.request('pingall', { timeoutMs: perPingTimeoutMs }, 120_000);
    return {
      lossPercent: r.lossPercent as number,
      raw: String(r.raw ?? ''),
      sent: r.sent as number,
      received: r.received as number,
      results: r.results as Record<string, Record<string, boolean>>,
    };
  }

  /** Polls pingAll() until it reports 0 % loss or withinMs passes; returns the last result and the time taken. */
  async waitForFullReachability(withinMs = 20_000): Promise<PingAllResult & { elapsedMs: number; attempts: number }> {
    const t0 = Date.now();
    let attempts = 0;
    for (;;) {
      const r = await this.pingAll();
      attempts++;
      const elapsedMs = Date.now() - t0;
      if (r.lossPercent === 0 || elapsedMs >= withinMs) return { ...r, elapsedMs, attempts };
      await new Promise((res) => setTimeout(res, 250));
    }
  }

  /** RSTP roles and states of every port as OVS reports them (ovs-appctl rstp/show). */
  async rstp(): Promise<RstpState> {
    const r = await this.request('rstp');
    return r.switches as RstpState;
  }

  /**
   * Polls rstp() until the fabric is settled: every port Forwarding except trunk ports in an Alternate or
   * Backup role (Discarding), and exactly one such port (the triangle has one redundant link). Resolves with
   * the blocked ports and the time taken; rejects after withinMs with the last state.
   */
  async waitForRstp(withinMs = 40_000): Promise<{ blocked: string[]; elapsedMs: number; state: RstpState }> {
    const t0 = Date.now();
    for (;;) {
      const state = await this.rstp();
      const blocked: string[] = [];
      let unsettled = 0;
      for (const sw of Object.values(state)) {
        for (const p of sw.ports) {
          if (p.role === 'Alternate' || p.role === 'Backup') blocked.push(p.intf);
          else if (p.state !== 'Forwarding') unsettled++;
        }
      }
      const elapsedMs = Date.now() - t0;
      if (unsettled === 0 && blocked.length === 1) return { blocked, elapsedMs, state };
      if (elapsedMs >= withinMs) {
        throw new Error(`RSTP did not settle within ${withinMs} ms: ${JSON.stringify(state)}`);
      }
      await new Promise((res) => setTimeout(res, 500));
    }
  }

  /** The topology as Mininet knows it, with ofport numbers read back from OVS. */
  async dump(): Promise<FabricDump> {
    const r = await this.request('dump');
    return { switches: r.switches as FabricSwitch[], links: r.links as FabricLink[], hosts: r.hosts as FabricHost[], controller: r.controller as FabricDump['controller'] };
  }

  /** Brings both ends of every link between nodes a and b up or down. */
  async link(a: string, b: string, state: 'up' | 'down'): Promise<void> {
    await this.request('link', { a, b, state });
  }

  /**
   * Moves a host's link to another switch (at `port`, default the switch's next free port): its switch-side
   * veth leaves one bridge and joins the other; the host keeps its MAC and IP and sees no link change.
   * dump() shows the new attachment afterwards.
   */
  async move(host: string, sw: string, port?: number): Promise<{ host: string; from: FabricPortRef; to: FabricPortRef }> {
    const r = await this.request('move', { host, switch: sw, ...(port !== undefined ? { port } : {}) });
    return { host: String(r.host), from: r.from as FabricPortRef, to: r.to as FabricPortRef };
  }

  /**
   * Runs an OVS tool against one of the fabric's switches. ofctl/appctl: the switch goes after the first
   * arg (`['dump-flows']` -> `ovs-ofctl -O OpenFlow13 dump-flows s1`); vsctl: args as given. A literal
   * '{switch}' arg is replaced by the switch name (and then nothing is inserted).
   */
  async ovs(sw: string, args: string[], opts: { tool?: 'ofctl' | 'vsctl' | 'appctl'; protocols?: string } = {}): Promise<OvsResult> {
    const r = await this.request('ovs', { switch: sw, args, ...opts });
    return { output: String(r.output ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode as number, argv: r.argv as string[] };
  }

  /** Stops the net (Mininet cleanup included); always resolves. Kills the driver by pid if it hangs. */
  stop(): Promise<void> {
    if (!this.stopping) this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    await this.stopDriver();
    // A driver that died (killed, crashed) leaves bridges and veths: reconcile them now, not at the next start.
    if (!this.stoppedCleanly) await cleanupFabric();
  }

  private async stopDriver(): Promise<void> {
    const exitedWithin = (ms: number): Promise<boolean> =>
      Promise.race([this.exitPromise.then(() => true), new Promise<boolean>((res) => setTimeout(() => res(false), ms).unref())]);
    if (!this.exited) {
      try {
        this.child.stdin!.write(JSON.stringify({ id: 0, op: 'stop' }) + '\n');
        this.child.stdin!.end();
      } catch {
        /* stdin closed: the driver treats EOF as stop */
      }
      if (await exitedWithin(45_000)) return;
      signalPid(this.child, 'SIGTERM');
      if (await exitedWithin(20_000)) return;
      signalPid(this.child, 'SIGKILL');
      await exitedWithin(5_000);
    }
  }
}

function signalPid(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, sig);
  } catch {
    /* already gone */
  }
}

function fabricArgs(opts: FabricOptions): string[] {
  const args = [FABRIC_SCRIPT, '--driver'];
  if (opts.controller === false) args.push('--controller', 'none');
  if (opts.controllerIp) args.push('--controller-ip', opts.controllerIp);
  if (opts.controllerPort !== undefined) args.push('--controller-port', String(opts.controllerPort));
  if (opts.failMode) args.push('--fail-mode', opts.failMode);
  if (opts.protocols) args.push('--protocols', opts.protocols);
  if (opts.waitConnected) args.push('--wait-connected', String(opts.waitConnected === true ? 30 : opts.waitConnected));
  if (opts.requireConnected) args.push('--require-connected');
  if (opts.rstp === false) args.push('--no-rstp');
  if (opts.verbose) args.push('--verbose');
  return args;
}

/** Starts the fabric and resolves once it is up (rejects with the driver's reason otherwise). */
export async function startFabric(opts: FabricOptions = {}): Promise<Fabric> {
  installExitHook();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const child = spawn(LAB_PYTHON, fabricArgs(opts), { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
  live.add(child);
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      resolve();
    });
    child.once('error', () => {
      live.delete(child);
      resolve();
    });
  });
  child.stdin!.on('error', () => {
    /* EPIPE when the driver is gone: surfaced through exit */
  });
  const stderrTail: string[] = [];
  const verbose = process.env.VIGIL_LAB_VERBOSE === '1';
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 200) stderrTail.shift();
    if (opts.onStderr) opts.onStderr(line);
    else if (verbose) process.stderr.write(`[fabric] ${line}\n`);
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();

  const tail = (): string => (stderrTail.length ? `\n${stderrTail.slice(-20).join('\n')}` : '');
  const killAndWait = async (): Promise<void> => {
    signalPid(child, 'SIGTERM');
    const done = await Promise.race([exitPromise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000).unref())]);
    if (!done) {
      signalPid(child, 'SIGKILL');
      await exitPromise;
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const first = await Promise.race([
    lines.next().then((r) => (r.done ? null : r.value)),
    exitPromise.then(() => null),
    new Promise<'timeout'>((res) => {
      timer = setTimeout(() => res('timeout'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (first === 'timeout') {
    await killAndWait();
    throw new Error(`fabric did not come up within ${timeoutMs} ms${tail()}`);
  }
  if (first === null) {
    await exitPromise;
    throw new Error(`fabric driver exited before it was ready (exit ${child.exitCode ?? child.signalCode})${tail()}`);
  }
  let ready: FabricReady | { ready: false; error: string };
  try {
    ready = JSON.parse(first) as FabricReady | { ready: false; error: string };
  } catch {
    await killAndWait();
    throw new Error(`fabric driver printed a non-JSON first line: ${first}${tail()}`);
  }
  if (!ready.ready) {
    child.stdin!.end();
    const done = await Promise.race([exitPromise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 45_000).unref())]);
    if (!done) await killAndWait();
    throw new Error(`fabric did not start: ${ready.error}${tail()}`);
  }
  return new Fabric(child, ready, lines, stderrTail, exitPromise);
}

/**
 * Removes what a dead fabric driver left behind (its marked bridges, its veths, processes it recorded);
 * refuses to touch anything that is not the lab's. Never throws; returns false if cleanup failed.
 */
export function cleanupFabric(timeoutMs = 60_000): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(LAB_PYTHON, [FABRIC_SCRIPT, '--cleanup'], { timeout: timeoutMs, encoding: 'utf8' }, (err, _out, stderr) => {
      if (err) process.stderr.write(`fabric cleanup failed: ${stderr || err.message}\n`);
      resolve(!err);
    });
  });
}

/** Runs fn with a started fabric and always stops it afterwards. */
export async function withFabric<T>(fn: (fabric: Fabric) => Promise<T>, opts: FabricOptions = {}): Promise<T> {
  const fabric = await startFabric(opts);
  try {
    return await fn(fabric);
  } finally {
    await fabric.stop();
  }
}

// ------------------------------------------------------------------------------------------------
// Open vSwitch daemons and tools

function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

let ovsRefs = 0;

/**
 * Makes sure ovsdb-server and ovs-vswitchd run (lab/ovs start). When the daemons are the lab's (started
 * now or by an earlier lab/ovs start) this takes one lab reference; daemons that were running before the
 * lab came are never counted. Pair every call with releaseOvs().
 */
export async function ensureOvs(): Promise<{ startedNow: boolean }> {
  const { stderr } = await run(LAB_OVS, ['start']);
  if (/lab users: \d+/.test(stderr)) ovsRefs++;
  return { startedNow: /lab\/ovs: started /.test(stderr) };
}

/**
 * Drops the reference ensureOvs() took (lab/ovs stop): the daemons stop only when the lab started them
 * and no other lab user (another test run, lab/test, a developer's lab/ovs start) still holds them.
 * VIGIL_LAB_KEEP_OVS=1 keeps the reference (OVS stays up).
 */
export async function releaseOvs(): Promise<void> {
  if (ovsRefs === 0 || process.env.VIGIL_LAB_KEEP_OVS === '1') return;
  ovsRefs--;
  await run(LAB_OVS, ['stop']);
}

/** True when this machine can run the lab (Debian's python with Mininet, OVS tools, root). */
export function labAvailable(): { ok: boolean; reason?: string } {
  if (process.getuid && process.getuid() !== 0) return { ok: false, reason: 'the lab needs root' };
  if (!existsSync(LAB_PYTHON)) return { ok: false, reason: `${LAB_PYTHON} is missing` };
  if (!existsSync('/usr/lib/python3/dist-packages/mininet')) return { ok: false, reason: 'Mininet is not installed (lab/install)' };
  if (!existsSync('/usr/bin/ovs-vsctl')) return { ok: false, reason: 'Open vSwitch is not installed (lab/install)' };
  return { ok: true };
}

/**
 * `ovs-ofctl` against a bridge: `ovsOfctl('s1', 'dump-flows')` runs `ovs-ofctl -O OpenFlow13 dump-flows s1`;
 * further args follow the bridge. Leading args that start with '-' are ofctl options (then '-O OpenFlow13'
 * is added only if none of them picks the protocol).
 */
export async function ovsOfctl(bridge: string, ...args: string[]): Promise<string> {
  const opts: string[] = [];
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) opts.push(args[i++]!);
  const rest = args.slice(i);
  if (rest.length === 0) throw new Error('ovsOfctl needs a command');
  if (!opts.some((o) => o === '-O' || o.startsWith('--protocols') || o.startsWith('-O'))) opts.unshift('-O', 'OpenFlow13');
  const { stdout } = await run('ovs-ofctl', [...opts, rest[0]!, bridge, ...rest.slice(1)]);
  return stdout;
}

export interface DumpedFlowEntry {
  cookie: bigint;
  table: number;
  /** 32768 (OFP_DEFAULT_PRIORITY) when ovs-ofctl omits it. */
  priority: number;
  /** The match as ovs-ofctl prints it, e.g. 'ip,nw_src=10.0.0.1' ('' for match-all). */
  match: string;
  /** The match split into fields; a bare keyword (ip, tcp, arp) maps to true. */
  matchFields: Record<string, string | true>;
  actions: string;
  n_packets: number;
  n_bytes: number;
  /** Seconds. */
  duration: number;
  idle_timeout?: number;
  hard_timeout?: number;
  /** Other flow properties ovs-ofctl printed (importance, send_flow_rem, ...). */
  flags: Record<string, string | true>;
  raw: string;
}

const FLOW_PROPS = new Set([
  'cookie', 'duration', 'table', 'n_packets', 'n_bytes', 'idle_timeout', 'hard_timeout', 'idle_age', 'hard_age',
  'importance', 'send_flow_rem', 'reset_counts', 'no_packet_counts', 'no_byte_counts', 'check_overlap', 'out_port',
  'priority',
]);

/** Parses `ovs-ofctl -O OpenFlow13 dump-flows` output (one entry per flow line). */
export function parseDumpFlows(text: string): DumpedFlowEntry[] {
  const flows: DumpedFlowEntry[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    const at = line.indexOf(' actions=');
    if (!line.startsWith('cookie=') || at < 0) continue;
    const head = line.slice(0, at);
    const actions = line.slice(at + ' actions='.length);
    const props: Record<string, string | true> = {};
    const match: string[] = [];
    const matchFields: Record<string, string | true> = {};
    for (const tok of head.split(',').map((t) => t.trim()).filter((t) => t.length > 0)) {
      const eq = tok.indexOf('=');
      const key = eq < 0 ? tok : tok.slice(0, eq);
      const value: string | true = eq < 0 ? true : tok.slice(eq + 1);
      if (FLOW_PROPS.has(key)) props[key] = value;
      else {
        match.push(tok);
        matchFields[key] = value;
      }
    }
    const num = (k: string): number | undefined => (typeof props[k] === 'string' ? Number(props[k]) : undefined);
    const flags: Record<string, string | true> = {};
    for (const [k, v] of Object.entries(props)) {
      if (!['cookie', 'duration', 'table', 'n_packets', 'n_bytes', 'idle_timeout', 'hard_timeout', 'priority'].includes(k)) flags[k] = v;
    }
    const entry: DumpedFlowEntry = {
      cookie: BigInt(typeof props.cookie === 'string' ? props.cookie : '0'),
      table: num('table') ?? 0,
      priority: num('priority') ?? 32768,
      match: match.join(','),
      matchFields,
      actions,
      n_packets: num('n_packets') ?? 0,
      n_bytes: num('n_bytes') ?? 0,
      duration: typeof props.duration === 'string' ? Number.parseFloat(props.duration) : 0,
      flags,
      raw: line,
    };
    const idle = num('idle_timeout');
    const hard = num('hard_timeout');
    if (idle !== undefined) entry.idle_timeout = idle;
    if (hard !== undefined) entry.hard_timeout = hard;
    flows.push(entry);
  }
  return flows;
}

/** The flows a bridge really holds (`ovs-ofctl -O OpenFlow13 dump-flows BRIDGE [FLOW-FILTER]`). */
export async function dumpFlows(bridge: string, filter?: string): Promise<DumpedFlowEntry[]> {
  const out = filter === undefined ? await ovsOfctl(bridge, 'dump-flows') : await ovsOfctl(bridge, 'dump-flows', filter);
  return parseDumpFlows(out);
}
