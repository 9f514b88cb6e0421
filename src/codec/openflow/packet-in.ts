/**
 * OFPT_PACKET_IN (OpenFlow 1.3.5 §7.4.1): buffer_id, total_len, reason, table_id, cookie, ofp_match
 * (padded to 8), 2 zero bytes (so the IP header after a 14-byte Ethernet header is 32-bit aligned), frame.
 * A hot path: the frame is a zero-copy view into the input bytes.
 */
import type { BodyCodec } from './body-codec.js';
import { checkBytes, checkU16, checkU32, checkU64, checkU8 } from './encode-check.js';
import { decodeMatch, encodeMatch, type Match } from './oxm.js';

/** buffer_id meaning "not buffered on the switch; the whole packet is in `data`". */
export const OFP_NO_BUFFER = 0xffffffff;

/** ofp_packet_in_reason */
export const PacketInReason = { NO_MATCH: 0, ACTION: 1, INVALID_TTL: 2 } as const;

export interface PacketInMessage {
  type: 'PACKET_IN';
  xid: number;
  /** Switch buffer holding the packet, or OFP_NO_BUFFER. */
  bufferId: number;
  /** Full length of the frame (data may be truncated to miss_send_len / the output action's max_len). */
  totalLen: number;
  reason: number;
  tableId: number;
  /** Cookie of the flow entry that sent the packet (all ones for a miss). */
  cookie: bigint;
  /** Pipeline fields: in_port always, plus metadata/tunnel_id/... when set. */
  match: Match;
  data: Uint8Array;
}

export const packetInCodec: BodyCodec<PacketInMessage> = {
  decode(r, xid) {
    r.need(16, 'ofp_packet_in');
    const v = r.view;
    const o = r.offset;
    const bufferId = v.getUint32(o);
    const totalLen = v.getUint16(o + 4);
    const reason = v.getUint8(o + 6);
    const tableId = v.getUint8(o + 7);
    const cookie = v.getBigUint64(o + 8);
    r.offset = o + 16;
    const match = decodeMatch(r);
    r.skip(2);
    const data = r.bytesView(r.end - r.offset);
    return { type: 'PACKET_IN', xid, bufferId, totalLen, reason, tableId, cookie, match, data };
  },
  encode(w, m) {
    checkU32(m.bufferId, 'bufferId');
    checkU16(m.totalLen, 'totalLen');
    checkU8(m.reason, 'reason');
    checkU8(m.tableId, 'tableId');
    checkU64(m.cookie, 'cookie');
    checkBytes(m.data, 'data');
    w.ensure(16);
    const v = w.view;
    const o = w.offset;
    v.setUint32(o, m.bufferId);
    v.setUint16(o + 4, m.totalLen);
    v.setUint8(o + 6, m.reason);
    v.setUint8(o + 7, m.tableId);
    v.setBigUint64(o + 8, m.cookie);
    w.offset = o + 16;
    encodeMatch(w, m.match);
    w.zeros(2);
    w.bytes(m.data);
  },
};
