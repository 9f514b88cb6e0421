/**
 * OpenFlow 1.3.5 flexible match (OXM, §7.2.3): ofp_match, single OXM TLVs, OXM ids (TABLE_FEATURES)
 * and the encoder-side validation of matches (ranges, masks, duplicates, prerequisites).
 *
 * Basic fields (class 0x8000) decode to typed values; other classes (Nicira NXM_0/NXM_1 used by Open
 * vSwitch, experimenter 0xFFFF) are kept opaque so decode -> encode reproduces the bytes.
 */
import type { Reader, Writer } from './buffer.js';
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
  if (c === undefined) throw new RangeError(`unknown OXM field ${JSON.stringify(name)}`);
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

/** ofp_match (OFPMT_OXM) including its trailing padding to a multiple of 8 bytes. */
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
// Encoding

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

/**
 * Writes one OXM TLV without validating it (callers validate first).
 * @internal shared with actions.ts
 */
export function writeOxm(w: Writer, f: OxmField): void {
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
      if (mask === undefined) {
        w.u32(((OFPXMC_OPENFLOW_BASIC << 16) | (code << 9) | width) >>> 0);
        writeValue(w, kind, f.value);
      } else {
        w.u32(((OFPXMC_OPENFLOW_BASIC << 16) | (code << 9) | 0x100 | (width << 1)) >>> 0);
        writeValue(w, kind, f.value);
        writeValue(w, kind, mask);
      }
    }
  }
}

/** One OXM TLV, validated on its own (value ranges, mask allowed); throws OfpEncodeError. */
export function encodeOxm(w: Writer, f: OxmField, path = 'oxm'): void {
  const problems: OxmProblem[] = [];
  oxmFieldProblems(f, path, false, problems);
  if (problems.length > 0) throw encodeError(problems);
  writeOxm(w, f);
}

/** ofp_match with its OXM TLVs and padding. Validates the whole match first (see matchProblems). */
export function encodeMatch(w: Writer, m: Match, path = 'match'): void {
  const problems = collectMatchProblems(m, path);
  if (problems.length > 0) throw encodeError(problems);
  const start = w.offset;
  w.u16(OFPMT_OXM);
  w.u16(0);
  for (let i = 0; i < m.length; i++) writeOxm(w, m[i]!);
  w.patchU16(start + 2, w.offset - start);
  w.padTo(start, 8);
}

function encodeError(problems: readonly OxmProblem[]): OfpEncodeError {
  return new OfpEncodeError(problems.map((p) => p.message).join('; '), problems[0]!.path);
}

// ---------------------------------------------------------------------------------------------------
// Validation

/** One validation finding: where (e.g. `match[2].mask`) and a sentence naming the element. */
export interface OxmProblem {
  path: string;
  message: string;
}

const scratchA = new Uint8Array(16);
const scratchB = new Uint8Array(16);

/** Parses a string value of `kind` into `out` (or returns false). */
function parseInto(kind: number, v: unknown, out: Uint8Array): boolean {
  if (typeof v !== 'string') return false;
  try {
    if (kind === K_MAC) macInto(v, out, 0);
    else if (kind === K_IPV6) ipv6Into(v, out, 0);
    else {
      const n = ipv4FromString(v);
      out[0] = n >>> 24;
      out[1] = (n >>> 16) & 0xff;
      out[2] = (n >>> 8) & 0xff;
      out[3] = n & 0xff;
    }
    return true;
  } catch {
    return false;
  }
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

/** Checks one value (or mask) of basic field `code`; returns a problem description or undefined. */
function valueProblem(code: number, v: unknown, out: Uint8Array): string | undefined {
  const kind = KIND[code]!;
  switch (kind) {
    case K_U64:
      return typeof v === 'bigint' && v >= 0n && v <= 0xffffffffffffffffn ? undefined : `must be a bigint in 0..2^64-1, got ${show(v)}`;
    case K_MAC:
      return parseInto(kind, v, out) ? undefined : `must be a MAC address like "aa:bb:cc:dd:ee:ff", got ${show(v)}`;
    case K_IPV4:
      return parseInto(kind, v, out) ? undefined : `must be a dotted IPv4 address, got ${show(v)}`;
    case K_IPV6:
      return parseInto(kind, v, out) ? undefined : `must be an IPv6 address, got ${show(v)}`;
    default:
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAXV[code]!
        ? undefined
        : `${show(v)} is out of range ${describeRange(code)}`;
  }
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  return String(v);
}

/** True when `value` has a 1-bit where `mask` has a 0-bit (both already validated). */
function bitsOutsideMask(code: number, value: unknown, mask: unknown): boolean {
  const kind = KIND[code]!;
  if (kind === K_U64) return ((value as bigint) & ~(mask as bigint)) !== 0n;
  if (kind === K_MAC || kind === K_IPV4 || kind === K_IPV6) {
    const n = KIND_BYTES[kind as 0]!;
    parseInto(kind, value, scratchA);
    parseInto(kind, mask, scratchB);
    for (let i = 0; i < n; i++) if ((scratchA[i]! & ~scratchB[i]!) !== 0) return true;
    return false;
  }
  return (((value as number) & ~(mask as number)) >>> 0) !== 0;
}

function isU32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

function isInt(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

/**
 * Problems of one OXM field taken alone: known field, value and mask types/ranges, mask allowed,
 * value bits outside the mask. `setField` applies the set_field rules (no mask) instead.
 * @internal shared with actions.ts
 */
export function oxmFieldProblems(f: OxmField, path: string, setField: boolean, out: OxmProblem[]): void {
  if (typeof f !== 'object' || f === null) {
    out.push({ path, message: `${path} is not an OXM field object` });
    return;
  }
  const field = (f as { field?: unknown }).field;
  if (field === 'experimenter' || field === 'opaque') {
    const x = f as ExperimenterOxmField | OpaqueOxmField;
    const maxPayload = field === 'experimenter' ? 251 : 255;
    if (field === 'experimenter') {
      const e = (x as ExperimenterOxmField).experimenter;
      if (!isU32(e)) out.push({ path: `${path}.experimenter`, message: `${path} experimenter id ${show(e)} is not a 32-bit unsigned integer` });
    } else {
      const c = (x as OpaqueOxmField).oxmClass;
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
    return;
  }
  const code = typeof field === 'string' ? CODE[field] : undefined;
  if (code === undefined) {
    out.push({ path: `${path}.field`, message: `${path} unknown OXM field ${show(field)}` });
    return;
  }
  const name = NAMES[code]!;
  const b = f as BasicOxmField;
  const vp = valueProblem(code, b.value, scratchA);
  if (vp !== undefined) out.push({ path: `${path}.value`, message: `${path} ${name} value ${vp}` });
  const mask = b.mask;
  if (mask === undefined) return;
  if (setField) {
    out.push({ path: `${path}.mask`, message: `${path} set_field ${name} must not have a mask` });
    return;
  }
  if (MASKP[code] === M_NO) {
    out.push({ path: `${path}.mask`, message: `${path} ${name} is not maskable in OpenFlow 1.3` });
    return;
  }
  const mp = valueProblem(code, mask, scratchB);
  if (mp !== undefined) {
    out.push({ path: `${path}.mask`, message: `${path} ${name} mask ${mp}` });
    return;
  }
  if (vp === undefined && bitsOutsideMask(code, b.value, mask)) {
    out.push({
      path: `${path}.value`,
      message: `${path} ${name} value ${show(b.value)} has bits set outside its mask ${show(mask)} (OFPBMC_BAD_WILDCARDS)`,
    });
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

function collectMatchProblems(m: Match, base: string): OxmProblem[] {
  const out: OxmProblem[] = [];
  if (!Array.isArray(m)) {
    out.push({ path: base, message: `${base} must be an array of OXM fields` });
    return out;
  }
  const at = new Int32Array(N_FIELDS).fill(-1);
  let others: Map<string, number> | undefined;
  for (let i = 0; i < m.length; i++) {
    const f = m[i]!;
    const path = `${base}[${i}]`;
    const before = out.length;
    oxmFieldProblems(f, path, false, out);
    if (typeof f !== 'object' || f === null) continue;
    if (f.field === 'experimenter' || f.field === 'opaque') {
      if (out.length !== before) continue;
      const key = f.field === 'experimenter' ? `e${f.experimenter}:${f.fieldCode}` : `o${f.oxmClass}:${f.fieldCode}`;
      others ??= new Map();
      const prev = others.get(key);
      if (prev !== undefined) {
        out.push({ path, message: `${path} duplicate ${f.field} OXM field ${f.fieldCode} (also at ${base}[${prev}])` });
      } else others.set(key, i);
      continue;
    }
    const code = CODE[f.field];
    if (code === undefined) continue;
    if (at[code] !== -1) out.push({ path, message: `${path} duplicate field ${f.field} (also at ${base}[${at[code]}])` });
    else at[code] = i;
  }
  for (let i = 0; i < m.length; i++) {
    const f = m[i]!;
    if (typeof f !== 'object' || f === null || typeof f.field !== 'string') continue;
    const code = CODE[f.field];
    if (code === undefined) continue;
    const reqs = PREREQS[code];
    if (reqs === undefined) continue;
    const path = `${base}[${i}]`;
    for (const req of reqs) {
      const j = at[req.code]!;
      const reqName = NAMES[req.code]!;
      if (j === -1) {
        out.push({ path, message: `${path} ${f.field} requires ${req.text}, which is missing` });
        continue;
      }
      const g = m[j] as BasicOxmField;
      let ok: boolean;
      if (req === VLAN_PRESENT) {
        const v = g.value as number;
        const mk = g.mask as number | undefined;
        ok = typeof v === 'number' && (v & OFPVID_PRESENT) !== 0 && (mk === undefined || (mk & OFPVID_PRESENT) !== 0);
      } else {
        ok = req.values.length === 0 || (g.mask === undefined && req.values.includes(g.value as number));
      }
      if (!ok) {
        const shown = `${reqName}=${showFieldValue(req.code, g.value)}${g.mask === undefined ? '' : '/' + showFieldValue(req.code, g.mask)}`;
        out.push({ path, message: `${path} ${f.field} requires ${req.text}, but ${base}[${j}] has ${shown}` });
      } else if (j > i) {
        out.push({ path, message: `${path} ${f.field} must come after its prerequisite ${reqName} (${base}[${j}]): OXM prerequisites precede the fields that depend on them` });
      }
    }
  }
  return out;
}

/**
 * Every validation problem of a match, as sentences starting with the element's path (`match[i]`):
 * unknown fields, values out of range for the field's width, masks on unmaskable fields, value bits
 * outside the mask, duplicate fields, and OXM prerequisites (missing, wrong value, or out of order).
 * [] when the match is valid.
 */
export function matchProblems(m: Match): string[] {
  return collectMatchProblems(m, 'match').map((p) => p.message);
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
