/**
 * Bad input: truncated datagrams, lengths that lie, absurd counts, other versions, junk. The object API
 * throws a typed SflowDecodeError with the offset; the walker never throws, returns MALFORMED (or
 * UNSUPPORTED_VERSION) with the same code and offset, and counts the drop by reason.
 */
import { readFileSync } from 'node:fs';
import { udpPayload } from '../../../../src/cli/sflow.js';
import { readCapture } from '../../../../src/codec/pcap/index.js';
import { decodeDatagram, SflowDecodeError, SflowWalker, WalkStatus, type SflowErrorCode } from '../../../../src/codec/sflow/index.js';

const FIX = new URL('../../../fixtures/sflow/', import.meta.url).pathname;
const ports = (JSON.parse(readFileSync(FIX + 'ovs-capture.ovs.json', 'utf8')) as { ports: { v4: number; v6: number } }).ports;
const golden: Uint8Array[] = [];
for (const pkt of readCapture(new Uint8Array(readFileSync(FIX + 'ovs-capture.pcapng')))) {
  for (const port of [ports.v4, ports.v6]) {
    const u = udpPayload(pkt, port);
    if (u instanceof Uint8Array) golden.push(u);
  }
}

const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const bytes = (...words: number[]): Uint8Array => Uint8Array.from(words.flatMap(u32));
/** Header with an IPv4 agent: version, type, address, sub-agent, sequence, uptime, then num_samples. */
const HEADER = [5, 1, 0x7f000001, 0, 1, 1000];

function decodeError(b: Uint8Array): SflowDecodeError {
  try {
    decodeDatagram(b);
  } catch (e) {
    if (e instanceof SflowDecodeError) return e;
    throw e;
  }
  throw new Error('decoded without error');
}

/** Both APIs reject `b` with `code` at `offset`. */
function expectRejected(b: Uint8Array, code: SflowErrorCode, offset?: number): void {
  const e = decodeError(b);
  expect(e.code).toBe(code);
  if (offset !== undefined) expect(e.offset).toBe(offset);
  expect(e.message).toMatch(new RegExp(`\\(at byte ${e.offset}\\)$`));
  const w = new SflowWalker();
  const status = w.walk(b, {});
  expect(status).toBe(code === 'unsupported-version' ? WalkStatus.UNSUPPORTED_VERSION : WalkStatus.MALFORMED);
  if (code !== 'unsupported-version') expect([w.errorCode, w.errorOffset]).toEqual([code, e.offset]);
}

describe('malformed sFlow datagrams', () => {
  it('rejects every truncation of every golden datagram, at the same place in both APIs', () => {
    let checked = 0;
    const wrong: string[] = [];
    const w = new SflowWalker();
    for (const g of golden) {
      for (let n = 0; n < g.length; n++) {
        const cut = g.subarray(0, n);
        const e = decodeError(cut);
        const status = w.walk(cut, {});
        if (!['truncated', 'bad-length', 'bad-count'].includes(e.code) || e.offset > n) wrong.push(`${n}: ${e.code} at ${e.offset}`);
        if (status !== WalkStatus.MALFORMED || w.errorCode !== e.code || w.errorOffset !== e.offset) wrong.push(`${n}: walker ${status} ${w.errorCode} at ${w.errorOffset}, decoder ${e.code} at ${e.offset}`);
        checked++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
    expect(w.stats.malformed).toBe(checked);
  });

  it('names a datagram too short for its header', () => {
    expectRejected(new Uint8Array(0), 'truncated', 0);
    expectRejected(Uint8Array.from([0, 0, 0]), 'truncated', 0);
    expectRejected(bytes(5), 'truncated', 4);
    expectRejected(bytes(5, 1), 'truncated', 8);
    expectRejected(bytes(5, 2, 0, 0, 0), 'truncated', 8);
    expectRejected(bytes(5, 1, 0x7f000001, 0, 1), 'truncated', 20);
  });

  it('drops other versions as unsupported', () => {
    for (const v of [2, 4, 6, 0x05000000]) expectRejected(bytes(v, ...HEADER.slice(1), 0), 'unsupported-version', 0);
    const w = new SflowWalker();
    w.walk(bytes(4, 1, 0, 0, 0, 0, 0), {});
    expect(w.stats).toMatchObject({ datagrams: 1, unsupportedVersion: 1, malformed: 0 });
  });

  it('rejects agent address types other than IPv4 and IPv6', () => {
    expectRejected(bytes(5, 0, 0, 0, 0, 0), 'bad-address-type', 4);
    expectRejected(bytes(5, 3, 0, 0, 0, 0, 0), 'bad-address-type', 4);
  });

  it('rejects absurd counts before allocating anything', () => {
    const t0 = process.hrtime.bigint();
    expectRejected(bytes(...HEADER, 0xffffffff), 'bad-count', 24);
    expectRejected(bytes(...HEADER, 3, 1, 8, 0, 0), 'bad-count', 24);
    // A flow sample declaring 2^32-1 records.
    expectRejected(bytes(...HEADER, 1, 1, 32, 1, 1, 1, 1, 0, 1, 2, 0xffffffff), 'bad-count', 64);
    // A counters sample declaring a million records in 12 bytes.
    expectRejected(bytes(...HEADER, 1, 2, 12, 1, 1, 1_000_000), 'bad-count', 44);
    // host_adapters claiming 2^31 adapters; a gateway AS path of 2^30 segments.
    expectRejected(bytes(...HEADER, 1, 2, 24, 1, 1, 1, 2001, 4, 0x80000000), 'bad-count', 56);
    expectRejected(bytes(...HEADER, 1, 1, 64, 1, 1, 1, 1, 0, 1, 2, 1, 1003, 24, 1, 0x01020304, 1, 2, 3, 0x40000000), 'bad-count', 96);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(1000);
  });

  it('rejects lengths that lie', () => {
    // Sample length beyond the datagram.
    expectRejected(bytes(...HEADER, 1, 1, 1000, 1, 2, 3), 'bad-length', 32);
    // Flow sample too short for its fixed fields (12 of 32 bytes).
    expectRejected(bytes(...HEADER, 1, 1, 12, 1, 2, 3), 'bad-length', 48);
    // Record length beyond its sample.
    expectRejected(bytes(...HEADER, 1, 1, 40, 1, 1, 1, 1, 0, 1, 2, 1, 1001, 16), 'bad-length', 72);
    // Extended switch record of 8 bytes (needs 16): the third field is where it ends.
    expectRejected(bytes(...HEADER, 1, 1, 48, 1, 1, 1, 1, 0, 1, 2, 1, 1001, 8, 0, 0), 'bad-length', 84);
    // Raw header whose header length exceeds its record.
    expectRejected(bytes(...HEADER, 1, 1, 56, 1, 1, 1, 1, 0, 1, 2, 1, 1, 16, 1, 64, 0, 200), 'bad-length', 88);
    // Generic interface counters of 40 bytes (needs 88).
    expectRejected(bytes(...HEADER, 1, 2, 60, 1, 1, 1, 1, 40, ...new Array<number>(10).fill(0)), 'bad-length', 96);
    // Port name string longer than its record.
    expectRejected(bytes(...HEADER, 1, 2, 28, 1, 1, 1, 1005, 8, 100, 0x41424344), 'bad-length', 56);
    // host_description whose hostname runs past the record.
    expectRejected(bytes(...HEADER, 1, 2, 28, 1, 1, 1, 2000, 8, 5, 0x41424344), 'bad-length', 56);
    // A next hop of an unknown address type.
    expectRejected(bytes(...HEADER, 1, 1, 56, 1, 1, 1, 1, 0, 1, 2, 1, 1002, 16, 7, 0, 0, 0), 'bad-address-type', 76);
  });

  it('rejects bytes left over after the declared samples and records', () => {
    expectRejected(bytes(...HEADER, 0, 0xdead), 'trailing-bytes', 28);
    // A flow sample with 0 records but 4 more bytes in it.
    expectRejected(bytes(...HEADER, 1, 1, 36, 1, 1, 1, 1, 0, 1, 2, 0, 9), 'trailing-bytes', 68);
  });

  it('visits the samples before a malformed one, and counts the drop by reason', () => {
    const good = [1, 32, 1, 1, 1, 1, 0, 1, 2, 0];
    const b = bytes(...HEADER, 3, ...good, ...good, 1, 1000);
    const w = new SflowWalker();
    let visited = 0;
    expect(w.walk(b, { onFlowSample: () => visited++ })).toBe(WalkStatus.MALFORMED);
    expect(visited).toBe(2);
    expect(w.stats).toMatchObject({ datagrams: 1, ok: 0, malformed: 1, badLength: 1, samples: 2 });
    w.walk(new Uint8Array(3), {});
    w.walk(bytes(...HEADER, 0xffff), {});
    w.walk(bytes(5, 9), {});
    w.walk(bytes(...HEADER, 0, 1), {});
    expect(w.stats).toMatchObject({ datagrams: 5, malformed: 5, truncated: 1, badCount: 1, badAddressType: 1, trailingBytes: 1, badLength: 1 });
    w.stats.reset();
    expect(w.stats.datagrams + w.stats.malformed + w.stats.samples).toBe(0);
  });

  it('never throws from the walker, whatever the bytes', () => {
    const w = new SflowWalker();
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const thrown: unknown[] = [];
    for (let i = 0; i < 20_000; i++) {
      const g = golden[i % golden.length]!;
      const b = Uint8Array.from(g);
      for (let k = 0; k < 1 + (i % 4); k++) b[rand() % b.length] = rand() & 0xff;
      try {
        w.walk(b, { onFlowSample: () => undefined, onCounterSample: () => undefined });
      } catch (e) {
        thrown.push(e);
      }
    }
    expect(thrown).toEqual([]);
    expect(w.stats.datagrams).toBe(20_000);
    expect(w.stats.ok + w.stats.malformed + w.stats.unsupportedVersion).toBe(20_000);
    expect(w.stats.malformed).toBeGreaterThan(1000);
  });
});
