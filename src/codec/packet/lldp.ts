/**
 * LLDP (IEEE 802.1AB-2016) frames as Vigil's link discovery sends and reads them: Ethernet to the
 * nearest-bridge group address 01:80:c2:00:00:0e with EtherType 0x88cc, then TLVs (7-bit type, 9-bit
 * length): Chassis ID, Port ID, TTL (mandatory, in that order), optional ones, End.
 *
 * Vigil's probes identify the sending port the way Ryu and ONOS do: Chassis ID subtype 7 (locally assigned)
 * "dpid:<16 hex digits>", Port ID subtype 2 (port component) with the OpenFlow port number in decimal
 * text. Readers also accept a Chassis ID MAC (subtype 4) and port numbers as 2/4-byte binary (Floodlight,
 * Ryu) or as subtype 7 text. A Vigil-specific organizationally specific TLV (type 127, OUI VIGIL_OUI,
 * subtype 1) carries the controller's random nonce, the send time (microseconds of the sender's clock) and
 * an authenticator, so a controller recognizes its own probes and measures link latency; computing and
 * checking the authenticator is the discovery layer's business (src/topology/discovery/probe.ts).
 *
 * Decoding throws LldpDecodeError (a code, an offset) on anything that is not a well-formed LLDPDU:
 * LLDP is link-local and comes one frame per packet-in, so there is no "need more bytes" case; the caller
 * counts and drops.
 */
import { macInto, macToString } from '../addr.js';

export const LLDP_ETHERTYPE = 0x88cc;
/** Nearest-bridge group address: not forwarded by 802.1D bridges. */
export const LLDP_MULTICAST = '01:80:c2:00:00:0e';
/** Minimum Ethernet frame without FCS: shorter frames are zero-padded. */
export const MIN_FRAME = 60;

export const LldpTlv = {
  END: 0,
  CHASSIS_ID: 1,
  PORT_ID: 2,
  TTL: 3,
  PORT_DESCRIPTION: 4,
  SYSTEM_NAME: 5,
  SYSTEM_DESCRIPTION: 6,
  SYSTEM_CAPABILITIES: 7,
  MANAGEMENT_ADDRESS: 8,
  ORGANIZATIONAL: 127,
} as const;

export const ChassisIdSubtype = {
  CHASSIS_COMPONENT: 1,
  INTERFACE_ALIAS: 2,
  PORT_COMPONENT: 3,
  MAC_ADDRESS: 4,
  NETWORK_ADDRESS: 5,
  INTERFACE_NAME: 6,
  LOCALLY_ASSIGNED: 7,
} as const;

export const PortIdSubtype = {
  INTERFACE_ALIAS: 1,
  PORT_COMPONENT: 2,
  MAC_ADDRESS: 3,
  NETWORK_ADDRESS: 4,
  INTERFACE_NAME: 5,
  AGENT_CIRCUIT_ID: 6,
  LOCALLY_ASSIGNED: 7,
} as const;

/**
 * Identifier of Vigil's organizationally specific TLV: a locally administered Company ID (the first octet's
 * low nibble is 1010, so it can never be an IEEE-assigned OUI), "VG" in the last two octets.
 */
export const VIGIL_OUI = 0x0a5647;
export const VIGIL_TLV_SUBTYPE = 1;
export const VIGIL_TLV_VERSION = 1;
export const VIGIL_NONCE_LEN = 8;
export const VIGIL_AUTH_LEN = 16;
/** version u8, nonce[8], sentAtUs u64, auth[16]. */
const VIGIL_BODY_LEN = 1 + VIGIL_NONCE_LEN + 8 + VIGIL_AUTH_LEN;

/** A Chassis ID or Port ID: its subtype and the raw value bytes. */
export interface LldpId {
  subtype: number;
  value: Uint8Array;
}

/** What Vigil's own TLV carries. */
export interface VigilProbeTlv {
  nonce: Uint8Array;
  /** Send time, microseconds of the sending controller's clock. */
  sentAtUs: bigint;
  auth: Uint8Array;
}

export interface OrgTlv {
  oui: number;
  subtype: number;
  info: Uint8Array;
}

export interface LldpFrame {
  dst: string;
  src: string;
  /** 802.1Q VLAN id when the frame was tagged, else null. */
  vlan: number | null;
  chassisId: LldpId;
  portId: LldpId;
  /** Seconds; 0 means "forget this neighbour now" (shutdown LLDPDU). */
  ttl: number;
  portDescription: string | null;
  systemName: string | null;
  /** Organizationally specific TLVs other than Vigil's, in order. */
  orgTlvs: OrgTlv[];
  /** Vigil's TLV when present and well-formed. */
  vigil: VigilProbeTlv | null;
}

export interface LldpEncodeSpec {
  /** Source MAC (the sending port's). */
  src: string;
  /** Default LLDP_MULTICAST. */
  dst?: string;
  chassisId: LldpId;
  portId: LldpId;
  ttl: number;
  portDescription?: string;
  systemName?: string;
  vigil?: VigilProbeTlv;
  orgTlvs?: OrgTlv[];
}

export type LldpErrorCode =
  /** The frame ends inside the Ethernet header, a TLV header or a TLV value. */
  | 'truncated'
  /** Not EtherType 0x88cc (after at most one VLAN tag). */
  | 'not-lldp'
  /** Chassis ID, Port ID and TTL must come first, in that order, exactly once. */
  | 'bad-mandatory-tlvs'
  /** A TLV whose length is impossible for its type (TTL not 2 bytes, an ID shorter than 2...). */
  | 'bad-tlv-length'
  /** No End TLV before the end of the frame. */
  | 'missing-end';

export class LldpDecodeError extends Error {
  override readonly name = 'LldpDecodeError';
  readonly kind = 'malformed' as const;
  constructor(
    message: string,
    readonly code: LldpErrorCode,
    /** Byte offset from the start of the frame. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

export class LldpEncodeError extends Error {
  override readonly name = 'LldpEncodeError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextEncoder();

function text(b: Uint8Array): string {
  return latin1.decode(b);
}

// ------------------------------------------------------------------------------------------ identifiers

/** Chassis ID "dpid:<16 hex>" (subtype 7), as Ryu and ONOS send it. */
export function dpidChassisId(dpid: string): LldpId {
  if (!/^[0-9a-f]{16}$/.test(dpid)) throw new LldpEncodeError(`expected 16 lowercase hex digits, got ${JSON.stringify(dpid)}`, 'dpid');
  return { subtype: ChassisIdSubtype.LOCALLY_ASSIGNED, value: utf8.encode(`dpid:${dpid}`) };
}

export function macChassisId(mac: string): LldpId {
  const value = new Uint8Array(6);
  macInto(mac, value);
  return { subtype: ChassisIdSubtype.MAC_ADDRESS, value };
}

/** Port ID subtype 2 (port component) with the port number in decimal text. */
export function portNumberId(portNo: number, subtype: number = PortIdSubtype.PORT_COMPONENT): LldpId {
  if (!Number.isInteger(portNo) || portNo < 0 || portNo > 0xffffffff) throw new LldpEncodeError(`expected a 32-bit port number, got ${portNo}`, 'portNo');
  return { subtype, value: utf8.encode(String(portNo)) };
}

/** The datapath id a Chassis ID names ("dpid:..." text, subtype 7), or null. */
export function dpidOfChassis(id: LldpId): string | null {
  if (id.subtype !== ChassisIdSubtype.LOCALLY_ASSIGNED) return null;
  const m = /^dpid:([0-9a-fA-F]{1,16})$/.exec(text(id.value));
  return m ? m[1]!.toLowerCase().padStart(16, '0') : null;
}

/**
 * The port number a Port ID names: decimal text (subtypes 2, 5, 7), or a 2- or 4-byte big-endian binary
 * number (subtype 2, as Floodlight and Ryu encode it); null otherwise.
 */
export function portNumberOf(id: LldpId): number | null {
  const v = id.value;
  if (id.subtype !== PortIdSubtype.PORT_COMPONENT && id.subtype !== PortIdSubtype.LOCALLY_ASSIGNED && id.subtype !== PortIdSubtype.INTERFACE_NAME) return null;
  const s = text(v);
  if (/^\d{1,10}$/.test(s)) {
    const n = Number(s);
    return n <= 0xffffffff ? n : null;
  }
  if (id.subtype !== PortIdSubtype.PORT_COMPONENT) return null;
  if (v.length === 2) return (v[0]! << 8) | v[1]!;
  if (v.length === 4) return ((v[0]! << 24) | (v[1]! << 16) | (v[2]! << 8) | v[3]!) >>> 0;
  return null;
}

/** A readable form of an ID: MAC text for MAC subtypes, else text when printable, else hex. */
export function idText(id: LldpId, kind: 'chassis' | 'port'): string {
  const macSubtype = kind === 'chassis' ? ChassisIdSubtype.MAC_ADDRESS : PortIdSubtype.MAC_ADDRESS;
  if (id.subtype === macSubtype && id.value.length === 6) return macToString(id.value);
  const s = text(id.value);
  return /^[\x20-\x7e]*$/.test(s) ? s : Buffer.from(id.value).toString('hex');
}

// ------------------------------------------------------------------------------------------- encoding

function tlvHeader(out: number[], type: number, len: number, field: string): void {
  if (len > 511) throw new LldpEncodeError(`TLV value of ${len} bytes exceeds 511`, field);
  out.push((type << 1) | (len >> 8), len & 0xff);
}

function pushId(out: number[], type: number, id: LldpId, field: string): void {
  if (!Number.isInteger(id.subtype) || id.subtype < 0 || id.subtype > 255) throw new LldpEncodeError(`bad subtype ${id.subtype}`, field);
  if (id.value.length < 1 || id.value.length > 255) throw new LldpEncodeError(`value must be 1..255 bytes, got ${id.value.length}`, field);
  tlvHeader(out, type, 1 + id.value.length, field);
  out.push(id.subtype, ...id.value);
}

function pushText(out: number[], type: number, s: string, field: string): void {
  const b = utf8.encode(s);
  if (b.length < 1 || b.length > 255) throw new LldpEncodeError(`must be 1..255 bytes, got ${b.length}`, field);
  tlvHeader(out, type, b.length, field);
  out.push(...b);
}

function pushOrg(out: number[], t: OrgTlv, field: string): void {
  if (!Number.isInteger(t.oui) || t.oui < 0 || t.oui > 0xffffff) throw new LldpEncodeError(`bad OUI ${t.oui}`, field);
  tlvHeader(out, LldpTlv.ORGANIZATIONAL, 4 + t.info.length, field);
  out.push((t.oui >>> 16) & 0xff, (t.oui >>> 8) & 0xff, t.oui & 0xff, t.subtype & 0xff, ...t.info);
}

/** The Vigil TLV's information string (after OUI and subtype). */
export function vigilTlvInfo(v: VigilProbeTlv): Uint8Array {
  if (v.nonce.length !== VIGIL_NONCE_LEN) throw new LldpEncodeError(`nonce must be ${VIGIL_NONCE_LEN} bytes`, 'vigil.nonce');
  if (v.auth.length !== VIGIL_AUTH_LEN) throw new LldpEncodeError(`auth must be ${VIGIL_AUTH_LEN} bytes`, 'vigil.auth');
  if (v.sentAtUs < 0n || v.sentAtUs > 0xffffffffffffffffn) throw new LldpEncodeError('sentAtUs must fit 64 bits', 'vigil.sentAtUs');
  const info = new Uint8Array(VIGIL_BODY_LEN);
  info[0] = VIGIL_TLV_VERSION;
  info.set(v.nonce, 1);
  new DataView(info.buffer).setBigUint64(1 + VIGIL_NONCE_LEN, v.sentAtUs);
  info.set(v.auth, 1 + VIGIL_NONCE_LEN + 8);
  return info;
}

/** One LLDP frame (untagged), zero-padded to the 60-byte Ethernet minimum. */
export function encodeLldp(spec: LldpEncodeSpec): Uint8Array {
  if (!Number.isInteger(spec.ttl) || spec.ttl < 0 || spec.ttl > 0xffff) throw new LldpEncodeError(`expected 0..65535, got ${spec.ttl}`, 'ttl');
  const out: number[] = [];
  const hdr = new Uint8Array(14);
  macInto(spec.dst ?? LLDP_MULTICAST, hdr, 0);
  macInto(spec.src, hdr, 6);
  hdr[12] = LLDP_ETHERTYPE >> 8;
  hdr[13] = LLDP_ETHERTYPE & 0xff;
  out.push(...hdr);
  pushId(out, LldpTlv.CHASSIS_ID, spec.chassisId, 'chassisId');
  pushId(out, LldpTlv.PORT_ID, spec.portId, 'portId');
  tlvHeader(out, LldpTlv.TTL, 2, 'ttl');
  out.push(spec.ttl >> 8, spec.ttl & 0xff);
  if (spec.portDescription !== undefined) pushText(out, LldpTlv.PORT_DESCRIPTION, spec.portDescription, 'portDescription');
  if (spec.systemName !== undefined) pushText(out, LldpTlv.SYSTEM_NAME, spec.systemName, 'systemName');
  for (const [i, t] of (spec.orgTlvs ?? []).entries()) pushOrg(out, t, `orgTlvs[${i}]`);
  if (spec.vigil) pushOrg(out, { oui: VIGIL_OUI, subtype: VIGIL_TLV_SUBTYPE, info: vigilTlvInfo(spec.vigil) }, 'vigil');
  out.push(0, 0); // End
  while (out.length < MIN_FRAME) out.push(0);
  return Uint8Array.from(out);
}

// ------------------------------------------------------------------------------------------- decoding

/** True when the frame's EtherType (after at most one VLAN tag) is LLDP; never throws. */
export function isLldp(frame: Uint8Array): boolean {
  if (frame.length < 14) return false;
  let t = (frame[12]! << 8) | frame[13]!;
  if (t === 0x8100 && frame.length >= 18) t = (frame[16]! << 8) | frame[17]!;
  return t === LLDP_ETHERTYPE;
}

function decodeVigil(info: Uint8Array): VigilProbeTlv | null {
  if (info.length !== VIGIL_BODY_LEN || info[0] !== VIGIL_TLV_VERSION) return null;
  const dv = new DataView(info.buffer, info.byteOffset, info.byteLength);
  return {
    nonce: info.slice(1, 1 + VIGIL_NONCE_LEN),
    sentAtUs: dv.getBigUint64(1 + VIGIL_NONCE_LEN),
    auth: info.slice(1 + VIGIL_NONCE_LEN + 8),
  };
}

/** Decodes one LLDP frame (Ethernet header included). Throws LldpDecodeError. */
export function decodeLldp(frame: Uint8Array): LldpFrame {
  if (frame.length < 14) throw new LldpDecodeError(`${frame.length} bytes cannot hold an Ethernet header`, 'truncated', frame.length);
  const dst = macToString(frame, 0);
  const src = macToString(frame, 6);
  let p = 12;
  let type = (frame[p]! << 8) | frame[p + 1]!;
  let vlan: number | null = null;
  if (type === 0x8100) {
    if (frame.length < 18) throw new LldpDecodeError('VLAN tag cut short', 'truncated', frame.length);
    vlan = ((frame[14]! << 8) | frame[15]!) & 0xfff;
    p = 16;
    type = (frame[p]! << 8) | frame[p + 1]!;
  }
  if (type !== LLDP_ETHERTYPE) throw new LldpDecodeError(`EtherType 0x${type.toString(16).padStart(4, '0')} is not LLDP`, 'not-lldp', p);
  p += 2;

  let chassisId: LldpId | undefined;
  let portId: LldpId | undefined;
  let ttl: number | undefined;
  let portDescription: string | null = null;
  let systemName: string | null = null;
  const orgTlvs: OrgTlv[] = [];
  let vigil: VigilProbeTlv | null = null;
  let index = 0;
  for (;;) {
    if (p + 2 > frame.length) throw new LldpDecodeError('frame ends without an End TLV', p === frame.length ? 'missing-end' : 'truncated', p);
    const t = frame[p]! >> 1;
    const len = ((frame[p]! & 1) << 8) | frame[p + 1]!;
    const v = p + 2;
    if (v + len > frame.length) throw new LldpDecodeError(`TLV type ${t} of ${len} bytes runs past the frame's end`, 'truncated', p);
    const value = frame.subarray(v, v + len);
    const want = index === 0 ? LldpTlv.CHASSIS_ID : index === 1 ? LldpTlv.PORT_ID : index === 2 ? LldpTlv.TTL : -1;
    if (want >= 0 && t !== want) throw new LldpDecodeError(`TLV ${index + 1} is type ${t}; expected type ${want}`, 'bad-mandatory-tlvs', p);
    if (want < 0 && (t === LldpTlv.CHASSIS_ID || t === LldpTlv.PORT_ID || t === LldpTlv.TTL)) {
      throw new LldpDecodeError(`mandatory TLV type ${t} repeated`, 'bad-mandatory-tlvs', p);
    }
    switch (t) {
      case LldpTlv.END:
        if (len !== 0) throw new LldpDecodeError(`End TLV with length ${len}`, 'bad-tlv-length', p);
        return { dst, src, vlan, chassisId: chassisId!, portId: portId!, ttl: ttl!, portDescription, systemName, orgTlvs, vigil };
      case LldpTlv.CHASSIS_ID:
      case LldpTlv.PORT_ID: {
        if (len < 2 || len > 256) throw new LldpDecodeError(`ID TLV length ${len} is outside 2..256`, 'bad-tlv-length', p);
        const id = { subtype: value[0]!, value: value.slice(1) };
        if (t === LldpTlv.CHASSIS_ID) chassisId = id;
        else portId = id;
        break;
      }
      case LldpTlv.TTL:
        if (len !== 2) throw new LldpDecodeError(`TTL TLV length ${len}, expected 2`, 'bad-tlv-length', p);
        ttl = (value[0]! << 8) | value[1]!;
        break;
      case LldpTlv.PORT_DESCRIPTION:
        portDescription = text(value);
        break;
      case LldpTlv.SYSTEM_NAME:
        systemName = text(value);
        break;
      case LldpTlv.ORGANIZATIONAL: {
        if (len < 4) throw new LldpDecodeError(`organizationally specific TLV length ${len} < 4`, 'bad-tlv-length', p);
        const oui = (value[0]! << 16) | (value[1]! << 8) | value[2]!;
        const org = { oui, subtype: value[3]!, info: value.slice(4) };
        const mine = oui === VIGIL_OUI && org.subtype === VIGIL_TLV_SUBTYPE ? decodeVigil(org.info) : null;
        if (mine) vigil = mine;
        else orgTlvs.push(org);
        break;
      }
      default:
        break; // other optional TLVs are skipped
    }
    index++;
    p = v + len;
  }
}
