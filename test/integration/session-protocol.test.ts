/**
 * Session protocol behavior over real loopback TCP with a scripted peer: version negotiation failure,
 * malformed input answered with OFPT_ERROR while the session survives, lost framing closing the session,
 * echo in both directions, dead-peer detection, multipart reassembly, request timeouts.
 */
import { firstValueFrom, timeout } from 'rxjs';
import { OfpType } from '../../src/codec/openflow/header.js';
import type { OfpMessage } from '../../src/codec/openflow/messages.js';
import { Registry } from '../../src/observability/metrics.js';
import { RequestTimeoutError } from '../../src/southbound/openflow/errors.js';
import { OpenFlowServer } from '../../src/southbound/openflow/server.js';
import type { Outgoing, SwitchSession } from '../../src/southbound/openflow/session.js';
import { ScriptedSwitch } from '../support/scripted-switch.js';

let server: OpenFlowServer;
let metrics: Registry;
let port: number;
const peers: ScriptedSwitch[] = [];

beforeEach(async () => {
  metrics = new Registry();
  server = new OpenFlowServer({ host: '127.0.0.1', port: 0, echoIntervalMs: 300, deadAfterMs: 900, requestTimeoutMs: 500, metrics });
  port = (await server.listen()).port;
});

afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await server.close();
});

async function peer(): Promise<ScriptedSwitch> {
  const p = await ScriptedSwitch.connect(port);
  peers.push(p);
  return p;
}

async function readyPeer(dpid: bigint): Promise<{ p: ScriptedSwitch; session: SwitchSession }> {
  const up = firstValueFrom(server.up$.pipe(timeout(5000)));
  const p = await peer();
  await p.handshake(dpid);
  const session = await up;
  return { p, session };
}

describe('OpenFlow session protocol', () => {
  it('negotiates 1.3 and learns the datapath id', async () => {
    const { session } = await readyPeer(0x1234n);
    expect(session.dpid).toBe(0x1234n);
    expect(session.version).toBe(4);
    expect(server.sessions.get(0x1234n)).toBe(session);
  });

  it('answers an incompatible HELLO with OFPET_HELLO_FAILED and closes', async () => {
    const p = await peer();
    // An OpenFlow 1.0 switch: header version 0x01, no bitmap.
    p.sendRaw(Uint8Array.from([0x01, 0x00, 0x00, 0x08, 0, 0, 0, 9]));
    const err = await p.next('ERROR');
    expect(err.errType).toBe(0); // OFPET_HELLO_FAILED
    expect(err.code).toBe(0); // OFPHFC_INCOMPATIBLE
    expect(new TextDecoder().decode(err.data)).toContain('1.3');
    await p.whenClosed();
    expect(metrics.counter('vigil_openflow_hello_failed_total', '').total()).toBe(1);
  });

  it('answers a malformed message with OFPT_ERROR and keeps the session', async () => {
    const { p, session } = await readyPeer(0x1n);
    // A PORT_STATUS whose body is 3 bytes short, then an unknown message type.
    p.sendRaw(Uint8Array.from([0x04, OfpType.PORT_STATUS, 0x00, 0x0d, 0, 0, 0, 0x42, 1, 2, 3, 4, 5]));
    p.sendRaw(Uint8Array.from([0x04, 99, 0x00, 0x08, 0, 0, 0, 0x43]));
    const e1 = await p.next('ERROR', (m) => m.xid === 0x42);
    expect([e1.errType, e1.code]).toEqual([1, 6]); // OFPET_BAD_REQUEST / OFPBRC_BAD_LEN
    expect(Array.from(e1.data.subarray(0, 4))).toEqual([0x04, OfpType.PORT_STATUS, 0x00, 0x0d]);
    const e2 = await p.next('ERROR', (m) => m.xid === 0x43);
    expect([e2.errType, e2.code]).toEqual([1, 1]); // OFPET_BAD_REQUEST / OFPBRC_BAD_TYPE
    // Still alive: a barrier round trip works.
    const done = session.barrier();
    const b = await p.next('BARRIER_REQUEST');
    p.send({ type: 'BARRIER_REPLY', xid: b.xid });
    await done;
    expect(session.isReady).toBe(true);
    expect(metrics.counter('vigil_openflow_malformed_total', '').total()).toBe(2);
  });

  it('closes the session when framing is lost (length < 8)', async () => {
    const { p, session } = await readyPeer(0x2n);
    p.sendRaw(Uint8Array.from([0x04, 0x02, 0x00, 0x04, 0, 0, 0, 1]));
    await firstValueFrom(session.closed$);
    await p.whenClosed();
    expect(session.isClosed).toBe(true);
  });

  it('answers ECHO_REQUEST with the same xid and data', async () => {
    const { p } = await readyPeer(0x3n);
    p.send({ type: 'ECHO_REQUEST', xid: 77, data: Uint8Array.from([1, 2, 3]) } as OfpMessage);
    const r = await p.next('ECHO_REPLY', (m) => m.xid === 77);
    expect(Array.from(r.data)).toEqual([1, 2, 3]);
  });

  it('probes a silent switch with ECHO_REQUEST and drops it when it stays silent', async () => {
    const { p, session } = await readyPeer(0x4n);
    await p.next('ECHO_REQUEST', () => true, 2000);
    const down = firstValueFrom(server.down$.pipe(timeout(5000)));
    const d = await down;
    expect(d.dpid).toBe(0x4n);
    expect(d.reason).toMatch(/echo timeout/);
    expect(session.isClosed).toBe(true);
    expect(server.sessions.has(0x4n)).toBe(false);
  });

  it('reassembles multipart replies sent with REPLY_MORE', async () => {
    const { p, session } = await readyPeer(0x5n);
    const req = session.multipart({ type: 'MULTIPART_REQUEST', flags: 0, body: { kind: 'TABLE' } } as Outgoing);
    const r = await p.next('MULTIPART_REQUEST', (m) => m.body.kind === 'TABLE');
    const stat = (tableId: number) => ({ tableId, activeCount: tableId, lookupCount: 10n, matchedCount: 5n });
    p.send({ type: 'MULTIPART_REPLY', xid: r.xid, flags: 1, body: { kind: 'TABLE', stats: [stat(0), stat(1)] } } as OfpMessage);
    p.send({ type: 'MULTIPART_REPLY', xid: r.xid, flags: 0, body: { kind: 'TABLE', stats: [stat(2)] } } as OfpMessage);
    const reply = await req;
    expect(reply.body.kind).toBe('TABLE');
    if (reply.body.kind === 'TABLE') expect(reply.body.stats.map((s) => s.tableId)).toEqual([0, 1, 2]);
  });

  it('times out a request the switch never answers, with a typed error', async () => {
    const { p, session } = await readyPeer(0x6n);
    const req = session.request({ type: 'GET_CONFIG_REQUEST' } as Outgoing, 200);
    await p.next('GET_CONFIG_REQUEST');
    await expect(req).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it('keeps one session per datapath: a reconnecting switch replaces the old session', async () => {
    const first = await readyPeer(0x7n);
    const second = await readyPeer(0x7n);
    await first.p.whenClosed();
    expect(server.sessions.get(0x7n)).toBe(second.session);
  });
});

describe('many switches at once', () => {
  let server2: OpenFlowServer;
  afterAll(async () => server2?.close());

  it('handles 100 switches connecting concurrently, each with its own session', async () => {
    server2 = new OpenFlowServer({ host: '::', port: 0, requestTimeoutMs: 5000 });
    const p = (await server2.listen()).port;
    const ready: SwitchSession[] = [];
    server2.up$.subscribe((s) => ready.push(s));
    const N = 100;
    const switches = await Promise.all(Array.from({ length: N }, (_, i) => ScriptedSwitch.connect(p, i % 2 === 0 ? '127.0.0.1' : '::1')));
    try {
      await Promise.all(switches.map((s, i) => s.handshake(BigInt(0x1000 + i))));
      const deadline = Date.now() + 10_000;
      while (ready.length < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(ready).toHaveLength(N);
      expect(server2.sessions.size).toBe(N);
      expect(new Set(ready.map((s) => s.dpid)).size).toBe(N);
      expect(ready.filter((s) => s.remote.includes('::1'))).toHaveLength(N / 2);
      // Each session correlates its own requests: a barrier on every switch at once.
      const done = Promise.all(ready.map((s) => s.barrier()));
      await Promise.all(
        switches.map(async (sw) => {
          const b = await sw.next('BARRIER_REQUEST');
          sw.send({ type: 'BARRIER_REPLY', xid: b.xid });
        }),
      );
      await done;
    } finally {
      for (const s of switches) s.close();
    }
  });
});
