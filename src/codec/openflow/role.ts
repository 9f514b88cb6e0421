// PLACEHOLDER: to be replaced by the real codec for this message family.
import type { BodyCodec } from './body-codec.js';

export interface RoleRequestMessage {
  type: 'ROLE_REQUEST';
  xid: number;
}

export const roleRequestCodec: BodyCodec<RoleRequestMessage> = {
  decode() {
    throw new Error('ROLE_REQUEST: not implemented');
  },
  encode() {
    throw new Error('ROLE_REQUEST: not implemented');
  },
};

export interface RoleReplyMessage {
  type: 'ROLE_REPLY';
  xid: number;
}

export const roleReplyCodec: BodyCodec<RoleReplyMessage> = {
  decode() {
    throw new Error('ROLE_REPLY: not implemented');
  },
  encode() {
    throw new Error('ROLE_REPLY: not implemented');
  },
};

