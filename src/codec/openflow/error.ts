// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface ErrorMessage {
  type: 'ERROR';
  xid: number;
}

export const errorCodec: BodyCodec<ErrorMessage> = {
  decode() {
    throw new Error('ERROR: not implemented');
  },
  encode() {
    throw new Error('ERROR: not implemented');
  },
};

