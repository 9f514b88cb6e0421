/**
 * A flow rule as Vigil thinks of it (what should be in a switch table), independent of the message
 * that installs or removes it. Identity follows OpenFlow: (table, priority, match).
 */
import { FlowModCommand, type FlowModMessage } from '../../codec/openflow/flow-mod.js';
import type { Instruction } from '../../codec/openflow/instructions.js';
import type { Match, OxmField } from '../../codec/openflow/oxm.js';
import type { FlowStats } from '../../codec/openflow/multipart.js';

export interface FlowRule {
  tableId: number;
  priority: number;
  match: Match;
  instructions: Instruction[];
  cookie: bigint;
  idleTimeout?: number;
  hardTimeout?: number;
  flags?: number;
}

const OFP_NO_BUFFER = 0xffffffff;
const OFPP_ANY = 0xffffffff;
const OFPG_ANY = 0xffffffff;
const ALL_ONES = 0xffffffffffffffffn;

export function addFlowMod(rule: FlowRule): Omit<FlowModMessage, 'xid'> {
  return {
    type: 'FLOW_MOD',
    cookie: rule.cookie,
    cookieMask: 0n,
    tableId: rule.tableId,
    command: FlowModCommand.ADD,
    idleTimeout: rule.idleTimeout ?? 0,
    hardTimeout: rule.hardTimeout ?? 0,
    priority: rule.priority,
    bufferId: OFP_NO_BUFFER,
    outPort: OFPP_ANY,
    outGroup: OFPG_ANY,
    flags: rule.flags ?? 0,
    match: rule.match,
    instructions: rule.instructions,
  } as Omit<FlowModMessage, 'xid'>;
}

/** Deletes exactly this rule, and only if it still carries this cookie (never someone else's flow). */
export function deleteStrictFlowMod(rule: FlowRule): Omit<FlowModMessage, 'xid'> {
  return {
    type: 'FLOW_MOD',
    cookie: rule.cookie,
    cookieMask: ALL_ONES,
    tableId: rule.tableId,
    command: FlowModCommand.DELETE_STRICT,
    idleTimeout: 0,
    hardTimeout: 0,
    priority: rule.priority,
    bufferId: OFP_NO_BUFFER,
    outPort: OFPP_ANY,
    outGroup: OFPG_ANY,
    flags: 0,
    match: rule.match,
    instructions: [],
  } as Omit<FlowModMessage, 'xid'>;
}

export function ruleFromStats(s: FlowStats): FlowRule {
  return {
    tableId: s.tableId,
    priority: s.priority,
    match: s.match,
    instructions: s.instructions,
    cookie: s.cookie,
    idleTimeout: s.idleTimeout,
    hardTimeout: s.hardTimeout,
    flags: s.flags,
  };
}

function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `0x${x.toString(16)}`;
    if (x instanceof Uint8Array) return Buffer.from(x).toString('hex');
    return x;
  });
}

function fieldKey(f: OxmField): string {
  return stable(f);
}

/** Order-independent text of a match (switches may return OXMs in their own canonical order). */
export function matchKey(m: Match): string {
  return m.map(fieldKey).sort().join(',');
}

/** OpenFlow identity of a flow: two rules with the same key are the same flow entry. */
export function ruleKey(r: FlowRule): string {
  return `${r.tableId}/${r.priority}/${matchKey(r.match)}`;
}

/** Everything else that must match for the installed flow to be the desired one. */
export function ruleBody(r: FlowRule): string {
  return `${r.cookie.toString(16)}|${r.idleTimeout ?? 0}|${r.hardTimeout ?? 0}|${stable(r.instructions)}`;
}
