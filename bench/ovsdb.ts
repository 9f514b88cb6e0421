/**
 * OVSDB benchmarks (figures printed, never asserted):
 *   1. JSON-RPC framing MB/s (update2 stream in 64 KiB and 1 KiB chunks; a string full of escapes), next to
 *      JSON.parse alone on the same messages
 *   2. update2 decode + replica apply, row updates/s (1000-row table, modify diffs of sets and maps)
 *   3. transact encode (validated against the Open_vSwitch schema), transactions/s
 *   4. against a private ovsdb-server (temporary database, started and stopped by pid):
 *      echo and transact round-trip latency p50/p99, change-to-replica latency (monitor_cond) p50/p99,
 *      initial monitor of 5000 rows
 * Run: npx tsc -p tsconfig.bench.json && node dist-bench/bench/ovsdb.js
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JsonRpcFramer } from '../src/codec/ovsdb/framer.js';
import { cond, encodeTransact, op, type Operation } from '../src/codec/ovsdb/operations.js';
import { parseSchema } from '../src/codec/ovsdb/schema.js';
import { decodeTableUpdates2 } from '../src/codec/ovsdb/updates.js';
import { validateTransaction } from '../src/codec/ovsdb/validate.js';
import { NamedUuid, OvsdbSet, Uuid } from '../src/codec/ovsdb/value.js';
import { OvsdbClient } from '../src/southbound/ovsdb/client.js';
import { Replica } from '../src/southbound/ovsdb/replica.js';
import { pct, timeIt } from './timing.js';

const SCHEMA_FILE = '/usr/share/openvswitch/vswitch.ovsschema';
const enc = new TextEncoder();

const uuid = (i: number): string => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

// ------------------------------------------------------------------------------------------ 1. framing

function benchFraming(): void {
  const msgs: string[] = [];
  for (let i = 0; i < 2000; i++) {
    msgs.push(
      JSON.stringify({
        id: null,
        method: 'update2',
        params: ['vigil-1', { Port: { [uuid(i)]: { modify: { trunks: ['set', [i % 4095, (i + 7) % 4095]], external_ids: ['map', [['k', `value {${i}} "q" naïve`]]] } } } }],
      }),
    );
  }
  const stream = enc.encode(msgs.join(''));
  const mb = stream.length / 1e6;
  for (const size of [65536, 1024]) {
    const chunks: Uint8Array[] = [];
    for (let o = 0; o < stream.length; o += size) chunks.push(stream.subarray(o, o + size));
    const r = timeIt(() => {
      const f = new JsonRpcFramer();
      for (const c of chunks) f.push(c);
    });
    console.log(`framing update2 stream, ${String(size).padStart(5)}-byte chunks   ${((mb * r.runs) / (r.ms / 1000)).toFixed(0).padStart(5)} MB/s  (${((msgs.length * r.runs) / (r.ms / 1000) / 1e3).toFixed(0)} k msgs/s)`);
  }
  const parse = timeIt(() => {
    for (const m of msgs) JSON.parse(m);
  });
  console.log(`  JSON.parse alone on the same messages       ${((mb * parse.runs) / (parse.ms / 1000)).toFixed(0).padStart(5)} MB/s`);
  const esc = enc.encode(`{"s":"${'a\\"b\\\\'.repeat(512 * 1024)}"}`);
  const escChunks: Uint8Array[] = [];
  for (let o = 0; o < esc.length; o += 1024) escChunks.push(esc.subarray(o, o + 1024));
  const re = timeIt(() => {
    const f = new JsonRpcFramer();
    for (const c of escChunks) f.push(c);
  });
  console.log(`framing a ${(esc.length / 1e6).toFixed(1)} MB string of escapes, 1 KiB chunks  ${(((esc.length / 1e6) * re.runs) / (re.ms / 1000)).toFixed(0).padStart(5)} MB/s`);
}

// ---------------------------------------------------------------------------------- 2. replica apply

function benchReplica(): void {
  const schema = parseSchema(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  const cols = ['name', 'interfaces', 'tag', 'trunks', 'external_ids'];
  const initial: Record<string, unknown> = {};
  for (let i = 0; i < 1000; i++) initial[uuid(i)] = { initial: { name: `p${i}`, interfaces: ['uuid', uuid(100000 + i)], trunks: ['set', [1, 2, 3]], external_ids: ['map', [['a', '1']]] } };
  const updates: unknown[] = [];
  for (let n = 0; n < 2000; n++) {
    const i = n % 1000;
    const flip = Math.floor(n / 1000) % 2 === 0;
    updates.push({ Port: { [uuid(i)]: { modify: { trunks: ['set', [4]], external_ids: ['map', [['a', flip ? '2' : '1']]], tag: flip ? 7 : ['set', []] } } } });
  }
  const r = timeIt(() => {
    const rep = new Replica(schema, { Port: cols });
    rep.applyTableUpdates2(decodeTableUpdates2({ Port: initial }, schema), 'initial');
    for (const u of updates) rep.applyTableUpdates2(decodeTableUpdates2(u, schema));
  });
  console.log(`update2 decode + apply (1000-row replica)    ${((updates.length * r.runs) / (r.ms / 1000) / 1e3).toFixed(1).padStart(6)} k row updates/s`);
}

// -------------------------------------------------------------------------------------- 3. encoding

function benchEncode(): void {
  const schema = parseSchema(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  const ops: Operation[] = [
    op.insert('Interface', { name: 'p1', type: 'internal' }, 'i'),
    op.insert('Port', { name: 'p1', interfaces: [new NamedUuid('i')], tag: OvsdbSet.of(10) }, 'p'),
    op.mutate('Bridge', [cond.eq('name', 'br0')], [['ports', 'insert', [new NamedUuid('p')]]]),
    op.wait('Bridge', [cond.uuid(new Uuid(uuid(1)))], ['name'], '==', [{ name: 'br0' }], 0),
  ];
  const r = timeIt(() => {
    for (let i = 0; i < 1000; i++) {
      validateTransaction(schema, ops);
      JSON.stringify({ method: 'transact', params: encodeTransact('Open_vSwitch', ops), id: i });
    }
  });
  console.log(`transact validate + encode (4 ops)           ${((1000 * r.runs) / (r.ms / 1000) / 1e3).toFixed(1).padStart(6)} k transactions/s`);
}

// ----------------------------------------------------------------------------- 4. live private server

async function benchLive(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ovsdb-bench-'));
  const db = join(dir, 'conf.db');
  const sock = join(dir, 'db.sock');
  const run = (cmd: string, args: string[]): string => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
    return r.stdout;
  };
  run('ovsdb-tool', ['create', db, SCHEMA_FILE]);
  run('ovsdb-tool', ['transact', db, JSON.stringify(['Open_vSwitch', { op: 'insert', table: 'Open_vSwitch', row: {} }])]);
  const proc = spawn('ovsdb-server', [db, `--remote=punix:${sock}`, `--unixctl=${join(dir, 'ctl')}`, '--no-chdir', `--log-file=${join(dir, 'log')}`], { stdio: 'ignore' });
  const client = new OvsdbClient({ remote: `unix:${sock}`, reconnect: { initialMs: 20, maxMs: 100, multiplier: 2, jitter: 0 } });
  try {
    await client.connect();
    const echo: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t0 = performance.now();
      await client.echo(i);
      echo.push(performance.now() - t0);
    }
    console.log(`echo round trip (unix socket)               p50 ${pct(echo, 50).toFixed(3)} ms  p99 ${pct(echo, 99).toFixed(3)} ms`);
    const tx: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t0 = performance.now();
      await client.transact('Open_vSwitch', [op.mutate('Open_vSwitch', [], [['next_cfg', '+=', 1]])]);
      tx.push(performance.now() - t0);
    }
    console.log(`transact (validated mutate) round trip      p50 ${pct(tx, 50).toFixed(3)} ms  p99 ${pct(tx, 99).toFixed(3)} ms`);
    const mon = await client.monitorCond('Open_vSwitch', { Open_vSwitch: { columns: ['next_cfg'] } });
    const writer = new OvsdbClient({ remote: `unix:${sock}` });
    await writer.connect();
    const seen: number[] = [];
    for (let i = 0; i < 300; i++) {
      const before = mon.replica.version;
      const t0 = performance.now();
      const done = new Promise<void>((resolve) => {
        const sub = mon.replica.batches$.subscribe(() => {
          if (mon.replica.version > before) {
            sub.unsubscribe();
            resolve();
          }
        });
      });
      await writer.transact('Open_vSwitch', [op.mutate('Open_vSwitch', [], [['next_cfg', '+=', 1]])]);
      await done;
      seen.push(performance.now() - t0);
    }
    console.log(`change by another client -> replica         p50 ${pct(seen, 50).toFixed(3)} ms  p99 ${pct(seen, 99).toFixed(3)} ms`);
    await writer.close();
    // 5000 bridges (no ovs-vswitchd here: rows only).
    const N = 5000;
    for (let b = 0; b < N; b += 500) {
      const ops: Operation[] = [];
      for (let i = b; i < b + 500; i++) ops.push(op.insert('Bridge', { name: `b${i}`, external_ids: new Map([['k', `v${i}`]]) }, `b${i}`));
      ops.push(op.mutate('Open_vSwitch', [], [['bridges', 'insert', ops.map((o) => new NamedUuid((o as { uuidName: string }).uuidName))]]));
      await client.transact('Open_vSwitch', ops, { timeoutMs: 60_000 });
    }
    const t0 = performance.now();
    const big = await client.monitorCond('Open_vSwitch', { Bridge: {} });
    const ms = performance.now() - t0;
    console.log(`initial monitor_cond of ${big.replica.rows('Bridge').size} Bridge rows (all columns)  ${ms.toFixed(0)} ms  (${((N / ms) * 1000 / 1e3).toFixed(1)} k rows/s)`);
  } finally {
    await client.close();
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

benchFraming();
benchReplica();
benchEncode();
await benchLive();
