import fc from 'fast-check';
import { decode, encode } from '../../../../src/codec/openflow/codec.js';
import { BadRequest, ErrType } from '../../../../src/codec/openflow/errors.js';
import {
  QueueProperty,
  type QueueGetConfigReplyMessage,
  type QueueGetConfigRequestMessage,
  type QueueProp,
} from '../../../../src/codec/openflow/queue-config.js';
import { ofpPrint } from '../../../support/ofp-print.js';
import { arbU32 as u32a, decodeError, decodeOrDecodeError, encodeError, itOvs, msg, msgRoundTrip as roundTrip, u16, u32, zeros } from './msg-helpers.js';

const REQUEST = 22;
const REPLY = 23;

const rateProp = (p: number, rate: number): number[] => [...u16(p), ...u16(16), ...zeros(4), ...u16(rate), ...zeros(6)];

const request: QueueGetConfigRequestMessage = { type: 'QUEUE_GET_CONFIG_REQUEST', xid: 0x12345678, port: 1 };
const reply: QueueGetConfigReplyMessage = {
  type: 'QUEUE_GET_CONFIG_REPLY',
  xid: 0x12345678,
  port: 1,
  queues: [
    { queueId: 7, port: 1, properties: [{ type: 'min_rate', rate: 500 }, { type: 'max_rate', rate: 800 }] },
    { queueId: 8, port: 1, properties: [] },
  ],
};
const replyBytes = msg(REPLY, [
  ...u32(1), ...zeros(4),
  ...u32(7), ...u32(1), ...u16(48), ...zeros(6), ...rateProp(1, 500), ...rateProp(2, 800),
  ...u32(8), ...u32(1), ...u16(16), ...zeros(6),
]);

describe('QUEUE_GET_CONFIG_REQUEST', () => {
  it('round-trips byte-exactly', () => {
    roundTrip(request, msg(REQUEST, [...u32(1), ...zeros(4)]));
    roundTrip({ type: 'QUEUE_GET_CONFIG_REQUEST', xid: 0, port: 0xffffffff });
  });
  itOvs('is read by ovs-ofctl as intended', () => {
    expect(ofpPrint(encode(request))).toContain('OFPT_QUEUE_GET_CONFIG_REQUEST (OF1.3) (xid=0x12345678): port=1');
  });
  it('rejects a short or long body with BAD_LEN', () => {
    for (const body of [[0, 0, 0, 1], [...u32(1), ...zeros(8)]]) {
      const e = decodeError(msg(REQUEST, body));
      expect([e.errType, e.errCode]).toEqual([ErrType.BAD_REQUEST, BadRequest.BAD_LEN]);
    }
  });
  it('validates the port', () => {
    expect(encodeError({ ...request, port: 1.5 }).path).toBe('port');
  });
});

describe('QUEUE_GET_CONFIG_REPLY', () => {
  it('encodes the spec layout and round-trips byte-exactly', () => {
    roundTrip(reply, replyBytes);
    expect(decode(replyBytes)).toEqual(reply);
    roundTrip({ type: 'QUEUE_GET_CONFIG_REPLY', xid: 3, port: 2, queues: [] });
  });

  it('keeps experimenter and unknown properties', () => {
    roundTrip({
      type: 'QUEUE_GET_CONFIG_REPLY',
      xid: 3,
      port: 2,
      queues: [
        {
          queueId: 1,
          port: 2,
          properties: [
            { type: 'experimenter', experimenter: 0x2320, data: Uint8Array.from([9, 9, 9, 9, 9, 9, 9, 9]) },
            { type: 'unknown', property: 3, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
            { type: 'unknown', property: 4, data: new Uint8Array(0) },
          ],
        },
      ],
    });
  });

  itOvs('is read by ovs-ofctl as intended', () => {
    const text = ofpPrint(encode(reply));
    expect(text).toContain('OFPT_QUEUE_GET_CONFIG_REPLY (OF1.3) (xid=0x12345678): port=1');
    expect(text).toContain('queue 7: min_rate:50.0% max_rate:80.0%');
    expect(text).toMatch(/queue 8:/);
  });

  describe('malformed input', () => {
    const expectBadLen = (bytes: Uint8Array): void => {
      const e = decodeError(bytes);
      expect([e.errType, e.errCode]).toEqual([ErrType.BAD_REQUEST, BadRequest.BAD_LEN]);
    };
    it('rejects a truncated reply header and a truncated queue', () => {
      expectBadLen(msg(REPLY, [...u32(1)]));
      expectBadLen(msg(REPLY, [...u32(1), ...zeros(4), ...u32(7), ...u32(1), ...u16(16)]));
    });
    it('rejects queue lengths below 16 (including 0) or past the end', () => {
      for (const len of [0, 8, 32]) expectBadLen(msg(REPLY, [...u32(1), ...zeros(4), ...u32(7), ...u32(1), ...u16(len), ...zeros(6)]));
    });
    it('rejects property lengths below 8 (including 0), past the queue, or wrong for rate properties', () => {
      const q = (prop: number[]): Uint8Array => msg(REPLY, [...u32(1), ...zeros(4), ...u32(7), ...u32(1), ...u16(16 + prop.length), ...zeros(6), ...prop]);
      expectBadLen(q([...u16(1), ...u16(0), ...zeros(4)]));
      expectBadLen(q([...u16(1), ...u16(4), ...zeros(4)]));
      expectBadLen(q([...u16(1), ...u16(24), ...zeros(12)]));
      expectBadLen(q([...u16(QueueProperty.MIN_RATE), ...u16(8), ...zeros(4)]));
      expectBadLen(q([...u16(QueueProperty.MAX_RATE), ...u16(24), ...zeros(20)]));
      expectBadLen(q([...u16(QueueProperty.EXPERIMENTER), ...u16(12), ...zeros(8)]));
      expectBadLen(q([...u16(9), ...u16(4)]));
    });
  });

  it('validates values on encode', () => {
    expect(encodeError({ ...reply, queues: [{ queueId: -1, port: 1, properties: [] }] }).path).toBe('queues[0].queueId');
    expect(encodeError({ ...reply, queues: [{ queueId: 1, port: 1, properties: [{ type: 'min_rate', rate: 70000 }] }] }).path).toBe('queues[0].properties[0].rate');
    expect(encodeError({ ...reply, queues: [{ queueId: 1, port: 1, properties: [{ type: 'unknown', property: 1, data: new Uint8Array(8) }] }] }).path).toBe(
      'queues[0].properties[0].property',
    );
    expect(encodeError({ ...reply, queues: [{ queueId: 1, port: 1, properties: [{ type: 'weird' }] }] }).path).toBe('queues[0].properties[0].type');
  });

  describe('properties', () => {
    const prop: fc.Arbitrary<QueueProp> = fc.oneof(
      fc.record({ type: fc.constantFrom('min_rate' as const, 'max_rate' as const), rate: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ type: fc.constant('experimenter' as const), experimenter: u32a, data: fc.uint8Array({ maxLength: 16 }) }),
      fc.record({
        type: fc.constant('unknown' as const),
        property: fc.integer({ min: 3, max: 0xfffe }),
        data: fc.uint8Array({ maxLength: 16 }),
      }),
    );
    const replyArb: fc.Arbitrary<QueueGetConfigReplyMessage> = fc.record({
      type: fc.constant('QUEUE_GET_CONFIG_REPLY' as const),
      xid: u32a,
      port: u32a,
      queues: fc.array(fc.record({ queueId: u32a, port: u32a, properties: fc.array(prop, { maxLength: 4 }) }), { maxLength: 4 }),
    });
    it('round-trips generated replies', () => {
      fc.assert(fc.property(replyArb, (m) => void roundTrip(m)));
    });
    it('throws only OfpDecodeError on arbitrary bodies', () => {
      fc.assert(
        fc.property(fc.constantFrom(REQUEST, REPLY), fc.uint8Array({ maxLength: 96 }), (type, body) => {
          decodeOrDecodeError(msg(type, Array.from(body)));
        }),
      );
    });
  });
});
