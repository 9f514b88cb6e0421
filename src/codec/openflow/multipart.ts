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
const FLOW_STATS_REQUEST_FIXED = 32; // before the match
const FLOW_STATS_FIXED = 48; // before the match
const AGGREGATE_REPLY_LEN = 24;
const TABLE_STATS_LEN = 24;
const PORT_STATS_LEN = 112;
const QUEUE_STATS_LEN = 40;
const GROUP_STATS_FIXED = 40;
const BUCKET_COUNTER_LEN = 16;
const GROUP_DESC_FIXED = 8;
const GROUP_FEATURES_LEN = 40;
const METER_STATS_FIXED = 40;
const METER_BAND_STATS_LEN = 16;
const METER_CONFIG_FIXED = 8;
const METER_FEATURES_LEN = 16;
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

/** Checks that the bytes of `r` from `r.offset + skip` on are a whole number of `size`-byte records. */
function expectRecords(r: Reader, size: number, what: string, skip = 0): void {
  const n = r.end - r.offset - skip;
  if (n % size !== 0) throw badLen(`${what}: ${n} byte(s) is not a multiple of the ${size}-byte record`, r.offset + skip);
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

function decodeExperimenter(r: Reader): ExperimenterMultipart {
  r.need(EXPERIMENTER_HEADER_LEN, 'ofp_experimenter_multipart_header');
  const experimenter = r.u32();
  const expType = r.u32();
  return { experimenter, expType, data: r.bytesView(r.remaining) };
}

function decodeFlowStatsRequest(r: Reader): FlowStatsRequest {
  r.need(FLOW_STATS_REQUEST_FIXED, 'ofp_flow_stats_request');
  const tableId = r.u8();
  r.offset += 3;
  const outPort = r.u32();
  const outGroup = r.u32();
  r.offset += 4;
  const cookie = r.u64();
  const cookieMask = r.u64();
  const match = decodeMatch(r);
  return { tableId, outPort, outGroup, cookie, cookieMask, match };
}

function decodeFlowStats(r: Reader): FlowStats[] {
  const stats: FlowStats[] = [];
  while (r.offset < r.end) {
    const e = record(r, FLOW_STATS_FIXED, 0, 'ofp_flow_stats');
    e.offset += 2;
    const tableId = e.u8();
    e.offset += 1;
    const durationSec = e.u32();
    const durationNsec = e.u32();
    const priority = e.u16();
    const idleTimeout = e.u16();
    const hardTimeout = e.u16();
    const flags = e.u16();
    e.offset += 4;
    const cookie = e.u64();
    const packetCount = e.u64();
    const byteCount = e.u64();
    const match = decodeMatch(e);
    const instructions = decodeInstructions(e.sub(e.remaining, 'instructions', ErrType.BAD_INSTRUCTION, BadInstruction.BAD_LEN));
    stats.push({ tableId, durationSec, durationNsec, priority, idleTimeout, hardTimeout, flags, cookie, packetCount, byteCount, match, instructions });
  }
  return stats;
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
    case 'AGGREGATE':
      return { kind, ...decodeFlowStatsRequest(r) };
    case 'PORT_STATS': {
      r.need(8, 'ofp_port_stats_request');
      const portNo = r.u32();
      r.offset += 4;
      return { kind, portNo };
    }
    case 'QUEUE': {
      r.need(8, 'ofp_queue_stats_request');
      const portNo = r.u32();
      const queueId = r.u32();
      return { kind, portNo, queueId };
    }
    case 'GROUP': {
      r.need(8, 'ofp_group_stats_request');
      const groupId = r.u32();
      r.offset += 4;
      return { kind, groupId };
    }
    case 'METER':
    case 'METER_CONFIG': {
      r.need(8, 'ofp_meter_multipart_request');
      const meterId = r.u32();
      r.offset += 4;
      return { kind, meterId };
    }
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
      return { kind, stats: decodeFlowStats(r) };
    case 'AGGREGATE': {
      r.need(AGGREGATE_REPLY_LEN, 'ofp_aggregate_stats_reply');
      const packetCount = r.u64();
      const byteCount = r.u64();
      const flowCount = r.u32();
      r.offset += 4;
      return { kind, packetCount, byteCount, flowCount };
    }
    case 'TABLE': {
      expectRecords(r, TABLE_STATS_LEN, 'ofp_table_stats');
      const stats: TableStats[] = [];
      while (r.offset < r.end) {
        const tableId = r.u8();
        r.offset += 3;
        const activeCount = r.u32();
        const lookupCount = r.u64();
        const matchedCount = r.u64();
        stats.push({ tableId, activeCount, lookupCount, matchedCount });
      }
      return { kind, stats };
    }
    case 'PORT_STATS': {
      expectRecords(r, PORT_STATS_LEN, 'ofp_port_stats');
      const stats: PortStats[] = [];
      while (r.offset < r.end) {
        const portNo = r.u32();
        r.offset += 4;
        stats.push({
          portNo,
          rxPackets: r.u64(),
          txPackets: r.u64(),
          rxBytes: r.u64(),
          txBytes: r.u64(),
          rxDropped: r.u64(),
          txDropped: r.u64(),
          rxErrors: r.u64(),
          txErrors: r.u64(),
          rxFrameErr: r.u64(),
          rxOverErr: r.u64(),
          rxCrcErr: r.u64(),
          collisions: r.u64(),
          durationSec: r.u32(),
          durationNsec: r.u32(),
        });
      }
      return { kind, stats };
    }
    case 'QUEUE': {
      expectRecords(r, QUEUE_STATS_LEN, 'ofp_queue_stats');
      const stats: QueueStats[] = [];
      while (r.offset < r.end) {
        stats.push({
          portNo: r.u32(),
          queueId: r.u32(),
          txBytes: r.u64(),
          txPackets: r.u64(),
          txErrors: r.u64(),
          durationSec: r.u32(),
          durationNsec: r.u32(),
        });
      }
      return { kind, stats };
    }
    case 'GROUP': {
      const stats: GroupStats[] = [];
      while (r.offset < r.end) {
        const e = record(r, GROUP_STATS_FIXED, 0, 'ofp_group_stats');
        expectRecords(e, BUCKET_COUNTER_LEN, 'ofp_group_stats bucket_stats', GROUP_STATS_FIXED);
        e.offset += 4;
        const groupId = e.u32();
        const refCount = e.u32();
        e.offset += 4;
        const packetCount = e.u64();
        const byteCount = e.u64();
        const durationSec = e.u32();
        const durationNsec = e.u32();
        const bucketStats: BucketCounter[] = [];
        while (e.offset < e.end) bucketStats.push({ packetCount: e.u64(), byteCount: e.u64() });
        stats.push({ groupId, refCount, packetCount, byteCount, durationSec, durationNsec, bucketStats });
      }
      return { kind, stats };
    }
    case 'GROUP_DESC': {
      const groups: GroupDesc[] = [];
      while (r.offset < r.end) {
        const e = record(r, GROUP_DESC_FIXED, 0, 'ofp_group_desc');
        e.offset += 2;
        const groupType = e.u8();
        e.offset += 1;
        const groupId = e.u32();
        groups.push({ groupType, groupId, buckets: decodeBuckets(e) });
      }
      return { kind, groups };
    }
    case 'GROUP_FEATURES': {
      r.need(GROUP_FEATURES_LEN, 'ofp_group_features');
      const types = r.u32();
      const capabilities = r.u32();
      const maxGroups: [number, number, number, number] = [r.u32(), r.u32(), r.u32(), r.u32()];
      const actions: [number, number, number, number] = [r.u32(), r.u32(), r.u32(), r.u32()];
      return { kind, types, capabilities, maxGroups, actions };
    }
    case 'METER': {
      const stats: MeterStats[] = [];
      while (r.offset < r.end) {
        const e = record(r, METER_STATS_FIXED, 4, 'ofp_meter_stats');
        expectRecords(e, METER_BAND_STATS_LEN, 'ofp_meter_stats band_stats', METER_STATS_FIXED);
        const meterId = e.u32();
        e.offset += 8; // len + pad[6]
        const flowCount = e.u32();
        const packetInCount = e.u64();
        const byteInCount = e.u64();
        const durationSec = e.u32();
        const durationNsec = e.u32();
        const bandStats: MeterBandStats[] = [];
        while (e.offset < e.end) bandStats.push({ packetBandCount: e.u64(), byteBandCount: e.u64() });
        stats.push({ meterId, flowCount, packetInCount, byteInCount, durationSec, durationNsec, bandStats });
      }
      return { kind, stats };
    }
    case 'METER_CONFIG': {
      const entries: MeterConfig[] = [];
      while (r.offset < r.end) {
        const e = record(r, METER_CONFIG_FIXED, 0, 'ofp_meter_config');
        e.offset += 2;
        const flags = e.u16();
        const meterId = e.u32();
        entries.push({ flags, meterId, bands: decodeMeterBands(e) });
      }
      return { kind, entries };
    }
    case 'METER_FEATURES': {
      r.need(METER_FEATURES_LEN, 'ofp_meter_features');
      const maxMeter = r.u32();
      const bandTypes = r.u32();
      const capabilities = r.u32();
      const maxBands = r.u8();
      const maxColor = r.u8();
      r.offset += 2;
      return { kind, maxMeter, bandTypes, capabilities, maxBands, maxColor };
    }
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
      checkUint(b.tableId, 0xff, 'body.tableId');
      checkUint(b.outPort, 0xffffffff, 'body.outPort');
      checkUint(b.outGroup, 0xffffffff, 'body.outGroup');
      checkU64(b.cookie, 'body.cookie');
      checkU64(b.cookieMask, 'body.cookieMask');
      w.u8(b.tableId);
      w.zeros(3);
      w.u32(b.outPort);
      w.u32(b.outGroup);
      w.zeros(4);
      w.u64(b.cookie);
      w.u64(b.cookieMask);
      encodeMatchAt(w, b.match, 'body.match');
      return;
    case 'PORT_STATS':
      checkUint(b.portNo, 0xffffffff, 'body.portNo');
      w.u32(b.portNo);
      w.zeros(4);
      return;
    case 'QUEUE':
      checkUint(b.portNo, 0xffffffff, 'body.portNo');
      checkUint(b.queueId, 0xffffffff, 'body.queueId');
      w.u32(b.portNo);
      w.u32(b.queueId);
      return;
    case 'GROUP':
      checkUint(b.groupId, 0xffffffff, 'body.groupId');
      w.u32(b.groupId);
      w.zeros(4);
      return;
    case 'METER':
    case 'METER_CONFIG':
      checkUint(b.meterId, 0xffffffff, 'body.meterId');
      w.u32(b.meterId);
      w.zeros(4);
      return;
    case 'TABLE_FEATURES':
      encodeTables(w, b.tables);
      return;
    case 'EXPERIMENTER':
      encodeExperimenter(w, b);
      return;
  }
}

function patchLen(w: Writer, at: number, start: number, path: string): void {
  const len = w.offset - start;
  if (len > 0xffff) throw new OfpEncodeError(`${path}: entry length ${len} exceeds 65535`, path);
  w.patchU16(at, len);
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
      checkArray(b.stats, 'body.stats');
      for (let i = 0; i < b.stats.length; i++) {
        const s = b.stats[i]!;
        const p = `body.stats[${i}]`;
        checkUint(s.tableId, 0xff, `${p}.tableId`);
        checkUint(s.durationSec, 0xffffffff, `${p}.durationSec`);
        checkUint(s.durationNsec, 0xffffffff, `${p}.durationNsec`);
        checkUint(s.priority, 0xffff, `${p}.priority`);
        checkUint(s.idleTimeout, 0xffff, `${p}.idleTimeout`);
        checkUint(s.hardTimeout, 0xffff, `${p}.hardTimeout`);
        checkUint(s.flags, 0xffff, `${p}.flags`);
        checkU64(s.cookie, `${p}.cookie`);
        checkU64(s.packetCount, `${p}.packetCount`);
        checkU64(s.byteCount, `${p}.byteCount`);
        checkArray(s.instructions, `${p}.instructions`);
        const start = w.offset;
        w.u16(0);
        w.u8(s.tableId);
        w.u8(0);
        w.u32(s.durationSec);
        w.u32(s.durationNsec);
        w.u16(s.priority);
        w.u16(s.idleTimeout);
        w.u16(s.hardTimeout);
        w.u16(s.flags);
        w.zeros(4);
        w.u64(s.cookie);
        w.u64(s.packetCount);
        w.u64(s.byteCount);
        encodeMatchAt(w, s.match, `${p}.match`);
        encodeInstructions(w, s.instructions, `${p}.instructions`);
        patchLen(w, start, start, p);
      }
      return;
    case 'AGGREGATE':
      checkU64(b.packetCount, 'body.packetCount');
      checkU64(b.byteCount, 'body.byteCount');
      checkUint(b.flowCount, 0xffffffff, 'body.flowCount');
      w.u64(b.packetCount);
      w.u64(b.byteCount);
      w.u32(b.flowCount);
      w.zeros(4);
      return;
    case 'TABLE':
      checkArray(b.stats, 'body.stats');
      for (let i = 0; i < b.stats.length; i++) {
        const s = b.stats[i]!;
        const p = `body.stats[${i}]`;
        checkUint(s.tableId, 0xff, `${p}.tableId`);
        checkUint(s.activeCount, 0xffffffff, `${p}.activeCount`);
        checkU64(s.lookupCount, `${p}.lookupCount`);
        checkU64(s.matchedCount, `${p}.matchedCount`);
        w.u8(s.tableId);
        w.zeros(3);
        w.u32(s.activeCount);
        w.u64(s.lookupCount);
        w.u64(s.matchedCount);
      }
      return;
    case 'PORT_STATS':
      checkArray(b.stats, 'body.stats');
      for (let i = 0; i < b.stats.length; i++) {
        const s = b.stats[i]!;
        const p = `body.stats[${i}]`;
        checkUint(s.portNo, 0xffffffff, `${p}.portNo`);
        for (const k of PORT_COUNTERS) checkU64(s[k], `${p}.${k}`);
        checkUint(s.durationSec, 0xffffffff, `${p}.durationSec`);
        checkUint(s.durationNsec, 0xffffffff, `${p}.durationNsec`);
        w.u32(s.portNo);
        w.zeros(4);
        for (const k of PORT_COUNTERS) w.u64(s[k]);
        w.u32(s.durationSec);
        w.u32(s.durationNsec);
      }
      return;
    case 'QUEUE':
      checkArray(b.stats, 'body.stats');
      for (let i = 0; i < b.stats.length; i++) {
        const s = b.stats[i]!;
        const p = `body.stats[${i}]`;
        checkUint(s.portNo, 0xffffffff, `${p}.portNo`);
        checkUint(s.queueId, 0xffffffff, `${p}.queueId`);
        checkU64(s.txBytes, `${p}.txBytes`);
        checkU64(s.txPackets, `${p}.txPackets`);
        checkU64(s.txErrors, `${p}.txErrors`);
        checkUint(s.durationSec, 0xffffffff, `${p}.durationSec`);
        checkUint(s.durationNsec, 0xffffffff, `${p}.durationNsec`);
        w.u32(s.portNo);
        w.u32(s.queueId);
        w.u64(s.txBytes);
        w.u64(s.txPackets);
        w.u64(s.txErrors);
        w.u32(s.durationSec);
        w.u32(s.durationNsec);
      }
      return;
    case 'GROUP':
      checkArray(b.stats, 'body.stats');
      for (let i = 0; i < b.stats.length; i++) {
        const s = b.stats[i]!;
        const p = `body.stats[${i}]`;
        checkUint(s.groupId, 0xffffffff, `${p}.groupId`);
        checkUint(s.refCount, 0xffffffff, `${p}.refCount`);
        checkU64(s.packetCount, `${p}.packetCount`);
        checkU64(s.byteCount, `${p}.byteCount`);
        checkUint(s.durationSec, 0xffffffff, `${p}.durationSec`);
        checkUint(s.durationNsec, 0xffffffff, `${p}.durationNsec`);
        checkArray(s.bucketStats, `${p}.bucketStats`);
        for (let j = 0; j < s.bucketStats.length; j++) {
          const c = s.bucketStats[j]!;
          checkU64(c.packetCount, `${p}.bucketStats[${j}].packetCount`);
          checkU64(c.byteCount, `${p}.bucketStats[${j}].byteCount`);
        }
        const len = GROUP_STATS_FIXED + BUCKET_COUNTER_LEN * s.bucketStats.length;
        if (len > 0xffff) throw new OfpEncodeError(`${p}: entry length ${len} exceeds 65535`, `${p}.bucketStats`);
        w.u16(len);
        w.zeros(2);
        w.u32(s.groupId);
        w.u32(s.refCount);
        w.zeros(4);
        w.u64(s.packetCount);
        w.u64(s.byteCount);
        w.u32(s.durationSec);
        w.u32(s.durationNsec);
        for (const c of s.bucketStats) {
          w.u64(c.packetCount);
          w.u64(c.byteCount);
        }
      }
      return;
    case 'GROUP_DESC':
      checkArray(b.groups, 'body.groups');
      for (let i = 0; i < b.groups.length; i++) {
        const g = b.groups[i]!;
        const p = `body.groups[${i}]`;
        checkUint(g.groupType, 0xff, `${p}.groupType`);
        checkUint(g.groupId, 0xffffffff, `${p}.groupId`);
        const start = w.offset;
        w.u16(0);
        w.u8(g.groupType);
        w.u8(0);
        w.u32(g.groupId);
        encodeBuckets(w, g.buckets, `${p}.buckets`);
        patchLen(w, start, start, p);
      }
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
      checkArray(b.stats, 'body.stats');
      for (let i = 0; i < b.stats.length; i++) {
        const s = b.stats[i]!;
        const p = `body.stats[${i}]`;
        checkUint(s.meterId, 0xffffffff, `${p}.meterId`);
        checkUint(s.flowCount, 0xffffffff, `${p}.flowCount`);
        checkU64(s.packetInCount, `${p}.packetInCount`);
        checkU64(s.byteInCount, `${p}.byteInCount`);
        checkUint(s.durationSec, 0xffffffff, `${p}.durationSec`);
        checkUint(s.durationNsec, 0xffffffff, `${p}.durationNsec`);
        checkArray(s.bandStats, `${p}.bandStats`);
        for (let j = 0; j < s.bandStats.length; j++) {
          const c = s.bandStats[j]!;
          checkU64(c.packetBandCount, `${p}.bandStats[${j}].packetBandCount`);
          checkU64(c.byteBandCount, `${p}.bandStats[${j}].byteBandCount`);
        }
        const len = METER_STATS_FIXED + METER_BAND_STATS_LEN * s.bandStats.length;
        if (len > 0xffff) throw new OfpEncodeError(`${p}: entry length ${len} exceeds 65535`, `${p}.bandStats`);
        w.u32(s.meterId);
        w.u16(len);
        w.zeros(6);
        w.u32(s.flowCount);
        w.u64(s.packetInCount);
        w.u64(s.byteInCount);
        w.u32(s.durationSec);
        w.u32(s.durationNsec);
        for (const c of s.bandStats) {
          w.u64(c.packetBandCount);
          w.u64(c.byteBandCount);
        }
      }
      return;
    case 'METER_CONFIG':
      checkArray(b.entries, 'body.entries');
      for (let i = 0; i < b.entries.length; i++) {
        const c = b.entries[i]!;
        const p = `body.entries[${i}]`;
        checkUint(c.flags, 0xffff, `${p}.flags`);
        checkUint(c.meterId, 0xffffffff, `${p}.meterId`);
        const start = w.offset;
        w.u16(0);
        w.u16(c.flags);
        w.u32(c.meterId);
        encodeMeterBands(w, c.bands, `${p}.bands`);
        patchLen(w, start, start, p);
      }
      return;
    case 'METER_FEATURES':
      checkUint(b.maxMeter, 0xffffffff, 'body.maxMeter');
      checkUint(b.bandTypes, 0xffffffff, 'body.bandTypes');
      checkUint(b.capabilities, 0xffffffff, 'body.capabilities');
      checkUint(b.maxBands, 0xff, 'body.maxBands');
      checkUint(b.maxColor, 0xff, 'body.maxColor');
      w.u32(b.maxMeter);
      w.u32(b.bandTypes);
      w.u32(b.capabilities);
      w.u8(b.maxBands);
      w.u8(b.maxColor);
      w.zeros(2);
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

const PORT_COUNTERS = [
  'rxPackets',
  'txPackets',
  'rxBytes',
  'txBytes',
  'rxDropped',
  'txDropped',
  'rxErrors',
  'txErrors',
  'rxFrameErr',
  'rxOverErr',
  'rxCrcErr',
  'collisions',
] as const satisfies readonly (keyof PortStats)[];

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
    case 'FLOW':
      body = { kind, stats: concat(replies, (b) => (b as MultipartReplyBodyOf<'FLOW'>).stats) };
      break;
    case 'TABLE':
      body = { kind, stats: concat(replies, (b) => (b as MultipartReplyBodyOf<'TABLE'>).stats) };
      break;
    case 'PORT_STATS':
      body = { kind, stats: concat(replies, (b) => (b as MultipartReplyBodyOf<'PORT_STATS'>).stats) };
      break;
    case 'QUEUE':
      body = { kind, stats: concat(replies, (b) => (b as MultipartReplyBodyOf<'QUEUE'>).stats) };
      break;
    case 'GROUP':
      body = { kind, stats: concat(replies, (b) => (b as MultipartReplyBodyOf<'GROUP'>).stats) };
      break;
    case 'METER':
      body = { kind, stats: concat(replies, (b) => (b as MultipartReplyBodyOf<'METER'>).stats) };
      break;
    case 'GROUP_DESC':
      body = { kind, groups: concat(replies, (b) => (b as MultipartReplyBodyOf<'GROUP_DESC'>).groups) };
      break;
    case 'METER_CONFIG':
      body = { kind, entries: concat(replies, (b) => (b as MultipartReplyBodyOf<'METER_CONFIG'>).entries) };
      break;
    case 'TABLE_FEATURES':
      body = { kind, tables: concat(replies, (b) => (b as MultipartReplyBodyOf<'TABLE_FEATURES'>).tables) };
      break;
    case 'PORT_DESC':
      body = { kind, ports: concat(replies, (b) => (b as MultipartReplyBodyOf<'PORT_DESC'>).ports) };
      break;
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
  }
  return { type: 'MULTIPART_REPLY', xid: first.xid, flags: last.flags, body };
}

function concat<T>(replies: readonly MultipartReplyMessage[], get: (b: MultipartReplyBody) => readonly T[]): T[] {
  const out: T[] = [];
  for (const r of replies) for (const x of get(r.body)) out.push(x);
  return out;
}
