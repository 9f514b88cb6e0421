/**
 * Property tests for the capture reader: random pcap/pcapng files (either byte order, micro/nanosecond,
 * several interfaces with random if_tsresol, unknown blocks) read back as written; any bytes at all — random,
 * or a valid file with bytes overwritten or cut — either read or fail with CaptureFormatError, never another
 * exception; and the chunked reader agrees with the in-memory one on every such input.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureFormatError, openCapture, readCapture, type CapturedPacket } from '../../../../src/codec/pcap/index.js';

interface Rec {
  iface: number;
  ts: bigint; // in the interface's units
  data: Uint8Array;
  origExtra: number;
}

interface Spec {
  ng: boolean;
  le: boolean;
  nanos: boolean;
  linkTypes: number[];
  /** if_tsresol byte per interface (pcapng), or null for the default (microseconds). */
  resol: Array<number | null>;
  records: Rec[];
  unknownBlocks: number[];
}

class W {
  private parts: number[] = [];
  constructor(private readonly le: boolean) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >> 8) : this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    return this.le ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  bytes(b: Uint8Array): this {
    for (const x of b) this.u8(x);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4 !== 0) this.u8(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  out(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function block(le: boolean, type: number, body: (w: W) => void): Uint8Array {
  const inner = new W(le);
  body(inner);
  inner.pad4();
  const total = inner.length + 12;
  return new W(le).u32(type).u32(total).bytes(inner.out()).u32(total).out();
}

/** Writes the spec as a file, and returns it with the packets a correct reader must yield. */
function build(s: Spec): { bytes: Uint8Array; want: CapturedPacket[] } {
  const parts: Uint8Array[] = [];
  const want: CapturedPacket[] = [];
  const unitsOf = (r: number | null): bigint => (r === null ? 1_000_000n : (r & 0x80) !== 0 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r));
  if (!s.ng) {
    parts.push(new W(s.le).u32(s.nanos ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(65535).u32(s.linkTypes[0]!).out());
    for (const r of s.records) {
      const perSec = s.nanos ? 1_000_000_000n : 1_000_000n;
      const sec = r.ts / perSec;
      const frac = r.ts % perSec;
      parts.push(new W(s.le).u32(Number(sec)).u32(Number(frac)).u32(r.data.length).u32(r.data.length + r.origExtra).bytes(r.data).out());
      want.push({ timestampNs: sec * 1_000_000_000n + (s.nanos ? frac : frac * 1000n), linkType: s.linkTypes[0]!, caplen: r.data.length, origLen: r.data.length + r.origExtra, data: r.data, interfaceId: 0 });
    }
  } else {
    parts.push(block(s.le, 0x0a0d0d0a, (w) => w.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff)));
    s.linkTypes.forEach((lt, i) => {
      const r = s.resol[i] ?? null;
      parts.push(block(s.le, 1, (w) => {
        w.u16(lt).u16(0).u32(0);
        if (r !== null) w.u16(9).u16(1).u8(r).u8(0).u8(0).u8(0).u16(0).u16(0);
      }));
    });
    s.records.forEach((r, k) => {
      const t = s.unknownBlocks[k];
      if (t !== undefined) parts.push(block(s.le, t, (w) => w.bytes(Uint8Array.of(1, 2, 3, 4, 5))));
      const iface = r.iface % s.linkTypes.length;
      parts.push(block(s.le, 6, (w) => w.u32(iface).u32(Number(r.ts >> 32n)).u32(Number(r.ts & 0xffffffffn)).u32(r.data.length).u32(r.data.length + r.origExtra).bytes(r.data)));
      const units = unitsOf(s.resol[iface] ?? null);
      want.push({ timestampNs: (r.ts * 1_000_000_000n) / units, linkType: s.linkTypes[iface]!, caplen: r.data.length, origLen: r.data.length + r.origExtra, data: r.data, interfaceId: iface });
    });
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  return { bytes, want };
}

const spec: fc.Arbitrary<Spec> = fc
  .record({
    ng: fc.boolean(),
    le: fc.boolean(),
    nanos: fc.boolean(),
    linkTypes: fc.array(fc.constantFrom(1, 101, 113, 228, 229, 276), { minLength: 1, maxLength: 3 }),
    resol: fc.array(fc.option(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0x80, max: 0x80 + 40 })), { nil: null }), { minLength: 3, maxLength: 3 }),
    records: fc.array(
      fc.record({ iface: fc.nat(), ts: fc.bigInt({ min: 0n, max: (1n << 62n) - 1n }), data: fc.uint8Array({ maxLength: 70 }), origExtra: fc.nat({ max: 1000 }) }),
      { maxLength: 12 },
    ),
    unknownBlocks: fc.array(fc.constantFrom(0x0bad, 0x40000bad, 5, 4), { maxLength: 12 }),
  })
  .map((s) => ({
    ...s,
    // Classic pcap holds 32-bit seconds.
    records: s.ng ? s.records : s.records.map((r) => ({ ...r, ts: r.ts % ((1n << 32n) * (s.nanos ? 1_000_000_000n : 1_000_000n)) })),
  }));

const key = (p: CapturedPacket): string => `${p.timestampNs}/${p.linkType}/${p.caplen}/${p.origLen}/${p.interfaceId}/${Buffer.from(p.data).toString('hex')}`;

function outcome(bytes: Uint8Array): { packets: string[]; tail: unknown; error: string | null } {
  const r = readCapture(bytes);
  const packets: string[] = [];
  try {
    for (const p of r) packets.push(key(p));
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
    return { packets, tail: r.truncatedTail, error: `${e.code}@${e.offset}` };
  }
  return { packets, tail: r.truncatedTail, error: null };
}

async function streamOutcome(path: string, chunkSize: number): Promise<{ packets: string[]; tail: unknown; error: string | null }> {
  const s = openCapture(path, { chunkSize });
  const packets: string[] = [];
  try {
    for await (const p of s) packets.push(key(p));
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
    return { packets, tail: s.truncatedTail, error: `${e.code}@${e.offset}` };
  }
  return { packets, tail: s.truncatedTail, error: null };
}

describe('capture reader properties', () => {
  it('random pcap/pcapng files read back exactly as written', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const { bytes, want } = build(s);
        const r = readCapture(bytes);
        expect([...r].map(key)).toEqual(want.map(key));
        expect(r.truncatedTail).toBeNull();
        expect(r.format).toBe(s.ng ? 'pcapng' : 'pcap');
      }),
      { numRuns: 500 },
    );
  });

  it('any bytes: packets or CaptureFormatError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(null, 'pcap-le', 'pcap-be', 'ng-le', 'ng-be'), (tail, head) => {
        const prefix = head === null ? [] : head === 'pcap-le' ? [0xd4, 0xc3, 0xb2, 0xa1] : head === 'pcap-be' ? [0xa1, 0xb2, 0xc3, 0xd4] : [0x0a, 0x0d, 0x0d, 0x0a];
        outcome(Uint8Array.from([...prefix, ...tail]));
      }),
      { numRuns: 3000 },
    );
  });

  it('valid files with bytes overwritten or cut: typed errors only, and the chunked reader agrees', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-pcap-prop-'));
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(spec, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), fc.integer({ min: 64, max: 300 }), async (s, edits, cut, chunk) => {
          const { bytes } = build(s);
          const b = bytes.slice(0, bytes.length === 0 ? 0 : cut % (bytes.length + 1));
          for (const [at, v] of edits) if (b.length > 0) b[at % b.length] = v;
          const mem = outcome(b);
          const path = join(dir, `f${n++}.cap`);
          writeFileSync(path, b);
          expect(await streamOutcome(path, chunk)).toEqual(mem);
          rmSync(path);
        }),
        { numRuns: 400 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
