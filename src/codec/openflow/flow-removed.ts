// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface FlowRemovedMessage {
  type: 'FLOW_REMOVED';
  xid: number;
}

export const flowRemovedCodec: BodyCodec<FlowRemovedMessage> = {
  decode() {
    throw new Error('FLOW_REMOVED: not implemented');
  },
  encode() {
    throw new Error('FLOW_REMOVED: not implemented');
  },
};

