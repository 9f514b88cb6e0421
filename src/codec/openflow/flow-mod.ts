// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface FlowModMessage {
  type: 'FLOW_MOD';
  xid: number;
}

export const flowModCodec: BodyCodec<FlowModMessage> = {
  decode() {
    throw new Error('FLOW_MOD: not implemented');
  },
  encode() {
    throw new Error('FLOW_MOD: not implemented');
  },
};

