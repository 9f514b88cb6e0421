/**
 * OpenFlow 1.3.5 instructions (§7.2.4) as carried by FLOW_MOD / flow stats, and the instruction ids
 * listed by TABLE_FEATURES properties.
 */
import type { Reader, Writer } from './buffer.js';
import { BadInstruction, ErrType, OfpDecodeError, OfpEncodeError } from './errors.js';
import { encodeActions, readActions, type Action } from './actions.js';
import { showValue } from './oxm.js';
import { decodeTypeIds, encodeTypeIds, typeCodes, type ExperimenterTypeId, type TypeIdKind } from './type-ids.js';

export type Instruction =
  | { type: 'goto_table'; tableId: number }
  | { type: 'write_metadata'; metadata: bigint; mask: bigint }
  | { type: 'write_actions'; actions: Action[] }
  | { type: 'apply_actions'; actions: Action[] }
  | { type: 'clear_actions' }
  | { type: 'meter'; meterId: number }
  | { type: 'experimenter'; experimenter: number; data: Uint8Array };

export type InstructionType = Instruction['type'];

export type InstructionId = { type: Exclude<InstructionType, 'experimenter'> } | ExperimenterTypeId;

/** ofp_instruction_type codes. */
export const OFPIT = {
  GOTO_TABLE: 1,
  WRITE_METADATA: 2,
  WRITE_ACTIONS: 3,
  APPLY_ACTIONS: 4,
  CLEAR_ACTIONS: 5,
  METER: 6,
  EXPERIMENTER: 0xffff,
} as const;

/** Highest table id a goto_table may name (OFPTT_MAX). */
export const OFPTT_MAX = 0xfe;

const TYPE_NAMES: (Exclude<InstructionType, 'experimenter'> | undefined)[] = [
  undefined,
  'goto_table',
  'write_metadata',
  'write_actions',
  'apply_actions',
  'clear_actions',
  'meter',
];
const TYPE_CODES = typeCodes(TYPE_NAMES, OFPIT.EXPERIMENTER);

function badLen(msg: string, offset: number): OfpDecodeError {
  return new OfpDecodeError(msg, ErrType.BAD_INSTRUCTION, BadInstruction.BAD_LEN, offset);
}

function exactLen(len: number, want: number, name: string, p: number): void {
  if (len !== want) throw badLen(`${name} instruction at offset ${p} has length ${len}, expected ${want}`, p + 2);
}

/** One instruction at r.offset. Lengths must be >= 8, multiples of 8 and exact for fixed-size ones. */
export function decodeInstruction(r: Reader): Instruction {
  const p = r.offset;
  if (p + 4 > r.end) throw badLen(`truncated instruction header: need 4 byte(s) at offset ${p}, have ${r.end - p}`, p);
  const view = r.view;
  const type = view.getUint16(p);
  const len = view.getUint16(p + 2);
  if (len < 8 || (len & 7) !== 0) throw badLen(`instruction type ${type} at offset ${p} has length ${len}: must be a multiple of 8, at least 8`, p + 2);
  if (p + len > r.end) throw badLen(`instruction type ${type} at offset ${p}: length ${len} exceeds the ${r.end - p} byte(s) left`, p + 2);
  let ins: Instruction;
  switch (type) {
    case OFPIT.GOTO_TABLE:
      exactLen(len, 8, 'goto_table', p);
      ins = { type: 'goto_table', tableId: view.getUint8(p + 4) };
      break;
    case OFPIT.WRITE_METADATA:
      exactLen(len, 24, 'write_metadata', p);
      ins = { type: 'write_metadata', metadata: view.getBigUint64(p + 8), mask: view.getBigUint64(p + 16) };
      break;
    case OFPIT.WRITE_ACTIONS:
    case OFPIT.APPLY_ACTIONS: {
      r.offset = p + 8;
      const actions = readActions(r, p + len);
      ins = type === OFPIT.WRITE_ACTIONS ? { type: 'write_actions', actions } : { type: 'apply_actions', actions };
      break;
    }
    case OFPIT.CLEAR_ACTIONS:
      exactLen(len, 8, 'clear_actions', p);
      ins = { type: 'clear_actions' };
      break;
    case OFPIT.METER:
      exactLen(len, 8, 'meter', p);
      ins = { type: 'meter', meterId: view.getUint32(p + 4) };
      break;
    case OFPIT.EXPERIMENTER:
      ins = { type: 'experimenter', experimenter: view.getUint32(p + 4), data: r.bytes.slice(p + 8, p + len) };
      break;
    default:
      throw new OfpDecodeError(`unknown instruction type ${type} at offset ${p}`, ErrType.BAD_INSTRUCTION, BadInstruction.UNKNOWN_INST, p);
  }
  r.offset = p + len;
  return ins;
}

/** Instructions until r.end (the caller hands a reader bounded to the instruction list). */
export function decodeInstructions(r: Reader): Instruction[] {
  const list: Instruction[] = [];
  while (r.offset < r.end) list.push(decodeInstruction(r));
  return list;
}

function fail(path: string, message: string): never {
  throw new OfpEncodeError(`${path}: ${message}`, path);
}

function checkInt(v: unknown, max: number, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    fail(path, `${showValue(v)} is out of range 0..${max > 0xffff ? '0x' + max.toString(16) : max}`);
  }
  return v;
}

function checkU64(v: unknown, path: string): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) fail(path, `${showValue(v)} must be a bigint in 0..2^64-1`);
  return v;
}

/** One instruction; errors carry paths like `instructions[1].actions[0].port`. */
export function encodeInstruction(w: Writer, ins: Instruction, at = 'instruction'): void {
  if (typeof ins !== 'object' || ins === null) fail(at, 'not an instruction object');
  const p = w.offset;
  switch (ins.type) {
    case 'goto_table': {
      const t = checkInt(ins.tableId, OFPTT_MAX, `${at}.tableId`);
      w.u16(OFPIT.GOTO_TABLE);
      w.u16(8);
      w.u32((t << 24) >>> 0); // table_id + 3 pad bytes
      return;
    }
    case 'write_metadata': {
      const md = checkU64(ins.metadata, `${at}.metadata`);
      const mask = checkU64(ins.mask, `${at}.mask`);
      w.u16(OFPIT.WRITE_METADATA);
      w.u16(24);
      w.u32(0);
      w.u64(md);
      w.u64(mask);
      return;
    }
    case 'write_actions':
    case 'apply_actions': {
      if (!Array.isArray(ins.actions)) fail(`${at}.actions`, 'must be an array of actions');
      w.u16(ins.type === 'write_actions' ? OFPIT.WRITE_ACTIONS : OFPIT.APPLY_ACTIONS);
      w.u16(0);
      w.u32(0);
      try {
        encodeActions(w, ins.actions, `${at}.actions`);
      } catch (e) {
        w.offset = p;
        throw e;
      }
      const len = w.offset - p;
      if (len > 0xffff) {
        w.offset = p;
        fail(`${at}.actions`, `instruction length ${len} exceeds 65535`);
      }
      w.patchU16(p + 2, len);
      return;
    }
    case 'clear_actions':
      w.u16(OFPIT.CLEAR_ACTIONS);
      w.u16(8);
      w.u32(0);
      return;
    case 'meter': {
      const m = checkInt(ins.meterId, 0xffffffff, `${at}.meterId`);
      w.u16(OFPIT.METER);
      w.u16(8);
      w.u32(m);
      return;
    }
    case 'experimenter': {
      const e = checkInt(ins.experimenter, 0xffffffff, `${at}.experimenter`);
      if (!(ins.data instanceof Uint8Array)) fail(`${at}.data`, 'must be a Uint8Array');
      if (ins.data.length % 8 !== 0) fail(`${at}.data`, `length ${ins.data.length} must be a multiple of 8 (include the padding)`);
      if (ins.data.length + 8 > 0xffff) fail(`${at}.data`, `length ${ins.data.length} makes the instruction longer than 65535`);
      w.u16(OFPIT.EXPERIMENTER);
      w.u16(8 + ins.data.length);
      w.u32(e);
      w.bytes(ins.data);
      return;
    }
    default:
      fail(`${at}.type`, `unknown instruction type ${showValue((ins as { type: unknown }).type)}`);
  }
}

export function encodeInstructions(w: Writer, list: readonly Instruction[], path = 'instructions'): void {
  if (!Array.isArray(list)) fail(path, 'must be an array of instructions');
  for (let i = 0; i < list.length; i++) encodeInstruction(w, list[i]!, `${path}[${i}]`);
}

// ---------------------------------------------------------------------------------------------------
// Instruction ids (TABLE_FEATURES): the shared type-id codec (type-ids.ts) over this module's type table.
// Unknown types are BAD_INSTRUCTION/UNKNOWN_INST.

const INSTRUCTION_IDS: TypeIdKind<Exclude<InstructionType, 'experimenter'>> = {
  kind: 'instruction',
  names: TYPE_NAMES,
  codes: TYPE_CODES,
  experimenter: OFPIT.EXPERIMENTER,
  unknownType: [ErrType.BAD_INSTRUCTION, BadInstruction.UNKNOWN_INST],
};

export function decodeInstructionIds(r: Reader): InstructionId[] {
  return decodeTypeIds(r, INSTRUCTION_IDS);
}

export function encodeInstructionIds(w: Writer, ids: readonly InstructionId[], path = 'instructionIds'): void {
  encodeTypeIds(w, ids, path, INSTRUCTION_IDS);
}
