// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface HelloMessage {
  type: 'HELLO';
  xid: number;
}

export const helloCodec: BodyCodec<HelloMessage> = {
  decode() {
    throw new Error('HELLO: not implemented');
  },
  encode() {
    throw new Error('HELLO: not implemented');
  },
};

