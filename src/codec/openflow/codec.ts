/**
 * Message layer: one OpenFlow message <-> bytes. Dispatches on the header's type code to the family
 * codecs; checks version, lengths and that each body decoder consumed exactly the declared length.
 */
import { Reader, Writer } from './buffer.js';
import type { BodyCodec } from './body-codec.js';
import { BadRequest, ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { OFP_HEADER_LEN, OFP_MAX_LEN, OFP_VERSION, OfpType, type OfpTypeName } from './header.js';
import type { EmptyMessage, OfpMessage } from './messages.js';
import { helloCodec } from './hello.js';
import { errorCodec } from './error.js';
import { echoReplyCodec, echoRequestCodec } from './echo.js';
import { experimenterCodec } from './experimenter.js';
import { featuresReplyCodec } from './features.js';
import { getConfigReplyCodec, setConfigCodec } from './config.js';
import { packetInCodec } from './packet-in.js';
import { flowRemovedCodec } from './flow-removed.js';
import { portStatusCodec } from './port-status.js';
import { packetOutCodec } from './packet-out.js';
import { flowModCodec } from './flow-mod.js';
import { groupModCodec } from './group-mod.js';
import { portModCodec } from './port-mod.js';
import { tableModCodec } from './table-mod.js';
import { multipartReplyCodec, multipartRequestCodec } from './multipart.js';
import { queueGetConfigReplyCodec, queueGetConfigRequestCodec } from './queue-config.js';
import { roleReplyCodec, roleRequestCodec } from './role.js';
import { getAsyncReplyCodec, setAsyncCodec } from './async.js';
import { meterModCodec } from './meter-mod.js';

function emptyCodec<T extends EmptyMessage['type']>(type: T): BodyCodec<Extract<EmptyMessage, { type: T }>> {
  return {
    decode(_r, xid) {
      return { type, xid } as Extract<EmptyMessage, { type: T }>;
    },
    encode() {
      /* no body */
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCodec = BodyCodec<any>;

const codecs: { [K in OfpTypeName]: AnyCodec } = {
  HELLO: helloCodec,
  ERROR: errorCodec,
  ECHO_REQUEST: echoRequestCodec,
  ECHO_REPLY: echoReplyCodec,
  EXPERIMENTER: experimenterCodec,
  FEATURES_REQUEST: emptyCodec('FEATURES_REQUEST'),
  FEATURES_REPLY: featuresReplyCodec,
  GET_CONFIG_REQUEST: emptyCodec('GET_CONFIG_REQUEST'),
  GET_CONFIG_REPLY: getConfigReplyCodec,
  SET_CONFIG: setConfigCodec,
  PACKET_IN: packetInCodec,
  FLOW_REMOVED: flowRemovedCodec,
  PORT_STATUS: portStatusCodec,
  PACKET_OUT: packetOutCodec,
  FLOW_MOD: flowModCodec,
  GROUP_MOD: groupModCodec,
  PORT_MOD: portModCodec,
  TABLE_MOD: tableModCodec,
  MULTIPART_REQUEST: multipartRequestCodec,
  MULTIPART_REPLY: multipartReplyCodec,
  BARRIER_REQUEST: emptyCodec('BARRIER_REQUEST'),
  BARRIER_REPLY: emptyCodec('BARRIER_REPLY'),
  QUEUE_GET_CONFIG_REQUEST: queueGetConfigRequestCodec,
  QUEUE_GET_CONFIG_REPLY: queueGetConfigReplyCodec,
  ROLE_REQUEST: roleRequestCodec,
  ROLE_REPLY: roleReplyCodec,
  GET_ASYNC_REQUEST: emptyCodec('GET_ASYNC_REQUEST'),
  GET_ASYNC_REPLY: getAsyncReplyCodec,
  SET_ASYNC: setAsyncCodec,
  METER_MOD: meterModCodec,
};

const byCode: AnyCodec[] = [];
for (const [name, code] of Object.entries(OfpType)) byCode[code] = codecs[name as OfpTypeName];

/**
 * Decodes exactly one message occupying `bytes` (or its first `header.length` bytes; trailing bytes are
 * an error — use the framer for streams). Throws OfpDecodeError on malformed input.
 */
// Creating a DataView costs about as much as decoding a small message, and the frames of one TCP read
// share one ArrayBuffer: keep the view of the last buffer and read at absolute offsets.
let lastBuffer: ArrayBufferLike | undefined;
let lastWhole: Uint8Array = new Uint8Array(0);
let lastView: DataView = new DataView(new ArrayBuffer(0));

export function decode(bytes: Uint8Array): OfpMessage {
  if (bytes.length < OFP_HEADER_LEN) {
    throw new OfpDecodeError(`message shorter than the ${OFP_HEADER_LEN}-byte header (${bytes.length})`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, 0);
  }
  const version = bytes[0]!;
  const type = bytes[1]!;
  const length = (bytes[2]! << 8) | bytes[3]!;
  const xid = ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0;
  if (length < OFP_HEADER_LEN) {
    throw new OfpDecodeError(`header length ${length} < ${OFP_HEADER_LEN}`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, 2);
  }
  if (length !== bytes.length) {
    throw new OfpDecodeError(`header length ${length} differs from the ${bytes.length} byte(s) given`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, 2);
  }
  if (version !== OFP_VERSION && type !== OfpType.HELLO && type !== OfpType.ERROR) {
    // HELLO and ERROR may carry another version (negotiation and its failure).
    throw new OfpDecodeError(`unsupported OpenFlow version 0x${version.toString(16)} (this codec speaks 1.3, 0x04)`, ErrType.BAD_REQUEST, BadRequest.BAD_VERSION, 0);
  }
  const codec = byCode[type];
  if (codec === undefined) {
    throw new OfpDecodeError(`unknown message type ${type}`, ErrType.BAD_REQUEST, BadRequest.BAD_TYPE, 1);
  }
  if (bytes.buffer !== lastBuffer) {
    lastBuffer = bytes.buffer;
    lastWhole = new Uint8Array(bytes.buffer);
    lastView = new DataView(bytes.buffer);
  }
  const base = bytes.byteOffset;
  const r = new Reader(lastWhole, base + OFP_HEADER_LEN, base + length, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, lastView);
  let msg: OfpMessage;
  try {
    msg = codec.decode(r, xid, version) as OfpMessage;
  } catch (e) {
    // Readers work at absolute offsets; report them relative to the message.
    if (e instanceof OfpDecodeError && e.offset !== undefined) e.offset -= base;
    throw e;
  }
  if (r.offset !== base + length) {
    throw new OfpDecodeError(`${msg.type}: ${base + length - r.offset} trailing byte(s) after the body`, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, r.offset - base);
  }
  return msg;
}

/**
 * Appends one encoded message to `w` (for batching many messages into one socket write), with `xid`
 * overriding the message's own (so callers need not copy the message to assign one).
 * Returns the message's length.
 */
export function encodeInto(w: Writer, m: OfpMessage, xid: number = m.xid): number {
  const codec = codecs[m.type];
  if (codec === undefined) throw new OfpEncodeError(`unknown message type ${String((m as { type: unknown }).type)}`, 'type');
  const start = w.offset;
  const version = 'version' in m && typeof m.version === 'number' ? m.version : OFP_VERSION;
  w.u8(version);
  w.u8(OfpType[m.type]);
  w.u16(0);
  w.u32(xid >>> 0);
  try {
    codec.encode(w, m);
  } catch (e) {
    w.offset = start; // leave the writer as it was: a batch never holds half a message
    throw e;
  }
  const len = w.offset - start;
  if (len > OFP_MAX_LEN) {
    w.offset = start;
    throw new OfpEncodeError(`${m.type}: encoded length ${len} exceeds the OpenFlow maximum ${OFP_MAX_LEN}`);
  }
  w.patchU16(start + 2, len);
  return len;
}

const shared = new Writer(1024);

/** Encodes one message to a fresh byte array. */
export function encode(m: OfpMessage): Uint8Array {
  shared.reset();
  encodeInto(shared, m);
  return shared.toBytes();
}
