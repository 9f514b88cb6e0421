// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface MeterModMessage {
  type: 'METER_MOD';
  xid: number;
}

export const meterModCodec: BodyCodec<MeterModMessage> = {
  decode() {
    throw new Error('METER_MOD: not implemented');
  },
  encode() {
    throw new Error('METER_MOD: not implemented');
  },
};

