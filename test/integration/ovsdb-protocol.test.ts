/**
 * OVSDB session protocol edge cases over a real unix socket with a scripted peer (what a real ovsdb-server
 * will not do on demand): malformed JSON, an oversized message, junk between messages and an inconsistent
 * update each counted and answered by a reset, a reconnect and a resynchronised replica; the server's echo
 * and unknown requests answered; request timeouts, late and unmatched replies; a silent peer declared dead;
 * reconnect backoff timed exactly on a manual clock; fallback when monitor_cond_since is unknown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, timeout } from 'rxjs';
import { JsonRpcFramer } from '../../src/codec/ovsdb/framer.js';
import type { JsonValue } from '../../src/codec/ovsdb/jsonrpc.js';
import { Registry } from '../../src/observability/metrics.js';
import { OvsdbClient, type OvsdbClientOptions } from '../../src/southbound/ovsdb/client.js';
import { ManualClock } from '../../src/southbound/ovsdb/clock.js';
import { OvsdbNotSupportedError, OvsdbRequestTimeoutError } from '../../src/southbound/ovsdb/errors.js';
import type { RowChange } from '../../src/southbound/ovsdb/replica.js';
import { within } from './ovsdb-support.js';

const SCHEMA = {
  name: 'D',
  version: '1.0.0',
  tables: { T: { columns: { name: { type: 'string' }, tags: { type: { key: 'string', min: 0, max: 'unlimited' } } } } },
};
const U1 = '11111111-1111-1111-1111-111111111111';
const U2 = '22222222-2222-2222-2222-222222222222';

interface Req {
  method: string;
  params: JsonValue[];
  id: JsonValue;
}

/** One connection of the scripted server. */
class PeerConn {
  readonly received: Req[] = [];
  private readonly framer = new JsonRpcFramer();
  private waiters: { method: string; resolve: (r: Req) => void }[] = [];

  constructor(
    readonly socket: Socket,
    private readonly auto: (conn: PeerConn, r: Req) => boolean,
  ) {
    socket.on('data', (chunk) => {
      for (const m of this.framer.push(chunk) as Req[]) {
        if (!('method' in m)) continue; // replies to our requests
        this.received.push(m);
        const w = this.waiters.find((x) => x.method === m.method);
        if (w) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(m);
        } else this.auto(this, m);
      }
    });
    socket.on('error', () => undefined);
  }

  /** The next request with this method (not auto-answered). */
  next(method: string): Promise<Req> {
    const seen = this.received.find((r) => r.method === method && !this.taken.has(r));
    if (seen) {
      this.taken.add(seen);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.waiters.push({ method, resolve: (r) => (this.taken.add(r), resolve(r)) }));
  }
  private readonly taken = new Set<Req>();

  send(o: unknown): void {
    this.socket.write(JSON.stringify(o));
  }

  reply(r: Req, result: unknown, error: unknown = null): void {
    this.send({ id: r.id, result, error });
  }

  raw(text: string): void {
    this.socket.write(text);
  }
}

/** A scripted OVSDB server on a unix socket: answers list_dbs/get_schema/echo unless told otherwise. */
class ScriptedOvsdb {
  readonly dir = mkdtempSync(join(tmpdir(), 'vigil-ovsdb-peer-'));
  readonly path = join(this.dir, 'peer.sock');
  readonly conns: PeerConn[] = [];
  private server: Server | undefined;
  private connWaiters: ((c: PeerConn) => void)[] = [];
  /** Methods answered automatically; return false to leave a request unanswered. */
  handlers: Record<string, (c: PeerConn, r: Req) => void> = {
    list_dbs: (c, r) => c.reply(r, ['D']),
    get_schema: (c, r) => c.reply(r, SCHEMA),
    echo: (c, r) => c.reply(r, r.params),
  };

  get remote(): string {
    return `unix:${this.path}`;
  }

  listen(): Promise<void> {
    this.server = createServer((s) => {
      const c = new PeerConn(s, (conn, r) => {
        const h = this.handlers[r.method];
        if (!h) return false;
        h(conn, r);
        return true;
      });
      this.conns.push(c);
      this.connWaiters.splice(0).forEach((w) => w(c));
    });
    return new Promise((r) => this.server!.listen(this.path, r));
  }

  /** The next connection (or the latest if one arrived since `after`). */
  nextConn(after = this.conns.length): Promise<PeerConn> {
    if (this.conns.length > after) return Promise.resolve(this.conns[after]!);
    return new Promise((r) => this.connWaiters.push(r));
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.socket.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const fast = { initialMs: 20, maxMs: 100, multiplier: 2, jitter: 0 };

describe('OVSDB session protocol (scripted peer)', () => {
  let peer: ScriptedOvsdb;
  let client: OvsdbClient;
  let metrics: Registry;

  async function start(opts: Partial<OvsdbClientOptions> = {}): Promise<PeerConn> {
    metrics = new Registry();
    client = new OvsdbClient({ remote: peer.remote, metrics, reconnect: fast, echoIntervalMs: 0, deadAfterMs: 0, requestTimeoutMs: 2000, ...opts });
    const conn = peer.nextConn();
    await client.connect();
    return conn;
  }

  /** Starts a monitor_cond the peer answers with the given rows; returns the monitor. */
  async function monitorWith(conn: PeerConn, rows: Record<string, { name: string }>) {
    const p = client.monitorCond('D', { T: { columns: ['name', 'tags'] } });
    const req = await conn.next('monitor_cond');
    conn.reply(req, { T: Object.fromEntries(Object.entries(rows).map(([u, r]) => [u, { initial: r }])) });
    return p;
  }

  beforeEach(async () => {
    peer = new ScriptedOvsdb();
    await peer.listen();
  });

  afterEach(async () => {
    await client?.close();
    await peer.close();
  });

  it.each([
    ['malformed JSON', '{"id":null,"method":update2,"params":[]}', 'json-syntax'],
    ['mismatched brackets (detected before the message ends)', '{"id":null,"method":"update2","params":[}', 'json-syntax'],
    ['junk between messages', 'hello', 'bad-top-level'],
    ['a message that is not JSON-RPC', '{"foo":1}', 'bad-message'],
    ['an inconsistent update2 (modify of an unknown row)', JSON.stringify({ id: null, method: 'update2', params: ['vigil-1', { T: { [U2]: { modify: { name: 'x' } } } }] }), 'bad-update'],
    ['an update2 with a value of the wrong type', JSON.stringify({ id: null, method: 'update2', params: ['vigil-1', { T: { [U1]: { modify: { name: 5 } } } }] }), 'bad-update'],
  ])('counts %s, resets, reconnects and resynchronises the replica', async (_what, text, reason) => {
    const c1 = await start();
    const mon = await monitorWith(c1, { [U1]: { name: 'a' } });
    const changes: RowChange[] = [];
    mon.replica.changes$.subscribe((c) => changes.push(c));
    const next = peer.nextConn();
    c1.raw(text);
    const c2 = await next;
    // The monitor is re-established on the new connection with the same id and request.
    const again = await c2.next('monitor_cond');
    expect(again.params[1]).toBe(mon.id);
    expect(again.params[2]).toEqual({ T: [{ columns: ['name', 'tags'] }] });
    c2.reply(again, { T: { [U1]: { initial: { name: 'a2' } }, [U2]: { initial: { name: 'b', tags: ['set', ['x', 'y']] } } } });
    await firstValueFrom(client.connected$.pipe(timeout(3000)));
    expect(metrics.counter('vigil_ovsdb_malformed_total', '').get({ reason })).toBe(1);
    expect(changes.map((c) => `${c.kind}:${c.uuid.slice(0, 1)}`).sort()).toEqual(['insert:2', 'modify:1']);
    expect(mon.replica.get('T', U2)).toMatchObject({ name: 'b' });
    expect(c1.socket.destroyed || c1.socket.readableEnded).toBe(true);
  });

  it('refuses a message over the size limit before buffering it, and recovers', async () => {
    const c1 = await start({ maxMessageBytes: 1024 });
    const next = peer.nextConn();
    c1.raw(`{"id":null,"method":"x","params":["${'a'.repeat(2000)}"]}`);
    await next;
    await firstValueFrom(client.connected$.pipe(timeout(3000)));
    expect(metrics.counter('vigil_ovsdb_malformed_total', '').get({ reason: 'too-large' })).toBe(1);
    expect(await client.listDbs()).toEqual(['D']);
  });

  it("answers the server's echo with its params and refuses other server requests", async () => {
    const c = await start();
    const replies = new JsonRpcFramer();
    const got: unknown[] = [];
    c.socket.on('data', (d) => got.push(...replies.push(d)));
    c.send({ method: 'echo', params: ['ping', 7], id: 'echo' });
    c.send({ method: 'frobnicate', params: [], id: 42 });
    await within(2000, () => got.length >= 2, 'two replies');
    expect(got).toEqual([
      { id: 'echo', result: ['ping', 7], error: null },
      { id: 42, result: null, error: 'unknown method' },
    ]);
    expect(client.connection!.stats.echoesAnswered).toBe(1);
    expect(client.isConnected).toBe(true);
  });

  it('times requests out, drops their late replies quietly and counts unmatched replies', async () => {
    const c = await start({ requestTimeoutMs: 100 });
    peer.handlers.list_dbs = () => undefined; // never answered in time
    await expect(client.listDbs()).rejects.toThrow(OvsdbRequestTimeoutError);
    const late = c.received.filter((r) => r.method === 'list_dbs').at(-1)!;
    c.reply(late, ['D']); // late
    c.send({ id: 999, result: [], error: null }); // answers nothing
    await within(1000, () => metrics.counter('vigil_ovsdb_unmatched_replies_total', '').total() === 1, 'unmatched reply counted');
    expect(metrics.counter('vigil_ovsdb_request_timeouts_total', '').get({ method: 'list_dbs' })).toBe(1);
    expect(client.isConnected).toBe(true);
    expect(await client.echo()).toEqual([]);
  });

  it('counts updates for no active monitor without resetting', async () => {
    const c = await start();
    c.send({ id: null, method: 'update2', params: ['not-ours', { T: {} }] });
    c.send({ id: null, method: 'locked', params: ['some_lock'] });
    await within(1000, () => metrics.counter('vigil_ovsdb_stray_updates_total', '').total() === 1, 'stray update counted');
    expect(client.isConnected).toBe(true);
    expect(metrics.counter('vigil_ovsdb_malformed_total', '').total()).toBe(0);
  });

  it('sends keepalive echoes after silence and declares a silent peer dead (manual clock)', async () => {
    const clock = new ManualClock(0);
    peer.handlers.echo = () => undefined; // the peer has hung
    const c1 = await start({ clock, echoIntervalMs: 200, deadAfterMs: 600, requestTimeoutMs: 0 });
    const conn = client.connection!;
    clock.advance(150);
    expect(c1.received.filter((r) => r.method === 'echo')).toHaveLength(0);
    clock.advance(100); // 250 ms of silence: one echo
    await within(1000, () => c1.received.some((r) => r.method === 'echo'), 'keepalive echo');
    expect(conn.stats.echoesSent).toBe(1);
    clock.advance(300); // 550 ms: still alive, no second echo while one is outstanding
    expect(conn.isOpen).toBe(true);
    expect(conn.stats.echoesSent).toBe(1);
    const next = peer.nextConn();
    clock.advance(100); // 650 ms: dead
    expect(conn.isOpen).toBe(false);
    expect(conn.reason).toMatch(/dead peer/);
    expect(metrics.counter('vigil_ovsdb_dead_peer_total', '').total()).toBe(1);
    await within(1000, () => client.state === 'backoff', 'backing off');
    clock.advance(fast.initialMs); // then a new connection
    await next;
  });

  it('retries at exactly the backoff delays on the injected clock', async () => {
    const clock = new ManualClock(0);
    const down = new ScriptedOvsdb(); // never listening: ENOENT
    metrics = new Registry();
    client = new OvsdbClient({ remote: down.remote, clock, metrics, reconnect: { initialMs: 100, maxMs: 400, multiplier: 2, jitter: 0 }, echoIntervalMs: 0, deadAfterMs: 0 });
    const connected = client.connect();
    const failures = (): number => metrics.counter('vigil_ovsdb_connect_failures_total', '').total();
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 30));
    await within(1000, () => failures() === 1, 'first attempt');
    const schedule: [number, number][] = [
      [100, 2],
      [200, 3],
      [400, 4],
      [400, 5], // capped
    ];
    for (const [delay, n] of schedule) {
      clock.advance(delay - 1);
      await settle();
      expect(failures()).toBe(n - 1);
      clock.advance(1);
      await within(1000, () => failures() === n, `attempt ${n}`);
    }
    // The server appears: the next attempt (after the capped delay) connects.
    await down.listen();
    clock.advance(400);
    await connected;
    expect(client.isConnected).toBe(true);
    await client.close();
    await down.close();
  });

  it('falls back to monitor_cond when the server does not know monitor_cond_since', async () => {
    const c = await start();
    peer.handlers.monitor_cond_since = (conn, r) => conn.reply(r, null, 'unknown method');
    await expect(client.monitorCondSince('D', { T: {} })).rejects.toThrow(OvsdbNotSupportedError);
    const p = client.watch('D', { T: { columns: ['name'] } });
    const req = await c.next('monitor_cond');
    c.reply(req, { T: { [U1]: { initial: { name: 'a' } } } });
    const mon = await p;
    expect(mon.method).toBe('monitor_cond');
    expect(mon.replica.get('T', U1)).toEqual({ _uuid: expect.anything(), name: 'a' });
  });

  it('drops a monitor the server refuses to re-establish, and keeps the others', async () => {
    const c1 = await start();
    const refused = await monitorWith(c1, { [U1]: { name: 'a' } });
    const kept = await monitorWith(c1, { [U1]: { name: 'a' } });
    let completed = false;
    refused.replica.changes$.subscribe({ complete: () => (completed = true) });
    const next = peer.nextConn();
    c1.socket.destroy();
    const c2 = await next;
    const r1 = await c2.next('monitor_cond');
    c2.reply(r1, null, { error: 'syntax error', details: 'no table named T' });
    const r2 = await c2.next('monitor_cond');
    expect(r2.params[1]).toBe(kept.id);
    c2.reply(r2, { T: { [U1]: { initial: { name: 'b' } } } });
    await firstValueFrom(client.connected$.pipe(timeout(3000)));
    expect(completed).toBe(true);
    expect(refused.isCanceled).toBe(true);
    expect(kept.replica.get('T', U1)).toMatchObject({ name: 'b' });
    expect(metrics.counter('vigil_ovsdb_monitors_dropped_total', '').total()).toBe(1);
  });

  it('makes requests wait for the connection, up to their timeout', async () => {
    const c1 = await start({ reconnect: { initialMs: 300, maxMs: 300, multiplier: 1, jitter: 0 } });
    c1.socket.destroy();
    await within(1000, () => !client.isConnected, 'disconnected');
    const waited = client.listDbs();
    await expect(client.request('list_dbs', [], { timeoutMs: 50 })).rejects.toThrow(OvsdbRequestTimeoutError);
    expect(await waited).toEqual(['D']); // sent once reconnected
  });
});
