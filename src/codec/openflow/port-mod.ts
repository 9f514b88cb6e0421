/** OFPT_PORT_MOD (OpenFlow 1.3.5 §7.3.4.3): change a port's config bits (those set in `mask`) and advertisement. */
import type { BodyCodec } from './body-codec.js';
import { macToString } from '../addr.js';
import { checkU32, writeMac } from './encode-check.js';

export interface PortModMessage {
  type: 'PORT_MOD';
  xid: number;
  portNo: number;
  /** Must match the port's hardware address (a sanity check on the switch side). */
  hwAddr: string;
  /** ofp_port_config bits (PortConfig). */
  config: number;
  /** Which config bits to change. */
  mask: number;
  /** ofp_port_features bits to advertise (PortFeatures); 0 leaves the advertisement unchanged. */
  advertise: number;
}

export const portModCodec: BodyCodec<PortModMessage> = {
  decode(r, xid) {
    r.need(32, 'ofp_port_mod');
    const portNo = r.u32();
    r.skip(4);
    const hwAddr = macToString(r.bytes, r.offset);
    r.skip(8);
    const config = r.u32();
    const mask = r.u32();
    const advertise = r.u32();
    r.skip(4);
    return { type: 'PORT_MOD', xid, portNo, hwAddr, config, mask, advertise };
  },
  encode(w, m) {
    checkU32(m.portNo, 'portNo');
    checkU32(m.config, 'config');
    checkU32(m.mask, 'mask');
    checkU32(m.advertise, 'advertise');
    w.u32(m.portNo);
    w.zeros(4);
    writeMac(w, m.hwAddr, 'hwAddr');
    w.zeros(2);
    w.u32(m.config);
    w.u32(m.mask);
    w.u32(m.advertise);
    w.zeros(4);
  },
};
