/**
 * ofp_port (OpenFlow 1.3.5 §7.2.1): the 64-byte port description carried by PORT_STATUS and the
 * PORT_DESC multipart reply.
 */
import type { Reader, Writer } from './buffer.js';
import { OfpEncodeError } from './errors.js';
import { macToString } from '../addr.js';
import { checkU32, writeMac } from './encode-check.js';

export const OFP_PORT_LEN = 64;
export const OFP_MAX_PORT_NAME_LEN = 16;

/** ofp_port_config bits. */
export const PortConfig = {
  PORT_DOWN: 1 << 0,
  NO_RECV: 1 << 2,
  NO_FWD: 1 << 5,
  NO_PACKET_IN: 1 << 6,
} as const;

/** ofp_port_state bits. */
export const PortState = {
  LINK_DOWN: 1 << 0,
  BLOCKED: 1 << 1,
  LIVE: 1 << 2,
} as const;

/** ofp_port_features bits (curr/advertised/supported/peer). */
export const PortFeatures = {
  '10MB_HD': 1 << 0,
  '10MB_FD': 1 << 1,
  '100MB_HD': 1 << 2,
  '100MB_FD': 1 << 3,
  '1GB_HD': 1 << 4,
  '1GB_FD': 1 << 5,
  '10GB_FD': 1 << 6,
  '40GB_FD': 1 << 7,
  '100GB_FD': 1 << 8,
  '1TB_FD': 1 << 9,
  OTHER: 1 << 10,
  COPPER: 1 << 11,
  FIBER: 1 << 12,
  AUTONEG: 1 << 13,
  PAUSE: 1 << 14,
  PAUSE_ASYM: 1 << 15,
} as const;

export interface Port {
  portNo: number;
  /** MAC "aa:bb:cc:dd:ee:ff". */
  hwAddr: string;
  /** Up to 15 characters (the 16-byte field is NUL-terminated). */
  name: string;
  config: number;
  state: number;
  curr: number;
  advertised: number;
  supported: number;
  peer: number;
  /** kbps */
  currSpeed: number;
  /** kbps */
  maxSpeed: number;
}

export function decodePort(r: Reader): Port {
  r.need(OFP_PORT_LEN, 'ofp_port');
  const portNo = r.u32();
  r.skip(4);
  const hwAddr = macToString(r.bytes, r.offset);
  r.skip(8); // hw_addr + pad2
  const name = r.fixedString(OFP_MAX_PORT_NAME_LEN);
  return {
    portNo,
    hwAddr,
    name,
    config: r.u32(),
    state: r.u32(),
    curr: r.u32(),
    advertised: r.u32(),
    supported: r.u32(),
    peer: r.u32(),
    currSpeed: r.u32(),
    maxSpeed: r.u32(),
  };
}

export function encodePort(w: Writer, p: Port, path = 'port'): void {
  checkU32(p.portNo, `${path}.portNo`);
  for (const k of ['config', 'state', 'curr', 'advertised', 'supported', 'peer', 'currSpeed', 'maxSpeed'] as const) {
    checkU32(p[k], `${path}.${k}`);
  }
  if (typeof p.name !== 'string' || p.name.length >= OFP_MAX_PORT_NAME_LEN) {
    throw new OfpEncodeError(`${path}.name: at most ${OFP_MAX_PORT_NAME_LEN - 1} characters`, `${path}.name`);
  }
  for (let i = 0; i < p.name.length; i++) {
    const c = p.name.charCodeAt(i);
    if (c === 0 || c > 0xff) throw new OfpEncodeError(`${path}.name: character ${i} is not a non-NUL Latin-1 character`, `${path}.name`);
  }
  w.ensure(OFP_PORT_LEN);
  w.u32(p.portNo);
  w.zeros(4);
  writeMac(w, p.hwAddr, `${path}.hwAddr`);
  w.zeros(2);
  w.fixedString(p.name, OFP_MAX_PORT_NAME_LEN);
  w.u32(p.config);
  w.u32(p.state);
  w.u32(p.curr);
  w.u32(p.advertised);
  w.u32(p.supported);
  w.u32(p.peer);
  w.u32(p.currSpeed);
  w.u32(p.maxSpeed);
}
