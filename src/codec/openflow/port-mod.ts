// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface PortModMessage {
  type: 'PORT_MOD';
  xid: number;
}

export const portModCodec: BodyCodec<PortModMessage> = {
  decode() {
    throw new Error('PORT_MOD: not implemented');
  },
  encode() {
    throw new Error('PORT_MOD: not implemented');
  },
};

