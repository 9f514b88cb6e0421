/**
 * JSON-RPC stream framing: messages found without delimiters, whatever the chunking (every split offset,
 * 1..N-byte chunks, random chunks), including strings holding braces/brackets/escapes and multi-byte UTF-8
 * split between chunks; malformed input as typed errors; the size limit checked before buffering.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { OvsdbDecodeError } from '../../../../src/codec/ovsdb/errors.js';
import { JsonRpcFramer } from '../../../../src/codec/ovsdb/framer.js';
import { decodeRpcMessage, encodeRpcMessage, type RpcMessage } from '../../../../src/codec/ovsdb/jsonrpc.js';

const enc = new TextEncoder();
const bytes = (s: string): Uint8Array => enc.encode(s);

function frameChunks(chunks: Uint8Array[], framer = new JsonRpcFramer()): unknown[] {
  const out: unknown[] = [];
  for (const c of chunks) out.push(...framer.push(c));
  expect(framer.pending).toBe(0);
  return out;
}

function chunked(b: Uint8Array, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < b.length; o += n) out.push(b.subarray(o, o + n));
  return out;
}

function decodeError(f: () => unknown): OvsdbDecodeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OvsdbDecodeError);
    return e as OvsdbDecodeError;
  }
  throw new Error('expected an OvsdbDecodeError');
}

// Tricky content: braces and brackets in strings, escaped quotes and backslashes, \u escapes, 2/3/4-byte UTF-8.
const tricky = [
  { method: 'echo', params: ['{', '}', '[', ']', '"{"', '\\', '\\"', 'a\\\\"b'], id: 1 },
  { id: 2, result: { s: 'naïve 中文 😀 {b} [k] "q" back\\slash', u: '\u007b\u0000\u2028' }, error: null },
  { method: 'update2', params: ['m', { T: { '00000000-0000-0000-0000-000000000001': { modify: { c: ['map', [['k}', 'v]']]] } } } }], id: null },
  [1, [2, [3, [4, {}]]], '\\'],
  { id: 'echo', result: [], error: null },
];
const trickyText = tricky.map((m) => JSON.stringify(m)).join('');
const trickyBytes = bytes(trickyText);

const golden = Uint8Array.from(Buffer.from(readFileSync(new URL('../../../fixtures/ovsdb/monitor-cond-session.hex', import.meta.url), 'utf8').trim(), 'hex'));

describe('JsonRpcFramer', () => {
  it('frames one message and concatenated messages with no separator', () => {
    expect(frameChunks([bytes('{"a":1}')])).toEqual([{ a: 1 }]);
    expect(frameChunks([trickyBytes])).toEqual(tricky);
  });

  it('skips whitespace and newlines between messages', () => {
    expect(frameChunks([bytes(' \n{"a":1}\r\n\t [2] \n')])).toEqual([{ a: 1 }, [2]]);
  });

  it('frames identically when split at every offset', () => {
    const whole = frameChunks([trickyBytes]);
    for (let k = 1; k < trickyBytes.length; k++) {
      expect(frameChunks([trickyBytes.subarray(0, k), trickyBytes.subarray(k)])).toEqual(whole);
    }
  });

  it('frames identically when split at every pair of offsets (three chunks)', () => {
    const b = bytes(JSON.stringify(tricky[1]) + JSON.stringify(tricky[0]));
    const whole = frameChunks([b]);
    for (let i = 1; i < b.length; i += 3) {
      for (let j = i + 1; j < b.length; j += 5) {
        expect(frameChunks([b.subarray(0, i), b.subarray(i, j), b.subarray(j)])).toEqual(whole);
      }
    }
  });

  it.each([1, 2, 3, 4, 5, 7, 16, 100])('frames the stream fed in %i-byte chunks', (n) => {
    expect(frameChunks(chunked(trickyBytes, n))).toEqual(tricky);
  });

  it('decodes a multi-byte UTF-8 character split between chunks at each of its bytes', () => {
    for (const ch of ['é', '中', '😀']) {
      const b = bytes(`{"s":"${ch}"}`);
      const start = 6; // after {"s":"
      const len = enc.encode(ch).length;
      for (let k = start; k <= start + len; k++) {
        expect(frameChunks([b.subarray(0, k), b.subarray(k)])).toEqual([{ s: ch }]);
      }
    }
  });

  describe('golden stream from ovsdb-server (OVS 3.1)', () => {
    const whole = frameChunks([golden]);
    it('holds the monitor reply and nine update2 notifications', () => {
      expect(whole).toHaveLength(10);
      const msgs = whole.map(decodeRpcMessage);
      expect(msgs[0]).toMatchObject({ kind: 'response', id: 1 });
      expect(msgs.slice(1).every((m) => m.kind === 'notification' && m.method === 'update2')).toBe(true);
      expect(JSON.stringify(whole)).toContain('naïve 中文 😀 {b} [k] \\"q\\" back\\\\slash');
    });

    it('frames identically when split at every offset', () => {
      for (let k = 1; k < golden.length; k++) {
        expect(frameChunks([golden.subarray(0, k), golden.subarray(k)])).toEqual(whole);
      }
    });

    it.each([1, 2, 3, 13, 64, 512])('frames identically in %i-byte chunks', (n) => {
      expect(frameChunks(chunked(golden, n))).toEqual(whole);
    });
  });

  it('frames any JSON values, concatenated and split at random points (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (values, cuts) => {
          const msgs = values.map((v) => ({ v }));
          const b = bytes(msgs.map((m) => JSON.stringify(m)).join('\n'));
          const points = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
          const chunks: Uint8Array[] = [];
          let prev = 0;
          for (const p of points) {
            chunks.push(b.subarray(prev, p));
            prev = p;
          }
          chunks.push(b.subarray(prev));
          expect(frameChunks(chunks)).toEqual(msgs.map((m) => JSON.parse(JSON.stringify(m))));
        },
      ),
      { numRuns: 300 },
    );
  });

  describe('malformed input', () => {
    it('rejects invalid JSON as json-syntax, then frames fresh input after reset', () => {
      const f = new JsonRpcFramer();
      const e = decodeError(() => f.push(bytes('{"a":}')));
      expect(e.reason).toBe('json-syntax');
      expect(e.kind).toBe('malformed');
      expect(f.pending).toBe(0);
      expect(f.push(bytes('{"ok":true}'))).toEqual([{ ok: true }]);
    });

    it('rejects mismatched brackets as soon as they arrive, before the message ends', () => {
      const f = new JsonRpcFramer();
      const e = decodeError(() => f.push(bytes('{"params":[1,}')));
      expect(e.reason).toBe('json-syntax');
      expect(e.message).toContain("'}' closes '['");
      expect(e.offset).toBe(13);
      expect(decodeError(() => new JsonRpcFramer().push(bytes('[{]'))).reason).toBe('json-syntax');
    });

    it('rejects invalid UTF-8 as utf8', () => {
      const b = Uint8Array.from([...bytes('{"s":"'), 0xff, 0xfe, ...bytes('"}')]);
      expect(decodeError(() => new JsonRpcFramer().push(b)).reason).toBe('utf8');
      // A truncated multi-byte sequence (first byte of 😀 only) too.
      const t = Uint8Array.from([...bytes('{"s":"'), 0xf0, ...bytes('"}')]);
      expect(decodeError(() => new JsonRpcFramer().push(t)).reason).toBe('utf8');
    });

    it.each(['x', '1', '"str"', 'null', '}', ']'])('rejects %s between messages as bad-top-level with its offset', (junk) => {
      const e = decodeError(() => new JsonRpcFramer().push(bytes(`{"a":1}  ${junk}`)));
      expect(e.reason).toBe('bad-top-level');
      expect(e.offset).toBe(9);
    });

    it('reports the stream offset across chunks', () => {
      const f = new JsonRpcFramer();
      f.push(bytes('{"a":1}'));
      f.push(bytes('{"b":'));
      const e = decodeError(() => f.push(bytes('2}x')));
      expect(e.offset).toBe(14);
    });

    it('enforces the size limit before buffering, exactly at the limit', () => {
      const msg = bytes(JSON.stringify({ s: 'x'.repeat(92) })); // 100 bytes
      expect(msg.length).toBe(100);
      expect(frameChunks(chunked(msg, 1), new JsonRpcFramer({ maxMessageBytes: 100 }))).toHaveLength(1);
      const big = bytes(JSON.stringify({ s: 'x'.repeat(93) })); // 101 bytes
      const f = new JsonRpcFramer({ maxMessageBytes: 100 });
      let fed = 0;
      const e = decodeError(() => {
        for (const c of chunked(big, 1)) {
          f.push(c);
          fed++;
          expect(f.pending).toBeLessThanOrEqual(100);
        }
      });
      expect(e.reason).toBe('too-large');
      expect(fed).toBe(100); // the 101st byte is refused, not buffered
      expect(f.pending).toBe(0);
    });

    it('refuses an over-long message arriving in one chunk, and one still open at the chunk end', () => {
      expect(decodeError(() => new JsonRpcFramer({ maxMessageBytes: 10 }).push(bytes('{"a":"0123456789"}'))).reason).toBe('too-large');
      expect(decodeError(() => new JsonRpcFramer({ maxMessageBytes: 10 }).push(bytes('{"a":"0123456789'))).reason).toBe('too-large');
    });

    it('enforces the nesting limit', () => {
      const f = new JsonRpcFramer({ maxDepth: 8 });
      expect(f.push(bytes('[[[[[[[[1]]]]]]]]'))).toEqual([JSON.parse('[[[[[[[[1]]]]]]]]')]);
      expect(decodeError(() => f.push(bytes('[[[[[[[[[1]]]]]]]]]'))).reason).toBe('too-deep');
    });

    it('frames a 3.5 MiB string full of escapes fed in 1 KiB chunks (speed is measured in bench/ovsdb)', () => {
      const s = 'a\\"b\\\\'.repeat(512 * 1024);
      const b = bytes(`{"s":"${s}"}`);
      const out = frameChunks(chunked(b, 1024));
      expect((out[0] as { s: string }).s).toBe(JSON.parse(`"${s}"`));
    });
  });
});

describe('JSON-RPC messages', () => {
  it('classifies requests, notifications and responses', () => {
    expect(decodeRpcMessage({ method: 'echo', params: [1], id: 'x' })).toEqual({ kind: 'request', method: 'echo', params: [1], id: 'x' });
    expect(decodeRpcMessage({ method: 'update2', params: [], id: null })).toEqual({ kind: 'notification', method: 'update2', params: [] });
    expect(decodeRpcMessage({ id: 3, result: [1], error: null })).toEqual({ kind: 'response', id: 3, result: [1], error: null });
    // ovsdb-server omits "result" in error replies.
    expect(decodeRpcMessage({ id: 2, error: 'unknown method' })).toEqual({ kind: 'response', id: 2, result: null, error: 'unknown method' });
  });

  it.each([
    [[1, 2], 'must be a JSON object'],
    [{ method: 1, params: [], id: 1 }, '"method" must be a string'],
    [{ method: 'x', params: {}, id: 1 }, '"params" of x must be an array'],
    [{ method: 'x', params: [] }, 'no "id"'],
    [{ result: 1 }, 'no "id"'],
    [{ foo: 1 }, 'neither a request'],
  ])('rejects %j as bad-message', (json, msg) => {
    const e = decodeError(() => decodeRpcMessage(json));
    expect(e.reason).toBe('bad-message');
    expect(e.message).toContain(msg);
  });

  it('encodes each kind as JSON-RPC 1.0 and decodes it back', () => {
    const msgs: RpcMessage[] = [
      { kind: 'request', method: 'transact', params: ['db', { op: 'comment', comment: 'x' }], id: 7 },
      { kind: 'notification', method: 'cancel', params: [7] },
      { kind: 'response', id: 'echo', result: ['a'], error: null },
    ];
    for (const m of msgs) expect(decodeRpcMessage(JSON.parse(encodeRpcMessage(m)))).toEqual(m);
    expect(JSON.parse(encodeRpcMessage(msgs[1]!))).toEqual({ method: 'cancel', params: [7], id: null });
  });
});
