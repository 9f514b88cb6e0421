// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface GetAsyncReplyMessage {
  type: 'GET_ASYNC_REPLY';
  xid: number;
}

export const getAsyncReplyCodec: BodyCodec<GetAsyncReplyMessage> = {
  decode() {
    throw new Error('GET_ASYNC_REPLY: not implemented');
  },
  encode() {
    throw new Error('GET_ASYNC_REPLY: not implemented');
  },
};

export interface SetAsyncMessage {
  type: 'SET_ASYNC';
  xid: number;
}

export const setAsyncCodec: BodyCodec<SetAsyncMessage> = {
  decode() {
    throw new Error('SET_ASYNC: not implemented');
  },
  encode() {
    throw new Error('SET_ASYNC: not implemented');
  },
};

