/**
 * Truncated captures: every fixture frame cut at every length decodes as far as it goes. The layers before
 * the cut are exactly those of the whole frame, `truncated` names the layer the cut falls in (and only when
 * it falls inside a header), and nothing is ever thrown.
 */
import { decodePacket, type Layer, type Packet } from '../../../../src/codec/packet/index.js';
import { fixture } from './helpers.js';

const frames = fixture('protocols.pcap').map((p) => p.data);

function headerEnd(l: Layer): number {
  return l.offset + l.headerLength;
}

/** The layer a cut at `n` falls in: the first header of the whole frame that does not fit in n bytes. */
function cutLayer(full: Packet, n: number): Layer | undefined {
  return full.layers.find((l) => l.type !== 'payload' && headerEnd(l) > n);
}

describe('decodePacket on every frame cut at every length', () => {
  it.each(frames.map((f, i) => [i, f.length, f] as const))('frame %i (%i bytes)', (_i, len, f) => {
    const full = decodePacket(f);
    for (let n = 0; n < len; n++) {
      const cut = decodePacket(f, 0, n);
      expect(cut.length).toBe(n);
      const at = cutLayer(full, n);
      if (at === undefined) {
        // The cut falls in payload: every header is complete.
        expect({ n, truncated: cut.truncated }).toEqual({ n, truncated: null });
        expect(cut.layers.filter((l) => l.type !== 'payload')).toEqual(full.layers.filter((l) => l.type !== 'payload'));
        continue;
      }
      expect({ n, layer: cut.truncated?.layer, depth: cut.truncated?.depth }).toEqual({ n, layer: at.type, depth: at.depth });
      expect(cut.truncated!.offset).toBeLessThanOrEqual(n);
      expect(cut.truncated!.missing).toBeGreaterThan(0);
      // The headers before the cut layer are complete and identical to the whole frame's.
      const before = (p: Packet): Layer[] => p.layers.filter((l) => l.type !== 'payload' && l.offset < at.offset);
      expect(before(cut)).toEqual(before(full));
      // The cut layer itself appears only when its fixed part is present, with fewer options/extensions.
      const partial = cut.layers.find((l) => l.offset === at.offset && l.type === at.type);
      if (partial !== undefined) expect(partial.headerLength).toBeLessThanOrEqual(n - partial.offset);
      expect(cut.issues).toEqual([]);
    }
  });

  it('truncated.pcap (orig_len kept, caplen cut) decodes every record with the truncation where the cut falls', () => {
    const full = frames.map((f) => decodePacket(f));
    const cuts = fixture('truncated.pcap');
    expect(cuts.length).toBeGreaterThan(800);
    let truncated = 0;
    for (const c of cuts) {
      const whole = full.find((p, i) => p.length === c.origLen && frames[i]!.subarray(0, c.caplen).every((b, k) => b === c.data[k]));
      expect(whole).toBeDefined();
      const d = decodePacket(c.data);
      const at = cutLayer(whole!, c.caplen);
      expect(d.truncated?.layer).toBe(at?.type);
      if (d.truncated !== null) truncated++;
    }
    expect(truncated).toBeGreaterThan(cuts.length / 2);
  });
});
