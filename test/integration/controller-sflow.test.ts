/**
 * The sFlow collector started by the controller (what `vigil run` runs), over real UDP on loopback; no
 * switch needed. Datagrams of the OVS capture sent to the configured port arrive on sflowBatches$ with the
 * samples the object decoder finds in them, counted in the shared metrics Registry; start is logged; close
 * completes the stream and frees the port; sflow.enabled: false starts no collector; a port already taken
 * fails the start with a logged error and leaves nothing listening (the OpenFlow port is released too).
 * (`vigil run` with the sFlow port taken: cli.test.ts.)
 */
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { udpPayload } from '../../src/cli/sflow.js';
import { decodeDatagram } from '../../src/codec/sflow/index.js';
import { readCapture } from '../../src/codec/pcap/index.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/log.js';
import { Registry } from '../../src/observability/metrics.js';
import { startController, type Controller } from '../../src/pipeline/controller.js';
import { SflowCollectorError, type SflowBatch } from '../../src/southbound/sflow/index.js';
import { Sender } from './sflow-collector-support.js';

const FIX = new URL('../fixtures/sflow/', import.meta.url).pathname;
const ports = (JSON.parse(readFileSync(FIX + 'ovs-capture.ovs.json', 'utf8')) as { ports: { v4: number } }).ports;

function payloads(port: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const pkt of readCapture(new Uint8Array(readFileSync(FIX + 'ovs-capture.pcapng')))) {
    const u = udpPayload(pkt, port);
    if (u instanceof Uint8Array) out.push(Uint8Array.from(u));
  }
  return out;
}

interface Logged {
  level: string;
  msg: string;
  [k: string]: unknown;
}

function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: Logged[] } {
  const lines: Logged[] = [];
  return { logger: createLogger('info', { write: (l) => void lines.push(JSON.parse(l) as Logged) }), lines };
}

const config = (yaml: string) => loadConfig({ env: {}, text: `openflow:\n  host: 127.0.0.1\n  port: 0\nsflow:\n  host: 127.0.0.1\n  port: 0\n${yaml}` });

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the sFlow collector in the controller', () => {
  const open: (Controller | Sender | Socket)[] = [];
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) {
      if ('sflowBatches$' in x) await x.close();
      else x.close();
    }
  });

  it('receives on sflow.host/port and emits batches with the samples sent, counted in the shared Registry', async () => {
    const metrics = new Registry();
    const { logger, lines } = capturingLogger();
    const c = await startController(config('  receiveBufferBytes: 1048576\n'), { logger, metrics });
    open.push(c);
    expect(c.sflow).not.toBeNull();
    const addr = c.sflow!.address;
    expect(addr).toMatchObject({ address: '127.0.0.1', family: 4 });
    expect(addr.port).toBeGreaterThan(0);
    expect(['native', 'dgram']).toContain(addr.transport);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'sFlow collector listening', address: '127.0.0.1', port: addr.port, transport: addr.transport, receiveBufferBytes: addr.receiveBufferBytes }));

    const batches: SflowBatch[] = [];
    const all = lastValueFrom(c.sflowBatches$.pipe(toArray()));
    c.sflowBatches$.subscribe((b) => batches.push(b));
    const datagrams = metrics.counter('vigil_sflow_datagrams_total', '');
    const samples = metrics.counter('vigil_sflow_samples_total', '');
    const before = datagrams.total();

    const dgrams = payloads(ports.v4);
    const decoded = dgrams.map((d) => decodeDatagram(d));
    const flows = decoded.reduce((n, d) => n + d.samples.filter((s) => s.kind === 'flow').length, 0);
    const counters = decoded.reduce((n, d) => n + d.samples.filter((s) => s.kind === 'counters').length, 0);
    expect(flows).toBeGreaterThan(0);
    expect(counters).toBeGreaterThan(0);
    const s = await Sender.open('127.0.0.1', addr.port);
    open.push(s);
    await s.send(...dgrams);

    const got = () => batches.reduce((n, b) => n + b.datagrams, 0);
    await until(() => got() >= dgrams.length, 10_000, `${dgrams.length} datagrams on sflowBatches$`);
    expect(got()).toBe(dgrams.length);
    expect(batches.reduce((n, b) => n + b.flows.count, 0)).toBe(flows);
    expect(batches.reduce((n, b) => n + b.counters.length, 0)).toBe(counters);
    expect(batches.reduce((n, b) => n + b.malformed + b.unsupportedVersion, 0)).toBe(0);
    expect(new Set(batches.flatMap((b) => b.agents.map((a) => a.address)))).toEqual(new Set(['127.0.0.1']));

    expect(datagrams.total() - before).toBe(dgrams.length);
    expect(samples.get({ kind: 'flow' })).toBe(flows);
    expect(samples.get({ kind: 'counters' })).toBe(counters);
    expect(metrics.expose()).toMatch(/^vigil_sflow_datagrams_total \d+$/m);
    expect(c.sflow!.collector.stats()).toMatchObject({ received: dgrams.length, ingest: { accepted: dgrams.length, lostDatagrams: 0 } });

    // close() completes the stream and frees the port.
    await c.close();
    open.splice(open.indexOf(c), 1);
    expect((await all).length).toBe(batches.length);
    const again = createSocket('udp4');
    open.push(again);
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind({ port: addr.port, address: '127.0.0.1', exclusive: true }, () => resolve());
    });
  });

  it('starts no collector with sflow.enabled: false (sflowBatches$ completes at once)', async () => {
    const { logger, lines } = capturingLogger();
    const c = await startController(config('  enabled: false\n'), { logger, metrics: new Registry() });
    open.push(c);
    expect(c.sflow).toBeNull();
    expect(await lastValueFrom(c.sflowBatches$.pipe(toArray()))).toEqual([]);
    expect(lines.some((l) => l.msg === 'sFlow collector listening')).toBe(false);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'sFlow collector disabled (sflow.enabled: false)' }));
  });

  it('fails to start, with a logged error, when the sFlow port is taken, and releases the OpenFlow port', async () => {
    const blocker = createSocket('udp4');
    open.push(blocker);
    await new Promise<void>((r) => blocker.bind({ port: 0, address: '127.0.0.1', exclusive: true }, () => r()));
    const sflowPort = blocker.address().port;
    const ofPort = await new Promise<number>((resolve) => {
      const t = createServer().listen(0, '127.0.0.1', () => {
        const p = (t.address() as { port: number }).port;
        t.close(() => resolve(p));
      });
    });
    const { logger, lines } = capturingLogger();
    const cfg = loadConfig({ env: {}, text: `openflow:\n  host: 127.0.0.1\n  port: ${ofPort}\nsflow:\n  host: 127.0.0.1\n  port: ${sflowPort}\n` });
    const err = await startController(cfg, { logger, metrics: new Registry() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SflowCollectorError);
    expect(err).toMatchObject({ code: 'bind-failed', message: expect.stringContaining(`cannot bind the sFlow collector to 127.0.0.1 port ${sflowPort}`) });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'cannot start the sFlow collector', host: '127.0.0.1', port: sflowPort }));
    // Nothing left listening: the OpenFlow port can be taken again.
    const t = createServer();
    await new Promise<void>((resolve, reject) => t.once('error', reject).listen(ofPort, '127.0.0.1', () => resolve()));
    await new Promise((r) => t.close(r));
  });
});
