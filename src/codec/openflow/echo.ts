/** OFPT_ECHO_REQUEST / OFPT_ECHO_REPLY (OpenFlow 1.3.5 §7.5.2, §7.5.3): an arbitrary payload. */
import type { BodyCodec } from './body-codec.js';
import { checkBytes } from './encode-check.js';

export interface EchoRequestMessage {
  type: 'ECHO_REQUEST';
  xid: number;
  data: Uint8Array;
}

export interface EchoReplyMessage {
  type: 'ECHO_REPLY';
  xid: number;
  data: Uint8Array;
}

export const echoRequestCodec: BodyCodec<EchoRequestMessage> = {
  decode(r, xid) {
    return { type: 'ECHO_REQUEST', xid, data: r.bytesView(r.remaining) };
  },
  encode(w, m) {
    checkBytes(m.data, 'data');
    w.bytes(m.data);
  },
};

export const echoReplyCodec: BodyCodec<EchoReplyMessage> = {
  decode(r, xid) {
    return { type: 'ECHO_REPLY', xid, data: r.bytesView(r.remaining) };
  },
  encode(w, m) {
    checkBytes(m.data, 'data');
    w.bytes(m.data);
  },
};
