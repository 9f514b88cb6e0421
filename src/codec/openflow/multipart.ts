// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface MultipartRequestMessage {
  type: 'MULTIPART_REQUEST';
  xid: number;
}

export const multipartRequestCodec: BodyCodec<MultipartRequestMessage> = {
  decode() {
    throw new Error('MULTIPART_REQUEST: not implemented');
  },
  encode() {
    throw new Error('MULTIPART_REQUEST: not implemented');
  },
};

export interface MultipartReplyMessage {
  type: 'MULTIPART_REPLY';
  xid: number;
}

export const multipartReplyCodec: BodyCodec<MultipartReplyMessage> = {
  decode() {
    throw new Error('MULTIPART_REPLY: not implemented');
  },
  encode() {
    throw new Error('MULTIPART_REPLY: not implemented');
  },
};

