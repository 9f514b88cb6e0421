/**
 * The Reassembler against real tools. scapy (Debian's /usr/bin/python3, test/support/reassembly-scapy.py)
 * cuts datagrams with its own fragment() / fragment6() and builds overlapping fragment trains into pcaps;
 * Vigil reassembles each capture as read by readCapture, and Wireshark's tshark reassembles the same capture
 * (ip.defragment / ipv6.defragment).
 *
 *  - Non-overlapping captures (ICMP pings and UDP up to 65,000 bytes, in order / reversed / shuffled, VLAN,
 *    IPv6 extension headers before the fragment header, interleaved datagrams): Vigil completes each
 *    datagram at the same frame as tshark, with the same bytes as tshark and as scapy's datagram before it
 *    was cut; and the frames Vigil rebuilds, written to a pcap, are whole, well-formed packets to tshark
 *    (IPv4 header, ICMP, ICMPv6 and UDP checksums all good, no fragment fields left).
 *  - Overlapping captures: what each target policy keeps is asserted (Novak's 6-fragment test and the
 *    17-fragment Sturges/Novak test, IPv4 and IPv6). tshark reassembles overlaps with its own rule, which is
 *    not a target policy: every byte from the fragment with the lowest original offset, the earliest one on
 *    a tie (reassemble.c works on untrimmed fragments). On both Novak patterns that is exactly Vigil's `bsd`
 *    policy, asserted here; the `v4-bsd-vs-wireshark` train shows where they part (a held fragment trimmed
 *    by an earlier-starting one loses to a later fragment in BSD, not in Wireshark), and that tshark's
 *    output there is its lowest-offset rule. tshark's "conflicting data in fragment overlap" flag and Vigil's
 *    inconsistent-overlap finding agree.
 *
 * Oracle tests never skip: a missing tshark or scapy fails them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OVERLAP_POLICIES, Reassembler, type OverlapPolicy, type ReassemblyResult } from '../../src/analysis/reassembly/index.js';
import { decodePacket } from '../../src/codec/packet/index.js';
import { readCapture } from '../../src/codec/pcap/index.js';

const SCAPY_SCRIPT = new URL('../support/reassembly-scapy.py', import.meta.url).pathname;

interface CleanScenario {
  name: string;
  file: string;
  kind: 'clean';
  frames: number;
  datagrams: string[];
}

interface OverlapScenario {
  name: string;
  file: string;
  kind: 'overlap';
  ipVersion: 4 | 6;
  frames: number;
  fragments: Array<{ offset: number; char: string; length: number; more: boolean }>;
}

type Scenario = CleanScenario | OverlapScenario;

interface TsharkFrame {
  frame: number;
  reassembled: Uint8Array | null;
  conflict: boolean;
}

/** tshark's reassembly of a capture: per frame, the reassembled data (if reassembled there) and the conflict flag. */
function tsharkReassembly(file: string): TsharkFrame[] {
  const out = execFileSync(
    'tshark',
    ['-r', file, '-o', 'ip.defragment:TRUE', '-o', 'ipv6.defragment:TRUE', '-T', 'fields', '-E', 'separator=|',
      '-e', 'frame.number', '-e', 'ip.reassembled.data', '-e', 'ipv6.reassembled.data', '-e', 'ip.fragment.overlap.conflict', '-e', 'ipv6.fragment.overlap.conflict'],
    { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [n, d4, d6, c4, c6] = l.split('|');
      const hex = (d4 ?? '') !== '' ? d4! : (d6 ?? '');
      return { frame: Number(n), reassembled: hex === '' ? null : Uint8Array.from(Buffer.from(hex, 'hex')), conflict: (c4 ?? '') !== '' || (c6 ?? '') !== '' };
    });
}

interface Ours {
  frame: number;
  bytes: Uint8Array;
  payload: Uint8Array;
  result: Extract<ReassemblyResult, { kind: 'reassembled' }>;
}

/** Vigil's reassembly of a capture, with the fragmentable part of each reassembled frame. */
function vigilReassembly(file: string, policy: OverlapPolicy = 'linux'): { ours: Ours[]; results: ReassemblyResult[]; r: Reassembler } {
  const r = new Reassembler({ policy });
  const results: ReassemblyResult[] = [];
  const ours: Ours[] = [];
  let frame = 0;
  for (const p of readCapture(new Uint8Array(readFileSync(file)))) {
    frame++;
    const res = r.push(p.data, p.linkType, p.timestampNs);
    results.push(res);
    if (res.kind === 'reassembled') ours.push({ frame, bytes: res.bytes, payload: payloadOf(res.bytes), result: res });
  }
  return { ours, results, r };
}

/** The bytes after the IPv4 header, or after the IPv6 header and its (unfragmentable) extension headers. */
function payloadOf(frame: Uint8Array): Uint8Array {
  const d = decodePacket(frame);
  const ip = d.layers.find((l) => l.type === 'ipv4' || l.type === 'ipv6');
  if (ip === undefined) throw new Error('no IP layer in a reassembled frame');
  return frame.subarray(ip.offset + (ip.type === 'ipv4' ? ip.ihl * 4 : ip.headerLength));
}

/** A classic pcap (microseconds) of Ethernet frames. */
function writePcap(path: string, frames: Array<{ ts: bigint; bytes: Uint8Array }>): void {
  const parts: Buffer[] = [];
  const gh = Buffer.alloc(24);
  gh.writeUInt32LE(0xa1b2c3d4, 0);
  gh.writeUInt16LE(2, 4);
  gh.writeUInt16LE(4, 6);
  gh.writeUInt32LE(262144, 16);
  gh.writeUInt32LE(1, 20);
  parts.push(gh);
  for (const f of frames) {
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(Number(f.ts / 1_000_000_000n), 0);
    rh.writeUInt32LE(Number((f.ts % 1_000_000_000n) / 1000n), 4);
    rh.writeUInt32LE(f.bytes.length, 8);
    rh.writeUInt32LE(f.bytes.length, 12);
    parts.push(rh, Buffer.from(f.bytes));
  }
  writeFileSync(path, Buffer.concat(parts));
}

/** One character per 8 bytes of an overlap train's reassembled payload. */
function units(b: Uint8Array): string {
  const s = Buffer.from(b).toString('latin1');
  let out = '';
  for (let i = 0; i < s.length; i += 8) out += s[i];
  return out;
}

const NOVAK_EXPECTED: Record<OverlapPolicy, string> = {
  first: '111422333666',
  last: '144442555666',
  bsd: '111442333666',
  'bsd-right': '144422555666',
  linux: '111442555666',
  windows: '111422333666',
  solaris: '111422333666',
};

const STURGES_NOVAK_EXPECTED: Record<OverlapPolicy, string> = {
  first: 'AAAJBBCCCLDLMEEFFFGGHHIQ',
  last: 'AJJJJBKKKLLLMMMFNFGOPHQQ',
  bsd: 'AAAJJBCCCLLLMMMFFFGGHHIQ',
  linux: 'AAAJJBKKKLLLMMMFFFGGPHQQ',
  windows: 'AAAJBBCCCLLLMEEFFFGGHHIQ',
  solaris: 'AAAJBBCCCLLLMMMFFFGGHHIQ',
  'bsd-right': 'AJJJBBKKKLLLMMMFFFGGHHQQ',
};

const DIVERGE_EXPECTED: Partial<Record<OverlapPolicy, string>> = { bsd: 'ZBBCCAY', linux: 'ZBBCCAY', first: 'ZBAAAAY', last: 'ZBCCCAY' };

/** Wireshark's rule: each byte from the covering fragment with the lowest original offset, earliest on a tie. */
function lowestOffsetRule(fragments: OverlapScenario['fragments']): string {
  const end = Math.max(...fragments.map((f) => f.offset + f.length));
  let out = '';
  for (let x = 0; x < end; x += 8) {
    let best: (typeof fragments)[number] | undefined;
    for (const f of fragments) if (f.offset <= x && x < f.offset + f.length && (best === undefined || f.offset < best.offset)) best = f;
    out += best?.char ?? '?';
  }
  return out;
}

let dir = '';
let scenarios: Scenario[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-reassembly-'));
  execFileSync('/usr/bin/python3', [SCAPY_SCRIPT, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  scenarios = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Scenario[];
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const CLEAN = ['v4-icmp-ping', 'v4-udp-shuffled', 'v4-udp-vlan-reversed', 'v4-udp-65000-shuffled', 'v4-interleaved', 'v6-icmpv6-ping', 'v6-udp-ext-headers-shuffled', 'v6-udp-30000-reversed'];

function scenario<K extends Scenario['kind']>(name: string, kind: K): Extract<Scenario, { kind: K }> {
  const s = scenarios.find((x) => x.name === name);
  if (s === undefined || s.kind !== kind) throw new Error(`no ${kind} scenario ${name} in the manifest`);
  return s as Extract<Scenario, { kind: K }>;
}

describe('non-overlapping fragments: Vigil, tshark and scapy agree', () => {
  it('the manifest has every scenario', () => {
    expect(scenarios.map((s) => s.name).sort()).toEqual([...CLEAN, 'v4-bsd-vs-wireshark', 'v4-novak', 'v4-sturges-novak', 'v6-novak', 'v6-sturges-novak'].sort());
  });

  it.each(CLEAN)('%s', (name) => {
    const s = scenario(name, 'clean');
    const path = join(dir, s.file);
    const ts = tsharkReassembly(path);
    expect(ts).toHaveLength(s.frames);
    const theirs = ts.filter((t) => t.reassembled !== null);
    const { ours, results, r } = vigilReassembly(path);
    // Same datagrams, completed at the same frames, with the same bytes — tshark's and scapy's.
    expect(ours.map((o) => o.frame)).toEqual(theirs.map((t) => t.frame));
    expect(ours.map((o) => Buffer.from(o.payload).toString('hex'))).toEqual(theirs.map((t) => Buffer.from(t.reassembled!).toString('hex')));
    expect(ours.map((o) => Buffer.from(o.payload).toString('hex'))).toEqual(s.datagrams);
    expect(results.flatMap((x) => x.findings)).toEqual([]);
    expect(r.stats).toMatchObject({ datagrams: 0, heldBytes: 0, overlaps: 0, duplicates: 0, reassembled: s.datagrams.length });

    // Vigil's rebuilt frames, read back by tshark: whole packets with good checksums.
    const rebuilt = join(dir, `${name}.vigil.pcap`);
    writePcap(rebuilt, ours.map((o) => ({ ts: o.result.ts as bigint, bytes: o.bytes })));
    const fields = ['ip.checksum.status', 'udp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status', 'ip.flags.mf', 'ip.frag_offset', 'ipv6.fraghdr.nxt', '_ws.malformed', '_ws.expert.severity', 'ip.len', 'ipv6.plen', 'frame.len'];
    const out = execFileSync(
      'tshark',
      ['-r', rebuilt, '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', '-T', 'json', ...fields.flatMap((f) => ['-e', f])],
      { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const rows = (JSON.parse(out) as Array<{ _source: { layers: Record<string, string[]> } }>).map((x) => x._source.layers);
    expect(rows).toHaveLength(ours.length);
    rows.forEach((row, i) => {
      const statuses = ['ip.checksum.status', 'udp.checksum.status', 'icmp.checksum.status', 'icmpv6.checksum.status'].flatMap((f) => row[f] ?? []);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.every((v) => v === '1')).toBe(true); // 1 = good
      expect(row['_ws.malformed']).toBeUndefined();
      expect(row['_ws.expert.severity']).toBeUndefined();
      expect(row['ipv6.fraghdr.nxt']).toBeUndefined();
      if (row['ip.flags.mf'] !== undefined) expect([row['ip.flags.mf'], row['ip.frag_offset']]).toEqual([['0'], ['0']]);
      const ipLen = Number(row['ip.len']?.[0] ?? Number(row['ipv6.plen']?.[0]) + 40);
      expect(Number(row['frame.len']![0])).toBe(ours[i]!.bytes.length);
      expect(ipLen).toBe(ours[i]!.bytes.length - (name.includes('vlan') ? 18 : 14)); // the IP length covers the datagram exactly
    });
  });
});

describe('overlapping fragments: target policies, and tshark', () => {
  it.each([
    ['v4-novak', NOVAK_EXPECTED],
    ['v6-novak', NOVAK_EXPECTED],
    ['v4-sturges-novak', STURGES_NOVAK_EXPECTED],
    ['v6-sturges-novak', STURGES_NOVAK_EXPECTED],
  ] as const)('%s: every policy as the target sees it; tshark matches bsd', (name, expected) => {
    const s = scenario(name, 'overlap');
    const path = join(dir, s.file);
    const ts = tsharkReassembly(path);
    const theirs = ts.filter((t) => t.reassembled !== null);
    expect(theirs.map((t) => t.frame)).toEqual([s.frames]);
    expect(ts.some((t) => t.conflict)).toBe(true);
    const got: Record<string, string> = {};
    for (const policy of OVERLAP_POLICIES) {
      const { ours, results } = vigilReassembly(path, policy);
      expect(ours.map((o) => o.frame)).toEqual([s.frames]);
      got[policy] = units(ours[0]!.payload);
      expect(results.flatMap((x) => x.findings).map((f) => f.reason)).toEqual(['inconsistent-overlap']); // as tshark's conflict flag
    }
    expect(got).toEqual(expected);
    expect(units(theirs[0]!.reassembled!)).toBe(got.bsd);
    expect(units(theirs[0]!.reassembled!)).toBe(lowestOffsetRule(s.fragments));
  });

  it('v4-bsd-vs-wireshark: where tshark (lowest original offset) and the BSD model part', () => {
    const s = scenario('v4-bsd-vs-wireshark', 'overlap');
    const path = join(dir, s.file);
    const theirs = tsharkReassembly(path).filter((t) => t.reassembled !== null);
    expect(theirs).toHaveLength(1);
    const wireshark = units(theirs[0]!.reassembled!);
    expect(wireshark).toBe(lowestOffsetRule(s.fragments));
    expect(wireshark).toBe('ZBBAAAY');
    for (const [policy, want] of Object.entries(DIVERGE_EXPECTED) as Array<[OverlapPolicy, string]>) {
      const { ours } = vigilReassembly(path, policy);
      expect(units(ours[0]!.payload)).toBe(want);
    }
    expect(DIVERGE_EXPECTED.bsd).not.toBe(wireshark);
  });
});
