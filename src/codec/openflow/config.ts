// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface GetConfigReplyMessage {
  type: 'GET_CONFIG_REPLY';
  xid: number;
}

export const getConfigReplyCodec: BodyCodec<GetConfigReplyMessage> = {
  decode() {
    throw new Error('GET_CONFIG_REPLY: not implemented');
  },
  encode() {
    throw new Error('GET_CONFIG_REPLY: not implemented');
  },
};

export interface SetConfigMessage {
  type: 'SET_CONFIG';
  xid: number;
}

export const setConfigCodec: BodyCodec<SetConfigMessage> = {
  decode() {
    throw new Error('SET_CONFIG: not implemented');
  },
  encode() {
    throw new Error('SET_CONFIG: not implemented');
  },
};

