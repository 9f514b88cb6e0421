/**
 * OFPT_GET_CONFIG_REPLY / OFPT_SET_CONFIG (OpenFlow 1.3.5 §7.3.2): ofp_switch_config. (GET_CONFIG_REQUEST
 * has no body.)
 */
import type { BodyCodec } from './body-codec.js';
import type { Reader, Writer } from './buffer.js';
import { checkU16 } from './encode-check.js';

/** ofp_config_flags: IP fragment handling (FRAG_MASK selects the two bits). */
export const ConfigFlags = {
  FRAG_NORMAL: 0,
  FRAG_DROP: 1,
  FRAG_REASM: 2,
  FRAG_MASK: 3,
} as const;

/** miss_send_len value asking for whole packets (no buffering): OFPCML_NO_BUFFER. */
export const MISS_SEND_LEN_NO_BUFFER = 0xffff;
/** The spec's default miss_send_len (OFP_DEFAULT_MISS_SEND_LEN). */
export const OFP_DEFAULT_MISS_SEND_LEN = 128;

export interface GetConfigReplyMessage {
  type: 'GET_CONFIG_REPLY';
  xid: number;
  flags: number;
  /** Max bytes of a table-miss packet sent to the controller (0xffff: the whole packet, unbuffered). */
  missSendLen: number;
}

export interface SetConfigMessage {
  type: 'SET_CONFIG';
  xid: number;
  flags: number;
  missSendLen: number;
}

function encodeConfig(w: Writer, m: { flags: number; missSendLen: number }): void {
  checkU16(m.flags, 'flags');
  checkU16(m.missSendLen, 'missSendLen');
  w.u16(m.flags);
  w.u16(m.missSendLen);
}

function readConfig(r: Reader): [number, number] {
  r.need(4, 'ofp_switch_config');
  return [r.u16(), r.u16()];
}

export const getConfigReplyCodec: BodyCodec<GetConfigReplyMessage> = {
  decode(r, xid) {
    const [flags, missSendLen] = readConfig(r);
    return { type: 'GET_CONFIG_REPLY', xid, flags, missSendLen };
  },
  encode: encodeConfig,
};

export const setConfigCodec: BodyCodec<SetConfigMessage> = {
  decode(r, xid) {
    const [flags, missSendLen] = readConfig(r);
    return { type: 'SET_CONFIG', xid, flags, missSendLen };
  },
  encode: encodeConfig,
};
