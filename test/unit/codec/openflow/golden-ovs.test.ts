/**
 * Golden vectors from a real peer: every message OVS 3.1 sent in a captured session must decode, and
 * encoding the decoded message must reproduce OVS's bytes exactly. The whole session stream, split at
 * every offset (for the small messages) and fed in 1..N-byte chunks, must frame and decode identically.
 */
import { readFileSync } from 'node:fs';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { OfpFramer } from '../../../../src/codec/openflow/framer.js';

const lines = readFileSync(new URL('../../../fixtures/openflow/ovs-session.hex', import.meta.url), 'utf8').trim().split('\n');
const messages = lines.map((l) => Uint8Array.from(Buffer.from(l, 'hex')));
const stream = Uint8Array.from(Buffer.concat(messages));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function frameAll(chunks: Uint8Array[]): string[] {
  const framer = new OfpFramer();
  const out: string[] = [];
  for (const c of chunks) for (const f of framer.push(c)) out.push(hex(f));
  expect(framer.pending).toBe(0);
  return out;
}

describe('golden OpenFlow messages captured from Open vSwitch 3.1', () => {
  it('holds a rich session', () => {
    const types = new Set(messages.map((m) => { const d = decode(m); return d.type === 'MULTIPART_REPLY' ? `${d.type}/${d.body.kind}` : d.type; }));
    for (const t of ['HELLO', 'FEATURES_REPLY', 'PACKET_IN', 'FLOW_REMOVED', 'PORT_STATUS', 'ERROR', 'MULTIPART_REPLY/FLOW', 'MULTIPART_REPLY/PORT_DESC', 'MULTIPART_REPLY/TABLE_FEATURES', 'MULTIPART_REPLY/GROUP_DESC', 'MULTIPART_REPLY/METER_CONFIG']) {
      expect(types).toContain(t);
    }
  });

  it.each(messages.map((m, i) => [i, decode(m).type, m] as const))('#%i %s round-trips byte-exactly', (_i, _t, bytes) => {
    expect(hex(encode(decode(bytes)))).toBe(hex(bytes));
  });

  it('frames the session stream identically when split at every offset (first 8 KiB)', () => {
    const whole = frameAll([stream]);
    expect(whole).toEqual(lines);
    const limit = Math.min(stream.length, 8192);
    for (let k = 1; k < limit; k++) {
      expect(frameAll([stream.subarray(0, k), stream.subarray(k)])).toEqual(whole);
    }
  });

  it.each([1, 2, 3, 7, 13, 64, 1500, 65536])('frames the session stream fed in %i-byte chunks', (n) => {
    const chunks: Uint8Array[] = [];
    for (let o = 0; o < stream.length; o += n) chunks.push(stream.subarray(o, o + n));
    const frames = frameAll(chunks);
    expect(frames).toEqual(lines);
    expect(frames.map((f) => decode(Uint8Array.from(Buffer.from(f, 'hex'))).type)).toEqual(messages.map((m) => decode(m).type));
  });

  it('frames the stream fed in random chunk sizes', () => {
    let seed = 42;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 300) + 1;
    for (let run = 0; run < 20; run++) {
      const chunks: Uint8Array[] = [];
      for (let o = 0; o < stream.length; ) {
        const n = rand();
        chunks.push(stream.subarray(o, o + n));
        o += n;
      }
      expect(frameAll(chunks)).toEqual(lines);
    }
  });
});
