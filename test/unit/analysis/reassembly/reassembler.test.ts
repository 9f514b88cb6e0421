/**
 * Reassembler behaviour: pass-through, reassembly in any arrival order (IPv4, IPv6 with extension headers,
 * VLANs, link types), duplicates, timeouts on the injected clock, caps and evictions, and the
 * fragment_evasion findings (tiny, DF, atomic, oversize, inconsistent overlap, unaligned, length conflict,
 * Next Header mismatch).
 */
import { decodePacket, FragFlag, PacketSummary, summarizePacket, type Ipv6Layer } from '../../../../src/codec/packet/index.js';
import { Reassembler, ipv4HeaderChecksum, type FragmentEvasion, type ReassemblerOptions, type ReassemblyResult } from '../../../../src/analysis/reassembly/index.js';
import { filled, ipv4Fragment, ipv6Fragment, pattern, split, text, udp, type Frag4, type Frag6 } from './helpers.js';

type Part = { offset: number; more: boolean; data: Uint8Array };

function v4frames(parts: Part[], extra: Partial<Frag4> = {}): Uint8Array[] {
  return parts.map((p) => ipv4Fragment({ ...extra, ...p }));
}

function v6frames(parts: Part[], extra: Partial<Frag6> = {}): Uint8Array[] {
  return parts.map((p) => ipv6Fragment({ ...extra, ...p }));
}

function pushAll(r: Reassembler, frames: Uint8Array[], ts = 0, linkType = 1): ReassemblyResult[] {
  return frames.map((f, i) => r.push(f, linkType, ts + i));
}

function reassembled(results: ReassemblyResult[]): Extract<ReassemblyResult, { kind: 'reassembled' }>[] {
  return results.filter((x): x is Extract<ReassemblyResult, { kind: 'reassembled' }> => x.kind === 'reassembled');
}

function findings(results: ReassemblyResult[]): FragmentEvasion[] {
  return results.flatMap((x) => [...x.findings]);
}

function shuffle<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const datagram = udp(pattern(3000, 7));

describe('pass-through', () => {
  it('returns non-fragments untouched (the same array), with no findings', () => {
    const r = new Reassembler();
    const whole = [
      ipv4Fragment({ offset: 0, more: false, data: datagram }),
      ipv4Fragment({ offset: 0, more: false, df: true, data: datagram }), // DF on a whole packet is normal
      Uint8Array.from([...new Array<number>(12).fill(1), 0x08, 0x06, ...new Array<number>(28).fill(0)]), // ARP
      Uint8Array.from([0, 1, 2]), // runt
    ];
    for (const f of whole) {
      const res = r.push(f, 1, 0);
      expect(res.kind).toBe('whole');
      if (res.kind === 'whole') expect(res.bytes).toBe(f);
      expect(res.findings).toEqual([]);
    }
    expect(r.push(new Uint8Array(40), 147, 0).kind).toBe('whole'); // a link type not parsed
    expect(r.stats).toMatchObject({ packets: 5, whole: 5, fragments: 0 });
  });
});

describe('reassembly', () => {
  const parts = split(datagram, 1480);

  it.each([
    ['in order', (p: Part[]) => p],
    ['reversed', (p: Part[]) => [...p].reverse()],
    ['shuffled', (p: Part[]) => shuffle(p, 3)],
  ])('IPv4 %s: the same whole packet, decodable, stamped with the last fragment', (_n, order) => {
    for (const hold of ['copy', 'view'] as const) {
      const r = new Reassembler({ hold });
      const frames = v4frames(order(parts), { id: 42 });
      const results = pushAll(r, frames, 5000);
      expect(results.slice(0, -1).map((x) => x.kind)).toEqual(['held', 'held']);
      const [out] = reassembled(results);
      expect(out).toMatchObject({ kind: 'reassembled', linkType: 1, ts: 5002, fragments: 3, policy: 'linux' });
      expect(out!.key).toEqual({ ipVersion: 4, src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, id: 42, vlan: [] });
      expect(out!.bytes).toEqual(ipv4Fragment({ offset: 0, more: false, data: datagram, id: 42 }));
      const d = decodePacket(out!.bytes);
      expect(d.issues).toEqual([]);
      expect(d.layers.map((l) => l.type)).toEqual(['ethernet', 'ipv4', 'udp', 'payload']);
      const s = summarizePacket(out!.bytes, 0, out!.bytes.length, new PacketSummary());
      expect(s.fragFlags & FragFlag.IS_FRAGMENT).toBe(0);
      expect([s.srcPort, s.dstPort, s.ipTotalLength]).toEqual([1234, 5678, 20 + datagram.length]);
      expect(r.stats).toMatchObject({ fragments: 3, reassembled: 1, datagrams: 0, heldBytes: 0 });
    }
  });

  it.each([
    ['in order', (p: Part[]) => p],
    ['reversed', (p: Part[]) => [...p].reverse()],
    ['shuffled', (p: Part[]) => shuffle(p, 11)],
  ])('IPv6 %s', (_n, order) => {
    const r = new Reassembler();
    const results = pushAll(r, v6frames(order(split(datagram, 1232)), { id: 0xdeadbeef }));
    const [out] = reassembled(results);
    expect(out!.fragments).toBe(3);
    expect(out!.key).toMatchObject({ ipVersion: 6, src: '2001:db8::1', protocol: 17, id: 0xdeadbeef });
    const d = decodePacket(out!.bytes);
    const ip = d.layers.find((l): l is Ipv6Layer => l.type === 'ipv6')!;
    expect(ip).toMatchObject({ payloadLength: datagram.length, nextHeader: 17, extensions: [], upperProtocol: 17 });
    expect(d.layers.find((l) => l.type === 'udp')).toMatchObject({ length: datagram.length });
    expect(out!.bytes.subarray(54)).toEqual(datagram);
  });

  it('IPv6 with extension headers before the fragment header keeps them (Next Header re-pointed)', () => {
    const r = new Reassembler();
    const ext = [{ type: 0 as const }, { type: 43 as const, len: 1 }, { type: 60 as const }];
    const [out] = reassembled(pushAll(r, v6frames(shuffle(split(datagram, 1200), 5), { ext })));
    const d = decodePacket(out!.bytes);
    const ip = d.layers.find((l): l is Ipv6Layer => l.type === 'ipv6')!;
    expect(ip.extensions.map((e) => [e.type, e.nextHeader])).toEqual([['hop-by-hop', 43], ['routing', 60], ['destination-options', 17]]);
    expect(ip.payloadLength).toBe(8 + 16 + 8 + datagram.length);
    expect(d.layers.find((l) => l.type === 'udp')).toMatchObject({ srcPort: 1234, length: datagram.length });
    expect(d.issues).toEqual([]);
  });

  it('IPv4 options of the first fragment are kept; checksum recomputed; flags cleared', () => {
    const r = new Reassembler();
    const options = Uint8Array.from([0x94, 0x04, 0, 0]); // router alert
    const frames = split(datagram, 1480).map((p) => ipv4Fragment({ ...p, df: false, options: p.offset === 0 ? options : undefined, ttl: 9 }));
    const [out] = reassembled(pushAll(r, frames.reverse()));
    const d = decodePacket(out!.bytes);
    expect(d.layers.find((l) => l.type === 'ipv4')).toMatchObject({ ihl: 6, totalLength: 24 + datagram.length, ttl: 9, moreFragments: false, fragmentOffset: 0, options: [{ type: 0x94 }] });
    expect(ipv4HeaderChecksum(out!.bytes, 14, 24)).toBe(0);
  });

  it('other link types: raw IP (101) and Linux cooked (113) keep their link header', () => {
    const r = new Reassembler();
    const raw = v4frames(split(datagram, 1480), { raw: true });
    const [a] = reassembled(pushAll(r, raw, 0, 101));
    expect(a!.linkType).toBe(101);
    expect(a!.bytes).toEqual(ipv4Fragment({ offset: 0, more: false, data: datagram, raw: true }));
    const sll = (f: Uint8Array): Uint8Array => Uint8Array.from([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00, ...f]);
    const [b] = reassembled(pushAll(r, raw.map(sll), 0, 113));
    expect(b!.bytes).toEqual(sll(a!.bytes));
  });

  it('keys on the VLAN stack: the same addresses and id on two VLANs are two datagrams', () => {
    const r = new Reassembler();
    const p10 = udp(filled(2000, 'x'));
    const p20 = udp(filled(2000, 'y'));
    const a = v4frames(split(p10, 1000), { vlan: [10], id: 5 });
    const b = v4frames(split(p20, 1000), { vlan: [20], id: 5 });
    const c = v4frames(split(udp(filled(2000, 'z')), 1000), { id: 5 }); // untagged
    const d = v4frames(split(udp(filled(2000, 'w')), 1000), { vlan: [10, 30], id: 5 }); // QinQ
    const interleaved = a.flatMap((f, i) => [f, b[i]!, c[i]!, d[i]!]);
    const outs = reassembled(pushAll(r, interleaved));
    expect(outs.map((o) => [o.key.vlan, text(o.bytes.subarray(o.bytes.length - 3))])).toEqual([
      [[10], 'xxx'], [[20], 'yyy'], [[], 'zzz'], [[10, 30], 'www'],
    ]);
    expect(decodePacket(outs[1]!.bytes).layers.find((l) => l.type === 'vlan')).toMatchObject({ vid: 20 });
    expect(r.stats.overlaps).toBe(0);
  });

  it('keeps datagrams of different ids, protocols and addresses apart', () => {
    const r = new Reassembler();
    const variants: Array<Partial<Frag4>> = [{ id: 1 }, { id: 2 }, { id: 1, protocol: 6 }, { id: 1, src: '10.9.9.9' }, { id: 1, dst: '10.9.9.8' }];
    const sets = variants.map((x, i) => v4frames(split(udp(filled(1600, String.fromCharCode(97 + i))), 800), x));
    const outs = reassembled(pushAll(r, sets[0]!.map((_, k) => sets.map((s) => s[k]!)).flat()));
    expect(outs.map((o) => text(o.bytes.subarray(-1)))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('copies what it holds: the caller may reuse its buffers', () => {
    const r = new Reassembler();
    const frames = v4frames(split(datagram, 1480));
    const results = frames.map((f, i) => {
      const res = r.push(f, 1, i);
      f.fill(0xee); // the caller's buffer is overwritten after each push
      return res;
    });
    expect(reassembled(results)[0]!.bytes).toEqual(ipv4Fragment({ offset: 0, more: false, data: datagram }));
  });

  it('takes the header from the fragment holding byte 0 under the policy', () => {
    for (const [policy, ttl] of [['first', 1], ['last', 2]] as const) {
      const r = new Reassembler({ policy });
      const parts = split(datagram, 1480);
      const frames = [ipv4Fragment({ ...parts[0]!, ttl: 1 }), ipv4Fragment({ ...parts[0]!, ttl: 2 }), ...v4frames(parts.slice(1))];
      const [out] = reassembled(pushAll(r, frames));
      expect(out!.bytes[14 + 8]).toBe(ttl);
    }
  });

  it('accepts bigint nanosecond timestamps and returns the completing one as given', () => {
    const r = new Reassembler();
    const frames = v4frames(split(datagram, 1480));
    const res = frames.map((f, i) => r.push(f, 1, 1_700_000_000_000_000_000n + BigInt(i) * 1000n));
    expect(reassembled(res)[0]!.ts).toBe(1_700_000_000_000_002_000n);
  });
});

describe('duplicates and overlaps', () => {
  it('drops exact duplicates (counted) and still reassembles', () => {
    const r = new Reassembler();
    const frames = v4frames(split(datagram, 1480));
    const results = pushAll(r, [frames[0]!, frames[0]!, frames[1]!, frames[1]!, frames[2]!]);
    expect(results.map((x) => (x.kind === 'dropped' ? x.reason : x.kind))).toEqual(['held', 'duplicate', 'held', 'duplicate', 'reassembled']);
    expect(reassembled(results)[0]!.bytes.subarray(34)).toEqual(datagram);
    expect(r.stats).toMatchObject({ duplicates: 2, overlaps: 0, inconsistentOverlaps: 0 });
    expect(findings(results)).toEqual([]);
  });

  it('a consistent partial overlap is counted, not flagged', () => {
    const r = new Reassembler();
    const p = pattern(64, 3);
    const results = pushAll(r, [
      ipv4Fragment({ offset: 0, more: true, data: p.subarray(0, 32) }),
      ipv4Fragment({ offset: 16, more: true, data: p.subarray(16, 48) }),
      ipv4Fragment({ offset: 40, more: false, data: p.subarray(40, 64) }),
    ]);
    expect(reassembled(results)[0]!.bytes.subarray(34)).toEqual(p);
    expect(findings(results)).toEqual([]);
    expect(r.stats).toMatchObject({ overlaps: 2, inconsistentOverlaps: 0, duplicates: 0 });
  });

  it('an inconsistent overlap is flagged with evidence and reassembled per the policy', () => {
    for (const policy of ['first', 'last'] as const) {
      const r = new Reassembler({ policy });
      const results = pushAll(r, [
        ipv4Fragment({ offset: 0, more: true, data: filled(16, 'a') }),
        ipv4Fragment({ offset: 8, more: true, data: filled(16, 'b') }),
        ipv4Fragment({ offset: 24, more: false, data: filled(8, 'c') }),
      ]);
      expect(text(reassembled(results)[0]!.bytes.subarray(34))).toBe(policy === 'first' ? 'aaaaaaaaaaaaaaaabbbbbbbbcccccccc' : 'aaaaaaaabbbbbbbbbbbbbbbbcccccccc');
      expect(findings(results)).toEqual([
        {
          type: 'fragment_evasion', reason: 'inconsistent-overlap', ts: 1, policy,
          key: { ipVersion: 4, src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, id: 0x1234, vlan: [] },
          evidence: { policy, fragmentOffset: 8, length: 16, differingBytes: 8, firstDifference: 8, kept: policy === 'first' ? 'held' : 'new' },
        },
      ]);
    }
  });

  it('a fragment entirely overlapped by kept held data is reported as overlap-discarded', () => {
    const r = new Reassembler({ policy: 'first' });
    const res = pushAll(r, [ipv4Fragment({ offset: 0, more: true, data: filled(16, 'a') }), ipv4Fragment({ offset: 0, more: true, data: filled(16, 'b') })]);
    expect(res[1]).toMatchObject({ kind: 'dropped', reason: 'overlap-discarded' });
  });
});

describe('timeouts (time from the packets)', () => {
  it('drops a datagram timeoutMs after its first fragment, however recent its last one', () => {
    const r = new Reassembler({ timeoutMs: 30_000 });
    const frames = v4frames(split(datagram, 1480));
    expect(r.push(frames[0]!, 1, 0).kind).toBe('held');
    expect(r.push(frames[1]!, 1, 29_999).kind).toBe('held');
    expect(r.expire(29_999)).toBe(0);
    expect(r.expire(30_000)).toBe(1);
    expect(r.stats).toMatchObject({ timeouts: 1, datagrams: 0, heldBytes: 0 });
    // The last fragment alone now starts a new datagram, which never completes.
    expect(r.push(frames[2]!, 1, 30_001).kind).toBe('held');
  });

  it('expires on push as the packet clock advances; an older packet does not rewind the clock', () => {
    const r = new Reassembler({ timeoutMs: 1000 });
    const a = v4frames(split(datagram, 1480), { id: 1 });
    const b = v4frames(split(datagram, 1480), { id: 2 });
    r.push(a[0]!, 1, 10_000);
    r.push(b[0]!, 1, 10_500);
    r.push(ipv4Fragment({ offset: 0, more: true, data: filled(8, 0), id: 3 }), 1, 11_000); // a's deadline
    expect(r.size).toBe(2);
    expect(r.stats.timeouts).toBe(1);
    // A late packet stamped before the clock: the clock stays at 11000, b is still in time.
    const late = r.push(b[1]!, 1, 9_000);
    expect(late.kind).toBe('held');
    expect(reassembled([r.push(b[2]!, 1, 11_400)])).toHaveLength(1);
    expect(r.push(a[1]!, 1, 11_499).kind).toBe('held'); // a was gone: a new datagram
  });

  it('bigint nanosecond and number millisecond clocks agree', () => {
    const r = new Reassembler({ timeoutMs: 1000 });
    r.push(v4frames(split(datagram, 1480))[0]!, 1, 5_000_000_000n); // 5000 ms
    expect(r.expire(5_999)).toBe(0);
    expect(r.expire(6_000_000_000n)).toBe(1);
  });

  it('flush drops everything held', () => {
    const r = new Reassembler();
    r.push(v4frames(split(datagram, 1480))[0]!, 1, 0);
    expect(r.flush()).toBe(1);
    expect(r.stats).toMatchObject({ flushed: 1, datagrams: 0, heldBytes: 0 });
  });
});

describe('caps and evictions', () => {
  it('maxDatagrams: the oldest datagram is evicted to start a new one', () => {
    const r = new Reassembler({ maxDatagrams: 4 });
    for (let id = 1; id <= 6; id++) r.push(ipv4Fragment({ offset: 0, more: true, data: filled(8, id), id }), 1, id);
    expect(r.size).toBe(4);
    expect(r.stats.evictions.globalDatagrams).toBe(2);
    // id 1 was evicted: its last fragment starts a new datagram instead of completing.
    expect(r.push(ipv4Fragment({ offset: 8, more: false, data: filled(8, 1), id: 1 }), 1, 7).kind).toBe('held');
    expect(r.push(ipv4Fragment({ offset: 8, more: false, data: filled(8, 6), id: 6 }), 1, 8).kind).toBe('reassembled');
  });

  it('maxBytes: checked before buffering; the oldest datagrams make room', () => {
    const r = new Reassembler({ maxBytes: 10_000 });
    for (let id = 1; id <= 20; id++) {
      r.push(ipv4Fragment({ offset: 0, more: true, data: filled(1480, id), id }), 1, id);
      expect(r.stats.heldBytes).toBeLessThanOrEqual(10_000);
    }
    expect(r.size).toBeLessThan(20);
    expect(r.stats.evictions.globalBytes).toBe(20 - r.size);
    // A fragment that cannot fit at all is dropped.
    expect(new Reassembler({ maxBytes: 1000 }).push(ipv4Fragment({ offset: 0, more: true, data: filled(1480, 1) }), 1, 0)).toMatchObject({ kind: 'dropped', reason: 'global-cap' });
  });

  it('maxFragmentsPerDatagram and maxDatagramBytes evict the datagram', () => {
    const r = new Reassembler({ maxFragmentsPerDatagram: 8 });
    const res = [];
    for (let i = 0; i < 10; i++) res.push(r.push(ipv4Fragment({ offset: i * 16, more: true, data: filled(8, i) }), 1, i));
    expect(res.map((x) => x.kind)).toEqual([...new Array<string>(8).fill('held'), 'dropped', 'held']);
    expect(res[8]).toMatchObject({ reason: 'datagram-cap' });
    expect(r.stats.evictions.datagramCap).toBe(1);
    const r2 = new Reassembler({ maxDatagramBytes: 3000 });
    const kinds = v4frames(split(udp(pattern(6000)), 1480)).map((f, i) => r2.push(f, 1, i).kind);
    // The second fragment would pass 3000 bytes: evicted. The third starts over, the fourth evicts again.
    expect(kinds).toEqual(['held', 'dropped', 'held', 'dropped', 'held']);
    expect(r2.stats.evictions.datagramCap).toBe(2);
  });

  it('the default caps admit maximal datagrams (IPv4 65,515 bytes of payload, IPv6 65,527; in 256 pieces too)', () => {
    const r = new Reassembler();
    const big4 = pattern(65515, 1);
    const big6 = pattern(65527, 2);
    const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0; // toEqual is slow on 64 KiB
    expect(same(reassembled(pushAll(r, v4frames(shuffle(split(big4, 1480), 1))))[0]!.bytes.subarray(34), big4)).toBe(true);
    expect(same(reassembled(pushAll(r, v6frames(shuffle(split(big6, 1232), 2))))[0]!.bytes.subarray(54), big6)).toBe(true);
    expect(same(reassembled(pushAll(r, v4frames(shuffle(split(big4, 256), 3))))[0]!.bytes.subarray(34), big4)).toBe(true);
    expect(r.stats).toMatchObject({ evictions: { datagramCap: 0, globalBytes: 0, globalDatagrams: 0 }, datagrams: 0 });
  });

  it('a flood of fragments with random ids cannot grow memory past the caps', () => {
    const caps: ReassemblerOptions = { maxBytes: 256 * 1024, maxDatagrams: 500 };
    const r = new Reassembler(caps);
    let x = 1;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const offset = (x >>> 8) % 8000 * 8;
      r.push(ipv4Fragment({ offset, more: true, data: filled(8 * (1 + (x % 100)), 1), id: x & 0xffff, src: `10.${(x >>> 16) & 255}.0.1` }), 1, i);
      if (i % 97 === 0) {
        const s = r.stats;
        expect(s.heldBytes).toBeLessThanOrEqual(caps.maxBytes!);
        expect(s.datagrams).toBeLessThanOrEqual(caps.maxDatagrams!);
      }
    }
    const s = r.stats;
    expect(s.evictions.globalBytes + s.evictions.globalDatagrams).toBeGreaterThan(10_000);
    expect(s.heldBytes).toBeLessThanOrEqual(caps.maxBytes!);
  });
});

describe('fragment_evasion findings', () => {
  it('tiny first fragment: TCP with less than its 20-byte header (flagged, still reassembled)', () => {
    const r = new Reassembler();
    const tcp = pattern(60, 9);
    const results = pushAll(r, [
      ipv4Fragment({ offset: 0, more: true, data: tcp.subarray(0, 8), protocol: 6 }),
      ipv4Fragment({ offset: 8, more: false, data: tcp.subarray(8), protocol: 6 }),
    ]);
    expect(findings(results).map((f) => [f.reason, f.evidence])).toEqual([['tiny-fragment', { protocol: 6, available: 8, required: 20, headerChainComplete: true }]]);
    expect(reassembled(results)[0]!.bytes.subarray(34)).toEqual(tcp);
  });

  it('tiny: UDP with its 8-byte header is fine; minFirstFragmentBytes overrides', () => {
    const frames = [ipv4Fragment({ offset: 0, more: true, data: filled(8, 1) }), ipv4Fragment({ offset: 8, more: false, data: filled(8, 2) })];
    expect(findings(pushAll(new Reassembler(), frames))).toEqual([]);
    expect(findings(pushAll(new Reassembler({ minFirstFragmentBytes: 16 }), frames)).map((f) => f.reason)).toEqual(['tiny-fragment']);
  });

  it('tiny: an IPv6 first fragment that does not hold the whole header chain (RFC 7112)', () => {
    const r = new Reassembler();
    // Fragmentable part: a 16-byte destination options header, then UDP; the first fragment has 8 bytes of
    // it (the protocol reported is the last Next Header read: UDP).
    const body = new Uint8Array(16 + 16);
    body.set([17, 1, 1, 12]);
    const results = pushAll(r, [
      ipv6Fragment({ offset: 0, more: true, data: body.subarray(0, 8), nextHeader: 60 }),
      ipv6Fragment({ offset: 8, more: false, data: body.subarray(8), nextHeader: 60 }),
    ]);
    expect(findings(results).map((f) => [f.reason, f.evidence])).toEqual([['tiny-fragment', { protocol: 17, available: 0, required: 8, headerChainComplete: false }]]);
    expect(reassembled(results)).toHaveLength(1);
  });

  it('DF set on a fragment: flagged once per datagram, reassembled with the flags cleared', () => {
    const r = new Reassembler();
    const results = pushAll(r, v4frames(split(datagram, 1480), { df: true }));
    expect(findings(results).map((f) => [f.reason, f.evidence])).toEqual([['dont-fragment', { fragmentOffset: 0, moreFragments: true }]]);
    expect(r.stats.findings['dont-fragment']).toBe(3);
    const out = reassembled(results)[0]!;
    expect(decodePacket(out.bytes).layers.find((l) => l.type === 'ipv4')).toMatchObject({ dontFragment: false, moreFragments: false });
  });

  it('IPv6 atomic fragment: flagged, passed on without its fragment header, never merged', () => {
    const r = new Reassembler();
    const parts = split(datagram, 1232);
    r.push(ipv6Fragment({ ...parts[0]!, id: 9 }), 1, 0); // a datagram with the same id in progress
    const res = r.push(ipv6Fragment({ offset: 0, more: false, data: udp(filled(20, 'q')), id: 9, ext: [{ type: 0 }] }), 1, 1);
    expect(res).toMatchObject({ kind: 'reassembled', fragments: 1 });
    expect(res.findings.map((f) => [f.reason, f.evidence])).toEqual([['atomic-fragment', { nextHeader: 17, payloadLength: 28 }]]);
    const d = decodePacket((res as { bytes: Uint8Array }).bytes);
    expect(d.layers.map((l) => l.type)).toEqual(['ethernet', 'ipv6', 'udp', 'payload']);
    expect((d.layers[1] as Ipv6Layer).extensions.map((e) => e.type)).toEqual(['hop-by-hop']);
    expect(r.size).toBe(1);
    expect(r.stats.atomic).toBe(1);
    // An IPv4 packet with MF=0 and offset 0 is not a fragment at all.
    expect(r.push(ipv4Fragment({ offset: 0, more: false, data: datagram }), 1, 2).kind).toBe('whole');
  });

  it('oversize: a fragment reaching past 65535 bytes is flagged and dropped (IPv4 and IPv6)', () => {
    const r = new Reassembler();
    const a = r.push(ipv4Fragment({ offset: 65512, more: false, data: filled(8, 1) }), 1, 0); // 20 + 65520 > 65535
    expect(a).toMatchObject({ kind: 'dropped', reason: 'oversize' });
    expect(a.findings[0]).toMatchObject({ reason: 'oversize', evidence: { fragmentOffset: 65512, length: 8, datagramLength: 65540, limit: 65535 } });
    expect(r.push(ipv4Fragment({ offset: 65504, more: false, data: filled(8, 1) }), 1, 0).kind).toBe('held'); // 65532 fits
    const b = r.push(ipv6Fragment({ offset: 65528, more: false, data: filled(16, 1) }), 1, 0);
    expect(b).toMatchObject({ kind: 'dropped', reason: 'oversize' });
    expect(r.stats.dropped.oversize).toBe(2);
  });

  it('unaligned non-last fragment: IPv4 uses the aligned part, IPv6 drops it', () => {
    const r = new Reassembler();
    const p = pattern(40);
    const res = pushAll(r, [
      ipv4Fragment({ offset: 0, more: true, data: p.subarray(0, 20) }), // 20 -> 16
      ipv4Fragment({ offset: 16, more: false, data: p.subarray(16) }),
    ]);
    expect(findings(res).map((f) => f.reason)).toEqual(['unaligned-fragment']);
    expect(reassembled(res)[0]!.bytes.subarray(34)).toEqual(p);
    const v6 = r.push(ipv6Fragment({ offset: 0, more: true, data: p.subarray(0, 20) }), 1, 0);
    expect(v6).toMatchObject({ kind: 'dropped', reason: 'unaligned' });
  });

  it('length conflicts: data past the last fragment, and two last fragments disagreeing', () => {
    const r = new Reassembler();
    const res = pushAll(r, [
      ipv4Fragment({ offset: 0, more: true, data: filled(16, 1) }),
      ipv4Fragment({ offset: 16, more: false, data: filled(16, 2) }), // end 32
      ipv4Fragment({ offset: 32, more: true, data: filled(8, 3) }), // past the end
      ipv4Fragment({ offset: 8, more: false, data: filled(8, 4) }), // another end, 16
    ]);
    expect(res.map((x) => x.kind)).toEqual(['held', 'reassembled', 'held', 'dropped']);
    const r2 = new Reassembler();
    const res2 = pushAll(r2, [
      ipv4Fragment({ offset: 16, more: false, data: filled(16, 2) }),
      ipv4Fragment({ offset: 32, more: true, data: filled(8, 3) }),
      ipv4Fragment({ offset: 8, more: false, data: filled(8, 4) }),
      ipv4Fragment({ offset: 0, more: true, data: filled(16, 1) }),
    ]);
    expect(res2.map((x) => (x.kind === 'dropped' ? x.reason : x.kind))).toEqual(['held', 'length-conflict', 'length-conflict', 'reassembled']);
    expect(findings(res2).map((f) => [f.reason, f.evidence])).toEqual([['length-conflict', { fragmentOffset: 32, fragmentEnd: 40, knownEnd: 32, lastFragment: false }]]);
    expect(r2.stats.findings['length-conflict']).toBe(2);
  });

  it('IPv6 fragments naming different Next Headers are one datagram, flagged', () => {
    const r = new Reassembler();
    const parts = split(datagram, 1232);
    const res = pushAll(r, parts.map((p, i) => ipv6Fragment({ ...p, nextHeader: i === 1 ? 6 : 17 })));
    expect(findings(res).map((f) => [f.reason, f.evidence])).toEqual([['next-header-mismatch', { expected: 17, got: 6 }]]);
    expect(decodePacket(reassembled(res)[0]!.bytes).layers.map((l) => l.type)).toContain('udp');
  });

  it('truncated captures of fragments are dropped; findings carry the VLAN in the key', () => {
    const r = new Reassembler();
    const f = ipv4Fragment({ offset: 0, more: true, data: filled(64, 1) });
    expect(r.push(f.subarray(0, 60), 1, 0)).toMatchObject({ kind: 'dropped', reason: 'truncated' });
    const g = r.push(ipv4Fragment({ offset: 8, more: true, df: true, data: filled(8, 1), vlan: [7] }), 1, 0);
    expect(g.findings[0]!.key.vlan).toEqual([7]);
  });
});

describe('options', () => {
  it('rejects unknown keys and bad values', () => {
    expect(() => new Reassembler({ polcy: 'bsd' } as unknown as ReassemblerOptions)).toThrow(TypeError);
    expect(() => new Reassembler({ policy: 'macos' as never })).toThrow(RangeError);
    expect(() => new Reassembler({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => new Reassembler({ maxBytes: 1.5 })).toThrow(RangeError);
    expect(() => new Reassembler({ hold: 'borrow' as never })).toThrow(RangeError);
  });
});
