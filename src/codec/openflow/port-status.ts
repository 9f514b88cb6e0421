/** OFPT_PORT_STATUS (OpenFlow 1.3.5 §7.4.3): reason, pad[7], ofp_port. */
import type { BodyCodec } from './body-codec.js';
import { checkU8 } from './encode-check.js';
import { decodePort, encodePort, type Port } from './port.js';

/** ofp_port_reason */
export const PortReason = { ADD: 0, DELETE: 1, MODIFY: 2 } as const;

export interface PortStatusMessage {
  type: 'PORT_STATUS';
  xid: number;
  reason: number;
  port: Port;
}

export const portStatusCodec: BodyCodec<PortStatusMessage> = {
  decode(r, xid) {
    const reason = r.u8();
    r.skip(7);
    return { type: 'PORT_STATUS', xid, reason, port: decodePort(r) };
  },
  encode(w, m) {
    checkU8(m.reason, 'reason');
    w.u8(m.reason);
    w.zeros(7);
    encodePort(w, m.port, 'port');
  },
};
