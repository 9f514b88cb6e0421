/**
 * OpenFlow benchmarks (figures printed, never asserted):
 *   1. decode FLOW_MOD and PACKET_IN messages/s on one core
 *   2. encode FLOW_MOD messages/s
 *   3. flow-mod install into real Open vSwitch with barrier confirmation, flow-mods/s
 *   4. single-rule install latency (flow-mod + barrier round trip), p50/p99
 * Run: npm run bench:openflow   (starts OVS with lab/ovs if needed; uses a bridge of its own)
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { firstValueFrom, timeout } from 'rxjs';
import { Writer } from '../src/codec/openflow/buffer.js';
import { decode, encode, encodeInto } from '../src/codec/openflow/codec.js';
import type { OfpMessage } from '../src/codec/openflow/messages.js';
import { OpenFlowServer } from '../src/southbound/openflow/server.js';
import type { Outgoing } from '../src/southbound/openflow/session.js';

const flowMod = (i: number): OfpMessage =>
  ({
    type: 'FLOW_MOD', xid: i, cookie: 0x5647040000000000n + BigInt(i), cookieMask: 0n, tableId: 1, command: 0,
    idleTimeout: 0, hardTimeout: 0, priority: 1000, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0,
    match: [
      { field: 'eth_type', value: 0x0800 },
      { field: 'ipv4_src', value: `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}` },
      { field: 'ip_proto', value: 6 },
      { field: 'tcp_dst', value: 443 },
    ],
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 2, maxLen: 0 }] }, { type: 'goto_table', tableId: 2 }],
  }) as OfpMessage;

function rate(label: string, n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 200_000); i++) fn(i); // warm-up (JIT)
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const s = (performance.now() - t0) / 1000;
  const r = n / s;
  console.log(`${label.padEnd(44)} ${(r / 1e6).toFixed(2)} M msgs/s  (${n} in ${s.toFixed(2)} s)`);
  return r;
}

function codecBenchmarks(): void {
  const fm = encode(flowMod(12345));
  // A PACKET_IN as OVS sends it for a 128-byte sampled frame: match in_port, reason ACTION, cookie set.
  const frame = new Uint8Array(128).fill(0xab);
  const pin = encode({ type: 'PACKET_IN', xid: 0, bufferId: 0xffffffff, totalLen: 128, reason: 1, tableId: 0, cookie: 0x5647020000000001n, match: [{ field: 'in_port', value: 3 }], data: frame } as OfpMessage);
  const N = 3_000_000;
  let sink = 0;
  rate(`decode FLOW_MOD (${fm.length} B, 4 OXM, 2 instr)`, N, () => {
    sink += decode(fm).xid;
  });
  rate(`decode PACKET_IN (${pin.length} B)`, N, () => {
    sink += decode(pin).xid;
  });
  const msgs = Array.from({ length: 1024 }, (_, i) => flowMod(i));
  const w = new Writer(1 << 20);
  rate('encode FLOW_MOD (into a reused buffer)', 1_000_000, (i) => {
    if (w.offset > 900_000) w.reset();
    encodeInto(w, msgs[i & 1023]!);
  });
  if (sink === -1) console.log(sink);
}

const BR = 'vgbench0';
const vsctl = (...a: string[]): string => execFileSync('ovs-vsctl', ['--timeout=10', ...a], { encoding: 'utf8' });

async function installBenchmarks(): Promise<void> {
  const server = new OpenFlowServer({ host: '127.0.0.1', port: 0, requestTimeoutMs: 60_000 });
  const port = (await server.listen()).port;
  const up = firstValueFrom(server.up$.pipe(timeout(20_000)));
  if (vsctl('list-br').split('\n').includes(BR)) vsctl('del-br', BR);
  vsctl('add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev', 'protocols=OpenFlow13', 'fail_mode=secure', 'external_ids:vigil-test=1');
  vsctl('set-controller', BR, `tcp:127.0.0.1:${port}`);
  try {
    const session = await up;
    const N = 100_000;
    const batch = Array.from({ length: N }, (_, i) => flowMod(i) as Outgoing);
    const delAll = { type: 'FLOW_MOD', cookie: 0n, cookieMask: 0n, tableId: 0xff, command: 3, idleTimeout: 0, hardTimeout: 0, priority: 0, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0, match: [], instructions: [] } as Outgoing;
    const rates: number[] = [];
    for (let run = 0; run < 3; run++) {
      await session.sendBatch([delAll]);
      const t0 = performance.now();
      await session.sendBatch(batch);
      const s = (performance.now() - t0) / 1000;
      rates.push(N / s);
      console.log(`install ${N} flow-mods + barrier into OVS        ${(N / s / 1000).toFixed(0)} k flow-mods/s  (${s.toFixed(2)} s, run ${run + 1})`);
    }
    const count = execFileSync('ovs-ofctl', ['-O', 'OpenFlow13', 'dump-aggregate', BR], { encoding: 'utf8' });
    console.log(`  switch holds: ${/flow_count=(\d+)/.exec(count)?.[1]} flows (expected ${N})`);
    rates.sort((a, b) => a - b);
    console.log(`install throughput (median of 3)                ${(rates[1]! / 1000).toFixed(0)} k flow-mods/s`);

    await session.sendBatch([delAll]);
    const lat: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t0 = performance.now();
      await session.sendBatch([flowMod(i) as Outgoing]);
      lat.push(performance.now() - t0);
    }
    lat.splice(0, 200); // warm-up
    lat.sort((a, b) => a - b);
    const q = (p: number): string => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(3);
    console.log(`single-rule install latency (flow-mod+barrier)  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  max ${q(1)} ms  (n=${lat.length})`);
  } finally {
    vsctl('--if-exists', 'del-br', BR);
    await server.close();
  }
}

console.log(`node ${process.version}, ${(await import('node:os')).cpus()[0]?.model ?? '?'}`);
codecBenchmarks();
await installBenchmarks();
