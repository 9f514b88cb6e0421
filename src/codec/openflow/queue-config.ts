/**
 * OFPT_QUEUE_GET_CONFIG_REQUEST / OFPT_QUEUE_GET_CONFIG_REPLY (OpenFlow 1.3.5 §7.3.6).
 *
 * Wire layout (body after the 8-byte header):
 *   request:  port u32, pad[4]
 *   reply:    port u32, pad[4], queues[]
 *   ofp_packet_queue:      queue_id u32, port u32, len u16, pad[6], properties[]
 *   ofp_queue_prop_header: property u16, len u16, pad[4]
 *     MIN_RATE (1) / MAX_RATE (2): + rate u16, pad[6]                 (16 bytes)
 *     EXPERIMENTER (0xffff):       + experimenter u32, pad[4], data[]  (16 + data bytes)
 */
import type { Reader, Writer } from './buffer.js';
import type { BodyCodec } from './body-codec.js';
import { BadRequest, ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { QueueOpFailedCode as QueueOpFailed } from './error-codes.js';

/** ofp_queue_properties */
export const QueueProperty = { MIN_RATE: 1, MAX_RATE: 2, EXPERIMENTER: 0xffff } as const;

/** OFPQ_ALL: all queues (queue stats request); rates above 1000 mean "not configured". */
export const OFPQ_ALL = 0xffffffff;
export const OFPQ_MIN_RATE_UNCFG = 0xffff;
export const OFPQ_MAX_RATE_UNCFG = 0xffff;

/** ofp_queue_op_failed_code (error type OFPET_QUEUE_OP_FAILED): the table in error-codes.ts. */
export { QueueOpFailed };

export const OFP_PACKET_QUEUE_LEN = 16;
export const OFP_QUEUE_PROP_HEADER_LEN = 8;
const RATE_PROP_LEN = 16;

export type QueueProp =
  /** Rates in 1/10 of a percent of the port speed; > 1000 means disabled. */
  | { type: 'min_rate'; rate: number }
  | { type: 'max_rate'; rate: number }
  | { type: 'experimenter'; experimenter: number; data: Uint8Array }
  /** A property type this codec does not know: kept opaque (bytes after the 8-byte property header). */
  | { type: 'unknown'; property: number; data: Uint8Array };

export interface PacketQueue {
  queueId: number;
  port: number;
  properties: QueueProp[];
}

export interface QueueGetConfigRequestMessage {
  type: 'QUEUE_GET_CONFIG_REQUEST';
  xid: number;
  /** Port to query (OFPP_ANY for all configured queues). */
  port: number;
}

export interface QueueGetConfigReplyMessage {
  type: 'QUEUE_GET_CONFIG_REPLY';
  xid: number;
  port: number;
  queues: PacketQueue[];
}

export const queueGetConfigRequestCodec: BodyCodec<QueueGetConfigRequestMessage> = {
  decode(r, xid) {
    r.need(8, 'ofp_queue_get_config_request');
    const port = r.u32();
    r.offset += 4;
    return { type: 'QUEUE_GET_CONFIG_REQUEST', xid, port };
  },
  encode(w, m) {
    checkUint(m.port, 0xffffffff, 'port');
    w.u32(m.port);
    w.zeros(4);
  },
};

function badLen(message: string, offset: number): OfpDecodeError {
  return new OfpDecodeError(message, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, offset);
}

function decodeQueueProps(r: Reader): QueueProp[] {
  const props: QueueProp[] = [];
  while (r.offset < r.end) {
    const at = r.offset;
    if (r.end - at < OFP_QUEUE_PROP_HEADER_LEN) throw badLen(`truncated queue property header at offset ${at}`, at);
    const property = r.view.getUint16(at);
    const len = r.view.getUint16(at + 2);
    if (len < OFP_QUEUE_PROP_HEADER_LEN) throw badLen(`queue property length ${len} < ${OFP_QUEUE_PROP_HEADER_LEN} at offset ${at}`, at + 2);
    const p = r.sub(len, 'queue property');
    p.offset += OFP_QUEUE_PROP_HEADER_LEN;
    if (property === QueueProperty.MIN_RATE || property === QueueProperty.MAX_RATE) {
      if (len !== RATE_PROP_LEN) throw badLen(`queue rate property length ${len}, expected ${RATE_PROP_LEN}`, at + 2);
      const rate = p.u16();
      p.offset += 6;
      props.push({ type: property === QueueProperty.MIN_RATE ? 'min_rate' : 'max_rate', rate });
    } else if (property === QueueProperty.EXPERIMENTER) {
      if (len < 16) throw badLen(`experimenter queue property length ${len} < 16`, at + 2);
      const experimenter = p.u32();
      p.offset += 4;
      props.push({ type: 'experimenter', experimenter, data: p.bytesView(p.remaining) });
    } else {
      props.push({ type: 'unknown', property, data: p.bytesView(p.remaining) });
    }
  }
  return props;
}

function encodeQueueProps(w: Writer, props: readonly QueueProp[], path: string): void {
  if (!Array.isArray(props)) throw new OfpEncodeError(`${path}: expected an array`, path);
  for (let i = 0; i < props.length; i++) {
    const p = props[i]!;
    const pp = `${path}[${i}]`;
    switch (p.type) {
      case 'min_rate':
      case 'max_rate':
        checkUint(p.rate, 0xffff, `${pp}.rate`);
        w.u16(p.type === 'min_rate' ? QueueProperty.MIN_RATE : QueueProperty.MAX_RATE);
        w.u16(RATE_PROP_LEN);
        w.zeros(4);
        w.u16(p.rate);
        w.zeros(6);
        break;
      case 'experimenter': {
        checkUint(p.experimenter, 0xffffffff, `${pp}.experimenter`);
        checkBytes(p.data, `${pp}.data`);
        const len = 16 + p.data.length;
        if (len > 0xffff) throw new OfpEncodeError(`${pp}: property length ${len} exceeds 65535`, `${pp}.data`);
        w.u16(QueueProperty.EXPERIMENTER);
        w.u16(len);
        w.zeros(4);
        w.u32(p.experimenter);
        w.zeros(4);
        w.bytes(p.data);
        break;
      }
      case 'unknown': {
        checkUint(p.property, 0xffff, `${pp}.property`);
        if (p.property === QueueProperty.MIN_RATE || p.property === QueueProperty.MAX_RATE || p.property === QueueProperty.EXPERIMENTER) {
          throw new OfpEncodeError(`${pp}.property: ${p.property} is a known property type; use its own variant`, `${pp}.property`);
        }
        checkBytes(p.data, `${pp}.data`);
        const len = OFP_QUEUE_PROP_HEADER_LEN + p.data.length;
        if (len > 0xffff) throw new OfpEncodeError(`${pp}: property length ${len} exceeds 65535`, `${pp}.data`);
        w.u16(p.property);
        w.u16(len);
        w.zeros(4);
        w.bytes(p.data);
        break;
      }
      default:
        throw new OfpEncodeError(`${pp}.type: unknown queue property ${JSON.stringify((p as { type: unknown }).type)}`, `${pp}.type`);
    }
  }
}

export const queueGetConfigReplyCodec: BodyCodec<QueueGetConfigReplyMessage> = {
  decode(r, xid) {
    r.need(8, 'ofp_queue_get_config_reply');
    const port = r.u32();
    r.offset += 4;
    const queues: PacketQueue[] = [];
    while (r.offset < r.end) {
      const at = r.offset;
      if (r.end - at < OFP_PACKET_QUEUE_LEN) throw badLen(`truncated ofp_packet_queue at offset ${at}`, at);
      const len = r.view.getUint16(at + 8);
      if (len < OFP_PACKET_QUEUE_LEN) throw badLen(`ofp_packet_queue length ${len} < ${OFP_PACKET_QUEUE_LEN} at offset ${at}`, at + 8);
      const q = r.sub(len, 'ofp_packet_queue');
      const queueId = q.u32();
      const qport = q.u32();
      q.offset += 8; // len + pad[6]
      queues.push({ queueId, port: qport, properties: decodeQueueProps(q) });
    }
    return { type: 'QUEUE_GET_CONFIG_REPLY', xid, port, queues };
  },
  encode(w, m) {
    checkUint(m.port, 0xffffffff, 'port');
    if (!Array.isArray(m.queues)) throw new OfpEncodeError('queues: expected an array', 'queues');
    w.u32(m.port);
    w.zeros(4);
    for (let i = 0; i < m.queues.length; i++) {
      const q = m.queues[i]!;
      const p = `queues[${i}]`;
      checkUint(q.queueId, 0xffffffff, `${p}.queueId`);
      checkUint(q.port, 0xffffffff, `${p}.port`);
      const start = w.offset;
      w.u32(q.queueId);
      w.u32(q.port);
      w.u16(0);
      w.zeros(6);
      encodeQueueProps(w, q.properties, `${p}.properties`);
      const len = w.offset - start;
      if (len > 0xffff) throw new OfpEncodeError(`${p}: queue length ${len} exceeds 65535`, p);
      w.patchU16(start + 8, len);
    }
  },
};

function checkUint(v: unknown, max: number, path: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new OfpEncodeError(`${path}: expected an integer in 0..${max}, got ${String(v)}`, path);
  }
}

function checkBytes(v: unknown, path: string): void {
  if (!(v instanceof Uint8Array)) throw new OfpEncodeError(`${path}: expected a Uint8Array`, path);
}
