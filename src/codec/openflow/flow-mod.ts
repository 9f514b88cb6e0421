/**
 * OFPT_FLOW_MOD (OpenFlow 1.3.5 §7.3.4.2): the 40-byte fixed part, ofp_match (padded to 8), then
 * instructions to the end of the message. The hot path both ways: the fixed part is read and written
 * through the DataView directly, with cheap integer range checks on encode.
 */
import type { BodyCodec } from './body-codec.js';
import { OfpEncodeError } from './errors.js';
import { decodeMatch, encodeMatch, type Match } from './oxm.js';
import { decodeInstructions, encodeInstructions, type Instruction } from './instructions.js';
import { checkU64 } from './encode-check.js';

/** ofp_flow_mod_command */
export const FlowModCommand = { ADD: 0, MODIFY: 1, MODIFY_STRICT: 2, DELETE: 3, DELETE_STRICT: 4 } as const;

/** ofp_flow_mod_flags */
export const FlowModFlags = {
  SEND_FLOW_REM: 1 << 0,
  CHECK_OVERLAP: 1 << 1,
  RESET_COUNTS: 1 << 2,
  NO_PKT_COUNTS: 1 << 3,
  NO_BYT_COUNTS: 1 << 4,
} as const;

/** OFP_DEFAULT_PRIORITY */
export const OFP_DEFAULT_PRIORITY = 0x8000;

const OFP_NO_BUFFER = 0xffffffff;
const OFPP_ANY = 0xffffffff;
const OFPG_ANY = 0xffffffff;

export interface FlowModMessage {
  type: 'FLOW_MOD';
  xid: number;
  cookie: bigint;
  /** For MODIFY/DELETE: only entries whose cookie matches `cookie` under this mask; 0 = no restriction. */
  cookieMask: bigint;
  /** Table id, or OFPTT_ALL (0xff) for DELETE. */
  tableId: number;
  /** FlowModCommand */
  command: number;
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  /** Buffered packet to apply the entry to, or OFP_NO_BUFFER. */
  bufferId: number;
  /** DELETE only: entries that output to this port (OFPP_ANY = any). */
  outPort: number;
  /** DELETE only: entries that output to this group (OFPG_ANY = any). */
  outGroup: number;
  /** FlowModFlags bits */
  flags: number;
  match: Match;
  instructions: Instruction[];
}

/** A FLOW_MOD with the usual defaults (ADD to table 0 at the default priority, unbuffered, no filters). */
export function flowMod(fields: Partial<Omit<FlowModMessage, 'type'>>): FlowModMessage {
  return {
    type: 'FLOW_MOD',
    xid: fields.xid ?? 0,
    cookie: fields.cookie ?? 0n,
    cookieMask: fields.cookieMask ?? 0n,
    tableId: fields.tableId ?? 0,
    command: fields.command ?? FlowModCommand.ADD,
    idleTimeout: fields.idleTimeout ?? 0,
    hardTimeout: fields.hardTimeout ?? 0,
    priority: fields.priority ?? OFP_DEFAULT_PRIORITY,
    bufferId: fields.bufferId ?? OFP_NO_BUFFER,
    outPort: fields.outPort ?? OFPP_ANY,
    outGroup: fields.outGroup ?? OFPG_ANY,
    flags: fields.flags ?? 0,
    match: fields.match ?? [],
    instructions: fields.instructions ?? [],
  };
}

function bad(path: string, what: string, v: unknown): never {
  throw new OfpEncodeError(`${path}: expected ${what}, got ${String(v)}`, path);
}

export const flowModCodec: BodyCodec<FlowModMessage> = {
  decode(r, xid) {
    r.need(40, 'ofp_flow_mod');
    const v = r.view;
    const o = r.offset;
    const cookie = v.getBigUint64(o);
    const cookieMask = v.getBigUint64(o + 8);
    const tableId = v.getUint8(o + 16);
    const command = v.getUint8(o + 17);
    const idleTimeout = v.getUint16(o + 18);
    const hardTimeout = v.getUint16(o + 20);
    const priority = v.getUint16(o + 22);
    const bufferId = v.getUint32(o + 24);
    const outPort = v.getUint32(o + 28);
    const outGroup = v.getUint32(o + 32);
    const flags = v.getUint16(o + 36);
    r.offset = o + 40;
    const match = decodeMatch(r);
    // Instructions run to the end of the message; their decoder reports BAD_INSTRUCTION codes itself.
    const instructions = decodeInstructions(r);
    return {
      type: 'FLOW_MOD',
      xid,
      cookie,
      cookieMask,
      tableId,
      command,
      idleTimeout,
      hardTimeout,
      priority,
      bufferId,
      outPort,
      outGroup,
      flags,
      match,
      instructions,
    };
  },
  encode(w, m) {
    checkU64(m.cookie, 'cookie');
    checkU64(m.cookieMask, 'cookieMask');
    const { tableId, command, idleTimeout, hardTimeout, priority, bufferId, outPort, outGroup, flags } = m;
    if ((tableId & 0xff) !== tableId) bad('tableId', 'an integer in 0..255', tableId);
    if ((command & 0xff) !== command) bad('command', 'an integer in 0..255', command);
    if ((idleTimeout & 0xffff) !== idleTimeout) bad('idleTimeout', 'an integer in 0..65535', idleTimeout);
    if ((hardTimeout & 0xffff) !== hardTimeout) bad('hardTimeout', 'an integer in 0..65535', hardTimeout);
    if ((priority & 0xffff) !== priority) bad('priority', 'an integer in 0..65535', priority);
    if (bufferId >>> 0 !== bufferId) bad('bufferId', 'an integer in 0..4294967295', bufferId);
    if (outPort >>> 0 !== outPort) bad('outPort', 'an integer in 0..4294967295', outPort);
    if (outGroup >>> 0 !== outGroup) bad('outGroup', 'an integer in 0..4294967295', outGroup);
    if ((flags & 0xffff) !== flags) bad('flags', 'an integer in 0..65535', flags);
    if (!Array.isArray(m.match)) bad('match', 'an array of OXM fields', m.match);
    if (!Array.isArray(m.instructions)) bad('instructions', 'an array of instructions', m.instructions);
    w.ensure(40);
    const v = w.view;
    const o = w.offset;
    v.setBigUint64(o, m.cookie);
    v.setBigUint64(o + 8, m.cookieMask);
    v.setUint8(o + 16, tableId);
    v.setUint8(o + 17, command);
    v.setUint16(o + 18, idleTimeout);
    v.setUint16(o + 20, hardTimeout);
    v.setUint16(o + 22, priority);
    v.setUint32(o + 24, bufferId);
    v.setUint32(o + 28, outPort);
    v.setUint32(o + 32, outGroup);
    v.setUint32(o + 36, flags << 16); // flags + pad[2]
    w.offset = o + 40;
    encodeMatch(w, m.match);
    encodeInstructions(w, m.instructions);
  },
};
