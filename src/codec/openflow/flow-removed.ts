/** OFPT_FLOW_REMOVED (OpenFlow 1.3.5 §7.4.2): a flow entry left its table; its final counters and match. */
import type { BodyCodec } from './body-codec.js';
import { checkU16, checkU32, checkU64, checkU8 } from './encode-check.js';
import { decodeMatch, encodeMatch, type Match } from './oxm.js';

/** ofp_flow_removed_reason (METER_DELETE is listed by the 1.3.5 header; switches may not use it). */
export const FlowRemovedReason = { IDLE_TIMEOUT: 0, HARD_TIMEOUT: 1, DELETE: 2, GROUP_DELETE: 3, METER_DELETE: 4 } as const;

export interface FlowRemovedMessage {
  type: 'FLOW_REMOVED';
  xid: number;
  cookie: bigint;
  priority: number;
  reason: number;
  tableId: number;
  durationSec: number;
  durationNsec: number;
  idleTimeout: number;
  hardTimeout: number;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
}

export const flowRemovedCodec: BodyCodec<FlowRemovedMessage> = {
  decode(r, xid) {
    r.need(40, 'ofp_flow_removed');
    const v = r.view;
    const o = r.offset;
    const cookie = v.getBigUint64(o);
    const priority = v.getUint16(o + 8);
    const reason = v.getUint8(o + 10);
    const tableId = v.getUint8(o + 11);
    const durationSec = v.getUint32(o + 12);
    const durationNsec = v.getUint32(o + 16);
    const idleTimeout = v.getUint16(o + 20);
    const hardTimeout = v.getUint16(o + 22);
    const packetCount = v.getBigUint64(o + 24);
    const byteCount = v.getBigUint64(o + 32);
    r.offset = o + 40;
    const match = decodeMatch(r);
    return { type: 'FLOW_REMOVED', xid, cookie, priority, reason, tableId, durationSec, durationNsec, idleTimeout, hardTimeout, packetCount, byteCount, match };
  },
  encode(w, m) {
    checkU64(m.cookie, 'cookie');
    checkU16(m.priority, 'priority');
    checkU8(m.reason, 'reason');
    checkU8(m.tableId, 'tableId');
    checkU32(m.durationSec, 'durationSec');
    checkU32(m.durationNsec, 'durationNsec');
    checkU16(m.idleTimeout, 'idleTimeout');
    checkU16(m.hardTimeout, 'hardTimeout');
    checkU64(m.packetCount, 'packetCount');
    checkU64(m.byteCount, 'byteCount');
    w.ensure(40);
    const v = w.view;
    const o = w.offset;
    v.setBigUint64(o, m.cookie);
    v.setUint16(o + 8, m.priority);
    v.setUint8(o + 10, m.reason);
    v.setUint8(o + 11, m.tableId);
    v.setUint32(o + 12, m.durationSec);
    v.setUint32(o + 16, m.durationNsec);
    v.setUint16(o + 20, m.idleTimeout);
    v.setUint16(o + 22, m.hardTimeout);
    v.setBigUint64(o + 24, m.packetCount);
    v.setBigUint64(o + 32, m.byteCount);
    w.offset = o + 40;
    encodeMatch(w, m.match);
  },
};
