/**
 * Long fuzz run of the OpenFlow decoder (npm run fuzz [-- COUNT [SEED]]), default 1,000,000 inputs.
 * Inputs: mutations of the golden messages OVS sent (bit flips, byte overwrites, truncation, extension,
 * length-field edits, spliced messages) and random bodies behind a plausible header. Invariants:
 *   - decode throws nothing but OfpDecodeError;
 *   - whatever decodes re-encodes (or is refused with OfpEncodeError, never another exception), and the
 *     re-encoded bytes decode to the same message;
 *   - the framer never throws anything but OfpDecodeError, whatever the chunking.
 * Exits 1 on the first violation, printing the input in hex.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { decode, encode } from '../src/codec/openflow/codec.js';
import { OfpDecodeError, OfpEncodeError } from '../src/codec/openflow/errors.js';
import { OfpFramer } from '../src/codec/openflow/framer.js';

const count = Number(process.argv[2] ?? 1_000_000);
let seed = Number(process.argv[3] ?? 0x5eed) >>> 0;
const rnd = (n: number): number => {
  // xorshift32: fast and reproducible from the seed
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % n;
};

const golden = readFileSync(new URL('../../test/fixtures/openflow/ovs-session.hex', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => Uint8Array.from(Buffer.from(l, 'hex')))
  .filter((m) => m.length <= 4096); // big TABLE_FEATURES parts slow mutation down without adding paths
const extra: Uint8Array[] = [];
function corpus(): Uint8Array {
  const pool = extra.length > 0 && rnd(4) === 0 ? extra : golden;
  return pool[rnd(pool.length)]!;
}

function setLen(b: Uint8Array): void {
  if (b.length >= 4) {
    b[2] = (b.length >> 8) & 0xff;
    b[3] = b.length & 0xff;
  }
}

function mutate(): Uint8Array {
  const base = corpus();
  let b = base.slice();
  const ops = 1 + rnd(4);
  for (let k = 0; k < ops; k++) {
    switch (rnd(8)) {
      case 0: // bit flip
        if (b.length) b[rnd(b.length)]! ^= 1 << rnd(8);
        break;
      case 1: // byte overwrite with an interesting value
        if (b.length) b[rnd(b.length)] = [0, 1, 0x7f, 0x80, 0xff, 4, 8][rnd(7)]!;
        break;
      case 2: // truncate (keeping the header length consistent half of the time)
        b = b.slice(0, rnd(b.length + 1));
        if (rnd(2)) setLen(b);
        break;
      case 3: {
        // extend with random bytes
        const ext = new Uint8Array(b.length + 1 + rnd(32));
        ext.set(b);
        for (let i = b.length; i < ext.length; i++) ext[i] = rnd(256);
        b = ext;
        if (rnd(2)) setLen(b);
        break;
      }
      case 4: // edit an inner 16-bit length-ish field
        if (b.length > 12) {
          const at = 8 + rnd(b.length - 9);
          b[at] = rnd(2) ? 0 : rnd(256);
          b[at + 1] = [0, 4, 8, 16, 0xff][rnd(5)]!;
        }
        break;
      case 5: // change the message type
        if (b.length > 1) b[1] = rnd(32);
        break;
      case 6: {
        // splice the tail of another message
        const o = corpus();
        const cut = rnd(b.length + 1);
        const from = rnd(o.length + 1);
        const s = new Uint8Array(cut + o.length - from);
        s.set(b.subarray(0, cut));
        s.set(o.subarray(from), cut);
        b = s;
        setLen(b);
        break;
      }
      default: {
        // random body behind a plausible header
        const len = 8 + rnd(200);
        b = new Uint8Array(len);
        for (let i = 8; i < len; i++) b[i] = rnd(256);
        b[0] = 4;
        b[1] = rnd(30);
        setLen(b);
      }
    }
  }
  return b;
}

const fail = (why: string, input: Uint8Array, e?: unknown): never => {
  console.error(`FUZZ VIOLATION: ${why}\ninput: ${Buffer.from(input).toString('hex')}`);
  if (e) console.error(e);
  process.exit(1);
};

let decoded = 0;
let malformed = 0;
let refused = 0;
const byCode = new Map<string, number>();
const t0 = Date.now();
for (let i = 0; i < count; i++) {
  const input = mutate();
  let m;
  try {
    m = decode(input);
  } catch (e) {
    if (!(e instanceof OfpDecodeError)) fail('decode threw a non-OfpDecodeError', input, e);
    malformed++;
    const k = `${(e as OfpDecodeError).errType}/${(e as OfpDecodeError).errCode}`;
    byCode.set(k, (byCode.get(k) ?? 0) + 1);
    continue;
  }
  decoded++;
  if (extra.length < 2000 && rnd(16) === 0) extra.push(input);
  let again: Uint8Array;
  try {
    again = encode(m);
  } catch (e) {
    if (!(e instanceof OfpEncodeError)) fail('encode of a decoded message threw a non-OfpEncodeError', input, e);
    refused++;
    continue;
  }
  let m2;
  try {
    m2 = decode(again);
  } catch (e) {
    fail('re-encoded message does not decode', input, e);
  }
  if (!isDeepStrictEqual(m2, m)) fail('re-encoded message decodes differently', input);
  if (i % 64 === 0) {
    // Framer: the same bytes in random chunks.
    const f = new OfpFramer();
    try {
      for (let o = 0; o < input.length; ) {
        const n = 1 + rnd(16);
        f.push(input.subarray(o, o + n));
        o += n;
      }
    } catch (e) {
      if (!(e instanceof OfpDecodeError)) fail('framer threw a non-OfpDecodeError', input, e);
    }
  }
  if (i > 0 && i % 250_000 === 0) console.log(`  ${i} inputs...`);
}
const s = (Date.now() - t0) / 1000;
console.log(`fuzzed ${count} inputs in ${s.toFixed(1)} s (${Math.round(count / s)}/s): ${decoded} decoded, ${malformed} malformed (typed), ${refused} decoded but refused by the encoder (typed)`);
console.log(`malformed by OpenFlow error type/code: ${[...byCode].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k}:${v}`).join(' ')}`);
console.log('no invariant violated');
