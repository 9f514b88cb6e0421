// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface GroupModMessage {
  type: 'GROUP_MOD';
  xid: number;
}

export const groupModCodec: BodyCodec<GroupModMessage> = {
  decode() {
    throw new Error('GROUP_MOD: not implemented');
  },
  encode() {
    throw new Error('GROUP_MOD: not implemented');
  },
};

