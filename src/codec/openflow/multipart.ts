/**
 * OFPT_MULTIPART_REQUEST / OFPT_MULTIPART_REPLY (OpenFlow 1.3.5 §7.3.5).
 *
 * Both start with type u16, flags u16, pad[4]; the body that follows depends on the type. The body is
 * a union discriminated on `kind` (the OFPMP_* name). Request bodies of DESC, TABLE, GROUP_DESC,
 * GROUP_FEATURES, METER_FEATURES and PORT_DESC are empty. A reply may be split across several messages
 * flagged REPLY_MORE; `mergeMultipartReplies` reassembles them.
 */
import type { Reader, Writer } from './buffer.js';
import type { BodyCodec } from './body-codec.js';
import { BadInstruction, BadRequest, ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { decodeMatch, encodeMatch, type Match } from './oxm.js';
import { decodeInstructions, encodeInstructions, type Instruction } from './instructions.js';
import { decodeTableFeaturesList, encodeTableFeaturesList, type TableFeatures } from './table-features.js';
import { decodePort, encodePort, OFP_PORT_LEN, type Port } from './port.js';
import { decodeBuckets, encodeBuckets, type Bucket } from './group-mod.js';
import { decodeMeterBands, encodeMeterBands, type MeterBand } from './meter-mod.js';

/** ofp_multipart_type */
export const MultipartType = {
  DESC: 0,
  FLOW: 1,
  AGGREGATE: 2,
  TABLE: 3,
  PORT_STATS: 4,
  QUEUE: 5,
  GROUP: 6,
  GROUP_DESC: 7,
  GROUP_FEATURES: 8,
  METER: 9,
  METER_CONFIG: 10,
  METER_FEATURES: 11,
  TABLE_FEATURES: 12,
  PORT_DESC: 13,
  EXPERIMENTER: 0xffff,
} as const;

export type MultipartKind = keyof typeof MultipartType;

/** ofp_multipart_request_flags / ofp_multipart_reply_flags */
export const MultipartFlags = { REQ_MORE: 1, REPLY_MORE: 1 } as const;

/** ofp_group_capabilities (GROUP_FEATURES reply). */
export const GroupCapabilities = { SELECT_WEIGHT: 1, SELECT_LIVENESS: 2, CHAINING: 4, CHAINING_CHECKS: 8 } as const;

/** OFPTT_ALL: every table (flow/aggregate stats requests). */
export const OFPTT_ALL = 0xff;

export const OFP_MULTIPART_HEADER_LEN = 8; // after ofp_header
export const DESC_STR_LEN = 256;
export const SERIAL_NUM_LEN = 32;
const DESC_LEN = 4 * DESC_STR_LEN + SERIAL_NUM_LEN; // 1056
const GROUP_FEATURES_LEN = 40;
const EXPERIMENTER_HEADER_LEN = 8;

// ---------------------------------------------------------------------------------------------------
// Body types

/** Body of FLOW and AGGREGATE requests (ofp_flow_stats_request / ofp_aggregate_stats_request). */
export interface FlowStatsRequest {
  /** Table to read, or OFPTT_ALL. */
  tableId: number;
  /** Restrict to entries outputting to this port; OFPP_ANY = no restriction. */
  outPort: number;
  /** Restrict to entries outputting to this group; OFPG_ANY = no restriction. */
  outGroup: number;
  cookie: bigint;
  cookieMask: bigint;
  match: Match;
}

export interface ExperimenterMultipart {
  experimenter: number;
  expType: number;
  data: Uint8Array;
}

export type MultipartRequestBody =
  | { kind: 'DESC' }
  | ({ kind: 'FLOW' } & FlowStatsRequest)
  | ({ kind: 'AGGREGATE' } & FlowStatsRequest)
  | { kind: 'TABLE' }
  | { kind: 'PORT_STATS'; portNo: number }
  | { kind: 'QUEUE'; portNo: number; queueId: number }
  | { kind: 'GROUP'; groupId: number }
  | { kind: 'GROUP_DESC' }
  | { kind: 'GROUP_FEATURES' }
  | { kind: 'METER'; meterId: number }
  | { kind: 'METER_CONFIG'; meterId: number }
  | { kind: 'METER_FEATURES' }
  | { kind: 'TABLE_FEATURES'; tables: TableFeatures[] }
  | { kind: 'PORT_DESC' }
  | ({ kind: 'EXPERIMENTER' } & ExperimenterMultipart);

export interface Desc {
  mfrDesc: string;
  hwDesc: string;
  swDesc: string;
  serialNum: string;
  dpDesc: string;
}

export interface FlowStats {
  tableId: number;
  durationSec: number;
  durationNsec: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  /** FlowModFlags bitmap */
  flags: number;
  cookie: bigint;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
  instructions: Instruction[];
}

export interface AggregateStats {
  packetCount: bigint;
  byteCount: bigint;
  flowCount: number;
}

export interface TableStats {
  tableId: number;
  activeCount: number;
  lookupCount: bigint;
  matchedCount: bigint;
}

export interface PortStats {
  portNo: number;
  rxPackets: bigint;
  txPackets: bigint;
  rxBytes: bigint;
  txBytes: bigint;
  rxDropped: bigint;
  txDropped: bigint;
  rxErrors: bigint;
  txErrors: bigint;
  rxFrameErr: bigint;
  rxOverErr: bigint;
  rxCrcErr: bigint;
  collisions: bigint;
  durationSec: number;
  durationNsec: number;
}

export interface QueueStats {
  portNo: number;
  queueId: number;
  txBytes: bigint;
  txPackets: bigint;
  txErrors: bigint;
  durationSec: number;
  durationNsec: number;
}

export interface BucketCounter {
  packetCount: bigint;
  byteCount: bigint;
}

export interface GroupStats {
  groupId: number;
  refCount: number;
  packetCount: bigint;
  byteCount: bigint;
  durationSec: number;
  durationNsec: number;
  bucketStats: BucketCounter[];
}

export interface GroupDesc {
  /** GroupType */
  groupType: number;
  groupId: number;
  buckets: Bucket[];
}

export interface GroupFeatures {
  /** Bitmap of (1 << GroupType) supported. */
  types: number;
  /** GroupCapabilities bitmap */
  capabilities: number;
  /** Maximum groups per type, indexed by GroupType. */
  maxGroups: [number, number, number, number];
  /** Bitmaps of (1 << action type) supported, indexed by GroupType. */
  actions: [number, number, number, number];
}

export interface MeterBandStats {
  packetBandCount: bigint;
  byteBandCount: bigint;
}

export interface MeterStats {
  meterId: number;
  flowCount: number;
  packetInCount: bigint;
  byteInCount: bigint;
  durationSec: number;
  durationNsec: number;
  bandStats: MeterBandStats[];
}

export interface MeterConfig {
  /** MeterFlags bitmap */
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

export interface MeterFeatures {
  maxMeter: number;
  /** Bitmap of (1 << MeterBandType) supported. */
  bandTypes: number;
  /** MeterFlags bitmap */
  capabilities: number;
  maxBands: number;
  maxColor: number;
}

export type MultipartReplyBody =
  | ({ kind: 'DESC' } & Desc)
  | { kind: 'FLOW'; stats: FlowStats[] }
  | ({ kind: 'AGGREGATE' } & AggregateStats)
  | { kind: 'TABLE'; stats: TableStats[] }
  | { kind: 'PORT_STATS'; stats: PortStats[] }
  | { kind: 'QUEUE'; stats: QueueStats[] }
  | { kind: 'GROUP'; stats: GroupStats[] }
  | { kind: 'GROUP_DESC'; groups: GroupDesc[] }
  | ({ kind: 'GROUP_FEATURES' } & GroupFeatures)
  | { kind: 'METER'; stats: MeterStats[] }
  | { kind: 'METER_CONFIG'; entries: MeterConfig[] }
  | ({ kind: 'METER_FEATURES' } & MeterFeatures)
  | { kind: 'TABLE_FEATURES'; tables: TableFeatures[] }
  | { kind: 'PORT_DESC'; ports: Port[] }
  | ({ kind: 'EXPERIMENTER' } & ExperimenterMultipart);

export type MultipartRequestBodyOf<K extends MultipartKind> = Extract<MultipartRequestBody, { kind: K }>;
export type MultipartReplyBodyOf<K extends MultipartKind> = Extract<MultipartReplyBody, { kind: K }>;

export interface MultipartRequestMessage {
  type: 'MULTIPART_REQUEST';
  xid: number;
  /** MultipartFlags.REQ_MORE when more requests of this transaction follow. */
  flags: number;
  body: MultipartRequestBody;
}

export interface MultipartReplyMessage {
  type: 'MULTIPART_REPLY';
  xid: number;
  /** MultipartFlags.REPLY_MORE when more replies of this transaction follow. */
  flags: number;
  body: MultipartReplyBody;
}

// ---------------------------------------------------------------------------------------------------
// Helpers

const kindByCode = new Map<number, MultipartKind>();
for (const [k, v] of Object.entries(MultipartType)) kindByCode.set(v, k as MultipartKind);

function badLen(message: string, offset: number): OfpDecodeError {
  return new OfpDecodeError(message, ErrType.BAD_REQUEST, BadRequest.BAD_LEN, offset);
}

/** Reads the multipart type/flags/pad prefix; returns the kind or throws BAD_MULTIPART. */
function readPrefix(r: Reader, what: string): { kind: MultipartKind; flags: number } {
  r.need(OFP_MULTIPART_HEADER_LEN, what);
  const at = r.offset;
  const code = r.u16();
  const flags = r.u16();
  r.offset += 4;
  const kind = kindByCode.get(code);
  if (kind === undefined) {
    throw new OfpDecodeError(`${what}: unknown multipart type ${code}`, ErrType.BAD_REQUEST, BadRequest.BAD_MULTIPART, at);
  }
  return { kind, flags };
}

function expectEmpty(r: Reader, kind: string): void {
  if (r.offset !== r.end) throw badLen(`${kind} multipart request body must be empty, has ${r.end - r.offset} byte(s)`, r.offset);
}

/** Checks that the bytes of `r` from `r.offset` on are a whole number of `size`-byte records. */
function expectRecords(r: Reader, size: number, what: string): void {
  const n = r.end - r.offset;
  if (n % size !== 0) throw badLen(`${what}: ${n} byte(s) is not a multiple of the ${size}-byte record`, r.offset);
}

/**
 * Reads the u16 length at `at + lenOffset` of a variable-length record and returns a reader confined to
 * it (BAD_LEN when shorter than `min` or past the end).
 */
function record(r: Reader, min: number, lenOffset: number, what: string): Reader {
  const at = r.offset;
  if (r.end - at < min) throw badLen(`truncated ${what}: ${r.end - at} byte(s) left at offset ${at}, need ${min}`, at);
  const len = r.view.getUint16(at + lenOffset);
  if (len < min) throw badLen(`${what} length ${len} < ${min} at offset ${at}`, at + lenOffset);
  return r.sub(len, what);
}

// ---------------------------------------------------------------------------------------------------
// Layouts: the fixed-size fields of a structure in wire order, each [name, width] or a number of pad
// bytes (zero on the wire, skipped when read). One layout serves decoding, range checks and encoding.
// Multipart is not on the hot path; FLOW_MOD / PACKET_IN decoding does not go through these.

type IntKey<T> = { [K in keyof T]-?: T[K] extends number ? K : never }[keyof T] & string;
type BigKey<T> = { [K in keyof T]-?: T[K] extends bigint ? K : never }[keyof T] & string;
type Field<T> = readonly [IntKey<T>, 'u8' | 'u16' | 'u32'] | readonly [BigKey<T>, 'u64'] | number;

interface Layout<T> {
  readonly fields: readonly Field<T>[];
  /** Bytes the fields take on the wire. */
  readonly len: number;
}

const WIDTH = { u8: 1, u16: 2, u32: 4, u64: 8 } as const;
const UINT_MAX = { u8: 0xff, u16: 0xffff, u32: 0xffffffff } as const;

function defineLayout<T>(fields: readonly Field<T>[]): Layout<T> {
  let len = 0;
  for (const f of fields) len += typeof f === 'number' ? f : WIDTH[f[1]];
  return { fields, len };
}

/**
 * Reads the fields of `layout` at r.offset (the caller has checked that they are there), in wire order.
 * Fields of T the layout does not cover (variable-length parts) are the caller's to fill in.
 */
function readFields<T>(r: Reader, layout: Layout<T>): T {
  const view = r.view;
  let p = r.offset;
  const o: Record<string, number | bigint> = {};
  const fields = layout.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (typeof f === 'number') {
      p += f;
      continue;
    }
    switch (f[1]) {
      case 'u8':
        o[f[0]] = view.getUint8(p);
        p += 1;
        break;
      case 'u16':
        o[f[0]] = view.getUint16(p);
        p += 2;
        break;
      case 'u32':
        o[f[0]] = view.getUint32(p);
        p += 4;
        break;
      case 'u64':
        o[f[0]] = view.getBigUint64(p);
        p += 8;
        break;
    }
  }
  r.offset = p;
  return o as T;
}

/** A structure at r.offset (BAD_LEN naming `what` when truncated). */
function readStruct<T>(r: Reader, layout: Layout<T>, what: string): T {
  r.need(layout.len, what);
  return readFields(r, layout);
}

/** Fixed-size records until r.end (BAD_LEN when the bytes are not a whole number of records). */
function readRecords<T>(r: Reader, layout: Layout<T>, what: string): T[] {
  expectRecords(r, layout.len, what);
  const out: T[] = [];
  while (r.offset < r.end) out.push(readFields(r, layout));
  return out;
}

/** Range-checks the fields of `layout` in `s`, in wire order; errors name `${path}.${field}`. */
function checkFields<T>(s: T, layout: Layout<T>, path: string): void {
  const fields = layout.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (typeof f === 'number') continue;
    if (f[1] === 'u64') checkU64(s[f[0]], `${path}.${f[0]}`);
    else checkUint(s[f[0]], UINT_MAX[f[1]], `${path}.${f[0]}`);
  }
}

/** Writes the fields of `layout` from `s` (checked by checkFields). */
function writeFields<T>(w: Writer, s: T, layout: Layout<T>): void {
  const fields = layout.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (typeof f === 'number') w.zeros(f);
    else if (f[1] === 'u64') w.u64(s[f[0]] as bigint);
    else if (f[1] === 'u32') w.u32(s[f[0]] as number);
    else if (f[1] === 'u16') w.u16(s[f[0]] as number);
    else w.u8(s[f[0]] as number);
  }
}

function encodeFields<T>(w: Writer, s: T, layout: Layout<T>, path: string): void {
  checkFields(s, layout, path);
  writeFields(w, s, layout);
}

function checkRecords<T>(list: readonly T[], layout: Layout<T>, path: string): void {
  checkArray(list, path);
  for (let i = 0; i < list.length; i++) checkFields(list[i]!, layout, `${path}[${i}]`);
}

function writeRecords<T>(w: Writer, list: readonly T[], layout: Layout<T>): void {
  for (const s of list) writeFields(w, s, layout);
}

/** An array of fixed-size records at `path` (every record is checked before any is written). */
function encodeRecords<T>(w: Writer, list: readonly T[], layout: Layout<T>, path: string): void {
  checkRecords(list, layout, path);
  writeRecords(w, list, layout);
}

/**
 * A variable-length entry of a reply array (ofp_flow_stats, ofp_group_stats, ...): the fixed fields of
 * `layout` (the entry's u16 length at `lenAt`), then a variable part.
 */
interface Entry<T> {
  readonly what: string;
  readonly lenAt: number;
  readonly layout: Layout<T>;
  /** Reads the variable part, up to the end of the entry's reader, into `s`. */
  decodeRest(e: Reader, s: T): void;
  /** Checks of the variable part that come before anything of the entry is written. */
  checkRest?(s: T, path: string): void;
  encodeRest(w: Writer, s: T, path: string): void;
  /** The field an entry longer than 65535 bytes is blamed on (the entry itself when absent). */
  readonly lenBlame?: string;
}

function decodeEntries<T>(r: Reader, c: Entry<T>): T[] {
  const out: T[] = [];
  while (r.offset < r.end) {
    const e = record(r, c.layout.len, c.lenAt, c.what);
    const s = readFields(e, c.layout);
    c.decodeRest(e, s);
    out.push(s);
  }
  return out;
}

function encodeEntries<T>(w: Writer, list: readonly T[], path: string, c: Entry<T>): void {
  checkArray(list, path);
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    const p = `${path}[${i}]`;
    checkFields(s, c.layout, p);
    c.checkRest?.(s, p);
    const start = w.offset;
    writeFields(w, s, c.layout);
    c.encodeRest(w, s, p);
    const len = w.offset - start;
    if (len > 0xffff) throw new OfpEncodeError(`${p}: entry length ${len} exceeds 65535`, c.lenBlame === undefined ? p : `${p}.${c.lenBlame}`);
    w.patchU16(start + c.lenAt, len);
  }
}

// Request bodies

/** ofp_flow_stats_request / ofp_aggregate_stats_request before the match (32 bytes). */
const FLOW_STATS_REQUEST = defineLayout<FlowStatsRequest>([
  ['tableId', 'u8'],
  3,
  ['outPort', 'u32'],
  ['outGroup', 'u32'],
  4,
  ['cookie', 'u64'],
  ['cookieMask', 'u64'],
]);
// ofp_port_stats_request, ofp_queue_stats_request, ofp_group_stats_request, ofp_meter_multipart_request (8 bytes).
const PORT_STATS_REQUEST = defineLayout<{ portNo: number }>([['portNo', 'u32'], 4]);
const QUEUE_STATS_REQUEST = defineLayout<{ portNo: number; queueId: number }>([['portNo', 'u32'], ['queueId', 'u32']]);
const GROUP_STATS_REQUEST = defineLayout<{ groupId: number }>([['groupId', 'u32'], 4]);
const METER_MULTIPART_REQUEST = defineLayout<{ meterId: number }>([['meterId', 'u32'], 4]);

// Reply bodies

/** ofp_aggregate_stats_reply (24 bytes). */
const AGGREGATE_STATS = defineLayout<AggregateStats>([['packetCount', 'u64'], ['byteCount', 'u64'], ['flowCount', 'u32'], 4]);

/** ofp_table_stats (24 bytes). */
const TABLE_STATS = defineLayout<TableStats>([['tableId', 'u8'], 3, ['activeCount', 'u32'], ['lookupCount', 'u64'], ['matchedCount', 'u64']]);

/** ofp_port_stats (112 bytes). */
const PORT_STATS = defineLayout<PortStats>([
  ['portNo', 'u32'],
  4,
  ['rxPackets', 'u64'],
  ['txPackets', 'u64'],
  ['rxBytes', 'u64'],
  ['txBytes', 'u64'],
  ['rxDropped', 'u64'],
  ['txDropped', 'u64'],
  ['rxErrors', 'u64'],
  ['txErrors', 'u64'],
  ['rxFrameErr', 'u64'],
  ['rxOverErr', 'u64'],
  ['rxCrcErr', 'u64'],
  ['collisions', 'u64'],
  ['durationSec', 'u32'],
  ['durationNsec', 'u32'],
]);

/** ofp_queue_stats (40 bytes). */
const QUEUE_STATS = defineLayout<QueueStats>([
  ['portNo', 'u32'],
  ['queueId', 'u32'],
  ['txBytes', 'u64'],
  ['txPackets', 'u64'],
  ['txErrors', 'u64'],
  ['durationSec', 'u32'],
  ['durationNsec', 'u32'],
]);

/** ofp_meter_features (16 bytes). */
const METER_FEATURES = defineLayout<MeterFeatures>([['maxMeter', 'u32'], ['bandTypes', 'u32'], ['capabilities', 'u32'], ['maxBands', 'u8'], ['maxColor', 'u8'], 2]);

/** ofp_bucket_counter and ofp_meter_band_stats (16 bytes). */
const BUCKET_COUNTER = defineLayout<BucketCounter>([['packetCount', 'u64'], ['byteCount', 'u64']]);
const METER_BAND_STATS = defineLayout<MeterBandStats>([['packetBandCount', 'u64'], ['byteBandCount', 'u64']]);

/** ofp_flow_stats: 48 fixed bytes, then the match and the instructions. */
const FLOW_STATS_ENTRY: Entry<FlowStats> = {
  what: 'ofp_flow_stats',
  lenAt: 0,
  layout: defineLayout([
    2, // length
    ['tableId', 'u8'],
    1,
    ['durationSec', 'u32'],
    ['durationNsec', 'u32'],
    ['priority', 'u16'],
    ['idleTimeout', 'u16'],
    ['hardTimeout', 'u16'],
    ['flags', 'u16'],
    4,
    ['cookie', 'u64'],
    ['packetCount', 'u64'],
    ['byteCount', 'u64'],
  ]),
  decodeRest(e, s) {
    s.match = decodeMatch(e);
    s.instructions = decodeInstructions(e.sub(e.remaining, 'instructions', ErrType.BAD_INSTRUCTION, BadInstruction.BAD_LEN));
  },
  checkRest: (s, p) => checkArray(s.instructions, `${p}.instructions`),
  encodeRest(w, s, p) {
    encodeMatchAt(w, s.match, `${p}.match`);
    encodeInstructions(w, s.instructions, `${p}.instructions`);
  },
};

/** An entry whose variable part is an array of fixed-size counters, `T[key]` (`counterWhat` on the wire). */
function countersEntry<T extends Record<K, C[]>, K extends string, C>(
  what: string,
  lenAt: number,
  fields: readonly Field<T>[],
  key: K,
  counter: Layout<C>,
  counterWhat: string,
): Entry<T> {
  return {
    what,
    lenAt,
    layout: defineLayout(fields),
    decodeRest(e, s) {
      (s as Record<K, C[]>)[key] = readRecords(e, counter, counterWhat);
    },
    checkRest: (s, p) => checkRecords(s[key], counter, `${p}.${key}`),
    encodeRest: (w, s) => writeRecords(w, s[key], counter),
    lenBlame: key,
  };
}

/** ofp_group_stats: 40 fixed bytes, then ofp_bucket_counter[]. */
const GROUP_STATS_ENTRY = countersEntry<GroupStats, 'bucketStats', BucketCounter>(
  'ofp_group_stats',
  0,
  [
    4, // length, pad[2]
    ['groupId', 'u32'],
    ['refCount', 'u32'],
    4,
    ['packetCount', 'u64'],
    ['byteCount', 'u64'],
    ['durationSec', 'u32'],
    ['durationNsec', 'u32'],
  ],
  'bucketStats',
  BUCKET_COUNTER,
  'ofp_group_stats bucket_stats',
);

/** ofp_group_desc: 8 fixed bytes, then ofp_bucket[]. */
const GROUP_DESC_ENTRY: Entry<GroupDesc> = {
  what: 'ofp_group_desc',
  lenAt: 0,
  layout: defineLayout([2 /* length */, ['groupType', 'u8'], 1, ['groupId', 'u32']]),
  decodeRest(e, g) {
    g.buckets = decodeBuckets(e);
  },
  encodeRest: (w, g, p) => encodeBuckets(w, g.buckets, `${p}.buckets`),
};

/** ofp_meter_stats: 40 fixed bytes, then ofp_meter_band_stats[]. */
const METER_STATS_ENTRY = countersEntry<MeterStats, 'bandStats', MeterBandStats>(
  'ofp_meter_stats',
  4,
  [
    ['meterId', 'u32'],
    8, // length, pad[6]
    ['flowCount', 'u32'],
    ['packetInCount', 'u64'],
    ['byteInCount', 'u64'],
    ['durationSec', 'u32'],
    ['durationNsec', 'u32'],
  ],
  'bandStats',
  METER_BAND_STATS,
  'ofp_meter_stats band_stats',
);

/** ofp_meter_config: 8 fixed bytes, then the bands. */
const METER_CONFIG_ENTRY: Entry<MeterConfig> = {
  what: 'ofp_meter_config',
  lenAt: 0,
  layout: defineLayout([2 /* length */, ['flags', 'u16'], ['meterId', 'u32']]),
  decodeRest(e, c) {
    c.bands = decodeMeterBands(e);
  },
  encodeRest: (w, c, p) => encodeMeterBands(w, c.bands, `${p}.bands`),
};

// ---------------------------------------------------------------------------------------------------
// Decoding

function decodeExperimenter(r: Reader): ExperimenterMultipart {
  r.need(EXPERIMENTER_HEADER_LEN, 'ofp_experimenter_multipart_header');
  const experimenter = r.u32();
  const expType = r.u32();
  return { experimenter, expType, data: r.bytesView(r.remaining) };
}

function decodeRequestBody(kind: MultipartKind, r: Reader): MultipartRequestBody {
  switch (kind) {
    case 'DESC':
    case 'TABLE':
    case 'GROUP_DESC':
    case 'GROUP_FEATURES':
    case 'METER_FEATURES':
    case 'PORT_DESC':
      expectEmpty(r, kind);
      return { kind };
    case 'FLOW':
    case 'AGGREGATE': {
      const req = readStruct(r, FLOW_STATS_REQUEST, 'ofp_flow_stats_request');
      req.match = decodeMatch(r);
      return { kind, ...req };
    }
    case 'PORT_STATS':
      return { kind, ...readStruct(r, PORT_STATS_REQUEST, 'ofp_port_stats_request') };
    case 'QUEUE':
      return { kind, ...readStruct(r, QUEUE_STATS_REQUEST, 'ofp_queue_stats_request') };
    case 'GROUP':
      return { kind, ...readStruct(r, GROUP_STATS_REQUEST, 'ofp_group_stats_request') };
    case 'METER':
    case 'METER_CONFIG':
      return { kind, ...readStruct(r, METER_MULTIPART_REQUEST, 'ofp_meter_multipart_request') };
    case 'TABLE_FEATURES':
      return { kind, tables: decodeTableFeaturesList(r) };
    case 'EXPERIMENTER':
      return { kind, ...decodeExperimenter(r) };
  }
}

function decodeReplyBody(kind: MultipartKind, r: Reader): MultipartReplyBody {
  switch (kind) {
    case 'DESC': {
      r.need(DESC_LEN, 'ofp_desc');
      const mfrDesc = r.fixedString(DESC_STR_LEN);
      const hwDesc = r.fixedString(DESC_STR_LEN);
      const swDesc = r.fixedString(DESC_STR_LEN);
      const serialNum = r.fixedString(SERIAL_NUM_LEN);
      const dpDesc = r.fixedString(DESC_STR_LEN);
      return { kind, mfrDesc, hwDesc, swDesc, serialNum, dpDesc };
    }
    case 'FLOW':
      return { kind, stats: decodeEntries(r, FLOW_STATS_ENTRY) };
    case 'AGGREGATE':
      return { kind, ...readStruct(r, AGGREGATE_STATS, 'ofp_aggregate_stats_reply') };
    case 'TABLE':
      return { kind, stats: readRecords(r, TABLE_STATS, 'ofp_table_stats') };
    case 'PORT_STATS':
      return { kind, stats: readRecords(r, PORT_STATS, 'ofp_port_stats') };
    case 'QUEUE':
      return { kind, stats: readRecords(r, QUEUE_STATS, 'ofp_queue_stats') };
    case 'GROUP':
      return { kind, stats: decodeEntries(r, GROUP_STATS_ENTRY) };
    case 'GROUP_DESC':
      return { kind, groups: decodeEntries(r, GROUP_DESC_ENTRY) };
    case 'GROUP_FEATURES': {
      r.need(GROUP_FEATURES_LEN, 'ofp_group_features');
      const types = r.u32();
      const capabilities = r.u32();
      const maxGroups: [number, number, number, number] = [r.u32(), r.u32(), r.u32(), r.u32()];
      const actions: [number, number, number, number] = [r.u32(), r.u32(), r.u32(), r.u32()];
      return { kind, types, capabilities, maxGroups, actions };
    }
    case 'METER':
      return { kind, stats: decodeEntries(r, METER_STATS_ENTRY) };
    case 'METER_CONFIG':
      return { kind, entries: decodeEntries(r, METER_CONFIG_ENTRY) };
    case 'METER_FEATURES':
      return { kind, ...readStruct(r, METER_FEATURES, 'ofp_meter_features') };
    case 'TABLE_FEATURES':
      return { kind, tables: decodeTableFeaturesList(r) };
    case 'PORT_DESC': {
      expectRecords(r, OFP_PORT_LEN, 'ofp_port');
      const ports: Port[] = [];
      while (r.offset < r.end) ports.push(decodePort(r));
      return { kind, ports };
    }
    case 'EXPERIMENTER':
      return { kind, ...decodeExperimenter(r) };
  }
}

// ---------------------------------------------------------------------------------------------------
// Encoding

function checkUint(v: unknown, max: number, path: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new OfpEncodeError(`${path}: expected an integer in 0..${max}, got ${String(v)}`, path);
  }
}

const U64_MAX = 0xffff_ffff_ffff_ffffn;

function checkU64(v: unknown, path: string): void {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) {
    throw new OfpEncodeError(`${path}: expected a bigint in 0..2^64-1, got ${String(v)}`, path);
  }
}

function checkArray(v: unknown, path: string): void {
  if (!Array.isArray(v)) throw new OfpEncodeError(`${path}: expected an array`, path);
}

function checkString(v: unknown, n: number, path: string): void {
  if (typeof v !== 'string' || v.length >= n) {
    throw new OfpEncodeError(`${path}: expected a string of at most ${n - 1} characters`, path);
  }
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0 || c > 0xff) throw new OfpEncodeError(`${path}: character ${i} is not a non-NUL Latin-1 character`, path);
  }
}

function encodeExperimenter(w: Writer, b: ExperimenterMultipart): void {
  checkUint(b.experimenter, 0xffffffff, 'body.experimenter');
  checkUint(b.expType, 0xffffffff, 'body.expType');
  if (!(b.data instanceof Uint8Array)) throw new OfpEncodeError('body.data: expected a Uint8Array', 'body.data');
  w.u32(b.experimenter);
  w.u32(b.expType);
  w.bytes(b.data);
}

function encodeMatchAt(w: Writer, m: Match, path: string): void {
  checkArray(m, path);
  encodeMatch(w, m, path);
}

function encodeTables(w: Writer, tables: readonly TableFeatures[]): void {
  checkArray(tables, 'body.tables');
  encodeTableFeaturesList(w, tables, 'body.tables');
}

function encodeRequestBody(w: Writer, b: MultipartRequestBody): void {
  switch (b.kind) {
    case 'DESC':
    case 'TABLE':
    case 'GROUP_DESC':
    case 'GROUP_FEATURES':
    case 'METER_FEATURES':
    case 'PORT_DESC':
      return;
    case 'FLOW':
    case 'AGGREGATE':
      encodeFields(w, b, FLOW_STATS_REQUEST, 'body');
      encodeMatchAt(w, b.match, 'body.match');
      return;
    case 'PORT_STATS':
      encodeFields(w, b, PORT_STATS_REQUEST, 'body');
      return;
    case 'QUEUE':
      encodeFields(w, b, QUEUE_STATS_REQUEST, 'body');
      return;
    case 'GROUP':
      encodeFields(w, b, GROUP_STATS_REQUEST, 'body');
      return;
    case 'METER':
    case 'METER_CONFIG':
      encodeFields(w, b, METER_MULTIPART_REQUEST, 'body');
      return;
    case 'TABLE_FEATURES':
      encodeTables(w, b.tables);
      return;
    case 'EXPERIMENTER':
      encodeExperimenter(w, b);
      return;
  }
}

function encodeReplyBody(w: Writer, b: MultipartReplyBody): void {
  switch (b.kind) {
    case 'DESC':
      checkString(b.mfrDesc, DESC_STR_LEN, 'body.mfrDesc');
      checkString(b.hwDesc, DESC_STR_LEN, 'body.hwDesc');
      checkString(b.swDesc, DESC_STR_LEN, 'body.swDesc');
      checkString(b.serialNum, SERIAL_NUM_LEN, 'body.serialNum');
      checkString(b.dpDesc, DESC_STR_LEN, 'body.dpDesc');
      w.fixedString(b.mfrDesc, DESC_STR_LEN);
      w.fixedString(b.hwDesc, DESC_STR_LEN);
      w.fixedString(b.swDesc, DESC_STR_LEN);
      w.fixedString(b.serialNum, SERIAL_NUM_LEN);
      w.fixedString(b.dpDesc, DESC_STR_LEN);
      return;
    case 'FLOW':
      encodeEntries(w, b.stats, 'body.stats', FLOW_STATS_ENTRY);
      return;
    case 'AGGREGATE':
      encodeFields(w, b, AGGREGATE_STATS, 'body');
      return;
    case 'TABLE':
      encodeRecords(w, b.stats, TABLE_STATS, 'body.stats');
      return;
    case 'PORT_STATS':
      encodeRecords(w, b.stats, PORT_STATS, 'body.stats');
      return;
    case 'QUEUE':
      encodeRecords(w, b.stats, QUEUE_STATS, 'body.stats');
      return;
    case 'GROUP':
      encodeEntries(w, b.stats, 'body.stats', GROUP_STATS_ENTRY);
      return;
    case 'GROUP_DESC':
      encodeEntries(w, b.groups, 'body.groups', GROUP_DESC_ENTRY);
      return;
    case 'GROUP_FEATURES':
      checkUint(b.types, 0xffffffff, 'body.types');
      checkUint(b.capabilities, 0xffffffff, 'body.capabilities');
      checkQuad(b.maxGroups, 'body.maxGroups');
      checkQuad(b.actions, 'body.actions');
      w.u32(b.types);
      w.u32(b.capabilities);
      for (const v of b.maxGroups) w.u32(v);
      for (const v of b.actions) w.u32(v);
      return;
    case 'METER':
      encodeEntries(w, b.stats, 'body.stats', METER_STATS_ENTRY);
      return;
    case 'METER_CONFIG':
      encodeEntries(w, b.entries, 'body.entries', METER_CONFIG_ENTRY);
      return;
    case 'METER_FEATURES':
      encodeFields(w, b, METER_FEATURES, 'body');
      return;
    case 'TABLE_FEATURES':
      encodeTables(w, b.tables);
      return;
    case 'PORT_DESC':
      checkArray(b.ports, 'body.ports');
      for (let i = 0; i < b.ports.length; i++) encodePort(w, b.ports[i]!, `body.ports[${i}]`);
      return;
    case 'EXPERIMENTER':
      encodeExperimenter(w, b);
      return;
  }
}

function checkQuad(v: unknown, path: string): void {
  if (!Array.isArray(v) || v.length !== 4) throw new OfpEncodeError(`${path}: expected an array of 4 integers`, path);
  for (let i = 0; i < 4; i++) checkUint(v[i], 0xffffffff, `${path}[${i}]`);
}

function encodePrefix(w: Writer, m: { flags: number; body: { kind: MultipartKind } }): void {
  checkUint(m.flags, 0xffff, 'flags');
  if (m.body === null || typeof m.body !== 'object') throw new OfpEncodeError('body: expected an object', 'body');
  const code = MultipartType[m.body.kind];
  if (code === undefined) throw new OfpEncodeError(`body.kind: unknown multipart kind ${JSON.stringify(m.body.kind)}`, 'body.kind');
  w.u16(code);
  w.u16(m.flags);
  w.zeros(4);
}

export const multipartRequestCodec: BodyCodec<MultipartRequestMessage> = {
  decode(r, xid) {
    const { kind, flags } = readPrefix(r, 'multipart request');
    return { type: 'MULTIPART_REQUEST', xid, flags, body: decodeRequestBody(kind, r) };
  },
  encode(w, m) {
    encodePrefix(w, m);
    encodeRequestBody(w, m.body);
  },
};

export const multipartReplyCodec: BodyCodec<MultipartReplyMessage> = {
  decode(r, xid) {
    const { kind, flags } = readPrefix(r, 'multipart reply');
    return { type: 'MULTIPART_REPLY', xid, flags, body: decodeReplyBody(kind, r) };
  },
  encode(w, m) {
    encodePrefix(w, m);
    encodeReplyBody(w, m.body);
  },
};

// ---------------------------------------------------------------------------------------------------
// Reassembly

/** The array a multi-part reply body carries, by kind: merging concatenates it. */
const PARTS = {
  FLOW: 'stats',
  TABLE: 'stats',
  PORT_STATS: 'stats',
  QUEUE: 'stats',
  GROUP: 'stats',
  METER: 'stats',
  GROUP_DESC: 'groups',
  METER_CONFIG: 'entries',
  TABLE_FEATURES: 'tables',
  PORT_DESC: 'ports',
} as const satisfies { [K in MultipartKind]?: keyof MultipartReplyBodyOf<K> };

/**
 * Reassembles one multipart reply transaction (every message but the last flagged REPLY_MORE) into a
 * single reply: array bodies are concatenated in order, EXPERIMENTER data is concatenated. The result
 * has the first reply's xid and the last reply's flags (so REPLY_MORE is clear for a complete sequence).
 * Throws RangeError if the replies are empty, mix kinds or xids, or are single-part kinds (DESC,
 * AGGREGATE, GROUP_FEATURES, METER_FEATURES) split over more than one message.
 */
export function mergeMultipartReplies(replies: readonly MultipartReplyMessage[]): MultipartReplyMessage {
  const first = replies[0];
  if (first === undefined) throw new RangeError('mergeMultipartReplies: no replies');
  if (replies.length === 1) return first;
  const kind = first.body.kind;
  for (const r of replies) {
    if (r.body.kind !== kind) throw new RangeError(`mergeMultipartReplies: mixed kinds ${kind} and ${r.body.kind}`);
    if (r.xid !== first.xid) throw new RangeError(`mergeMultipartReplies: mixed xids ${first.xid} and ${r.xid}`);
  }
  const last = replies[replies.length - 1]!;
  let body: MultipartReplyBody;
  switch (kind) {
    case 'EXPERIMENTER': {
      const e = first.body as MultipartReplyBodyOf<'EXPERIMENTER'>;
      let total = 0;
      for (const r of replies) {
        const b = r.body as MultipartReplyBodyOf<'EXPERIMENTER'>;
        if (b.experimenter !== e.experimenter || b.expType !== e.expType) {
          throw new RangeError('mergeMultipartReplies: EXPERIMENTER replies with different experimenter/expType');
        }
        total += b.data.length;
      }
      const data = new Uint8Array(total);
      let at = 0;
      for (const r of replies) {
        const d = (r.body as MultipartReplyBodyOf<'EXPERIMENTER'>).data;
        data.set(d, at);
        at += d.length;
      }
      body = { kind, experimenter: e.experimenter, expType: e.expType, data };
      break;
    }
    case 'DESC':
    case 'AGGREGATE':
    case 'GROUP_FEATURES':
    case 'METER_FEATURES':
      throw new RangeError(`mergeMultipartReplies: ${kind} replies are single-part and cannot be merged`);
    default: {
      const key = PARTS[kind];
      const parts: unknown[] = [];
      for (const r of replies) for (const x of (r.body as unknown as Record<string, readonly unknown[]>)[key]!) parts.push(x);
      body = { kind, [key]: parts } as MultipartReplyBody;
    }
  }
  return { type: 'MULTIPART_REPLY', xid: first.xid, flags: last.flags, body };
}
