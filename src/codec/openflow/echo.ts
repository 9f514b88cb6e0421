// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface EchoRequestMessage {
  type: 'ECHO_REQUEST';
  xid: number;
}

export const echoRequestCodec: BodyCodec<EchoRequestMessage> = {
  decode() {
    throw new Error('ECHO_REQUEST: not implemented');
  },
  encode() {
    throw new Error('ECHO_REQUEST: not implemented');
  },
};

export interface EchoReplyMessage {
  type: 'ECHO_REPLY';
  xid: number;
}

export const echoReplyCodec: BodyCodec<EchoReplyMessage> = {
  decode() {
    throw new Error('ECHO_REPLY: not implemented');
  },
  encode() {
    throw new Error('ECHO_REPLY: not implemented');
  },
};

