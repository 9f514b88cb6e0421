/**
 * OFPT_GROUP_MOD (OpenFlow 1.3.5 §7.3.4.2) and ofp_bucket, which the GROUP_DESC multipart reply reuses.
 *
 * Wire layout (body after the 8-byte header):
 *   ofp_group_mod: command u16, type u8, pad u8, group_id u32, buckets[]
 *   ofp_bucket:    len u16, weight u16, watch_port u32, watch_group u32, pad[4], actions[]
 */
import type { Reader, Writer } from './buffer.js';
import type { BodyCodec } from './body-codec.js';
import { BadAction, ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { GroupModFailedCode as GroupModFailed } from './error-codes.js';
import { decodeActions, encodeActions, type Action } from './actions.js';

/** ofp_group_mod_command */
export const GroupModCommand = { ADD: 0, MODIFY: 1, DELETE: 2 } as const;

/** ofp_group_type */
export const GroupType = { ALL: 0, SELECT: 1, INDIRECT: 2, FF: 3 } as const;

/** ofp_group: reserved group numbers. */
export const OFPG = { MAX: 0xffffff00, ALL: 0xfffffffc, ANY: 0xffffffff } as const;

/** ofp_group_mod_failed_code (error type OFPET_GROUP_MOD_FAILED): the table in error-codes.ts. */
export { GroupModFailed };

export const OFP_GROUP_MOD_BODY_LEN = 8;
export const OFP_BUCKET_LEN = 16;

export interface Bucket {
  /** Relative weight (SELECT groups only; 0 otherwise). */
  weight: number;
  /** Port whose liveness gates this bucket (FF groups), else OFPP_ANY. */
  watchPort: number;
  /** Group whose liveness gates this bucket (FF groups), else OFPG_ANY. */
  watchGroup: number;
  actions: Action[];
}

export interface GroupModMessage {
  type: 'GROUP_MOD';
  xid: number;
  /** GroupModCommand */
  command: number;
  /** GroupType */
  groupType: number;
  groupId: number;
  buckets: Bucket[];
}

/**
 * Decodes ofp_bucket entries until `r.end`. A bucket length below 16 or past the end is
 * GROUP_MOD_FAILED/BAD_BUCKET (as Open vSwitch reports it); an action overrun is BAD_ACTION/BAD_LEN.
 */
export function decodeBuckets(r: Reader): Bucket[] {
  const buckets: Bucket[] = [];
  while (r.offset < r.end) {
    const at = r.offset;
    if (r.end - at < OFP_BUCKET_LEN) {
      throw new OfpDecodeError(`truncated ofp_bucket: ${r.end - at} byte(s) left at offset ${at}, need ${OFP_BUCKET_LEN}`, ErrType.GROUP_MOD_FAILED, GroupModFailed.BAD_BUCKET, at);
    }
    const len = r.view.getUint16(at);
    if (len < OFP_BUCKET_LEN) {
      throw new OfpDecodeError(`ofp_bucket length ${len} < ${OFP_BUCKET_LEN} at offset ${at}`, ErrType.GROUP_MOD_FAILED, GroupModFailed.BAD_BUCKET, at);
    }
    const b = r.sub(len, 'ofp_bucket', ErrType.GROUP_MOD_FAILED, GroupModFailed.BAD_BUCKET);
    b.offset += 2; // len
    const weight = b.u16();
    const watchPort = b.u32();
    const watchGroup = b.u32();
    b.offset += 4; // pad
    const actions = decodeActions(b.sub(b.remaining, 'actions', ErrType.BAD_ACTION, BadAction.BAD_LEN));
    buckets.push({ weight, watchPort, watchGroup, actions });
  }
  return buckets;
}

export function encodeBuckets(w: Writer, buckets: readonly Bucket[], path = 'buckets'): void {
  if (!Array.isArray(buckets)) throw new OfpEncodeError(`${path}: expected an array`, path);
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    const p = `${path}[${i}]`;
    checkUint(b.weight, 0xffff, `${p}.weight`);
    checkUint(b.watchPort, 0xffffffff, `${p}.watchPort`);
    checkUint(b.watchGroup, 0xffffffff, `${p}.watchGroup`);
    if (!Array.isArray(b.actions)) throw new OfpEncodeError(`${p}.actions: expected an array`, `${p}.actions`);
    const start = w.offset;
    w.u16(0);
    w.u16(b.weight);
    w.u32(b.watchPort);
    w.u32(b.watchGroup);
    w.zeros(4);
    encodeActions(w, b.actions, `${p}.actions`);
    const len = w.offset - start;
    if (len > 0xffff) throw new OfpEncodeError(`${p}: bucket length ${len} exceeds 65535`, p);
    w.patchU16(start, len);
  }
}

export const groupModCodec: BodyCodec<GroupModMessage> = {
  decode(r, xid) {
    r.need(OFP_GROUP_MOD_BODY_LEN, 'ofp_group_mod');
    const command = r.u16();
    const groupType = r.u8();
    r.offset += 1; // pad
    const groupId = r.u32();
    const buckets = decodeBuckets(r);
    return { type: 'GROUP_MOD', xid, command, groupType, groupId, buckets };
  },
  encode(w, m) {
    checkUint(m.command, 0xffff, 'command');
    checkUint(m.groupType, 0xff, 'groupType');
    checkUint(m.groupId, 0xffffffff, 'groupId');
    w.u16(m.command);
    w.u8(m.groupType);
    w.u8(0);
    w.u32(m.groupId);
    encodeBuckets(w, m.buckets, 'buckets');
  },
};

function checkUint(v: unknown, max: number, path: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new OfpEncodeError(`${path}: expected an integer in 0..${max}, got ${String(v)}`, path);
  }
}
