/**
 * The target-based overlap policies on the classic test patterns, IPv4 and IPv6.
 *
 * Novak's 6-fragment test ("Target-Based Fragmentation Reassembly", 2005): fragments <1>..<6> below, sent
 * in this order, each byte of fragment n being the digit n; the reassembled 96 bytes are shown one
 * character per 8 bytes. Sources for the expected strings: Baggett's reference reassembler (SANS, "IP
 * Fragment Reassembly with Scapy", which sends this train) gives the same strings for first, last, bsd,
 * bsd-right and linux; the first 72 bytes of the 17-fragment cases below (covered by the same fragments
 * <1>..<5>) agree for every policy Suricata tests; windows and solaris keep the originals here, like first.
 *
 * The 17-fragment Sturges/Novak test (the paper's extended pattern; the expected strings for first, last,
 * bsd, linux, windows and solaris are those of Suricata's defrag unit tests): bsd-right has no published
 * string for it, its row is this model's own (a regression value).
 */
import { decodePacket } from '../../../../src/codec/packet/index.js';
import { OVERLAP_POLICIES, Reassembler, ipv4HeaderChecksum, type OverlapPolicy, type ReassemblyResult } from '../../../../src/analysis/reassembly/index.js';
import { filled, ipv4Fragment, ipv6Fragment, text } from './helpers.js';

interface Spec {
  offset: number;
  ch: string;
  len: number;
}

const NOVAK: Spec[] = [
  { offset: 0, ch: '1', len: 24 },
  { offset: 32, ch: '2', len: 16 },
  { offset: 48, ch: '3', len: 24 },
  { offset: 8, ch: '4', len: 32 },
  { offset: 48, ch: '5', len: 24 },
  { offset: 72, ch: '6', len: 24 },
];

const NOVAK_EXPECTED: Record<OverlapPolicy, string> = {
  first: '111422333666',
  last: '144442555666',
  bsd: '111442333666',
  'bsd-right': '144422555666',
  linux: '111442555666',
  windows: '111422333666',
  solaris: '111422333666',
};

const STURGES_NOVAK: Spec[] = [
  { offset: 0, ch: 'A', len: 24 }, { offset: 32, ch: 'B', len: 16 }, { offset: 48, ch: 'C', len: 24 },
  { offset: 80, ch: 'D', len: 8 }, { offset: 104, ch: 'E', len: 16 }, { offset: 120, ch: 'F', len: 24 },
  { offset: 144, ch: 'G', len: 16 }, { offset: 160, ch: 'H', len: 16 }, { offset: 176, ch: 'I', len: 8 },
  { offset: 8, ch: 'J', len: 32 }, { offset: 48, ch: 'K', len: 24 }, { offset: 72, ch: 'L', len: 24 },
  { offset: 96, ch: 'M', len: 24 }, { offset: 128, ch: 'N', len: 8 }, { offset: 152, ch: 'O', len: 8 },
  { offset: 160, ch: 'P', len: 8 }, { offset: 176, ch: 'Q', len: 16 },
];

const STURGES_NOVAK_EXPECTED: Record<OverlapPolicy, string> = {
  first: 'AAAJBBCCCLDLMEEFFFGGHHIQ',
  last: 'AJJJJBKKKLLLMMMFNFGOPHQQ',
  bsd: 'AAAJJBCCCLLLMMMFFFGGHHIQ',
  linux: 'AAAJJBKKKLLLMMMFFFGGPHQQ',
  windows: 'AAAJBBCCCLLLMEEFFFGGHHIQ',
  solaris: 'AAAJBBCCCLLLMMMFFFGGHHIQ',
  'bsd-right': 'AJJJBBKKKLLLMMMFFFGGHHQQ', // this model's (no published string)
};

function frames(spec: Spec[], v6: boolean): Uint8Array[] {
  return spec.map((s, i) => {
    const more = i !== spec.length - 1;
    const data = filled(s.len, s.ch);
    return v6 ? ipv6Fragment({ offset: s.offset, more, data, nextHeader: 58, id: 77 }) : ipv4Fragment({ offset: s.offset, more, data, protocol: 1, id: 77 });
  });
}

function run(policy: OverlapPolicy, spec: Spec[], v6: boolean): { last: ReassemblyResult; results: ReassemblyResult[]; r: Reassembler } {
  const r = new Reassembler({ policy });
  const results = frames(spec, v6).map((f, i) => r.push(f, 1, 1000 + i));
  return { last: results[results.length - 1]!, results, r };
}

/** One character per 8 bytes of the reassembled payload. */
function summary(bytes: Uint8Array, payloadAt: number): string {
  const p = text(bytes.subarray(payloadAt));
  let s = '';
  for (let i = 0; i < p.length; i += 8) {
    const unit = p.slice(i, i + 8);
    s += unit === unit[0]!.repeat(unit.length) ? unit[0] : '?';
  }
  return s;
}

describe.each([
  ['IPv4', false],
  ['IPv6', true],
])('%s', (_name, v6) => {
  const payloadAt = 14 + (v6 ? 40 : 20);

  it.each(OVERLAP_POLICIES.map((p) => [p]))("Novak's 6-fragment test, policy %s", (policy) => {
    const { last, results, r } = run(policy, NOVAK, v6);
    expect(results.slice(0, -1).map((x) => x.kind).every((k) => k === 'held' || k === 'dropped')).toBe(true);
    expect(last.kind).toBe('reassembled');
    if (last.kind !== 'reassembled') return;
    expect(summary(last.bytes, payloadAt)).toBe(NOVAK_EXPECTED[policy]);
    expect(last.bytes.length).toBe(payloadAt + 96);
    expect(last.policy).toBe(policy);
    expect(last.fragments).toBe(6);
    // The data differs where fragments overlap: flagged once for the datagram, whatever the policy.
    const findings = results.flatMap((x) => x.findings);
    expect(findings.map((f) => f.reason)).toEqual(['inconsistent-overlap']);
    expect(r.stats.overlaps).toBe(2); // <4> over <1> and <2>; <5> over <3>
    expect(r.stats.inconsistentOverlaps).toBe(2);
    expect(r.stats.datagrams).toBe(0);
    expect(r.stats.heldBytes).toBe(0);
    // A normal packet for the decoder.
    const d = decodePacket(last.bytes);
    if (v6) {
      const ip = d.layers.find((l) => l.type === 'ipv6');
      expect(ip).toMatchObject({ payloadLength: 96, nextHeader: 58, extensions: [] });
    } else {
      const ip = d.layers.find((l) => l.type === 'ipv4');
      expect(ip).toMatchObject({ totalLength: 116, moreFragments: false, fragmentOffset: 0, dontFragment: false });
      expect(ipv4HeaderChecksum(last.bytes, 14, 20)).toBe(0);
    }
    expect(d.issues).toEqual([]);
  });

  it.each(OVERLAP_POLICIES.map((p) => [p]))('the 17-fragment Sturges/Novak test, policy %s', (policy) => {
    const { last, results } = run(policy, STURGES_NOVAK, v6);
    expect(last.kind).toBe('reassembled');
    if (last.kind !== 'reassembled') return;
    expect(summary(last.bytes, payloadAt)).toBe(STURGES_NOVAK_EXPECTED[policy]);
    // No overlap among the 9 originals; the later ones overlap.
    expect(results.slice(0, 9).every((x) => x.kind === 'held' && x.findings.length === 0)).toBe(true);
  });
});

it('the policy can be chosen per destination (target-based)', () => {
  const r = new Reassembler({ policy: 'linux', policyFor: (dst) => (dst === '10.0.0.9' ? 'first' : undefined) });
  const out: Record<string, string> = {};
  for (const dst of ['10.0.0.2', '10.0.0.9']) {
    NOVAK.forEach((s, i) => {
      const res = r.push(ipv4Fragment({ offset: s.offset, more: i !== NOVAK.length - 1, data: filled(s.len, s.ch), protocol: 1, dst }), 1, i);
      if (res.kind === 'reassembled') out[dst] = `${res.policy}:${summary(res.bytes, 34)}`;
    });
  }
  expect(out).toEqual({ '10.0.0.2': `linux:${NOVAK_EXPECTED.linux}`, '10.0.0.9': `first:${NOVAK_EXPECTED.first}` });
});
