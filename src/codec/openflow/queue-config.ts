// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface QueueGetConfigRequestMessage {
  type: 'QUEUE_GET_CONFIG_REQUEST';
  xid: number;
}

export const queueGetConfigRequestCodec: BodyCodec<QueueGetConfigRequestMessage> = {
  decode() {
    throw new Error('QUEUE_GET_CONFIG_REQUEST: not implemented');
  },
  encode() {
    throw new Error('QUEUE_GET_CONFIG_REQUEST: not implemented');
  },
};

export interface QueueGetConfigReplyMessage {
  type: 'QUEUE_GET_CONFIG_REPLY';
  xid: number;
}

export const queueGetConfigReplyCodec: BodyCodec<QueueGetConfigReplyMessage> = {
  decode() {
    throw new Error('QUEUE_GET_CONFIG_REPLY: not implemented');
  },
  encode() {
    throw new Error('QUEUE_GET_CONFIG_REPLY: not implemented');
  },
};

