/**
 * `vigil sflow listen` as the built executable on a real UDP socket: the datagrams of the OVS capture
 * (test/fixtures/sflow/ovs-capture.pcapng, both agents) sent to it are printed as exactly the objects (and
 * text lines) `vigil sflow decode` prints for the capture, in the same order; junk datagrams in between are
 * counted as malformed / unsupported in the stderr summary, never fatal; --count, --duration and SIGINT
 * end it with a summary; a port already taken is a clear error (exit 1). Both receive paths.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { udpPayload } from '../../src/cli/sflow.js';
import { readCapture } from '../../src/codec/pcap/index.js';
import { Sender } from './sflow-collector-support.js';

const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const FIX = new URL('../fixtures/sflow/', import.meta.url).pathname;
const CAPTURE = FIX + 'ovs-capture.pcapng';
const ports = (JSON.parse(readFileSync(FIX + 'ovs-capture.ovs.json', 'utf8')) as { ports: { v4: number; v6: number } }).ports;

/** The capture's sFlow payloads to `port`, in capture order. */
function payloads(port: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const pkt of readCapture(new Uint8Array(readFileSync(CAPTURE)))) {
    const u = udpPayload(pkt, port);
    if (u instanceof Uint8Array) out.push(Uint8Array.from(u));
  }
  return out;
}

/** What `vigil sflow decode` prints for the capture's datagrams to `port`: stdout lines and the summary. */
function decode(port: number, json: boolean): { lines: string[]; summary: string } {
  const r = spawnSync(process.execPath, [CLI, 'sflow', 'decode', CAPTURE, '--port', String(port), ...(json ? ['--json'] : [])], { encoding: 'utf8', timeout: 20_000 });
  expect(r.status).toBe(0);
  return { lines: r.stdout.trim().split('\n'), summary: r.stderr.trim().split('\n').pop()! };
}

/** decode's JSON objects less the capture's packet number (a live socket has none). */
function decodedObjects(port: number): Record<string, unknown>[] {
  return decode(port, true).lines.map((l) => {
    const o = JSON.parse(l) as Record<string, unknown>;
    expect(o.packet).toEqual(expect.any(Number));
    delete o.packet;
    return o;
  });
}

class Listener {
  stdout = '';
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly listening: Promise<string>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (this.stdout += s));
    const rl = createInterface({ input: child.stderr! });
    this.listening = new Promise((resolve) =>
      rl.on('line', (l) => {
        this.stderr.push(l);
        if (this.stderr.length === 1) resolve(l);
      }),
    );
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  static start(...args: string[]): Listener {
    return new Listener(spawn(process.execPath, [CLI, 'sflow', 'listen', '--host', '127.0.0.1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** The first stderr line (the listening notice), within `ms`. */
  async firstLine(ms = 10_000): Promise<string> {
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`no listening line within ${ms} ms; stderr: ${this.stderr.join('\n')}`)), ms)));
    try {
      return await Promise.race([this.listening, this.exited.then(() => this.listening), timeout]);
    } finally {
      clearTimeout(t);
    }
  }

  async exit(ms = 20_000): Promise<number | null> {
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`vigil sflow listen did not exit within ${ms} ms; stderr: ${this.stderr.join('\n')}`)), ms)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(t);
    }
  }

  /** Ends the process we started (by its pid) if it still runs. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  lines(): string[] {
    return this.stdout.trim() === '' ? [] : this.stdout.trim().split('\n');
  }

  summary(): string {
    return this.stderr[this.stderr.length - 1] ?? '';
  }
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const v4 = payloads(ports.v4);
const v6 = payloads(ports.v6);

/** Junk between the real datagrams: 4 malformed (one empty), 2 of other versions. */
function junk(): { malformed: Uint8Array[]; unsupported: Uint8Array[] } {
  const first = v4[0]!;
  const otherVersion = Uint8Array.from(first);
  otherVersion[3] = 4;
  const badAddress = Uint8Array.from(first.subarray(0, 64));
  badAddress.set([0, 0, 0, 9], 4); // agent address type 9
  // Cut short in its last sample. Its header is sound, so the collector does account it to its agent:
  // another agent's (192.0.2.99), so as not to look like a restart of 127.0.0.1.
  const cutShort = Uint8Array.from(first.subarray(0, first.length - 5));
  expect(Array.from(cutShort.subarray(4, 12))).toEqual([0, 0, 0, 1, 127, 0, 0, 1]);
  cutShort.set([192, 0, 2, 99], 8);
  return {
    malformed: [first.subarray(0, 30), new Uint8Array(0), badAddress, cutShort],
    unsupported: [otherVersion, new TextEncoder().encode('junk, not sFlow at all')],
  };
}

describe.each(['native', 'dgram'] as const)('vigil sflow listen (%s receive path)', (transport) => {
  const running: Listener[] = [];
  const senders: (Sender | Socket)[] = [];
  afterEach(() => {
    for (const l of running.splice(0)) l.kill();
    for (const s of senders.splice(0)) s.close();
  });

  it('prints the same JSON objects as sflow decode for the same datagrams, counts junk, and exits after --count samples', async () => {
    expect(v4.length).toBeGreaterThan(5);
    expect(v6.length).toBeGreaterThan(0);
    const expected = [...decodedObjects(ports.v4), ...decodedObjects(ports.v6)];
    const l = Listener.start('--port', '0', '--json', '--transport', transport, '--count', String(expected.length));
    running.push(l);
    const listening = JSON.parse(await l.firstLine()) as { listening: { address: string; port: number; transport: string } };
    expect(listening.listening).toMatchObject({ address: '127.0.0.1', transport });
    expect(listening.listening.port).toBeGreaterThan(0);

    const s = await Sender.open('127.0.0.1', listening.listening.port);
    senders.push(s);
    const { malformed, unsupported } = junk();
    // Junk first, between and before the last datagram: --count ends the run on the last sample.
    await s.send(malformed[0]!, ...v4.slice(0, 3), ...unsupported, ...v4.slice(3), ...malformed.slice(1), ...v6);
    expect(await l.exit()).toBe(0);

    const got = l.lines().map((x) => JSON.parse(x) as Record<string, unknown>);
    expect(got).toHaveLength(expected.length);
    expect(got).toEqual(expected);

    const sum = JSON.parse(l.summary()) as Record<string, unknown>;
    const d4 = JSON.parse(decode(ports.v4, true).summary) as Record<string, number>;
    const d6 = JSON.parse(decode(ports.v6, true).summary) as Record<string, number>;
    expect(sum).toMatchObject({
      datagrams: v4.length + v6.length + malformed.length + unsupported.length,
      samples: expected.length,
      flowSamples: d4.flowSamples! + d6.flowSamples!,
      counterSamples: d4.counterSamples! + d6.counterSamples!,
      unknownRecords: d4.unknownRecords! + d6.unknownRecords!,
      malformed: malformed.length,
      unsupported: unsupported.length,
      oversize: 0,
      lostDatagrams: 0,
      transport,
      stoppedBy: 'count',
    });
    const clean = { subAgentId: 0, lostDatagrams: 0, lateDatagrams: 0, duplicateDatagrams: 0, restarts: 0 };
    expect(sum.agents).toEqual([
      { agent: '127.0.0.1', datagrams: v4.length, ...clean },
      { agent: '192.0.2.99', datagrams: 1, ...clean },
      { agent: '::1', datagrams: v6.length, ...clean },
    ]);
    expect(sum.receiveDrops).toBe(transport === 'native' ? 0 : null);
    // stdout carried nothing but the samples; stderr: the listening line and the summary.
    expect(l.stderr).toHaveLength(2);
  });

  it('prints the text lines of sflow decode (numbered by datagram) until SIGINT, then a text summary', async () => {
    const port = await freeUdpPort();
    const l = Listener.start('--port', String(port), '--transport', transport);
    running.push(l);
    expect(await l.firstLine()).toMatch(new RegExp(`^vigil sflow listen: listening on 127\\.0\\.0\\.1 port ${port} \\(${transport} receive path, receive buffer \\d+ B\\)$`));
    const expected = decode(ports.v4, false);
    const s = await Sender.open('127.0.0.1', port);
    senders.push(s);
    await s.send(...v4);
    await until(() => l.lines().length >= expected.lines.length, 10_000, `${expected.lines.length} lines`);
    process.kill(l.child.pid!, 'SIGINT');
    expect(await l.exit()).toBe(0);
    // decode numbers lines by capture packet, listen by datagram received: the rest is identical.
    const strip = (x: string): string => x.replace(/^#\d+ /, '');
    expect(l.lines().map(strip)).toEqual(expected.lines.map(strip));
    expect(l.lines()[0]).toMatch(/^#1 127\.0\.0\.1\/0 /);
    expect(l.summary()).toMatch(
      new RegExp(
        `^sflow listen: ${v4.length} datagram\\(s\\), ${expected.lines.length} sample\\(s\\) .*, 0 malformed, 0 unsupported version, 0 oversize, .*; ` +
          `lost datagrams: 0 \\(127\\.0\\.0\\.1/0: 0\\); receive drops: ${transport === 'native' ? '0' : 'unknown'}; [\\d.]+ s \\(${transport}\\), stopped by SIGINT$`,
      ),
    );
  });

  it('stops after --duration seconds with nothing received', async () => {
    const l = Listener.start('--port', '0', '--json', '--duration', '0.3', '--transport', transport);
    running.push(l);
    await l.firstLine();
    expect(await l.exit()).toBe(0);
    expect(l.stdout).toBe('');
    expect(JSON.parse(l.summary())).toMatchObject({ datagrams: 0, samples: 0, malformed: 0, agents: [], stoppedBy: 'duration', transport });
  });

  it('says clearly when the port is taken, and exits 1', async () => {
    const blocker = createSocket('udp4');
    senders.push(blocker);
    await new Promise<void>((r) => blocker.bind({ port: 0, address: '127.0.0.1', exclusive: true }, () => r()));
    const port = blocker.address().port;
    const l = Listener.start('--port', String(port), '--transport', transport);
    running.push(l);
    expect(await l.exit()).toBe(1);
    expect(l.stdout).toBe('');
    expect(l.stderr.join('\n')).toMatch(new RegExp(`cannot bind the sFlow collector to 127\\.0\\.0\\.1 port ${port}: .*\\(choose another with --port, sflow\\.port or VIGIL_SFLOW_PORT\\)`));
  });
});
