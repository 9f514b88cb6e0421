/** `vigil ofp print`: a byte stream of OpenFlow messages to readable text or JSON lines. */
import { decode } from '../codec/openflow/codec.js';
import { describe } from '../codec/openflow/describe.js';
import { errorName } from '../codec/openflow/error-codes.js';
import { OfpDecodeError } from '../codec/openflow/errors.js';
import { OfpFramer } from '../codec/openflow/framer.js';

export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `0x${x.toString(16)}`;
    if (x instanceof Uint8Array) return Buffer.from(x).toString('hex');
    return x;
  });
}

export function printOpenFlow(bytes: Uint8Array, opts: { json: boolean }): { text: string; ok: boolean } {
  const out: string[] = [];
  let ok = true;
  const framer = new OfpFramer();
  let frames: Uint8Array[] = [];
  try {
    frames = framer.push(bytes);
  } catch (e) {
    ok = false;
    out.push(`error: ${(e as Error).message}`);
  }
  let offset = 0;
  for (const f of frames) {
    try {
      const m = decode(f);
      out.push(opts.json ? toJson(m) : describe(m));
    } catch (e) {
      ok = false;
      const why = e instanceof OfpDecodeError ? `${e.message} [${errorName(e.errType, e.errCode)}]` : String(e);
      out.push(opts.json ? toJson({ error: why, offset }) : `malformed message at byte ${offset}: ${why}`);
    }
    offset += f.length;
  }
  if (framer.pending > 0) {
    ok = false;
    out.push(opts.json ? toJson({ error: `truncated: ${framer.pending} trailing byte(s)`, offset }) : `truncated message at byte ${offset}: ${framer.pending} byte(s) of an incomplete message`);
  }
  return { text: out.length ? out.join('\n') + '\n' : '', ok };
}
