/**
 * The capture reader against tshark's reading of the same files: packet count, timestamp (to the
 * nanosecond), frame length, captured length and interface, for every fixture file and for captures this
 * test makes now with tcpdump (Ethernet on lo, Linux cooked v1/v2 on "any", nanosecond precision), dumpcap
 * (pcapng) and editcap conversions of them. Traffic: a few pings to 127.0.0.1 and ::1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCapture, readCapture, type CapturedPacket } from '../../src/codec/pcap/index.js';
import { haveTshark } from '../support/packet-oracle.js';

const FIX = new URL('../fixtures/packet/', import.meta.url).pathname;

interface Frame {
  ns: bigint | null;
  len: number;
  caplen: number;
  iface: number | null;
  protocols: string;
}

/** tshark's reading of every record (pcapng blocks that are not packets appear with protocol "data" and no encapsulation). */
function tsharkFrames(file: string): { frames: Frame[]; stderr: string } {
  const r = spawnSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=|', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.interface_id', '-e', 'frame.protocols', '-e', 'frame.encap_type'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const frames = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('|'))
    .filter(([, , , , protocols, encap]) => !(protocols === 'data' && encap === ''))
    .map(([t, len, cap, iface, protocols]) => ({ ns: t === '' || t === undefined ? null : epochNs(t), len: Number(len), caplen: Number(cap), iface: iface === '' ? null : Number(iface), protocols: protocols ?? '' }));
  return { frames, stderr: r.stderr };
}

function epochNs(t: string): bigint {
  const [sec, frac = ''] = t.split('.');
  return BigInt(sec!) * 1_000_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9));
}

function mine(p: CapturedPacket): Frame {
  return { ns: p.timestampNs, len: p.origLen, caplen: p.caplen, iface: p.interfaceId, protocols: '' };
}

/** Compares Vigil's packets with tshark's frames; SPB packets carry no timestamp (tshark prints none, Vigil 0). */
function expectSame(vigil: CapturedPacket[], ts: Frame[], pcapng: boolean): void {
  expect(vigil.length).toBe(ts.length);
  const v = vigil.map(mine).map((f, i) => ({ ...f, ns: ts[i]!.ns === null && f.ns === 0n ? null : f.ns, iface: pcapng ? f.iface : null, protocols: '' }));
  const t = ts.map((f) => ({ ...f, iface: pcapng ? f.iface ?? 0 : null, protocols: '' }));
  expect(v).toEqual(t);
}

const describeIf = haveTshark() ? describe : describe.skip;

describeIf('capture files: Vigil reads what tshark reads', () => {
  const files = ['protocols.pcap', 'truncated.pcap', ...readdirSync(FIX + 'linktypes').map((f) => `linktypes/${f}`), ...readdirSync(FIX + 'captures').map((f) => `captures/${f}`)];

  it.each(files)('%s', async (name) => {
    const path = FIX + name;
    const bytes = new Uint8Array(readFileSync(path));
    const reader = readCapture(bytes);
    const vigil = [...reader];
    const { frames, stderr } = tsharkFrames(path);
    expect(vigil.length).toBeGreaterThan(0);
    expectSame(vigil, frames, reader.format === 'pcapng');
    // tshark says "cut short in the middle of a packet" exactly when Vigil reports a truncated tail.
    expect(/cut short in the middle of a packet/.test(stderr)).toBe(reader.truncatedTail !== null);
    const streamed: CapturedPacket[] = [];
    for await (const p of openCapture(path, { chunkSize: 256 })) streamed.push(p);
    expectSame(streamed, frames, reader.format === 'pcapng');
  });
});

const canCapture = haveTshark() && spawnSync('tcpdump', ['--version']).status === 0 && process.getuid?.() === 0;
const describeLive = canCapture ? describe : describe.skip;

describeLive('live captures made now by tcpdump, dumpcap and editcap', () => {
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-capture-'));
    const captures: Array<[string, string[]]> = [
      ['lo-nano.pcap', ['-i', 'lo', '--time-stamp-precision=nano']],
      ['any-sll.pcap', ['-i', 'any', '-y', 'LINUX_SLL']],
      ['any-sll2.pcap', ['-i', 'any', '-y', 'LINUX_SLL2']],
      ['lo-snap50.pcap', ['-i', 'lo', '-s', '50']],
    ];
    const procs = captures.map(([file, args]) => spawn('tcpdump', [...args, '-U', '-c', '10', '-w', join(dir, file), 'icmp or icmp6'], { stdio: 'ignore' }));
    const dumpcap = spawn('dumpcap', ['-q', '-i', 'lo', '-c', '10', '-f', 'icmp or icmp6', '-w', join(dir, 'dumpcap.pcapng')], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1500));
    spawnSync('ping', ['-c', '4', '-i', '0.2', '-s', '100', '127.0.0.1']);
    spawnSync('ping', ['-6', '-c', '2', '-i', '0.2', '::1']);
    await new Promise((r) => setTimeout(r, 500));
    for (const p of [...procs, dumpcap]) {
      if (p.exitCode === null && p.pid !== undefined) p.kill('SIGINT');
    }
    await Promise.all([...procs, dumpcap].map((p) => (p.exitCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', r)))));
    spawnSync('editcap', ['-F', 'pcapng', join(dir, 'lo-nano.pcap'), join(dir, 'lo-nano.pcapng')]);
    spawnSync('editcap', ['-F', 'nsecpcap', join(dir, 'any-sll.pcap'), join(dir, 'any-sll-nsec.pcap')]);
    spawnSync('editcap', ['-F', 'pcap', join(dir, 'dumpcap.pcapng'), join(dir, 'dumpcap-usec.pcap')]);
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it.each(['lo-nano.pcap', 'any-sll.pcap', 'any-sll2.pcap', 'lo-snap50.pcap', 'dumpcap.pcapng', 'lo-nano.pcapng', 'any-sll-nsec.pcap', 'dumpcap-usec.pcap'])('%s', (name) => {
    const path = join(dir, name);
    const reader = readCapture(new Uint8Array(readFileSync(path)));
    const vigil = [...reader];
    const { frames } = tsharkFrames(path);
    expect(vigil.length).toBeGreaterThanOrEqual(6);
    expectSame(vigil, frames, reader.format === 'pcapng');
    const lt = { 'any-sll.pcap': 113, 'any-sll-nsec.pcap': 113, 'any-sll2.pcap': 276 }[name as 'any-sll.pcap'] ?? 1;
    expect(new Set(vigil.map((p) => p.linkType))).toEqual(new Set([lt]));
    if (name === 'lo-snap50.pcap') expect(vigil.every((p) => p.caplen <= 50 && p.origLen > 50)).toBe(true);
    if (name.includes('nano')) expect(vigil.some((p) => p.timestampNs % 1000n !== 0n)).toBe(true);
  });
});
