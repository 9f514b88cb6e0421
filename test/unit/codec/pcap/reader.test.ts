/**
 * readCapture on files written by real tools (tcpdump, editcap, mergecap; see test/fixtures/packet/README.md)
 * and on crafted byte-order / pcapng-feature variants: timestamps, lengths, link types, interfaces, the
 * truncated-tail policy, and typed errors with offsets for malformed files.
 * The same files are compared with tshark's reading in test/integration/pcap-tshark.test.ts.
 */
import { readFileSync } from 'node:fs';
import { CaptureFormatError, readCapture, type CapturedPacket } from '../../../../src/codec/pcap/index.js';

const FIX = new URL('../../../fixtures/packet/', import.meta.url).pathname;
const file = (name: string): Uint8Array => new Uint8Array(readFileSync(FIX + name));
const all = (bytes: Uint8Array): CapturedPacket[] => [...readCapture(bytes)];
const BASE = 1_700_000_000n;
/** protocols.pcap: packet i at BASE + i seconds and 1000 * i + 1 microseconds (make-packets.py). */
const expectedTs = (i: number): bigint => (BASE + BigInt(i)) * 1_000_000_000n + BigInt(1000 * i + 1) * 1000n;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('readCapture: classic pcap', () => {
  const pkts = all(file('protocols.pcap'));

  it('reads every record: microsecond timestamps, lengths, link type, data views', () => {
    expect(pkts).toHaveLength(41);
    pkts.forEach((p, i) => {
      expect(p.timestampNs).toBe(expectedTs(i));
      expect(p).toMatchObject({ linkType: 1, interfaceId: 0 });
      expect(p.caplen).toBe(p.data.length);
      expect(p.origLen).toBe(p.caplen);
    });
    expect(pkts[0]!.caplen).toBe(74);
    expect(hex(pkts[0]!.data.subarray(0, 14))).toBe('020000000002020000000001' + '0800');
  });

  it('reports the format and its one interface', () => {
    const r = readCapture(file('protocols.pcap'));
    expect(r.format).toBeNull();
    expect([...r]).toHaveLength(41);
    expect(r.format).toBe('pcap');
    expect(r.interfaces).toEqual([{ linkType: 1, snaplen: 262144, unitsPerSecond: 1_000_000n, tsOffsetSec: 0n }]);
    expect(r.truncatedTail).toBeNull();
  });

  it('nanosecond pcap (editcap -F nsecpcap) gives the same packets and timestamps', () => {
    const ns = all(file('captures/protocols-nsec.pcap'));
    expect(ns.map((p) => [p.timestampNs, hex(p.data)])).toEqual(pkts.map((p) => [p.timestampNs, hex(p.data)]));
    const r = readCapture(file('captures/protocols-nsec.pcap'));
    expect(r.interfaces).toEqual([]);
    expect([...r]).toHaveLength(41);
    expect(r.interfaces[0]!.unitsPerSecond).toBe(1_000_000_000n);
  });

  it('big-endian pcap, micro- and nanosecond', () => {
    const us = all(file('captures/be-usec.pcap'));
    expect(us.map((p) => [p.timestampNs, hex(p.data)])).toEqual(pkts.map((p) => [p.timestampNs, hex(p.data)]));
    const ns = all(file('captures/be-nsec.pcap'));
    // make-pcapng.py writes usec * 1000 + 7 nanoseconds.
    expect(ns.map((p) => p.timestampNs)).toEqual(pkts.map((p) => p.timestampNs + 7n));
  });

  it('truncated records (caplen < origLen) keep both lengths', () => {
    const t = all(file('truncated.pcap'));
    expect(t.length).toBeGreaterThan(800);
    for (const p of t) {
      expect(p.caplen).toBe(p.data.length);
      expect(p.caplen).toBeLessThan(p.origLen);
    }
  });

  it('Linux cooked captures from tcpdump: link types 113 and 276; raw IP 101, 228, 229', () => {
    expect(new Set(all(file('captures/sll.pcap')).map((p) => p.linkType))).toEqual(new Set([113]));
    expect(new Set(all(file('captures/sll2.pcap')).map((p) => p.linkType))).toEqual(new Set([276]));
    for (const lt of [101, 228, 229]) expect(all(file(`linktypes/raw-${lt}.pcap`))[0]!.linkType).toBe(lt);
  });
});

describe('readCapture: pcapng', () => {
  const pkts = all(file('protocols.pcap'));

  it('editcap -F pcapng: same packets and timestamps as the pcap it came from', () => {
    const ng = all(file('captures/protocols.pcapng'));
    expect(ng.map((p) => [p.timestampNs, p.caplen, p.origLen, hex(p.data), p.linkType, p.interfaceId])).toEqual(pkts.map((p) => [p.timestampNs, p.caplen, p.origLen, hex(p.data), 1, 0]));
    // And back (editcap -F pcap of the pcapng) gives the original file's packets.
    expect(all(file('captures/protocols-from-pcapng.pcap')).map((p) => hex(p.data))).toEqual(pkts.map((p) => hex(p.data)));
  });

  it('big-endian section with if_tsresol 10^-6', () => {
    const be = all(file('captures/be.pcapng'));
    expect(be.map((p) => [p.timestampNs, hex(p.data)])).toEqual(pkts.map((p) => [p.timestampNs, hex(p.data)]));
  });

  it('snaplen 60 (editcap -s 60): caplen cut, origLen kept', () => {
    const s = all(file('captures/protocols-snap60.pcapng'));
    s.forEach((p, i) => {
      expect(p.caplen).toBe(Math.min(60, pkts[i]!.origLen));
      expect(p.origLen).toBe(pkts[i]!.origLen);
      expect(hex(p.data)).toBe(hex(pkts[i]!.data.subarray(0, 60)));
    });
  });

  it('two interfaces with different link types (mergecap of lo and sll2 captures)', () => {
    const r = readCapture(file('captures/merged.pcapng'));
    const m = [...r];
    expect(m).toHaveLength(24);
    expect(new Set(m.map((p) => `${p.interfaceId}:${p.linkType}`))).toEqual(new Set(['0:1', '1:276']));
    expect(r.interfaces.map((i) => i.linkType)).toEqual([1, 276]);
    // mergecap interleaves by time.
    for (let i = 1; i < m.length; i++) expect(m[i]!.timestampNs >= m[i - 1]!.timestampNs).toBe(true);
  });

  it('unknown and custom blocks skipped; if_tsresol 2^-20 and 10^-3, if_tsoffset; SPB; a second big-endian section', () => {
    const r = readCapture(file('captures/features.pcapng'));
    const f = [...r];
    expect(f).toHaveLength(14);
    // EPBs on interface 0: 2^-20 s units, +100 s offset. make-pcapng.py wrote (sec << 20) + (usec << 20) / 10^6.
    for (let i = 0; i < 8; i++) {
      const units = ((BASE + BigInt(i)) << 20n) + (BigInt(1000 * i + 1) << 20n) / 1_000_000n;
      expect(f[i]!.timestampNs).toBe((units * 1_000_000_000n) / (1n << 20n) + 100n * 1_000_000_000n);
      expect(hex(f[i]!.data)).toBe(hex(pkts[i]!.data));
    }
    // Interface 1: raw IPv4 (228), milliseconds.
    expect(f.slice(8, 12).map((p) => [p.interfaceId, p.linkType, p.timestampNs])).toEqual([0, 1, 2, 3].map((i) => [1, 228, BASE * 1_000_000_000n + BigInt(i) * 1_000_000n]));
    // SPB: no timestamp, interface 0.
    expect(f[12]).toMatchObject({ timestampNs: 0n, interfaceId: 0, linkType: 1, caplen: pkts[5]!.caplen, origLen: pkts[5]!.origLen });
    // The second section (big-endian, default microseconds) has its own interface list.
    expect(f[13]).toMatchObject({ timestampNs: 1_700_000_000_123_456_000n, interfaceId: 0, linkType: 1 });
    expect(r.interfaces).toHaveLength(1);
    expect(r.format).toBe('pcapng');
  });
});

describe('readCapture: truncated files and malformed input', () => {
  it('a file cut inside its last record yields the complete records and reports the tail', () => {
    const bytes = file('captures/cut.pcap');
    const r = readCapture(bytes);
    const got = [...r];
    expect(got).toHaveLength(40);
    const lastLen = all(file('protocols.pcap'))[40]!.caplen;
    expect(r.truncatedTail).toEqual({ offset: bytes.length + 10 - (16 + lastLen), needed: 16 + lastLen, have: 16 + lastLen - 10 });
  });

  it('strict mode throws CaptureFormatError(truncated-record) after the last complete record', () => {
    const seen: number[] = [];
    let err: unknown;
    try {
      for (const p of readCapture(file('captures/cut.pcap'), { strict: true })) seen.push(p.caplen);
    } catch (e) {
      err = e;
    }
    expect(seen).toHaveLength(40);
    expect(err).toBeInstanceOf(CaptureFormatError);
    expect(err).toMatchObject({ code: 'truncated-record' });
  });

  it('a pcapng file cut anywhere yields a prefix of its packets and a tail report, never a throw', () => {
    const bytes = file('captures/features.pcapng');
    const whole = all(bytes);
    let tails = 0;
    for (let n = 4; n < bytes.length; n++) {
      const r = readCapture(bytes.subarray(0, n));
      const got = [...r];
      expect(got.map((p) => p.timestampNs)).toEqual(whole.slice(0, got.length).map((p) => p.timestampNs));
      // A cut exactly at a block boundary looks like a complete (shorter) file; anywhere else is a tail.
      if (r.truncatedTail !== null) {
        tails++;
        expect(r.truncatedTail.offset + r.truncatedTail.have).toBe(n);
        expect(r.truncatedTail.needed).toBeGreaterThan(r.truncatedTail.have);
      }
      expect(r.format).toBe('pcapng');
    }
    expect(tails).toBeGreaterThan(bytes.length * 0.9);
  });

  const expectError = (bytes: Uint8Array, code: string, offset: number, packetsBefore = 0): void => {
    const seen: CapturedPacket[] = [];
    let err: unknown;
    try {
      for (const p of readCapture(bytes)) seen.push(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CaptureFormatError);
    expect(err).toMatchObject({ code, offset });
    expect(seen).toHaveLength(packetsBefore);
  };

  it('not a capture file: bad magic, empty, too short', () => {
    expectError(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), 'bad-magic', 0);
    expectError(new Uint8Array(0), 'bad-magic', 0);
    expectError(Uint8Array.of(0xd4, 0xc3), 'bad-magic', 0);
  });

  it('pcap: unsupported version, caplen beyond the limit, microseconds out of range', () => {
    const good = file('protocols.pcap');
    const v = good.slice();
    v[4] = 3;
    expectError(v, 'bad-version', 4);
    const big = good.slice();
    new DataView(big.buffer).setUint32(24 + 8, 0x01000000, true);
    expectError(big, 'bad-caplen', 32);
    const second = good.slice();
    const rec2 = 24 + 16 + 74;
    new DataView(second.buffer).setUint32(rec2 + 4, 1_000_000, true);
    expectError(second, 'bad-timestamp', rec2 + 4, 1);
    expect(all(good)).toHaveLength(41);
  });

  it('pcapng: block length not a multiple of 4, under 12, trailer mismatch, packet on an undeclared interface, bad byte-order magic', () => {
    const ng = file('captures/protocols.pcapng');
    const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
    const shbLen = dv(ng).getUint32(4, true);
    const idbLen = dv(ng).getUint32(shbLen + 4, true);
    const epb = shbLen + idbLen;
    const odd = ng.slice();
    dv(odd).setUint32(epb + 4, 30, true);
    expectError(odd, 'bad-block-length', epb + 4);
    const tiny = ng.slice();
    dv(tiny).setUint32(epb + 4, 8, true);
    expectError(tiny, 'bad-block-length', epb + 4);
    const trailer = ng.slice();
    const epbLen = dv(ng).getUint32(epb + 4, true);
    dv(trailer).setUint32(epb + epbLen - 4, epbLen + 4, true);
    expectError(trailer, 'bad-block-length', epb + epbLen - 4);
    const iface = ng.slice();
    dv(iface).setUint32(epb + 8, 5, true);
    expectError(iface, 'unknown-interface', epb + 8);
    const bom = ng.slice();
    dv(bom).setUint32(8, 0x12345678, true);
    expectError(bom, 'bad-magic', 8);
    const caplen = ng.slice();
    dv(caplen).setUint32(epb + 20, epbLen, true);
    expectError(caplen, 'bad-caplen', epb + 20);
  });

  it('errors say what and where', () => {
    try {
      all(Uint8Array.of(1, 2, 3, 4, 5));
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(CaptureFormatError);
      expect((e as Error).message).toMatch(/not a pcap or pcapng file: magic 0x01020304 \(at byte 0\)/);
    }
  });
});
