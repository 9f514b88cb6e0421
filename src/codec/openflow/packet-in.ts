// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface PacketInMessage {
  type: 'PACKET_IN';
  xid: number;
}

export const packetInCodec: BodyCodec<PacketInMessage> = {
  decode() {
    throw new Error('PACKET_IN: not implemented');
  },
  encode() {
    throw new Error('PACKET_IN: not implemented');
  },
};

