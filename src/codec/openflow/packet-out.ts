/**
 * OFPT_PACKET_OUT (OpenFlow 1.3.5 §7.3.7): buffer_id, in_port, actions_len, pad[6], actions, frame.
 * `data` is sent only when bufferId is OFP_NO_BUFFER (the spec ignores it otherwise, so it is kept as is).
 */
import type { BodyCodec } from './body-codec.js';
import { BadAction, BadRequest, ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { checkBytes, checkU32 } from './encode-check.js';
import { decodeActions, encodeActions, type Action } from './actions.js';

export interface PacketOutMessage {
  type: 'PACKET_OUT';
  xid: number;
  /** Switch buffer to send, or OFP_NO_BUFFER (0xffffffff) to send `data`. */
  bufferId: number;
  /** The packet's ingress port for the pipeline (OFPP.CONTROLLER when it has none). */
  inPort: number;
  actions: Action[];
  data: Uint8Array;
}

export const packetOutCodec: BodyCodec<PacketOutMessage> = {
  decode(r, xid) {
    r.need(16, 'ofp_packet_out');
    const v = r.view;
    const o = r.offset;
    const bufferId = v.getUint32(o);
    const inPort = v.getUint32(o + 4);
    const actionsLen = v.getUint16(o + 8);
    r.offset = o + 16;
    if (actionsLen > r.end - r.offset || actionsLen % 8 !== 0) {
      throw new OfpDecodeError(
        `PACKET_OUT actions_len ${actionsLen} is not a multiple of 8 within the ${r.end - r.offset} byte(s) left`,
        ErrType.BAD_REQUEST,
        BadRequest.BAD_LEN,
        o + 8,
      );
    }
    const actions = decodeActions(r.sub(actionsLen, 'actions', ErrType.BAD_ACTION, BadAction.BAD_LEN));
    const data = r.bytesView(r.end - r.offset);
    return { type: 'PACKET_OUT', xid, bufferId, inPort, actions, data };
  },
  encode(w, m) {
    checkU32(m.bufferId, 'bufferId');
    checkU32(m.inPort, 'inPort');
    checkBytes(m.data, 'data');
    if (!Array.isArray(m.actions)) throw new OfpEncodeError('actions: expected an array', 'actions');
    w.ensure(16);
    const start = w.offset;
    w.view.setUint32(start, m.bufferId);
    w.view.setUint32(start + 4, m.inPort);
    w.offset = start + 8;
    w.zeros(8); // actions_len (patched below) + pad[6]
    encodeActions(w, m.actions);
    const actionsLen = w.offset - start - 16;
    if (actionsLen > 0xffff) throw new OfpEncodeError(`actions: ${actionsLen} bytes exceed actions_len's 65535`, 'actions');
    w.patchU16(start + 8, actionsLen);
    w.bytes(m.data);
  },
};
