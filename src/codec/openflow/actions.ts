/**
 * OpenFlow 1.3.5 actions (§7.2.5): action lists as carried by APPLY/WRITE_ACTIONS instructions, groups
 * buckets and PACKET_OUT, plus the action ids listed by TABLE_FEATURES properties.
 */
import type { Reader, Writer } from './buffer.js';
import { BadAction, ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { encodeOxm, readOxm, showValue, type OxmField } from './oxm.js';
import { decodeTypeIds, encodeTypeIds, typeCodes, type ExperimenterTypeId, type TypeIdKind } from './type-ids.js';

export const OFPP = {
  MAX: 0xffffff00,
  IN_PORT: 0xfffffff8,
  TABLE: 0xfffffff9,
  NORMAL: 0xfffffffa,
  FLOOD: 0xfffffffb,
  ALL: 0xfffffffc,
  CONTROLLER: 0xfffffffd,
  LOCAL: 0xfffffffe,
  ANY: 0xffffffff,
} as const;
export const OFPCML_NO_BUFFER = 0xffff;
export const OFPCML_MAX = 0xffe5;

export type Action =
  | { type: 'output'; port: number; maxLen: number }
  | { type: 'copy_ttl_out' }
  | { type: 'copy_ttl_in' }
  | { type: 'set_mpls_ttl'; ttl: number }
  | { type: 'dec_mpls_ttl' }
  | { type: 'push_vlan'; ethertype: number }
  | { type: 'pop_vlan' }
  | { type: 'push_mpls'; ethertype: number }
  | { type: 'pop_mpls'; ethertype: number }
  | { type: 'set_queue'; queueId: number }
  | { type: 'group'; groupId: number }
  | { type: 'set_nw_ttl'; ttl: number }
  | { type: 'dec_nw_ttl' }
  | { type: 'set_field'; field: OxmField }
  | { type: 'push_pbb'; ethertype: number }
  | { type: 'pop_pbb' }
  | { type: 'experimenter'; experimenter: number; data: Uint8Array };

export type ActionType = Action['type'];

export type ActionId = { type: Exclude<ActionType, 'experimenter'> } | ExperimenterTypeId;

/** ofp_action_type codes. */
export const OFPAT = {
  OUTPUT: 0,
  COPY_TTL_OUT: 11,
  COPY_TTL_IN: 12,
  SET_MPLS_TTL: 15,
  DEC_MPLS_TTL: 16,
  PUSH_VLAN: 17,
  POP_VLAN: 18,
  PUSH_MPLS: 19,
  POP_MPLS: 20,
  SET_QUEUE: 21,
  GROUP: 22,
  SET_NW_TTL: 23,
  DEC_NW_TTL: 24,
  SET_FIELD: 25,
  PUSH_PBB: 26,
  POP_PBB: 27,
  EXPERIMENTER: 0xffff,
} as const;

const TYPE_NAMES: (Exclude<ActionType, 'experimenter'> | undefined)[] = [];
TYPE_NAMES[OFPAT.OUTPUT] = 'output';
TYPE_NAMES[OFPAT.COPY_TTL_OUT] = 'copy_ttl_out';
TYPE_NAMES[OFPAT.COPY_TTL_IN] = 'copy_ttl_in';
TYPE_NAMES[OFPAT.SET_MPLS_TTL] = 'set_mpls_ttl';
TYPE_NAMES[OFPAT.DEC_MPLS_TTL] = 'dec_mpls_ttl';
TYPE_NAMES[OFPAT.PUSH_VLAN] = 'push_vlan';
TYPE_NAMES[OFPAT.POP_VLAN] = 'pop_vlan';
TYPE_NAMES[OFPAT.PUSH_MPLS] = 'push_mpls';
TYPE_NAMES[OFPAT.POP_MPLS] = 'pop_mpls';
TYPE_NAMES[OFPAT.SET_QUEUE] = 'set_queue';
TYPE_NAMES[OFPAT.GROUP] = 'group';
TYPE_NAMES[OFPAT.SET_NW_TTL] = 'set_nw_ttl';
TYPE_NAMES[OFPAT.DEC_NW_TTL] = 'dec_nw_ttl';
TYPE_NAMES[OFPAT.SET_FIELD] = 'set_field';
TYPE_NAMES[OFPAT.PUSH_PBB] = 'push_pbb';
TYPE_NAMES[OFPAT.POP_PBB] = 'pop_pbb';

const TYPE_CODES = typeCodes(TYPE_NAMES, OFPAT.EXPERIMENTER);

/** ofp_action_type code of an action type name. */
export function actionTypeCode(type: ActionType): number {
  return TYPE_CODES[type]!;
}

/** Basic OXM fields a set_field action may not set: pipeline fields and the ipv6_exthdr pseudo-field. */
const NOT_SETTABLE = new Set(['in_port', 'in_phy_port', 'metadata', 'ipv6_exthdr']);

// ---------------------------------------------------------------------------------------------------
// Decoding

function badLen(msg: string, offset: number): OfpDecodeError {
  return new OfpDecodeError(msg, ErrType.BAD_ACTION, BadAction.BAD_LEN, offset);
}

/** One action at r.offset. Lengths must be >= 8, multiples of 8 and exact for fixed-size actions. */
export function decodeAction(r: Reader): Action {
  return readAction(r, r.end);
}

/** Actions from r.offset up to `end` (no sub-reader allocation). @internal used by instructions.ts */
export function readActions(r: Reader, end: number): Action[] {
  const list: Action[] = [];
  while (r.offset < end) list.push(readAction(r, end));
  return list;
}

function readAction(r: Reader, end: number): Action {
  const p = r.offset;
  if (p + 4 > end) throw badLen(`truncated action header: need 4 byte(s) at offset ${p}, have ${end - p}`, p);
  const view = r.view;
  const type = view.getUint16(p);
  const len = view.getUint16(p + 2);
  if (len < 8 || (len & 7) !== 0) throw badLen(`action type ${type} at offset ${p} has length ${len}: must be a multiple of 8, at least 8`, p + 2);
  if (p + len > end) throw badLen(`action type ${type} at offset ${p}: length ${len} exceeds the ${end - p} byte(s) left`, p + 2);
  if (type === OFPAT.SET_FIELD) {
    r.offset = p + 4;
    const field = readOxm(r, p + len, true);
    const want = (r.offset - p + 7) & ~7;
    if (want !== len) {
      throw new OfpDecodeError(
        `set_field at offset ${p} has length ${len}, but its OXM needs exactly ${want} (padded to 8)`,
        ErrType.BAD_ACTION,
        BadAction.BAD_SET_LEN,
        p + 2,
      );
    }
    r.offset = p + len;
    return { type: 'set_field', field };
  }
  if (type === OFPAT.EXPERIMENTER) {
    r.offset = p + len;
    return { type: 'experimenter', experimenter: view.getUint32(p + 4), data: r.bytes.slice(p + 8, p + len) };
  }
  const name = TYPE_NAMES[type];
  if (name === undefined) throw new OfpDecodeError(`unknown action type ${type} at offset ${p}`, ErrType.BAD_ACTION, BadAction.BAD_TYPE, p);
  const want = type === OFPAT.OUTPUT ? 16 : 8;
  if (len !== want) throw badLen(`${name} action at offset ${p} has length ${len}, expected ${want}`, p + 2);
  r.offset = p + len;
  switch (type) {
    case OFPAT.OUTPUT:
      return { type: 'output', port: view.getUint32(p + 4), maxLen: view.getUint16(p + 8) };
    case OFPAT.SET_MPLS_TTL:
      return { type: 'set_mpls_ttl', ttl: view.getUint8(p + 4) };
    case OFPAT.SET_NW_TTL:
      return { type: 'set_nw_ttl', ttl: view.getUint8(p + 4) };
    case OFPAT.PUSH_VLAN:
      return { type: 'push_vlan', ethertype: view.getUint16(p + 4) };
    case OFPAT.PUSH_MPLS:
      return { type: 'push_mpls', ethertype: view.getUint16(p + 4) };
    case OFPAT.POP_MPLS:
      return { type: 'pop_mpls', ethertype: view.getUint16(p + 4) };
    case OFPAT.PUSH_PBB:
      return { type: 'push_pbb', ethertype: view.getUint16(p + 4) };
    case OFPAT.SET_QUEUE:
      return { type: 'set_queue', queueId: view.getUint32(p + 4) };
    case OFPAT.GROUP:
      return { type: 'group', groupId: view.getUint32(p + 4) };
    default:
      // copy_ttl_out, copy_ttl_in, dec_mpls_ttl, pop_vlan, dec_nw_ttl, pop_pbb: header + 4 pad bytes.
      return { type: name } as Action;
  }
}

/** Actions until r.end (the caller hands a reader bounded to the action list). */
export function decodeActions(r: Reader): Action[] {
  return readActions(r, r.end);
}

// ---------------------------------------------------------------------------------------------------
// Encoding

function fail(at: string, what: string, message: string): never {
  throw new OfpEncodeError(`${at}${what === '' ? '' : '.' + what}: ${message}`, `${at}${what === '' ? '' : '.' + what}`);
}

function checkInt(v: unknown, max: number, at: string, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    fail(at, what, `${showValue(v)} is out of range 0..${max > 0xffff ? '0x' + max.toString(16) : max}`);
  }
  return v;
}

/** Writes a zeroed fixed-size action header; returns its offset (read w.view only after this call). */
function fixed(w: Writer, type: number, len: number): number {
  w.ensure(len);
  const p = w.offset;
  const v = w.view;
  v.setUint16(p, type);
  v.setUint16(p + 2, len);
  v.setUint32(p + 4, 0);
  if (len === 16) {
    v.setUint32(p + 8, 0);
    v.setUint32(p + 12, 0);
  }
  w.offset = p + len;
  return p;
}

function writeAction(w: Writer, a: Action, at: string): void {
  if (typeof a !== 'object' || a === null) fail(at, '', 'not an action object');
  switch (a.type) {
    case 'output': {
      const port = checkInt(a.port, 0xffffffff, at, 'port');
      const maxLen = checkInt(a.maxLen, 0xffff, at, 'maxLen');
      const p = fixed(w, OFPAT.OUTPUT, 16);
      w.view.setUint32(p + 4, port);
      w.view.setUint16(p + 8, maxLen);
      return;
    }
    case 'set_mpls_ttl':
    case 'set_nw_ttl': {
      const ttl = checkInt(a.ttl, 0xff, at, 'ttl');
      const p = fixed(w, TYPE_CODES[a.type]!, 8);
      w.view.setUint8(p + 4, ttl);
      return;
    }
    case 'push_vlan':
    case 'push_mpls':
    case 'pop_mpls':
    case 'push_pbb': {
      const et = checkInt(a.ethertype, 0xffff, at, 'ethertype');
      const p = fixed(w, TYPE_CODES[a.type]!, 8);
      w.view.setUint16(p + 4, et);
      return;
    }
    case 'set_queue': {
      const q = checkInt(a.queueId, 0xffffffff, at, 'queueId');
      const p = fixed(w, OFPAT.SET_QUEUE, 8);
      w.view.setUint32(p + 4, q);
      return;
    }
    case 'group': {
      const g = checkInt(a.groupId, 0xffffffff, at, 'groupId');
      const p = fixed(w, OFPAT.GROUP, 8);
      w.view.setUint32(p + 4, g);
      return;
    }
    case 'copy_ttl_out':
    case 'copy_ttl_in':
    case 'dec_mpls_ttl':
    case 'pop_vlan':
    case 'dec_nw_ttl':
    case 'pop_pbb':
      fixed(w, TYPE_CODES[a.type]!, 8);
      return;
    case 'set_field': {
      const f = a.field;
      if (typeof f === 'object' && f !== null && NOT_SETTABLE.has(f.field)) {
        fail(at, 'field', `${f.field} cannot be set by set_field (not a packet header field)`);
      }
      const p = w.offset;
      w.u32((OFPAT.SET_FIELD << 16) >>> 0);
      try {
        encodeOxm(w, f, `${at}.field`, true);
      } catch (e) {
        w.offset = p;
        throw e;
      }
      const pad = (8 - ((w.offset - p) & 7)) & 7;
      w.ensure(pad);
      for (let i = 0; i < pad; i++) w.buf[w.offset + i] = 0;
      w.offset += pad;
      w.patchU16(p + 2, w.offset - p); // an OXM is at most 4 + 255 bytes, so this always fits
      return;
    }
    case 'experimenter': {
      const e = checkInt(a.experimenter, 0xffffffff, at, 'experimenter');
      if (!(a.data instanceof Uint8Array)) fail(at, 'data', 'must be a Uint8Array');
      if (a.data.length % 8 !== 0) fail(at, 'data', `length ${a.data.length} must be a multiple of 8 (include the padding)`);
      if (a.data.length + 8 > 0xffff) fail(at, 'data', `length ${a.data.length} makes the action longer than 65535`);
      w.u16(OFPAT.EXPERIMENTER);
      w.u16(8 + a.data.length);
      w.u32(e);
      w.bytes(a.data);
      return;
    }
    default:
      fail(at, 'type', `unknown action type ${showValue((a as { type: unknown }).type)}`);
  }
}

/** One action; throws OfpEncodeError (path like `action.port`) on an unencodable value. */
export function encodeAction(w: Writer, a: Action, path = 'action'): void {
  writeAction(w, a, path);
}

/** An action list; errors carry paths like `actions[2].field.value`. */
export function encodeActions(w: Writer, actions: readonly Action[], path = 'actions'): void {
  if (!Array.isArray(actions)) fail(path, '', 'must be an array of actions');
  for (let i = 0; i < actions.length; i++) writeAction(w, actions[i]!, `${path}[${i}]`);
}

// ---------------------------------------------------------------------------------------------------
// Action ids (TABLE_FEATURES): the shared type-id codec (type-ids.ts) over this module's type table.
// Unknown types are BAD_ACTION/BAD_TYPE.

const ACTION_IDS: TypeIdKind<Exclude<ActionType, 'experimenter'>> = {
  kind: 'action',
  names: TYPE_NAMES,
  codes: TYPE_CODES,
  experimenter: OFPAT.EXPERIMENTER,
  unknownType: [ErrType.BAD_ACTION, BadAction.BAD_TYPE],
};

export function decodeActionIds(r: Reader): ActionId[] {
  return decodeTypeIds(r, ACTION_IDS);
}

export function encodeActionIds(w: Writer, ids: readonly ActionId[], path = 'actionIds'): void {
  encodeTypeIds(w, ids, path, ACTION_IDS);
}
