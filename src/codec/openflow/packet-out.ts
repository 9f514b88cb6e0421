// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface PacketOutMessage {
  type: 'PACKET_OUT';
  xid: number;
}

export const packetOutCodec: BodyCodec<PacketOutMessage> = {
  decode() {
    throw new Error('PACKET_OUT: not implemented');
  },
  encode() {
    throw new Error('PACKET_OUT: not implemented');
  },
};

