/**
 * Property tests: whatever the bytes, decodePacket and summarizePacket return (never throw), stay inside the
 * given range, and agree with each other. Inputs: arbitrary bytes for every link type, and fixture frames
 * with random byte mutations and random capture lengths (which reach deep into every header).
 */
import fc from 'fast-check';
import { AddressOf, decodePacket, LinkType, PacketSummary, summarizePacket } from '../../../../src/codec/packet/index.js';
import { expectSummaryMatchesDecode, fixture } from './helpers.js';

const frames = fixture('protocols.pcap').map((p) => p.data);
const LINK_TYPES = [LinkType.ETHERNET, LinkType.RAW, LinkType.IPV4, LinkType.IPV6, LinkType.LINUX_SLL, LinkType.LINUX_SLL2];

/** A fixture frame with up to 6 bytes overwritten, cut to a random length. */
const mutatedFrame = fc
  .record({
    i: fc.integer({ min: 0, max: frames.length - 1 }),
    edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    cut: fc.nat(),
  })
  .map(({ i, edits, cut }) => {
    const f = frames[i]!.slice();
    for (const [at, v] of edits) f[at % f.length] = v;
    return f.subarray(0, cut % (f.length + 1));
  });

describe('packet codec properties', () => {
  it('arbitrary bytes of every link type: no throw, layers within the range, summary agrees', () => {
    const s = new PacketSummary();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), fc.constantFrom(...LINK_TYPES), (bytes, lt) => {
        const { d } = expectSummaryMatchesDecode(bytes, lt, s);
        for (const l of d.layers) {
          expect(l.offset).toBeGreaterThanOrEqual(0);
          expect(l.offset + l.headerLength).toBeLessThanOrEqual(bytes.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated and cut fixture frames: no throw, summary agrees with the full decode', () => {
    const s = new PacketSummary();
    fc.assert(
      fc.property(mutatedFrame, (f) => {
        expectSummaryMatchesDecode(f, LinkType.ETHERNET, s);
      }),
      { numRuns: 5000 },
    );
  });

  it('decoding a frame inside a larger buffer equals decoding it alone', () => {
    fc.assert(
      fc.property(mutatedFrame, fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (f, before, after) => {
        const buf = Uint8Array.from([...before, ...f, ...after]);
        expect(decodePacket(buf, before.length, f.length)).toEqual(decodePacket(f));
        const a = summarizePacket(buf, before.length, f.length, new PacketSummary());
        const b = summarizePacket(f, 0, f.length, new PacketSummary());
        // Offsets index the array summarized: shift them back; the addresses they point at must be the same bytes.
        const rel = (x: number): number => (x < 0 ? x : x - before.length);
        const norm = (s: PacketSummary, shift: (x: number) => number): Record<string, unknown> => ({
          ...s,
          bytes: null,
          payloadOffset: shift(s.payloadOffset),
          srcOffset: shift(s.srcOffset),
          dstOffset: shift(s.dstOffset),
          innerSrcOffset: shift(s.innerSrcOffset),
          innerDstOffset: shift(s.innerDstOffset),
          addresses: [AddressOf.SRC, AddressOf.DST, AddressOf.INNER_SRC, AddressOf.INNER_DST].map((w) => [...s.address(w)]),
        });
        expect(norm(a, rel)).toEqual(norm(b, (x) => x));
      }),
      { numRuns: 1000 },
    );
  });

  it('out-of-range offsets and lengths never throw', () => {
    const s = new PacketSummary();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.integer({ min: -100, max: 200 }), fc.integer({ min: -100, max: 300 }), (b, off, len) => {
        const d = decodePacket(b, off, len);
        expect(d.length).toBeGreaterThanOrEqual(0);
        expect(d.length).toBeLessThanOrEqual(b.length);
        expect(summarizePacket(b, off, len, s).length).toBe(d.length);
      }),
      { numRuns: 1000 },
    );
  });
});
