/**
 * OFPT_GET_ASYNC_REPLY / OFPT_SET_ASYNC (OpenFlow 1.3.5 §7.3.10): which asynchronous messages a
 * connection receives, per role. Each mask is `[master/equal, slave]`; bit n set enables reason n
 * (OFPR_* for packet-in, OFPPR_* for port-status, OFPRR_* for flow-removed). (GET_ASYNC_REQUEST has no body.)
 */
import type { BodyCodec } from './body-codec.js';
import type { Reader, Writer } from './buffer.js';
import { OfpEncodeError } from './errors.js';
import { checkU32 } from './encode-check.js';

/** `[master or equal role, slave role]` */
export type RoleMasks = [masterEqual: number, slave: number];

export interface AsyncConfig {
  packetInMask: RoleMasks;
  portStatusMask: RoleMasks;
  flowRemovedMask: RoleMasks;
}

export interface GetAsyncReplyMessage extends AsyncConfig {
  type: 'GET_ASYNC_REPLY';
  xid: number;
}

export interface SetAsyncMessage extends AsyncConfig {
  type: 'SET_ASYNC';
  xid: number;
}

function readAsync(r: Reader): AsyncConfig {
  r.need(24, 'ofp_async_config');
  return {
    packetInMask: [r.u32(), r.u32()],
    portStatusMask: [r.u32(), r.u32()],
    flowRemovedMask: [r.u32(), r.u32()],
  };
}

function encodeAsync(w: Writer, m: AsyncConfig): void {
  for (const k of ['packetInMask', 'portStatusMask', 'flowRemovedMask'] as const) {
    const pair = m[k];
    if (!Array.isArray(pair) || pair.length !== 2) throw new OfpEncodeError(`${k}: expected [masterEqual, slave]`, k);
    checkU32(pair[0], `${k}[0]`);
    checkU32(pair[1], `${k}[1]`);
  }
  w.u32(m.packetInMask[0]);
  w.u32(m.packetInMask[1]);
  w.u32(m.portStatusMask[0]);
  w.u32(m.portStatusMask[1]);
  w.u32(m.flowRemovedMask[0]);
  w.u32(m.flowRemovedMask[1]);
}

export const getAsyncReplyCodec: BodyCodec<GetAsyncReplyMessage> = {
  decode(r, xid) {
    const c = readAsync(r);
    return { type: 'GET_ASYNC_REPLY', xid, packetInMask: c.packetInMask, portStatusMask: c.portStatusMask, flowRemovedMask: c.flowRemovedMask };
  },
  encode: encodeAsync,
};

export const setAsyncCodec: BodyCodec<SetAsyncMessage> = {
  decode(r, xid) {
    const c = readAsync(r);
    return { type: 'SET_ASYNC', xid, packetInMask: c.packetInMask, portStatusMask: c.portStatusMask, flowRemovedMask: c.flowRemovedMask };
  },
  encode: encodeAsync,
};
