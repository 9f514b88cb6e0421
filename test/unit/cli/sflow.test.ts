/**
 * `vigil sflow decode`: one line (or compact JSON object) per sample of a capture, a summary on stderr,
 * malformed datagrams reported and counted, exit status 0/1/2.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sflowCommand } from '../../../src/cli/sflow.js';
import { encodeDatagram, udpPcap } from '../../support/sflow-encode.js';

const FIX = new URL('../../fixtures/sflow/', import.meta.url).pathname;
const CAPTURE = FIX + 'ovs-capture.pcapng';
const ports = (JSON.parse(readFileSync(FIX + 'ovs-capture.ovs.json', 'utf8')) as { ports: { v4: number; v6: number } }).ports;

/** The summary is the last line on stderr (node may print a warning of its own before it). */
const lastLine = (s: string): string => s.trim().split('\n').pop()!;

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  try {
    const status = await sflowCommand(args);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('vigil sflow decode', () => {
  it('prints one JSON object per sample with the fields sflowtool users expect, and a JSON summary', async () => {
    const r = await run('decode', CAPTURE, '--json', '--port', String(ports.v4));
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const flows = lines.filter((l) => l.kind === 'flow');
    const counters = lines.filter((l) => l.kind === 'counters');
    expect(flows.length).toBeGreaterThan(10);
    expect(counters.length).toBeGreaterThan(5);
    for (const l of lines) {
      expect(l).toEqual(expect.objectContaining({ agent: '127.0.0.1', subAgentId: 0, datagramSequence: expect.any(Number), sequence: expect.any(Number), sourceId: expect.stringMatching(/^\d+:\d+$/) }));
    }
    for (const f of flows) {
      expect(f).toEqual(expect.objectContaining({ samplingRate: 4, samplePool: expect.any(Number), drops: 0, input: expect.any(Number), output: expect.any(Number) }));
      const raw = (f.records as Record<string, unknown>[]).find((x) => x.type === 'raw_header')!;
      expect(raw).toEqual(expect.objectContaining({ headerProtocol: 1, headerLength: expect.any(Number), header: expect.stringMatching(/^[0-9a-f]+$/) }));
      expect((raw.layers as { type: string }[])[0]!.type).toBe('ethernet');
    }
    const generic = counters.flatMap((c) => c.records as Record<string, unknown>[]).find((x) => x.type === 'generic_interface')!;
    expect(typeof generic.ifInOctets).toBe('number'); // 64-bit counters as JSON numbers while exact
    expect(generic.ifSpeed).toBe(10_000_000_000);
    const summary = JSON.parse(lastLine(r.stderr)) as Record<string, number>;
    expect(summary).toMatchObject({ samples: lines.length, flowSamples: flows.length, counterSamples: counters.length, malformed: 0, unsupported: 0 });
    expect(summary.datagrams).toBeGreaterThan(10);
    // The IPv6-agent datagrams went to the other port: not sFlow for this run.
    expect(summary.otherPackets).toBeGreaterThan(0);
  });

  it('prints readable lines and a text summary without --json', async () => {
    const r = await run('decode', CAPTURE, '--port', String(ports.v6));
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => /^#\d+ ::1\/0 dgram=\d+ (FLOW|COUNTERS) /.test(l))).toBe(true);
    expect(lines.some((l) => /COUNTERS .*\| interface if=\d+ speed=10000000000 /.test(l))).toBe(true);
    expect(lastLine(r.stderr)).toMatch(/^sflow: \d+ datagram\(s\), \d+ sample\(s\) .* 0 malformed, 0 unsupported version/);
  });

  it('reports malformed and other-version datagrams, keeps going, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-sflow-cli-'));
    const good = encodeDatagram({ agent: '192.0.2.1', subAgentId: 0, sequence: 1, uptime: 1, samples: [{ kind: 'counters', expanded: false, sequence: 1, sourceIdType: 0, sourceIdIndex: 3, records: [] }] });
    const truncated = good.subarray(0, good.length - 3);
    const v4 = Uint8Array.from(good);
    v4[3] = 4;
    const file = join(dir, 'mixed.pcap');
    writeFileSync(file, udpPcap([good, truncated, v4, good]));
    const r = await run('decode', '--json', file);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.kind ?? l.code)).toEqual(['counters', 'bad-length', 'unsupported-version', 'counters']);
    expect(lines[1]).toMatchObject({ packet: 2, offset: 32 });
    expect(JSON.parse(lastLine(r.stderr))).toMatchObject({ datagrams: 4, samples: 2, malformed: 1, unsupported: 1, captureError: null });
  });

  it('says what is wrong with the command line (exit 2) and a damaged capture (exit 1)', async () => {
    expect((await run()).status).toBe(2);
    expect((await run('frobnicate')).stderr).toMatch(/unknown subcommand 'frobnicate'/);
    expect((await run('decode')).status).toBe(2);
    expect((await run('decode', CAPTURE, '--port', '70000')).stderr).toMatch(/--port must be 1\.\.65535/);
    const missing = await run('decode', '/nonexistent/x.pcap');
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringMatching(/cannot read \/nonexistent\/x\.pcap/)]);
    const help = await run('decode', '--help');
    expect([help.status, help.stdout]).toEqual([0, expect.stringMatching(/^Usage: vigil sflow decode/)]);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-sflow-cli-'));
    writeFileSync(join(dir, 'junk.pcap'), Buffer.from('this is not a capture file at all'));
    const junk = await run('decode', join(dir, 'junk.pcap'));
    expect(junk.status).toBe(1);
    expect(junk.stderr).toMatch(/capture error: /);
  });

  it('documents listen in the help', async () => {
    const help = await run('listen', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^ {7}vigil sflow listen \[--host ADDR\] \[--port N\] \[--json\] \[--count N\] \[--duration S\]$/m);
  });
});

// Usage errors are found before any socket is opened (the live paths are in test/integration/sflow-listen.test.ts).
describe('vigil sflow listen usage', () => {
  it.each([
    [['--count', '0'], /--count must be a positive integer, not "0"/],
    [['--count', '2.5'], /--count must be a positive integer/],
    [['--duration', 'soon'], /--duration must be a number of seconds above 0/],
    [['--duration', '0'], /--duration must be a number of seconds above 0/],
    [['--duration', '1e9'], /at most 2147483/],
    [['--port', '70000'], /--port must be 0\.\.65535/],
    [['--port=-1'], /--port must be 0\.\.65535, not "-1"/],
    [['--transport', 'carrier-pigeon'], /--transport must be one of auto, native, dgram/],
    [['--host', ''], /--host must not be empty/],
    [['extra'], /Unexpected argument 'extra'/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with exit 2', async (args, msg) => {
    const r = await run('listen', ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stdout).toBe('');
  });

  it('refuses a configuration file it cannot read with exit 2', async () => {
    const r = await run('listen', '--config', '/nonexistent/vigil.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/vigil sflow listen: .*ENOENT/);
  });
});
