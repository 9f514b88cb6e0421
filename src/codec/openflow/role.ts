/** OFPT_ROLE_REQUEST / OFPT_ROLE_REPLY (OpenFlow 1.3.5 §7.3.9): role, pad[4], generation_id. */
import type { BodyCodec } from './body-codec.js';
import type { Reader, Writer } from './buffer.js';
import { checkU32, checkU64 } from './encode-check.js';

/** ofp_controller_role */
export const ControllerRole = { NOCHANGE: 0, EQUAL: 1, MASTER: 2, SLAVE: 3 } as const;

export interface RoleRequestMessage {
  type: 'ROLE_REQUEST';
  xid: number;
  role: number;
  /** Master election generation id (ignored by the switch for NOCHANGE/EQUAL). */
  generationId: bigint;
}

export interface RoleReplyMessage {
  type: 'ROLE_REPLY';
  xid: number;
  role: number;
  generationId: bigint;
}

function readRole(r: Reader): [number, bigint] {
  r.need(16, 'ofp_role_request');
  const role = r.u32();
  r.skip(4);
  return [role, r.u64()];
}

function encodeRole(w: Writer, m: { role: number; generationId: bigint }): void {
  checkU32(m.role, 'role');
  checkU64(m.generationId, 'generationId');
  w.u32(m.role);
  w.zeros(4);
  w.u64(m.generationId);
}

export const roleRequestCodec: BodyCodec<RoleRequestMessage> = {
  decode(r, xid) {
    const [role, generationId] = readRole(r);
    return { type: 'ROLE_REQUEST', xid, role, generationId };
  },
  encode: encodeRole,
};

export const roleReplyCodec: BodyCodec<RoleReplyMessage> = {
  decode(r, xid) {
    const [role, generationId] = readRole(r);
    return { type: 'ROLE_REPLY', xid, role, generationId };
  },
  encode: encodeRole,
};
