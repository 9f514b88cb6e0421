/**
 * OpenFlow 1.3.5 flexible match (OXM, §7.2.3): ofp_match, single OXM TLVs, OXM ids (TABLE_FEATURES)
 * and the encoder-side validation of matches (ranges, masks, duplicates, prerequisites).
 *
 * Basic fields (class 0x8000) decode to typed values; other classes (Nicira NXM_0/NXM_1 used by Open
 * vSwitch, experimenter 0xFFFF) are kept opaque so decode -> encode reproduces the bytes.
 */
import { Writer, type Reader } from './buffer.js';
import { BadAction, BadMatch, ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { ipv4FromString, ipv4ToString, ipv6Into, ipv6ToString, macInto, macToString } from '../addr.js';

/** Value type of each OpenFlow basic (class 0x8000) match field. */
export interface OxmValueTypes {
  in_port: number;
  in_phy_port: number;
  metadata: bigint;
  eth_dst: string;
  eth_src: string;
  eth_type: number;
  vlan_vid: number;
  vlan_pcp: number;
  ip_dscp: number;
  ip_ecn: number;
  ip_proto: number;
  ipv4_src: string;
  ipv4_dst: string;
  tcp_src: number;
  tcp_dst: number;
  udp_src: number;
  udp_dst: number;
  sctp_src: number;
  sctp_dst: number;
  icmpv4_type: number;
  icmpv4_code: number;
  arp_op: number;
  arp_spa: string;
  arp_tpa: string;
  arp_sha: string;
  arp_tha: string;
  ipv6_src: string;
  ipv6_dst: string;
  ipv6_flabel: number;
  icmpv6_type: number;
  icmpv6_code: number;
  ipv6_nd_target: string;
  ipv6_nd_sll: string;
  ipv6_nd_tll: string;
  mpls_label: number;
  mpls_tc: number;
  mpls_bos: number;
  pbb_isid: number;
  tunnel_id: bigint;
  ipv6_exthdr: number;
}

export type BasicOxmName = keyof OxmValueTypes;

export type BasicOxmField = { [K in BasicOxmName]: { field: K; value: OxmValueTypes[K]; mask?: OxmValueTypes[K] } }[BasicOxmName];

export interface ExperimenterOxmField {
  field: 'experimenter';
  experimenter: number;
  fieldCode: number;
  hasMask: boolean;
  payload: Uint8Array;
}

export interface OpaqueOxmField {
  field: 'opaque';
  oxmClass: number;
  fieldCode: number;
  hasMask: boolean;
  payload: Uint8Array;
}

export type OxmField = BasicOxmField | ExperimenterOxmField | OpaqueOxmField;
export type Match = OxmField[];

export type OxmId =
  | { field: BasicOxmName; hasMask: boolean; length: number }
  | { field: 'experimenter'; fieldCode: number; hasMask: boolean; length: number; experimenter: number }
  | { field: 'opaque'; oxmClass: number; fieldCode: number; hasMask: boolean; length: number };

/** ofp_match.type for OXM matches (the only type OpenFlow 1.3 allows). */
export const OFPMT_OXM = 1;
export const OFPXMC_NXM_0 = 0x0000;
export const OFPXMC_NXM_1 = 0x0001;
export const OFPXMC_OPENFLOW_BASIC = 0x8000;
export const OFPXMC_EXPERIMENTER = 0xffff;
/** vlan_vid: bit set for "a VLAN tag is present"; OFPVID_NONE matches untagged packets only. */
export const OFPVID_PRESENT = 0x1000;
export const OFPVID_NONE = 0x0000;

// ---------------------------------------------------------------------------------------------------
// Field table, indexed by the OXM field code of class 0x8000 (OpenFlow 1.3.5 §7.2.3.7, Table 11).
// Plain arrays so the decoder does one indexed load per property instead of a Map lookup.

const K_U8 = 0;
const K_U16 = 1;
const K_U24 = 2;
const K_U32 = 3;
const K_U64 = 4;
const K_MAC = 5;
const K_IPV4 = 6;
const K_IPV6 = 7;
const KIND_BYTES = [1, 2, 3, 4, 8, 6, 4, 16] as const;

/** Mask policy: 0 = not maskable, 1 = maskable per spec, 2 = maskable as an Open vSwitch extension. */
const M_NO = 0;
const M_SPEC = 1;
const M_OVS = 2;

// [name, value kind, max value (numeric kinds), mask policy]
const DEFS: readonly (readonly [BasicOxmName, number, number, number])[] = [
  ['in_port', K_U32, 0xffffffff, M_NO], // 0
  ['in_phy_port', K_U32, 0xffffffff, M_NO],
  ['metadata', K_U64, 0, M_SPEC],
  ['eth_dst', K_MAC, 0, M_SPEC],
  ['eth_src', K_MAC, 0, M_SPEC],
  ['eth_type', K_U16, 0xffff, M_NO], // 5
  ['vlan_vid', K_U16, 0x1fff, M_SPEC], // 12-bit VID + OFPVID_PRESENT
  ['vlan_pcp', K_U8, 7, M_NO],
  ['ip_dscp', K_U8, 63, M_NO],
  ['ip_ecn', K_U8, 3, M_NO],
  ['ip_proto', K_U8, 255, M_NO], // 10
  ['ipv4_src', K_IPV4, 0, M_SPEC],
  ['ipv4_dst', K_IPV4, 0, M_SPEC],
  // L4 ports are not maskable in OpenFlow 1.3.5, but Open vSwitch accepts masked tcp/udp/sctp ports
  // (it supports them in every OpenFlow version) and Vigil's percentage mirroring relies on them
  // (e.g. tcp_src=0x0000/0x0003 samples a quarter of the flows), so the validator allows them.
  ['tcp_src', K_U16, 0xffff, M_OVS],
  ['tcp_dst', K_U16, 0xffff, M_OVS],
  ['udp_src', K_U16, 0xffff, M_OVS], // 15
  ['udp_dst', K_U16, 0xffff, M_OVS],
  ['sctp_src', K_U16, 0xffff, M_OVS],
  ['sctp_dst', K_U16, 0xffff, M_OVS],
  ['icmpv4_type', K_U8, 255, M_NO],
  ['icmpv4_code', K_U8, 255, M_NO], // 20
  ['arp_op', K_U16, 0xffff, M_NO],
  ['arp_spa', K_IPV4, 0, M_SPEC],
  ['arp_tpa', K_IPV4, 0, M_SPEC],
  ['arp_sha', K_MAC, 0, M_SPEC],
  ['arp_tha', K_MAC, 0, M_SPEC], // 25
  ['ipv6_src', K_IPV6, 0, M_SPEC],
  ['ipv6_dst', K_IPV6, 0, M_SPEC],
  ['ipv6_flabel', K_U32, 0xfffff, M_SPEC],
  ['icmpv6_type', K_U8, 255, M_NO],
  ['icmpv6_code', K_U8, 255, M_NO], // 30
  ['ipv6_nd_target', K_IPV6, 0, M_NO],
  ['ipv6_nd_sll', K_MAC, 0, M_NO],
  ['ipv6_nd_tll', K_MAC, 0, M_NO],
  ['mpls_label', K_U32, 0xfffff, M_NO],
  ['mpls_tc', K_U8, 7, M_NO], // 35
  ['mpls_bos', K_U8, 1, M_NO],
  ['pbb_isid', K_U24, 0xffffff, M_SPEC],
  ['tunnel_id', K_U64, 0, M_SPEC],
  ['ipv6_exthdr', K_U16, 0x1ff, M_SPEC], // 39
];

const N_FIELDS = DEFS.length;
const NAMES: BasicOxmName[] = [];
const KIND = new Uint8Array(N_FIELDS);
const WIDTH = new Uint8Array(N_FIELDS);
const MAXV: number[] = [];
const MASKP = new Uint8Array(N_FIELDS);
/** Field name -> code. Null prototype so that names like "toString" are simply unknown. */
const CODE: Record<string, number | undefined> = Object.create(null) as Record<string, number | undefined>;
for (let i = 0; i < N_FIELDS; i++) {
  const [name, kind, max, maskp] = DEFS[i]!;
  NAMES.push(name);
  KIND[i] = kind;
  WIDTH[i] = KIND_BYTES[kind as 0]!;
  MAXV.push(max);
  MASKP[i] = maskp;
  CODE[name] = i;
}

/** The basic field names in code order (index = OXM field code). */
export const OXM_FIELD_NAMES: readonly BasicOxmName[] = NAMES;

/** OXM field code (class 0x8000) of a basic field name, or undefined. */
export function oxmFieldCode(name: string): number | undefined {
  return CODE[name];
}

/** Size in bytes of a basic field's value on the wire. */
export function oxmFieldBytes(name: BasicOxmName): number {
  const c = CODE[name];
  if (c === undefined) throw new RangeError(`unknown OXM field ${showValue(name)}`);
  return WIDTH[c]!;
}

/** Whether the validator lets `name` carry a mask (spec-maskable, plus L4 ports as in Open vSwitch). */
export function oxmFieldMaskable(name: BasicOxmName): boolean {
  const c = CODE[name];
  return c !== undefined && MASKP[c] !== M_NO;
}

/** The OXM id (header only) of a basic field, as listed in TABLE_FEATURES properties. */
export function oxmIdOf(field: BasicOxmName, hasMask = false): OxmId {
  const w = oxmFieldBytes(field);
  return { field, hasMask, length: hasMask ? w * 2 : w };
}

// ---------------------------------------------------------------------------------------------------
// Decoding

function lenError(inSetField: boolean, msg: string, offset: number): OfpDecodeError {
  return !inSetField
    ? new OfpDecodeError(msg, ErrType.BAD_MATCH, BadMatch.BAD_LEN, offset)
    : new OfpDecodeError(`set_field: ${msg}`, ErrType.BAD_ACTION, BadAction.BAD_SET_LEN, offset);
}

function readValue(view: DataView, bytes: Uint8Array, kind: number, p: number): number | bigint | string {
  switch (kind) {
    case K_U8:
      return view.getUint8(p);
    case K_U16:
      return view.getUint16(p);
    case K_U24:
      return (view.getUint16(p) << 8) | view.getUint8(p + 2);
    case K_U32:
      return view.getUint32(p);
    case K_U64:
      return view.getBigUint64(p);
    case K_MAC:
      return macToString(bytes, p);
    case K_IPV4:
      return ipv4ToString(view.getUint32(p));
    default:
      return ipv6ToString(bytes, p);
  }
}

/**
 * Reads one OXM TLV at r.offset, bounded by `end` (<= r.end). `inSetField` selects the error codes: in
 * a match, BAD_MATCH/BAD_LEN and BAD_FIELD; in a set_field action, BAD_ACTION/BAD_SET_LEN, BAD_SET_TYPE
 * and BAD_SET_ARGUMENT (mask). Takes an explicit bound instead of a sub-reader so that the hot path
 * allocates nothing but the result.
 * @internal shared with actions.ts
 */
export function readOxm(r: Reader, end: number, inSetField: boolean): OxmField {
  const off = r.offset;
  if (off + 4 > end) throw lenError(inSetField, `truncated OXM header: need 4 byte(s) at offset ${off}, have ${end - off}`, off);
  const view = r.view;
  const h = view.getUint32(off);
  const len = h & 0xff;
  const p = off + 4;
  if (p + len > end) throw lenError(inSetField, `OXM length ${len} at offset ${off} exceeds the ${end - p} byte(s) left`, off);
  const cls = h >>> 16;
  const code = (h >>> 9) & 0x7f;
  const hasMask = (h & 0x100) !== 0;
  if (cls === OFPXMC_OPENFLOW_BASIC) {
    if (code >= N_FIELDS) {
      throw !inSetField
        ? new OfpDecodeError(`unknown OXM basic field ${code} at offset ${off}`, ErrType.BAD_MATCH, BadMatch.BAD_FIELD, off)
        : new OfpDecodeError(`set_field: unknown OXM basic field ${code} at offset ${off}`, ErrType.BAD_ACTION, BadAction.BAD_SET_TYPE, off);
    }
    const width = WIDTH[code]!;
    if (len !== (hasMask ? width << 1 : width)) {
      throw lenError(inSetField, `OXM ${NAMES[code]!}${hasMask ? ' (masked)' : ''} at offset ${off} has length ${len}, expected ${hasMask ? width << 1 : width}`, off);
    }
    if (hasMask && inSetField) {
      throw new OfpDecodeError(`set_field: ${NAMES[code]!} must not carry a mask (offset ${off})`, ErrType.BAD_ACTION, BadAction.BAD_SET_ARGUMENT, off);
    }
    r.offset = p + len;
    const kind = KIND[code]!;
    if (!hasMask) return { field: NAMES[code]!, value: readValue(view, r.bytes, kind, p) } as OxmField;
    return { field: NAMES[code]!, value: readValue(view, r.bytes, kind, p), mask: readValue(view, r.bytes, kind, p + width) } as OxmField;
  }
  r.offset = p + len;
  if (cls === OFPXMC_EXPERIMENTER) {
    if (len < 4) throw lenError(inSetField, `experimenter OXM at offset ${off} has length ${len}, less than its 4-byte experimenter id`, off);
    return { field: 'experimenter', experimenter: view.getUint32(p), fieldCode: code, hasMask, payload: r.bytes.slice(p + 4, p + len) };
  }
  return { field: 'opaque', oxmClass: cls, fieldCode: code, hasMask, payload: r.bytes.slice(p, p + len) };
}

/** One OXM TLV (malformations are BAD_MATCH errors). */
export function decodeOxm(r: Reader): OxmField {
  return readOxm(r, r.end, false);
}

/**
 * ofp_match (OFPMT_OXM) including its trailing padding to a multiple of 8 bytes. Decoding checks
 * structure only (TLV lengths, known basic fields); semantic rules (prerequisites, duplicates, masks)
 * are the encoder's, so matches a switch reports are never rejected for them — use matchProblems().
 */
export function decodeMatch(r: Reader): Match {
  const off = r.offset;
  if (off + 4 > r.end) {
    throw new OfpDecodeError(`truncated ofp_match header: need 4 byte(s) at offset ${off}, have ${r.end - off}`, ErrType.BAD_MATCH, BadMatch.BAD_LEN, off);
  }
  const type = r.view.getUint16(off);
  const length = r.view.getUint16(off + 2);
  if (type !== OFPMT_OXM) {
    throw new OfpDecodeError(`ofp_match type ${type} is not OFPMT_OXM (1)`, ErrType.BAD_MATCH, BadMatch.BAD_TYPE, off);
  }
  if (length < 4) throw new OfpDecodeError(`ofp_match length ${length} < 4`, ErrType.BAD_MATCH, BadMatch.BAD_LEN, off + 2);
  const padded = (length + 7) & ~7;
  if (off + padded > r.end) {
    throw new OfpDecodeError(
      `ofp_match length ${length} (${padded} with padding) exceeds the ${r.end - off} byte(s) left at offset ${off}`,
      ErrType.BAD_MATCH,
      BadMatch.BAD_LEN,
      off + 2,
    );
  }
  r.offset = off + 4;
  const end = off + length;
  const m: Match = [];
  while (r.offset < end) m.push(readOxm(r, end, false));
  r.offset = off + padded; // padding is skipped, not checked
  return m;
}

// ---------------------------------------------------------------------------------------------------
// Encoding, validated in the same pass: each value is checked as it is written (strings are parsed once,
// straight into the output buffer), then cross-field rules (duplicates, prerequisites) are checked over
// the recorded positions. On any problem the writer is rolled back and one OfpEncodeError lists them all.

/** One validation finding: where (e.g. `match[2].mask`) and a sentence naming the element. */
export interface OxmProblem {
  path: string;
  message: string;
}

const U64_MAX = 0xffffffffffffffffn;

const HEXVAL = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEXVAL[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEXVAL[97 + i] = 10 + i;
  HEXVAL[65 + i] = 10 + i;
}

/** MAC text into out[off..off+6]: a fast path for "aa:bb:cc:dd:ee:ff", addr.ts for every other form. */
function putMac(s: string, out: Uint8Array, off: number): boolean {
  if (s.length === 17) {
    let i = 0;
    for (; i < 6; i++) {
      const j = i * 3;
      const hc = s.charCodeAt(j);
      const lc = s.charCodeAt(j + 1);
      const h = hc < 128 ? HEXVAL[hc]! : -1;
      const l = lc < 128 ? HEXVAL[lc]! : -1;
      if (h < 0 || l < 0 || (i < 5 && s.charCodeAt(j + 2) !== 58)) break;
      out[off + i] = (h << 4) | l;
    }
    if (i === 6) return true;
  }
  try {
    macInto(s, out, off);
    return true;
  } catch {
    return false;
  }
}

/** Writes one value of basic field `code` (always WIDTH bytes); false when the value is invalid. */
function putValue(w: Writer, code: number, v: unknown): boolean {
  const kind = KIND[code]!;
  switch (kind) {
    case K_U64:
      if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) break;
      w.u64(v);
      return true;
    case K_MAC:
      w.ensure(6);
      if (typeof v !== 'string' || !putMac(v, w.buf, w.offset)) break;
      w.offset += 6;
      return true;
    case K_IPV4: {
      if (typeof v !== 'string') break;
      let n: number;
      try {
        n = ipv4FromString(v);
      } catch {
        break;
      }
      w.u32(n);
      return true;
    }
    case K_IPV6:
      w.ensure(16);
      if (typeof v !== 'string') break;
      try {
        ipv6Into(v, w.buf, w.offset);
      } catch {
        break;
      }
      w.offset += 16;
      return true;
    default:
      if (typeof v !== 'number' || v >>> 0 !== v || v > MAXV[code]!) break;
      if (kind === K_U8) w.u8(v);
      else if (kind === K_U16) w.u16(v);
      else if (kind === K_U32) w.u32(v);
      else {
        w.u8(v >>> 16);
        w.u16(v & 0xffff);
      }
      return true;
  }
  w.zeros(KIND_BYTES[kind as 0]!);
  return false;
}

function writeValue(w: Writer, kind: number, v: number | bigint | string): void {
  switch (kind) {
    case K_U8:
      w.u8(v as number);
      return;
    case K_U16:
      w.u16(v as number);
      return;
    case K_U24:
      w.u8((v as number) >>> 16);
      w.u16((v as number) & 0xffff);
      return;
    case K_U32:
      w.u32(v as number);
      return;
    case K_U64:
      w.u64(v as bigint);
      return;
    case K_MAC:
      w.ensure(6);
      macInto(v as string, w.buf, w.offset);
      w.offset += 6;
      return;
    case K_IPV4:
      w.u32(ipv4FromString(v as string));
      return;
    default:
      w.ensure(16);
      ipv6Into(v as string, w.buf, w.offset);
      w.offset += 16;
  }
}

/** Writes one OXM TLV without validating it. */
function writeOxm(w: Writer, f: OxmField): void {
  switch (f.field) {
    case 'experimenter':
      w.u32(((OFPXMC_EXPERIMENTER << 16) | (f.fieldCode << 9) | (f.hasMask ? 0x100 : 0) | (f.payload.length + 4)) >>> 0);
      w.u32(f.experimenter);
      w.bytes(f.payload);
      return;
    case 'opaque':
      w.u32(((f.oxmClass << 16) | (f.fieldCode << 9) | (f.hasMask ? 0x100 : 0) | f.payload.length) >>> 0);
      w.bytes(f.payload);
      return;
    default: {
      const code = CODE[f.field]!;
      const kind = KIND[code]!;
      const width = WIDTH[code]!;
      const mask = f.mask;
      w.u32(((OFPXMC_OPENFLOW_BASIC << 16) | (code << 9) | (mask === undefined ? width : 0x100 | (width << 1))) >>> 0);
      writeValue(w, kind, f.value);
      if (mask !== undefined) writeValue(w, kind, mask);
    }
  }
}

function pathOf(base: string, index: number): string {
  return index < 0 ? base : `${base}[${index}]`;
}

function bitsOf(max: number): number {
  let b = 0;
  while (max > 0) {
    b++;
    max = Math.floor(max / 2);
  }
  return b;
}

function describeRange(code: number): string {
  const max = MAXV[code]!;
  if (NAMES[code] === 'vlan_vid') return '0..0x1fff (13 bits: 12-bit VID plus OFPVID_PRESENT 0x1000)';
  return `0..${max > 0xffff ? '0x' + max.toString(16) : max} (${bitsOf(max)} bits)`;
}

/** Why a value (or mask) of basic field `code` is invalid (only called once it is known to be). */
function valueProblemText(code: number, v: unknown): string {
  switch (KIND[code]) {
    case K_U64:
      return `must be a bigint in 0..2^64-1, got ${show(v)}`;
    case K_MAC:
      return `must be a MAC address like "aa:bb:cc:dd:ee:ff", got ${show(v)}`;
    case K_IPV4:
      return `must be a dotted IPv4 address, got ${show(v)}`;
    case K_IPV6:
      return `must be an IPv6 address, got ${show(v)}`;
    default:
      return `${show(v)} is out of range ${describeRange(code)}`;
  }
}

/**
 * A short text for any value in an error message; never throws (objects may have hostile toString).
 * @internal shared with actions.ts, instructions.ts and table-features.ts
 */
export function showValue(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? `array(${v.length})` : 'object';
  if (typeof v === 'symbol' || typeof v === 'function') return typeof v;
  return String(v);
}
const show = showValue;

function isU32(v: unknown): v is number {
  return typeof v === 'number' && v >>> 0 === v;
}

function isInt(v: unknown, max: number): v is number {
  return typeof v === 'number' && v >>> 0 === v && v <= max;
}

/** Problems of an experimenter/opaque field (rare, so paths are built eagerly). */
function opaqueProblems(x: ExperimenterOxmField | OpaqueOxmField, path: string, out: OxmProblem[]): void {
  const maxPayload = x.field === 'experimenter' ? 251 : 255;
  if (x.field === 'experimenter') {
    if (!isU32(x.experimenter)) out.push({ path: `${path}.experimenter`, message: `${path} experimenter id ${show(x.experimenter)} is not a 32-bit unsigned integer` });
  } else {
    const c = x.oxmClass;
    if (!isInt(c, 0xffff)) out.push({ path: `${path}.oxmClass`, message: `${path} OXM class ${show(c)} is not a 16-bit unsigned integer` });
    else if (c === OFPXMC_OPENFLOW_BASIC || c === OFPXMC_EXPERIMENTER) {
      out.push({
        path: `${path}.oxmClass`,
        message: `${path} opaque OXM must not use class 0x${c.toString(16)} (use ${c === OFPXMC_EXPERIMENTER ? "field 'experimenter'" : 'the named basic field'})`,
      });
    }
  }
  if (!isInt(x.fieldCode, 127)) out.push({ path: `${path}.fieldCode`, message: `${path} OXM field code ${show(x.fieldCode)} is out of range 0..127` });
  if (typeof x.hasMask !== 'boolean') out.push({ path: `${path}.hasMask`, message: `${path} hasMask must be a boolean` });
  if (!(x.payload instanceof Uint8Array)) out.push({ path: `${path}.payload`, message: `${path} payload must be a Uint8Array` });
  else if (x.payload.length > maxPayload) {
    out.push({ path: `${path}.payload`, message: `${path} payload of ${x.payload.length} bytes exceeds the ${maxPayload} an OXM TLV can hold` });
  }
}

/** True when the value has a 1-bit where the mask has a 0-bit; strings are compared as written at p. */
function outsideMask(w: Writer, code: number, p: number, value: unknown, mask: unknown): boolean {
  const kind = KIND[code]!;
  if (kind === K_U64) return ((value as bigint) & ~(mask as bigint)) !== 0n;
  if (kind === K_MAC || kind === K_IPV4 || kind === K_IPV6) {
    const n = KIND_BYTES[kind as 0]!;
    const buf = w.buf;
    for (let i = 0; i < n; i++) if ((buf[p + i]! & ~buf[p + n + i]!) !== 0) return true;
    return false;
  }
  return (((value as number) & ~(mask as number)) >>> 0) !== 0;
}

/**
 * Writes one OXM TLV while validating it alone (known field, value/mask types and ranges, mask allowed,
 * value bits outside the mask; `setField` forbids masks). Problems go to `out`; bytes written for a bad
 * field are meaningless, so callers roll back when `out` grew. Returns the basic field code, -1 for a
 * valid experimenter/opaque field, -2 for an unusable one.
 */
function writeChecked(w: Writer, f: OxmField, base: string, index: number, setField: boolean, out: OxmProblem[]): number {
  if (typeof f !== 'object' || f === null) {
    const path = pathOf(base, index);
    out.push({ path, message: `${path} is not an OXM field object` });
    return -2;
  }
  const field = (f as { field?: unknown }).field;
  if (field === 'experimenter' || field === 'opaque') {
    const before = out.length;
    opaqueProblems(f as ExperimenterOxmField | OpaqueOxmField, pathOf(base, index), out);
    if (out.length !== before) return -2;
    writeOxm(w, f);
    return -1;
  }
  const code = typeof field === 'string' ? CODE[field] : undefined;
  if (code === undefined) {
    const path = pathOf(base, index);
    out.push({ path: `${path}.field`, message: `${path} unknown OXM field ${show(field)}` });
    return -2;
  }
  const b = f as BasicOxmField;
  const mask = b.mask;
  const masked = mask !== undefined && !setField && MASKP[code] !== M_NO;
  const width = WIDTH[code]!;
  w.u32(((OFPXMC_OPENFLOW_BASIC << 16) | (code << 9) | (masked ? 0x100 | (width << 1) : width)) >>> 0);
  const p = w.offset;
  const valueOk = putValue(w, code, b.value);
  if (!valueOk) {
    const path = pathOf(base, index);
    out.push({ path: `${path}.value`, message: `${path} ${NAMES[code]!} value ${valueProblemText(code, b.value)}` });
  }
  if (mask === undefined) return code;
  if (!masked) {
    const path = pathOf(base, index);
    out.push({
      path: `${path}.mask`,
      message: setField ? `${path} set_field ${NAMES[code]!} must not have a mask` : `${path} ${NAMES[code]!} is not maskable in OpenFlow 1.3`,
    });
  } else if (!putValue(w, code, mask)) {
    const path = pathOf(base, index);
    out.push({ path: `${path}.mask`, message: `${path} ${NAMES[code]!} mask ${valueProblemText(code, mask)}` });
  } else if (valueOk && outsideMask(w, code, p, b.value, mask)) {
    const path = pathOf(base, index);
    out.push({
      path: `${path}.value`,
      message: `${path} ${NAMES[code]!} value ${show(b.value)} has bits set outside its mask ${show(mask)} (OFPBMC_BAD_WILDCARDS)`,
    });
  }
  return code;
}

function encodeError(problems: readonly OxmProblem[]): OfpEncodeError {
  return new OfpEncodeError(problems.map((p) => p.message).join('; '), problems[0]!.path);
}

/**
 * One OXM TLV, validated on its own (value ranges, mask allowed; with `setField`, no mask at all).
 * Throws OfpEncodeError and leaves the writer as it was on a problem.
 * @internal `setField` is used by actions.ts
 */
export function encodeOxm(w: Writer, f: OxmField, path = 'oxm', setField = false): void {
  const start = w.offset;
  const out: OxmProblem[] = [];
  writeChecked(w, f, path, -1, setField, out);
  if (out.length > 0) {
    w.offset = start;
    throw encodeError(out);
  }
}

/** ofp_match with its OXM TLVs and padding. Validates the whole match (see matchProblems) as it writes. */
export function encodeMatch(w: Writer, m: Match, path = 'match'): void {
  const start = w.offset;
  const out: OxmProblem[] = [];
  w.u16(OFPMT_OXM);
  w.u16(0);
  writeMatchChecked(w, m, path, out);
  if (out.length > 0) {
    w.offset = start;
    throw encodeError(out);
  }
  w.patchU16(start + 2, w.offset - start);
  const pad = (8 - ((w.offset - start) & 7)) & 7;
  if (pad !== 0) {
    w.ensure(pad);
    for (let i = 0; i < pad; i++) w.buf[w.offset + i] = 0;
    w.offset += pad;
  }
}

// Prerequisites (OpenFlow 1.3.5 §7.2.3.8, Table 12). Each entry: the field whose presence (and value)
// is required, the accepted values ([] = presence only) and how to say it.
interface Prereq {
  code: number;
  values: readonly number[];
  text: string;
}

const C = CODE as Record<BasicOxmName, number>;
const ETH_IP: Prereq = { code: C.eth_type, values: [0x0800, 0x86dd], text: 'eth_type=0x0800 (IPv4) or 0x86dd (IPv6)' };
const ETH_IPV4: Prereq = { code: C.eth_type, values: [0x0800], text: 'eth_type=0x0800 (IPv4)' };
const ETH_IPV6: Prereq = { code: C.eth_type, values: [0x86dd], text: 'eth_type=0x86dd (IPv6)' };
const ETH_ARP: Prereq = { code: C.eth_type, values: [0x0806], text: 'eth_type=0x0806 (ARP)' };
const ETH_MPLS: Prereq = { code: C.eth_type, values: [0x8847, 0x8848], text: 'eth_type=0x8847 or 0x8848 (MPLS)' };
const ETH_PBB: Prereq = { code: C.eth_type, values: [0x88e7], text: 'eth_type=0x88e7 (PBB)' };
const PROTO_TCP: Prereq = { code: C.ip_proto, values: [6], text: 'ip_proto=6 (TCP)' };
const PROTO_UDP: Prereq = { code: C.ip_proto, values: [17], text: 'ip_proto=17 (UDP)' };
const PROTO_SCTP: Prereq = { code: C.ip_proto, values: [132], text: 'ip_proto=132 (SCTP)' };
const PROTO_ICMP: Prereq = { code: C.ip_proto, values: [1], text: 'ip_proto=1 (ICMP)' };
const PROTO_ICMPV6: Prereq = { code: C.ip_proto, values: [58], text: 'ip_proto=58 (ICMPv6)' };
/** Special-cased: vlan_vid must have OFPVID_PRESENT set (a VLAN tag). */
const VLAN_PRESENT: Prereq = { code: C.vlan_vid, values: [], text: 'vlan_vid with OFPVID_PRESENT (0x1000) set, i.e. a VLAN tag' };

const PREREQS: (readonly Prereq[] | undefined)[] = new Array<readonly Prereq[] | undefined>(N_FIELDS);
function prereq(names: readonly BasicOxmName[], list: readonly Prereq[]): void {
  for (const n of names) PREREQS[C[n]] = list;
}
prereq(['in_phy_port'], [{ code: C.in_port, values: [], text: 'in_port' }]);
prereq(['vlan_pcp'], [VLAN_PRESENT]);
prereq(['ip_dscp', 'ip_ecn', 'ip_proto'], [ETH_IP]);
prereq(['ipv4_src', 'ipv4_dst'], [ETH_IPV4]);
prereq(['tcp_src', 'tcp_dst'], [PROTO_TCP]);
prereq(['udp_src', 'udp_dst'], [PROTO_UDP]);
prereq(['sctp_src', 'sctp_dst'], [PROTO_SCTP]);
// The spec table lists only ip_proto=1 for ICMPv4; like Open vSwitch we also require IPv4 (ICMP with
// an IPv6 eth_type is not ICMPv4), mirroring the ICMPv6 row.
prereq(['icmpv4_type', 'icmpv4_code'], [PROTO_ICMP, ETH_IPV4]);
prereq(['arp_op', 'arp_spa', 'arp_tpa', 'arp_sha', 'arp_tha'], [ETH_ARP]);
prereq(['ipv6_src', 'ipv6_dst', 'ipv6_flabel', 'ipv6_exthdr'], [ETH_IPV6]);
prereq(['icmpv6_type', 'icmpv6_code'], [PROTO_ICMPV6, ETH_IPV6]);
prereq(['ipv6_nd_target'], [{ code: C.icmpv6_type, values: [135, 136], text: 'icmpv6_type=135 or 136 (neighbor solicitation/advertisement)' }]);
prereq(['ipv6_nd_sll'], [{ code: C.icmpv6_type, values: [135], text: 'icmpv6_type=135 (neighbor solicitation)' }]);
prereq(['ipv6_nd_tll'], [{ code: C.icmpv6_type, values: [136], text: 'icmpv6_type=136 (neighbor advertisement)' }]);
prereq(['mpls_label', 'mpls_tc', 'mpls_bos'], [ETH_MPLS]);
prereq(['pbb_isid'], [ETH_PBB]);

function showFieldValue(code: number, v: unknown): string {
  if (typeof v === 'number' && (code === C.eth_type || code === C.vlan_vid)) return `0x${v.toString(16).padStart(4, '0')}`;
  return show(v);
}

// Per-call scratch without per-call allocation: positions of basic fields, stamped with a generation
// number so nothing needs clearing. (Validation is synchronous and never re-entered.)
const seenGen = new Uint32Array(N_FIELDS);
const seenAt = new Int32Array(N_FIELDS);
let generation = 0;
const codesScratch: number[] = [];

function writeMatchChecked(w: Writer, m: Match, base: string, out: OxmProblem[]): void {
  if (!Array.isArray(m)) {
    out.push({ path: base, message: `${base} must be an array of OXM fields` });
    return;
  }
  if (++generation === 0xffffffff) {
    seenGen.fill(0);
    generation = 1;
  }
  const g = generation;
  const codes = codesScratch; // stale entries past m.length are never read
  let others: Map<string, number> | undefined;
  for (let i = 0; i < m.length; i++) {
    const f = m[i]!;
    const code = writeChecked(w, f, base, i, false, out);
    codes[i] = code;
    if (code >= 0) {
      if (seenGen[code] === g) {
        const path = `${base}[${i}]`;
        out.push({ path, message: `${path} duplicate field ${NAMES[code]!} (also at ${base}[${seenAt[code]!}])` });
      } else {
        seenGen[code] = g;
        seenAt[code] = i;
      }
    } else if (code === -1) {
      const x = f as ExperimenterOxmField | OpaqueOxmField;
      const key = x.field === 'experimenter' ? `e${x.experimenter}:${x.fieldCode}` : `o${x.oxmClass}:${x.fieldCode}`;
      others ??= new Map();
      const prev = others.get(key);
      if (prev !== undefined) {
        const path = `${base}[${i}]`;
        out.push({ path, message: `${path} duplicate ${x.field} OXM field ${x.fieldCode} (also at ${base}[${prev}])` });
      } else others.set(key, i);
    }
  }
  for (let i = 0; i < m.length; i++) {
    const code = codes[i]!;
    if (code < 0) continue;
    const reqs = PREREQS[code];
    if (reqs === undefined) continue;
    for (const req of reqs) {
      const j = seenGen[req.code] === g ? seenAt[req.code]! : -1;
      if (j === -1) {
        const path = `${base}[${i}]`;
        out.push({ path, message: `${path} ${NAMES[code]!} requires ${req.text}, which is missing` });
        continue;
      }
      const pre = m[j] as BasicOxmField;
      let ok: boolean;
      if (req === VLAN_PRESENT) {
        const v = pre.value as number;
        const mk = pre.mask as number | undefined;
        ok = typeof v === 'number' && (v & OFPVID_PRESENT) !== 0 && (mk === undefined || (mk & OFPVID_PRESENT) !== 0);
      } else {
        ok = req.values.length === 0 || (pre.mask === undefined && req.values.includes(pre.value as number));
      }
      if (!ok) {
        const path = `${base}[${i}]`;
        const reqName = NAMES[req.code]!;
        const shown = `${reqName}=${showFieldValue(req.code, pre.value)}${pre.mask === undefined ? '' : '/' + showFieldValue(req.code, pre.mask)}`;
        out.push({ path, message: `${path} ${NAMES[code]!} requires ${req.text}, but ${base}[${j}] has ${shown}` });
      } else if (j > i) {
        const path = `${base}[${i}]`;
        out.push({
          path,
          message: `${path} ${NAMES[code]!} must come after its prerequisite ${NAMES[req.code]!} (${base}[${j}]): OXM prerequisites precede the fields that depend on them`,
        });
      }
    }
  }
}

const checkWriter = new Writer(256);

/**
 * Every validation problem of a match, as sentences starting with the element's path (`match[i]`):
 * unknown fields, values out of range for the field's width, masks on unmaskable fields, value bits
 * outside the mask, duplicate fields, and OXM prerequisites (missing, wrong value, or out of order).
 * [] when the match is valid. encodeMatch runs exactly these checks.
 */
export function matchProblems(m: Match): string[] {
  const out: OxmProblem[] = [];
  checkWriter.reset();
  writeMatchChecked(checkWriter, m, 'match', out);
  return out.map((p) => p.message);
}

// ---------------------------------------------------------------------------------------------------
// OXM ids (header only), as listed in TABLE_FEATURES match/wildcards/setfield properties.

/** One OXM id: a 32-bit OXM header, or 64 bits for class 0xFFFF (header + experimenter id). */
export function decodeOxmId(r: Reader): OxmId {
  const h = r.u32();
  const cls = h >>> 16;
  const fieldCode = (h >>> 9) & 0x7f;
  const hasMask = (h & 0x100) !== 0;
  const length = h & 0xff;
  if (cls === OFPXMC_EXPERIMENTER) return { field: 'experimenter', fieldCode, hasMask, length, experimenter: r.u32() };
  if (cls === OFPXMC_OPENFLOW_BASIC && fieldCode < N_FIELDS) return { field: NAMES[fieldCode]!, hasMask, length };
  return { field: 'opaque', oxmClass: cls, fieldCode, hasMask, length };
}

export function encodeOxmId(w: Writer, id: OxmId, path = 'oxmId'): void {
  if (typeof id !== 'object' || id === null) throw new OfpEncodeError(`${path} is not an OXM id object`, path);
  if (!isInt(id.length, 255)) throw new OfpEncodeError(`${path} length ${show(id.length)} is out of range 0..255`, `${path}.length`);
  if (typeof id.hasMask !== 'boolean') throw new OfpEncodeError(`${path} hasMask must be a boolean`, `${path}.hasMask`);
  const low = (id.hasMask ? 0x100 : 0) | id.length;
  if (id.field === 'experimenter' || id.field === 'opaque') {
    if (!isInt(id.fieldCode, 127)) throw new OfpEncodeError(`${path} field code ${show(id.fieldCode)} is out of range 0..127`, `${path}.fieldCode`);
    if (id.field === 'experimenter') {
      if (!isU32(id.experimenter)) throw new OfpEncodeError(`${path} experimenter id ${show(id.experimenter)} is not a 32-bit unsigned integer`, `${path}.experimenter`);
      w.u32(((OFPXMC_EXPERIMENTER << 16) | (id.fieldCode << 9) | low) >>> 0);
      w.u32(id.experimenter);
      return;
    }
    const c = id.oxmClass;
    if (!isInt(c, 0xffff) || c === OFPXMC_EXPERIMENTER || (c === OFPXMC_OPENFLOW_BASIC && id.fieldCode < N_FIELDS)) {
      throw new OfpEncodeError(`${path} opaque OXM id class ${show(c)} is invalid (not a u16, or a class/field with its own variant)`, `${path}.oxmClass`);
    }
    w.u32(((c << 16) | (id.fieldCode << 9) | low) >>> 0);
    return;
  }
  const code = CODE[id.field];
  if (code === undefined) throw new OfpEncodeError(`${path} unknown OXM field ${show(id.field)}`, `${path}.field`);
  w.u32(((OFPXMC_OPENFLOW_BASIC << 16) | (code << 9) | low) >>> 0);
}
