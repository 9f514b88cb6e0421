// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface PortStatusMessage {
  type: 'PORT_STATUS';
  xid: number;
}

export const portStatusCodec: BodyCodec<PortStatusMessage> = {
  decode() {
    throw new Error('PORT_STATUS: not implemented');
  },
  encode() {
    throw new Error('PORT_STATUS: not implemented');
  },
};

