// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface FeaturesReplyMessage {
  type: 'FEATURES_REPLY';
  xid: number;
}

export const featuresReplyCodec: BodyCodec<FeaturesReplyMessage> = {
  decode() {
    throw new Error('FEATURES_REPLY: not implemented');
  },
  encode() {
    throw new Error('FEATURES_REPLY: not implemented');
  },
};

