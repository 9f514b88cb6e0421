/**
 * openCapture (chunked file reads) is a second implementation of the same reader: on every fixture, at
 * every chunk size, it must yield exactly what readCapture yields, report the same truncated tail, and
 * throw the same typed error at the same offset. Chunk sizes down to 64 bytes split every record and
 * block header somewhere.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureFormatError, openCapture, readCapture, type CapturedPacket } from '../../../../src/codec/pcap/index.js';

const FIX = new URL('../../../fixtures/packet/', import.meta.url).pathname;
const FILES = [
  'protocols.pcap',
  'truncated.pcap',
  ...readdirSync(FIX + 'captures').map((f) => `captures/${f}`),
  ...readdirSync(FIX + 'linktypes').map((f) => `linktypes/${f}`),
];

const key = (p: CapturedPacket): string => `${p.timestampNs}/${p.linkType}/${p.caplen}/${p.origLen}/${p.interfaceId}/${Buffer.from(p.data).toString('hex')}`;

async function streamAll(path: string, chunkSize: number, strict = false): Promise<{ packets: string[]; tail: unknown; error: unknown }> {
  const s = openCapture(path, { chunkSize, strict });
  const packets: string[] = [];
  let error: unknown = null;
  try {
    for await (const p of s) packets.push(key(p));
  } catch (e) {
    error = e;
  }
  return { packets, tail: s.truncatedTail, error };
}

function readAll(bytes: Uint8Array, strict = false): { packets: string[]; tail: unknown; error: unknown } {
  const r = readCapture(bytes, { strict });
  const packets: string[] = [];
  let error: unknown = null;
  try {
    for (const p of r) packets.push(key(p));
  } catch (e) {
    error = e;
  }
  return { packets, tail: r.truncatedTail, error };
}

describe('openCapture equals readCapture', () => {
  it.each(FILES)('%s at chunk sizes 64 .. 1 MiB', async (name) => {
    const path = FIX + name;
    const want = readAll(new Uint8Array(readFileSync(path)));
    expect(want.error).toBeNull();
    expect(want.packets.length).toBeGreaterThan(0);
    for (const chunk of [64, 67, 100, 333, 4096, 1 << 20]) {
      expect(await streamAll(path, chunk)).toEqual(want);
    }
  });

  it('packet data stays valid after later chunks are read', async () => {
    const path = FIX + 'truncated.pcap';
    const held: CapturedPacket[] = [];
    for await (const p of openCapture(path, { chunkSize: 64 })) held.push(p);
    expect(held.map(key)).toEqual([...readCapture(new Uint8Array(readFileSync(path)))].map(key));
  });

  it('same truncated tail, same strict error, same malformed error and offset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-pcap-'));
    try {
      const cut = FIX + 'captures/cut.pcap';
      const a = readAll(new Uint8Array(readFileSync(cut)));
      expect(a.tail).not.toBeNull();
      expect(await streamAll(cut, 64)).toEqual(a);
      const strict = await streamAll(cut, 100, true);
      expect(strict.error).toBeInstanceOf(CaptureFormatError);
      expect(strict).toEqual(readAll(new Uint8Array(readFileSync(cut)), true));
      const bad = new Uint8Array(readFileSync(FIX + 'captures/protocols.pcapng'));
      // Corrupt the length of the 5th block (the 3rd packet block): not a multiple of 4.
      const dv = new DataView(bad.buffer);
      let at = 0;
      for (let i = 0; i < 4; i++) at += dv.getUint32(at + 4, true);
      dv.setUint32(at + 4, 0x1002, true);
      const f = join(dir, 'bad.pcapng');
      writeFileSync(f, bad);
      const r = readAll(bad);
      expect(r.error).toMatchObject({ code: 'bad-block-length', offset: at + 4 });
      expect(r.packets).toHaveLength(2);
      const s = await streamAll(f, 77);
      expect(s).toEqual(r);
      const empty = join(dir, 'empty.pcap');
      writeFileSync(empty, new Uint8Array(0));
      expect((await streamAll(empty, 64)).error).toMatchObject({ code: 'bad-magic' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
