/**
 * Records a real Open vSwitch's side of an OpenFlow 1.3 session, for golden fixtures.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/lab/capture-openflow.js test/fixtures/openflow
 *
 * Creates a userspace bridge `vgcap0` (marked with external_ids:vigil-test=1; removed afterwards),
 * points it at a listener of its own, drives the session with Vigil's encoder (handshake, every
 * multipart kind, groups, meters, flows with SEND_FLOW_REM, a packet-out that comes back as a
 * packet-in, a refused flow-mod, a port added and removed) and writes every byte OVS sent, one message
 * per line in hex, to `<dir>/ovs-session.hex`, with a per-message index in `<dir>/ovs-session.json`.
 * Needs OVS running (lab/ovs start).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { decode, encode } from '../src/codec/openflow/codec.js';
import { OfpFramer } from '../src/codec/openflow/framer.js';
import type { OfpMessage } from '../src/codec/openflow/messages.js';

const BR = 'vgcap0';
const vsctl = (...a: string[]): string => execFileSync('ovs-vsctl', ['--timeout=10', ...a], { encoding: 'utf8' });

async function main(): Promise<void> {
  const dir = process.argv[2] ?? 'test/fixtures/openflow';
  mkdirSync(dir, { recursive: true });
  const frames: Uint8Array[] = [];
  const waiters: { pred: (m: OfpMessage) => boolean; resolve: (m: OfpMessage) => void }[] = [];
  const connected = new Promise<Socket>((resolve) => {
    const server = createServer((s) => {
      server.close();
      resolve(s);
    });
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      if (vsctl('list-br').split('\n').includes(BR)) vsctl('del-br', BR);
      vsctl('add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev', 'protocols=OpenFlow13', 'fail_mode=secure', 'other_config:datapath-id=000000000000cafe', 'external_ids:vigil-test=1');
      vsctl('add-port', BR, 'vgcap0p1', '--', 'set', 'interface', 'vgcap0p1', 'type=internal', 'ofport_request=1');
      vsctl('set-controller', BR, `tcp:127.0.0.1:${port}`);
    });
  });
  const sock: Socket = await connected;
  const framer = new OfpFramer();
  sock.on('data', (chunk: Buffer) => {
    for (const f of framer.push(new Uint8Array(chunk))) {
      frames.push(f.slice());
      const m = decode(f);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.pred(m)) {
          waiters[i]!.resolve(m);
          waiters.splice(i, 1);
        }
      }
    }
  });
  let xid = 100;
  const send = (m: Record<string, unknown>): number => {
    const x = xid++;
    sock.write(encode({ ...m, xid: x } as unknown as OfpMessage));
    return x;
  };
  const waitFor = (pred: (m: OfpMessage) => boolean, ms = 5000): Promise<OfpMessage> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('capture: timed out waiting')), ms);
      waiters.push({ pred, resolve: (m) => (clearTimeout(t), resolve(m)) });
    });
  const ask = async (m: Record<string, unknown>): Promise<OfpMessage> => {
    const x = send(m);
    const b = send({ type: 'BARRIER_REQUEST' });
    return waitFor((r) => r.xid === b || (r.xid === x && r.type !== 'MULTIPART_REPLY'));
  };
  const mp = (body: Record<string, unknown>) => ask({ type: 'MULTIPART_REQUEST', flags: 0, body });

  send({ type: 'HELLO', elements: [{ type: 'VERSIONBITMAP', bitmaps: [0x10] }] });
  await waitFor((m) => m.type === 'HELLO');
  await ask({ type: 'FEATURES_REQUEST' });
  await ask({ type: 'SET_CONFIG', flags: 0, missSendLen: 0xffff });
  await ask({ type: 'GET_CONFIG_REQUEST' });
  await ask({ type: 'ECHO_REQUEST', data: Uint8Array.from([0xde, 0xad]) });
  await ask({ type: 'ROLE_REQUEST', role: 0, generationId: 0n });
  await ask({ type: 'GET_ASYNC_REQUEST' });
  await ask({ type: 'QUEUE_GET_CONFIG_REQUEST', port: 1 });
  for (const kind of ['DESC', 'PORT_DESC', 'GROUP_FEATURES', 'METER_FEATURES']) await mp({ kind });
  // A select group with weighted buckets and a meter: what Vigil's mirroring and rate limits use.
  await ask({ type: 'GROUP_MOD', command: 0, groupType: 1, groupId: 7, buckets: [
    { weight: 30, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: [{ type: 'output', port: 1, maxLen: 0 }] },
    { weight: 70, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: [] },
  ] });
  await ask({ type: 'METER_MOD', command: 0, flags: 1 | 4 | 8, meterId: 5, bands: [{ type: 'drop', rate: 1000, burstSize: 100 }] });
  await ask({ type: 'FLOW_MOD', cookie: 0x5647010000000001n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 0, hardTimeout: 0, priority: 100, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 1,
    match: [{ field: 'eth_type', value: 0x0800 }, { field: 'ip_proto', value: 6 }, { field: 'ipv4_src', value: '10.0.0.0', mask: '255.0.0.0' }, { field: 'tcp_dst', value: 80 }],
    instructions: [{ type: 'meter', meterId: 5 }, { type: 'apply_actions', actions: [{ type: 'group', groupId: 7 }] }, { type: 'goto_table', tableId: 1 }] });
  await ask({ type: 'FLOW_MOD', cookie: 0x5647020000000001n, cookieMask: 0n, tableId: 0, command: 0, idleTimeout: 0, hardTimeout: 0, priority: 200, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0,
    match: [{ field: 'eth_type', value: 0x88cc }], instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 0xfffffffd, maxLen: 0xffff }] }] });
  for (const kind of ['GROUP_DESC', 'TABLE']) await mp({ kind });
  await mp({ kind: 'GROUP', groupId: 0xfffffffc });
  await mp({ kind: 'METER', meterId: 0xffffffff });
  await mp({ kind: 'METER_CONFIG', meterId: 0xffffffff });
  await mp({ kind: 'PORT_STATS', portNo: 0xffffffff });
  await mp({ kind: 'QUEUE', portNo: 0xffffffff, queueId: 0xffffffff });
  const flowReq = { tableId: 0xff, outPort: 0xffffffff, outGroup: 0xffffffff, cookie: 0n, cookieMask: 0n, match: [] };
  await mp({ kind: 'FLOW', ...flowReq });
  await mp({ kind: 'AGGREGATE', ...flowReq });
  // An LLDP frame injected through the table comes back as a PACKET_IN (reason ACTION).
  const lldp = Uint8Array.from([0x01, 0x80, 0xc2, 0, 0, 0x0e, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0xcc, 0x02, 0x07, 0x04, 0, 0, 0, 0, 0, 1, 0x04, 0x02, 0x07, 0x31, 0x06, 0x02, 0, 120, 0, 0]);
  send({ type: 'PACKET_OUT', bufferId: 0xffffffff, inPort: 0xfffffffd, actions: [{ type: 'output', port: 0xfffffff9, maxLen: 0 }], data: lldp });
  await waitFor((m) => m.type === 'PACKET_IN');
  // A refused flow-mod (goto_table backwards) -> OFPT_ERROR.
  await ask({ type: 'FLOW_MOD', cookie: 0n, cookieMask: 0n, tableId: 2, command: 0, idleTimeout: 0, hardTimeout: 0, priority: 1, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0, match: [], instructions: [{ type: 'goto_table', tableId: 1 }] });
  // Deleting the SEND_FLOW_REM flow -> FLOW_REMOVED.
  send({ type: 'FLOW_MOD', cookie: 0x5647010000000001n, cookieMask: 0xffffffffffffffffn, tableId: 0, command: 3, idleTimeout: 0, hardTimeout: 0, priority: 0, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0, match: [], instructions: [] });
  await waitFor((m) => m.type === 'FLOW_REMOVED');
  // A port added and removed -> PORT_STATUS ADD / DELETE.
  vsctl('add-port', BR, 'vgcap0p2', '--', 'set', 'interface', 'vgcap0p2', 'type=internal', 'ofport_request=2');
  await waitFor((m) => m.type === 'PORT_STATUS');
  vsctl('del-port', BR, 'vgcap0p2');
  await waitFor((m) => m.type === 'PORT_STATUS' && (m as { reason: number }).reason === 1);
  // TABLE_FEATURES last: OVS answers with many REPLY_MORE parts; keep only the first.
  const before = frames.length;
  send({ type: 'MULTIPART_REQUEST', flags: 0, body: { kind: 'TABLE_FEATURES', tables: [] } });
  await waitFor((m) => m.type === 'MULTIPART_REPLY' && ((m as { flags: number }).flags & 1) === 0, 10_000);
  frames.splice(before + 1);

  sock.destroy();
  vsctl('del-br', BR);
  const hexLines = frames.map((f) => Buffer.from(f).toString('hex'));
  writeFileSync(join(dir, 'ovs-session.hex'), hexLines.join('\n') + '\n');
  const index = frames.map((f, i) => {
    const m = decode(f);
    const kind = m.type === 'MULTIPART_REPLY' ? `${m.type}/${m.body.kind}` : m.type;
    return { i, type: kind, length: f.length };
  });
  writeFileSync(join(dir, 'ovs-session.json'), JSON.stringify({ made: `lab/capture-openflow.ts against ${execFileSync('ovs-vswitchd', ['--version'], { encoding: 'utf8' }).split('\n')[0]}`, messages: index }, null, 1) + '\n');
  console.log(`captured ${frames.length} messages (${frames.reduce((a, f) => a + f.length, 0)} bytes): ${[...new Set(index.map((x) => x.type))].join(', ')}`);
}

main().catch((e: unknown) => {
  try {
    vsctl('--if-exists', 'del-br', BR);
  } catch {
    /* ignore */
  }
  console.error(e);
  process.exit(1);
});
