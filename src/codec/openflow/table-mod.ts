// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface TableModMessage {
  type: 'TABLE_MOD';
  xid: number;
}

export const tableModCodec: BodyCodec<TableModMessage> = {
  decode() {
    throw new Error('TABLE_MOD: not implemented');
  },
  encode() {
    throw new Error('TABLE_MOD: not implemented');
  },
};

