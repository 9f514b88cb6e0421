/**
 * Recovery against a private ovsdb-server (its own temporary database made with ovsdb-tool, its own unix
 * socket, started, killed, paused and resumed by pid; the system's ovsdb-server is never touched):
 *   - a crash and restart: backoff, reconnect, monitors re-established and the replica resynchronised with
 *     what changed while the server was down (as events), locks re-acquired, waiting requests completed;
 *   - a frozen server (SIGSTOP): our keepalive finds the dead peer, the client recovers after SIGCONT;
 *   - the server's own echo requests (Manager remote with a 1 s inactivity probe, over TCP) answered;
 *   - cancel: the canceled transaction is never executed.
 */
import { firstValueFrom, filter, timeout } from 'rxjs';
import { cond, op } from '../../src/codec/ovsdb/operations.js';
import { NamedUuid, OvsdbMap, Uuid } from '../../src/codec/ovsdb/value.js';
import { Registry } from '../../src/observability/metrics.js';
import { OvsdbClient, type ClientState, type LockEvent } from '../../src/southbound/ovsdb/client.js';
import { OvsdbCanceledError, OvsdbConnectionClosedError } from '../../src/southbound/ovsdb/errors.js';
import type { MonitorEstablished } from '../../src/southbound/ovsdb/monitor.js';
import type { RowChange } from '../../src/southbound/ovsdb/replica.js';
import { freePort, ovsdbDump, PrivateOvsdb, run, within } from './ovsdb-support.js';

const hasTools = ((): boolean => {
  try {
    run('ovsdb-tool', ['--version']);
    run('ovsdb-server', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
const d = hasTools ? describe : describe.skip;

const DB = 'Open_vSwitch';
const fastReconnect = { initialMs: 50, maxMs: 400, multiplier: 2, jitter: 0 };

/** Inserts a bridge referenced from the root row (ovsdb-client transact: the oracle writes). */
function addBridgeOps(name: string, extra: Record<string, unknown> = {}): unknown[] {
  return [
    { op: 'insert', table: 'Bridge', row: { name, ...extra }, 'uuid-name': 'b' },
    { op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['bridges', 'insert', ['set', [['named-uuid', 'b']]]]] },
  ];
}

function bridgeNames(srv: PrivateOvsdb): string[] {
  return ovsdbDump(srv.remote, DB, 'Bridge', ['name'])
    .map((r) => r.name as string)
    .sort();
}

d('OVSDB client recovery (private ovsdb-server)', () => {
  let srv: PrivateOvsdb;
  let client: OvsdbClient | undefined;

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await srv?.dispose();
  });

  it('reconnects after a crash, resynchronises monitors and re-acquires locks', async () => {
    srv = new PrivateOvsdb();
    await srv.start();
    const metrics = new Registry();
    client = new OvsdbClient({ remote: srv.remote, metrics, reconnect: fastReconnect, requestTimeoutMs: 5000, echoIntervalMs: 500, deadAfterMs: 2000 });
    const states: ClientState[] = [];
    client.state$.subscribe((s) => states.push(s));
    await client.connect();
    srv.transact([...addBridgeOps('keep', { external_ids: ['map', [['v', '1']]] })]);
    srv.transact([...addBridgeOps('gone')]);
    const mon = await client.monitorCond(DB, { Bridge: { columns: ['name', 'external_ids'] } });
    const since = await client.monitorCondSince(DB, { Bridge: { columns: ['name', 'external_ids'] } });
    expect([...mon.replica.rows('Bridge').values()].map((b) => b.name).sort()).toEqual(['gone', 'keep']);
    expect(await client.lock('vigil_recovery')).toBe(true);
    const locks: LockEvent[] = [];
    client.lockEvents$.subscribe((e) => locks.push(e));
    const changes: RowChange[] = [];
    mon.replica.changes$.subscribe((c) => changes.push(c));
    const established: MonitorEstablished[] = [];
    since.established$.subscribe((e) => established.push(e));

    // A wait that cannot complete is in flight when the server dies.
    const inflight = client.transact(DB, [op.wait('Bridge', [cond.eq('name', 'nope')], ['name'], '==', [{ name: 'nope' }])], { timeoutMs: 0 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await srv.stop('SIGKILL');
    expect(await inflight).toBeInstanceOf(OvsdbConnectionClosedError);
    await within(2000, () => client!.state === 'backoff' || client!.state === 'connecting', 'client noticed the loss');

    // While it is down: the database changes behind the client's back, and a request is made.
    const keepUuid = (mon.replica.find('Bridge', (b) => b.name === 'keep')!._uuid as Uuid).value;
    const goneUuid = (mon.replica.find('Bridge', (b) => b.name === 'gone')!._uuid as Uuid).value;
    srv.offlineTransact([
      { op: 'update', table: 'Bridge', where: [['name', '==', 'keep']], row: { external_ids: ['map', [['v', '2']]] } },
      { op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['bridges', 'delete', ['set', [['uuid', goneUuid]]]]] },
      ...addBridgeOps('new'),
    ]);
    const waiting = client.listDbs().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300)); // a few failed attempts (ENOENT/ECONNREFUSED)
    const reconnected = firstValueFrom(client.connected$.pipe(timeout(10_000)));
    await srv.start();
    expect(await reconnected).toEqual({ reconnect: true });
    expect(await waiting).toContain(DB);

    // The replica equals the database again, and the events say exactly what happened while down.
    expect([...mon.replica.rows('Bridge').values()].map((b) => b.name).sort()).toEqual(bridgeNames(srv));
    expect((mon.replica.get('Bridge', keepUuid)!.external_ids as OvsdbMap).get('v')).toBe('2');
    expect(changes.map((c) => `${c.kind}:${c.kind === 'delete' ? c.old!.name : c.new!.name}`).sort()).toEqual(['delete:gone', 'insert:new', 'modify:keep']);
    // monitor_cond_since on a standalone database: the server has no history, so a full resync.
    expect(established.at(-1)).toMatchObject({ method: 'monitor_cond_since', first: false });
    expect([...since.replica.rows('Bridge').values()].map((b) => b.name).sort()).toEqual(bridgeNames(srv));
    // The lock was lost with the connection and taken again on the new one.
    expect(locks.map((l) => l.event)).toEqual(['lost', 'locked']);
    expect(client.lockState('vigil_recovery')).toBe('locked');
    await expect(client.transact(DB, [op.assert('vigil_recovery')])).resolves.toEqual([{}]);

    // Live updates flow again on the re-established monitors.
    srv.transact(addBridgeOps('after'));
    await within(1000, () => mon.replica.find('Bridge', (b) => b.name === 'after') !== undefined, 'update after reconnect');
    await within(1000, () => since.replica.find('Bridge', (b) => b.name === 'after') !== undefined, 'update3 after reconnect');

    expect(metrics.counter('vigil_ovsdb_reconnects_total', '').total()).toBe(1);
    expect(metrics.counter('vigil_ovsdb_disconnects_total', '').total()).toBe(1);
    expect(metrics.counter('vigil_ovsdb_connect_failures_total', '').total()).toBeGreaterThanOrEqual(1);
    expect(states).toEqual(expect.arrayContaining(['connecting', 'connected', 'backoff']));
    expect(states.at(-1)).toBe('connected');
  });

  it('finds a frozen server dead by its keepalive and recovers when it resumes', async () => {
    srv = new PrivateOvsdb();
    await srv.start();
    const metrics = new Registry();
    client = new OvsdbClient({ remote: srv.remote, metrics, reconnect: fastReconnect, requestTimeoutMs: 1000, echoIntervalMs: 200, deadAfterMs: 600 });
    await client.connect();
    const mon = await client.monitorCond(DB, { Bridge: { columns: ['name'] } });
    const first = client.connection!;
    const t0 = Date.now();
    srv.pause();
    try {
      await within(3000, () => !first.isOpen, 'dead peer detected');
      const detectMs = Date.now() - t0;
      expect(first.reason).toMatch(/dead peer/);
      expect(detectMs).toBeGreaterThanOrEqual(550);
      expect(first.stats.echoesSent).toBeGreaterThanOrEqual(1);
      expect(metrics.counter('vigil_ovsdb_dead_peer_total', '').total()).toBeGreaterThanOrEqual(1);
      // While frozen, connects still succeed (the kernel accepts) but nothing answers: no false recovery.
      await new Promise((r) => setTimeout(r, 800));
      expect(client.isConnected).toBe(false);
    } finally {
      srv.resume();
    }
    await within(5000, () => client!.isConnected, 'reconnected after SIGCONT');
    srv.transact(addBridgeOps('thawed'));
    await within(1000, () => mon.replica.find('Bridge', (b) => b.name === 'thawed') !== undefined, 'replica live again');
  });

  it("answers the server's echo requests (TCP manager remote, 1 s inactivity probe)", async () => {
    const port = await freePort();
    srv = new PrivateOvsdb(port);
    await srv.start();
    const metrics = new Registry();
    // Our own keepalive off: only the server probes.
    client = new OvsdbClient({ remote: `tcp:127.0.0.1:${port}`, metrics, echoIntervalMs: 0, deadAfterMs: 0, reconnect: fastReconnect });
    await client.connect();
    const conn = client.connection!;
    let connects = 0;
    client.connected$.subscribe(() => connects++);
    await within(6000, () => conn.stats.echoesAnswered >= 2, 'two echo requests from the server');
    // Answered, so the server kept the session: same connection, no reconnect.
    expect(conn.isOpen).toBe(true);
    expect(client.connection).toBe(conn);
    expect(connects).toBe(0);
    expect(conn.stats.echoesSent).toBe(0);
    expect(await client.echo('tcp')).toEqual(['tcp']);
  });

  it('never executes a canceled transaction', async () => {
    srv = new PrivateOvsdb();
    await srv.start();
    client = new OvsdbClient({ remote: srv.remote, reconnect: fastReconnect });
    await client.connect();
    const ac = new AbortController();
    const blocked = client.transact(
      DB,
      [
        op.wait('Bridge', [cond.eq('name', 'trigger')], ['name'], '==', [{ name: 'trigger' }]),
        op.insert('Bridge', { name: 'after-wait' }, 'b'),
        op.mutate('Open_vSwitch', [], [['bridges', 'insert', [new NamedUuid('b')]]]),
      ],
      { signal: ac.signal, timeoutMs: 0 },
    );
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await expect(blocked).rejects.toThrow(OvsdbCanceledError);
    // Satisfy the wait: had the server kept the transaction, it would now insert "after-wait".
    srv.transact(addBridgeOps('trigger'));
    await new Promise((r) => setTimeout(r, 300));
    expect(bridgeNames(srv)).toEqual(['trigger']);
    expect(client.connection!.inFlight).toBe(0);
  });

  it('with reconnect disabled, connect() rejects when there is no server and the client closes on loss', async () => {
    srv = new PrivateOvsdb();
    client = new OvsdbClient({ remote: srv.remote, reconnect: false });
    await expect(client.connect()).rejects.toThrow(OvsdbConnectionClosedError);
    expect(client.state).toBe('closed');
    await client.close();
    await srv.start();
    client = new OvsdbClient({ remote: srv.remote, reconnect: false });
    await client.connect();
    const mon = await client.monitorCond(DB, { Bridge: { columns: ['name'] } });
    let completed = false;
    mon.replica.changes$.subscribe({ complete: () => (completed = true) });
    const lost = firstValueFrom(client.state$.pipe(filter((s) => s === 'closed'), timeout(5000)));
    await srv.stop('SIGKILL');
    await lost;
    expect(completed).toBe(true);
    await expect(client.listDbs()).rejects.toThrow(OvsdbConnectionClosedError);
  });
});
