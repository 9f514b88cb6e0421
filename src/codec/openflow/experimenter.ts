// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface ExperimenterMessage {
  type: 'EXPERIMENTER';
  xid: number;
}

export const experimenterCodec: BodyCodec<ExperimenterMessage> = {
  decode() {
    throw new Error('EXPERIMENTER: not implemented');
  },
  encode() {
    throw new Error('EXPERIMENTER: not implemented');
  },
};

