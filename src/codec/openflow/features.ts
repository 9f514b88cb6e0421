/** OFPT_FEATURES_REPLY (OpenFlow 1.3.5 §7.3.1): ofp_switch_features. (FEATURES_REQUEST has no body.) */
import type { BodyCodec } from './body-codec.js';
import { checkU32, checkU64, checkU8 } from './encode-check.js';

/** ofp_capabilities bits. */
export const Capabilities = {
  FLOW_STATS: 1 << 0,
  TABLE_STATS: 1 << 1,
  PORT_STATS: 1 << 2,
  GROUP_STATS: 1 << 3,
  IP_REASM: 1 << 5,
  QUEUE_STATS: 1 << 6,
  PORT_BLOCKED: 1 << 8,
} as const;

export interface FeaturesReplyMessage {
  type: 'FEATURES_REPLY';
  xid: number;
  datapathId: bigint;
  /** Max packets buffered at once. */
  nBuffers: number;
  /** Number of tables supported by the datapath. */
  nTables: number;
  /** 0 for the main connection, non-zero for auxiliary connections. */
  auxiliaryId: number;
  capabilities: number;
  reserved: number;
}

export const featuresReplyCodec: BodyCodec<FeaturesReplyMessage> = {
  decode(r, xid) {
    r.need(24, 'ofp_switch_features');
    const datapathId = r.u64();
    const nBuffers = r.u32();
    const nTables = r.u8();
    const auxiliaryId = r.u8();
    r.skip(2);
    const capabilities = r.u32();
    const reserved = r.u32();
    return { type: 'FEATURES_REPLY', xid, datapathId, nBuffers, nTables, auxiliaryId, capabilities, reserved };
  },
  encode(w, m) {
    checkU64(m.datapathId, 'datapathId');
    checkU32(m.nBuffers, 'nBuffers');
    checkU8(m.nTables, 'nTables');
    checkU8(m.auxiliaryId, 'auxiliaryId');
    checkU32(m.capabilities, 'capabilities');
    checkU32(m.reserved, 'reserved');
    w.u64(m.datapathId);
    w.u32(m.nBuffers);
    w.u8(m.nTables);
    w.u8(m.auxiliaryId);
    w.zeros(2);
    w.u32(m.capabilities);
    w.u32(m.reserved);
  },
};
