/** OFPT_EXPERIMENTER (OpenFlow 1.3.5 §7.5.4): experimenter id, experimenter-defined type, opaque data. */
import type { BodyCodec } from './body-codec.js';
import { checkBytes, checkU32 } from './encode-check.js';

export interface ExperimenterMessage {
  type: 'EXPERIMENTER';
  xid: number;
  /** MSB 0: the low 24 bits are an IEEE OUI (e.g. Nicira 0x00002320); MSB 1: ONF-defined. */
  experimenter: number;
  expType: number;
  data: Uint8Array;
}

export const experimenterCodec: BodyCodec<ExperimenterMessage> = {
  decode(r, xid) {
    r.need(8, 'ofp_experimenter_header');
    const experimenter = r.u32();
    const expType = r.u32();
    return { type: 'EXPERIMENTER', xid, experimenter, expType, data: r.bytesView(r.remaining) };
  },
  encode(w, m) {
    checkU32(m.experimenter, 'experimenter');
    checkU32(m.expType, 'expType');
    checkBytes(m.data, 'data');
    w.u32(m.experimenter);
    w.u32(m.expType);
    w.bytes(m.data);
  },
};
