/** OpenFlow 1.3 header (ofp_header) and message type codes. */
export const OFP_VERSION = 0x04;
export const OFP_HEADER_LEN = 8;
/** OpenFlow messages carry a 16-bit length, so no message can exceed this. */
export const OFP_MAX_LEN = 0xffff;

export const OfpType = {
  HELLO: 0,
  ERROR: 1,
  ECHO_REQUEST: 2,
  ECHO_REPLY: 3,
  EXPERIMENTER: 4,
  FEATURES_REQUEST: 5,
  FEATURES_REPLY: 6,
  GET_CONFIG_REQUEST: 7,
  GET_CONFIG_REPLY: 8,
  SET_CONFIG: 9,
  PACKET_IN: 10,
  FLOW_REMOVED: 11,
  PORT_STATUS: 12,
  PACKET_OUT: 13,
  FLOW_MOD: 14,
  GROUP_MOD: 15,
  PORT_MOD: 16,
  TABLE_MOD: 17,
  MULTIPART_REQUEST: 18,
  MULTIPART_REPLY: 19,
  BARRIER_REQUEST: 20,
  BARRIER_REPLY: 21,
  QUEUE_GET_CONFIG_REQUEST: 22,
  QUEUE_GET_CONFIG_REPLY: 23,
  ROLE_REQUEST: 24,
  ROLE_REPLY: 25,
  GET_ASYNC_REQUEST: 26,
  GET_ASYNC_REPLY: 27,
  SET_ASYNC: 28,
  METER_MOD: 29,
} as const;

export type OfpTypeName = keyof typeof OfpType;

const names: OfpTypeName[] = [];
for (const [k, v] of Object.entries(OfpType)) names[v] = k as OfpTypeName;

export function ofpTypeName(code: number): OfpTypeName | undefined {
  return names[code];
}

export interface OfpHeader {
  version: number;
  type: number;
  length: number;
  xid: number;
}

/** Reads the 8-byte header at `offset` without validation (callers check lengths). */
export function peekHeader(bytes: Uint8Array, offset = 0): OfpHeader {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, OFP_HEADER_LEN);
  return { version: dv.getUint8(0), type: dv.getUint8(1), length: dv.getUint16(2), xid: dv.getUint32(4) };
}
