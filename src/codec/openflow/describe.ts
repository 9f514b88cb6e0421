/**
 * `describe(m)`: a readable one-line (occasionally few-line) text form of any OpenFlow message, for logs
 * and `vigil ofp print`. Field names follow the spec's C names (priority, idle_timeout, ...); reserved
 * ports, commands, reasons and flag bits are shown by name. Message families without a dedicated form
 * (multipart, group/meter mods, queue config) get a generic rendering that names their kind and counts
 * list entries.
 */
import type { OfpMessage } from './messages.js';
import type { Action } from './actions.js';
import type { Instruction } from './instructions.js';
import type { Match, OxmField } from './oxm.js';
import type { Port } from './port.js';
import { PortConfig, PortFeatures, PortState } from './port.js';
import { errorName, OfpErrorType } from './error-codes.js';
import { offendingHeader } from './error.js';
import { ofpTypeName } from './header.js';
import { versionsFromBitmaps } from './hello.js';
import { Capabilities } from './features.js';
import { ConfigFlags } from './config.js';
import { PacketInReason } from './packet-in.js';
import { FlowRemovedReason } from './flow-removed.js';
import { PortReason } from './port-status.js';
import { FlowModCommand, FlowModFlags } from './flow-mod.js';
import { ControllerRole } from './role.js';

const RESERVED_PORTS: Record<number, string> = {
  0xfffffff8: 'IN_PORT',
  0xfffffff9: 'TABLE',
  0xfffffffa: 'NORMAL',
  0xfffffffb: 'FLOOD',
  0xfffffffc: 'ALL',
  0xfffffffd: 'CONTROLLER',
  0xfffffffe: 'LOCAL',
  0xffffffff: 'ANY',
};

export function portName(p: number): string {
  return RESERVED_PORTS[p] ?? String(p);
}

function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}

function nameOf(table: Readonly<Record<string, number>>, v: number): string {
  for (const [k, x] of Object.entries(table)) if (x === v) return k;
  return String(v);
}

/** 'SEND_FLOW_REM|CHECK_OVERLAP', unknown bits as hex, '0' for none. */
export function flagNames(table: Readonly<Record<string, number>>, bits: number): string {
  const names: string[] = [];
  let rest = bits >>> 0;
  for (const [k, bit] of Object.entries(table)) {
    if (bit !== 0 && (bits & bit) === bit && (bit & (bit - 1)) === 0) {
      names.push(k);
      rest &= ~bit;
    }
  }
  if (rest !== 0) names.push(hex(rest >>> 0));
  return names.length ? names.join('|') : '0';
}

function bytesHex(b: Uint8Array, max = 16): string {
  let s = '';
  for (let i = 0; i < b.length && i < max; i++) s += b[i]!.toString(16).padStart(2, '0');
  return b.length > max ? `${s}...(${b.length} bytes)` : s;
}

function fmtValue(field: string, v: unknown, isMask = false): string {
  if (typeof v === 'bigint') return hex(v);
  if (typeof v === 'number') {
    if (isMask) return hex(v);
    if (field === 'in_port' || field === 'in_phy_port') return portName(v);
    if (field === 'eth_type' || field === 'vlan_vid' || field === 'ipv6_flabel' || field === 'ipv6_exthdr' || field === 'pbb_isid') {
      return `0x${v.toString(16).padStart(field === 'eth_type' ? 4 : 1, '0')}`;
    }
    return String(v);
  }
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return bytesHex(v);
  return String(v);
}

export function describeOxm(f: OxmField): string {
  if (f.field === 'experimenter') {
    return `experimenter(${hex(f.experimenter)},field=${f.fieldCode}${f.hasMask ? ',masked' : ''}):${bytesHex(f.payload, 32)}`;
  }
  if (f.field === 'opaque') {
    return `oxm(class=${hex(f.oxmClass)},field=${f.fieldCode}${f.hasMask ? ',masked' : ''}):${bytesHex(f.payload, 32)}`;
  }
  const mask = (f as { mask?: unknown }).mask;
  return `${f.field}=${fmtValue(f.field, f.value)}${mask === undefined ? '' : `/${fmtValue(f.field, mask, true)}`}`;
}

export function describeMatch(m: Match): string {
  return m.length === 0 ? 'any' : m.map(describeOxm).join(',');
}

export function describeAction(a: Action): string {
  switch (a.type) {
    case 'output':
      return a.port === 0xfffffffd ? `output:CONTROLLER(max_len=${a.maxLen === 0xffff ? 'no_buffer' : a.maxLen})` : `output:${portName(a.port)}`;
    case 'group':
      return `group:${a.groupId}`;
    case 'set_field':
      return `set_field:${describeOxm(a.field)}`;
    case 'push_vlan':
    case 'push_mpls':
    case 'pop_mpls':
    case 'push_pbb':
      return `${a.type}:0x${a.ethertype.toString(16).padStart(4, '0')}`;
    case 'set_queue':
      return `set_queue:${a.queueId}`;
    case 'set_mpls_ttl':
    case 'set_nw_ttl':
      return `${a.type}:${a.ttl}`;
    case 'experimenter':
      return `experimenter(${hex(a.experimenter)}${a.data.length ? `,${bytesHex(a.data)}` : ''})`;
    default:
      return genericItem(a as { type: unknown });
  }
}

export function describeActions(list: readonly Action[]): string {
  return list.length === 0 ? 'drop' : list.map(describeAction).join(',');
}

export function describeInstruction(i: Instruction): string {
  switch (i.type) {
    case 'goto_table':
      return `goto_table:${i.tableId}`;
    case 'write_metadata':
      return `write_metadata:${hex(i.metadata)}/${hex(i.mask)}`;
    case 'apply_actions':
    case 'write_actions':
      return `${i.type}(${describeActions(i.actions)})`;
    case 'clear_actions':
      return 'clear_actions';
    case 'meter':
      return `meter:${i.meterId}`;
    case 'experimenter':
      return `experimenter(${hex(i.experimenter)}${i.data.length ? `,${bytesHex(i.data)}` : ''})`;
    default:
      return genericItem(i as { type: unknown });
  }
}

export function describeInstructions(list: readonly Instruction[]): string {
  return list.length === 0 ? 'drop' : list.map(describeInstruction).join(',');
}

function speed(kbps: number): string {
  if (kbps >= 1_000_000 && kbps % 1_000_000 === 0) return `${kbps / 1_000_000}Gbps`;
  if (kbps >= 1000 && kbps % 1000 === 0) return `${kbps / 1000}Mbps`;
  return `${kbps}kbps`;
}

export function describePort(p: Port): string {
  const parts = [`port ${portName(p.portNo)} "${p.name}" ${p.hwAddr}`, `config=${flagNames(PortConfig, p.config)}`, `state=${flagNames(PortState, p.state)}`];
  if (p.curr) parts.push(`curr=${flagNames(PortFeatures, p.curr)}`);
  if (p.advertised) parts.push(`advertised=${flagNames(PortFeatures, p.advertised)}`);
  if (p.supported) parts.push(`supported=${flagNames(PortFeatures, p.supported)}`);
  if (p.peer) parts.push(`peer=${flagNames(PortFeatures, p.peer)}`);
  if (p.currSpeed || p.maxSpeed) parts.push(`speed=${speed(p.currSpeed)}/${speed(p.maxSpeed)}`);
  return parts.join(' ');
}

function buffer(id: number): string {
  return id === 0xffffffff ? 'none' : String(id);
}

function ascii(b: Uint8Array): string | undefined {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0 && i === b.length - 1) break;
    if (c < 0x20 || c > 0x7e) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}

/** Generic `key=value` rendering: arrays are counted, bytes sized, nested objects rendered two levels down. */
function generic(o: Record<string, unknown>, depth = 0): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'type' || k === 'kind' || k === 'xid' || v === undefined) continue;
    if (Array.isArray(v)) parts.push(`${k}=[${v.length}]`);
    else if (v instanceof Uint8Array) parts.push(`${k}=${v.length} bytes`);
    else if (typeof v === 'bigint') parts.push(`${k}=${hex(v)}`);
    else if (v !== null && typeof v === 'object') {
      const inner = depth < 2 ? generic(v as Record<string, unknown>, depth + 1) : '...';
      const kind = (v as { type?: unknown; kind?: unknown }).kind ?? (v as { type?: unknown }).type;
      parts.push(`${k}=${typeof kind === 'string' ? kind : ''}{${inner}}`);
    } else if (typeof v === 'string' && (v === '' || /[\s=,{}]/.test(v))) parts.push(`${k}=${JSON.stringify(v)}`);
    else parts.push(`${k}=${String(v)}`);
  }
  return parts.join(' ');
}

function genericItem(o: { type: unknown }): string {
  const rest = generic(o as Record<string, unknown>);
  return rest ? `${String(o.type)}(${rest})` : String(o.type);
}

function roleName(r: number): string {
  return nameOf(ControllerRole, r);
}

/** One readable line (more only for very long messages) describing `m`. */
export function describe(m: OfpMessage): string {
  const head = `${m.type} xid=${m.xid}`;
  switch (m.type) {
    case 'HELLO': {
      const parts = [head, `version=0x${(m.version ?? 4).toString(16).padStart(2, '0')}`];
      for (const e of m.elements) {
        if (e.type === 'VERSIONBITMAP') parts.push(`versions=${versionsFromBitmaps(e.bitmaps).map((v) => `0x${v.toString(16).padStart(2, '0')}`).join(',') || 'none'}`);
        else parts.push(`element(type=${e.elemType},${e.data.length} bytes)`);
      }
      return parts.join(' ');
    }
    case 'ERROR': {
      if (m.errType === OfpErrorType.EXPERIMENTER) {
        return `${head} OFPET_EXPERIMENTER experimenter=${hex(m.experimenter ?? 0)} exp_type=${m.expType ?? 0} data=${m.data.length} bytes`;
      }
      const parts = [head, errorName(m.errType, m.code ?? 0)];
      if (m.errType === OfpErrorType.HELLO_FAILED) {
        const text = ascii(m.data);
        parts.push(text !== undefined ? JSON.stringify(text) : `data=${m.data.length} bytes`);
      } else {
        const h = offendingHeader(m);
        if (h !== undefined) parts.push(`in reply to ${ofpTypeName(h.type) ?? `type ${h.type}`} xid=${h.xid} (${m.data.length} bytes echoed)`);
        else if (m.data.length) parts.push(`data=${m.data.length} bytes`);
      }
      return parts.join(' ');
    }
    case 'ECHO_REQUEST':
    case 'ECHO_REPLY':
      return m.data.length ? `${head} data=${bytesHex(m.data)}` : head;
    case 'EXPERIMENTER':
      return `${head} experimenter=${hex(m.experimenter)} exp_type=${m.expType} data=${m.data.length} bytes`;
    case 'FEATURES_REPLY':
      return `${head} dpid=0x${m.datapathId.toString(16).padStart(16, '0')} n_buffers=${m.nBuffers} n_tables=${m.nTables} auxiliary_id=${m.auxiliaryId} capabilities=${flagNames(Capabilities, m.capabilities)}`;
    case 'GET_CONFIG_REPLY':
    case 'SET_CONFIG': {
      const frag = nameOf(ConfigFlags, m.flags & ConfigFlags.FRAG_MASK);
      const other = m.flags & ~ConfigFlags.FRAG_MASK;
      return `${head} frags=${frag}${other ? `|${hex(other)}` : ''} miss_send_len=${m.missSendLen === 0xffff ? 'no_buffer' : m.missSendLen}`;
    }
    case 'PACKET_IN':
      return `${head} buffer=${buffer(m.bufferId)} total_len=${m.totalLen} reason=${nameOf(PacketInReason, m.reason)} table=${m.tableId} cookie=${hex(m.cookie)} match: ${describeMatch(m.match)} data: ${m.data.length} bytes`;
    case 'FLOW_REMOVED':
      return (
        `${head} reason=${nameOf(FlowRemovedReason, m.reason)} table=${m.tableId} priority=${m.priority} cookie=${hex(m.cookie)}` +
        ` duration=${m.durationSec}.${String(m.durationNsec).padStart(9, '0').slice(0, 3)}s idle_timeout=${m.idleTimeout} hard_timeout=${m.hardTimeout}` +
        ` packets=${m.packetCount} bytes=${m.byteCount} match: ${describeMatch(m.match)}`
      );
    case 'PORT_STATUS':
      return `${head} ${nameOf(PortReason, m.reason)} ${describePort(m.port)}`;
    case 'PACKET_OUT':
      return `${head} buffer=${buffer(m.bufferId)} in_port=${portName(m.inPort)} actions: ${describeActions(m.actions)} data: ${m.data.length} bytes`;
    case 'FLOW_MOD': {
      const parts = [head, nameOf(FlowModCommand, m.command), `table=${m.tableId === 0xff ? 'ALL' : m.tableId}`, `priority=${m.priority}`, `cookie=${hex(m.cookie)}`];
      if (m.cookieMask !== 0n) parts.push(`cookie_mask=${hex(m.cookieMask)}`);
      if (m.idleTimeout) parts.push(`idle_timeout=${m.idleTimeout}`);
      if (m.hardTimeout) parts.push(`hard_timeout=${m.hardTimeout}`);
      if (m.bufferId !== 0xffffffff) parts.push(`buffer=${m.bufferId}`);
      if (m.outPort !== 0xffffffff) parts.push(`out_port=${portName(m.outPort)}`);
      if (m.outGroup !== 0xffffffff) parts.push(`out_group=${m.outGroup}`);
      if (m.flags) parts.push(`flags=${flagNames(FlowModFlags, m.flags)}`);
      parts.push(`match: ${describeMatch(m.match)}`, `instructions: ${describeInstructions(m.instructions)}`);
      return parts.join(' ');
    }
    case 'PORT_MOD':
      return `${head} port=${portName(m.portNo)} hw_addr=${m.hwAddr} config=${flagNames(PortConfig, m.config)} mask=${flagNames(PortConfig, m.mask)} advertise=${flagNames(PortFeatures, m.advertise)}`;
    case 'TABLE_MOD':
      return `${head} table=${m.tableId === 0xff ? 'ALL' : m.tableId} config=${hex(m.config)}`;
    case 'ROLE_REQUEST':
    case 'ROLE_REPLY':
      return `${head} role=${roleName(m.role)} generation_id=${m.generationId}`;
    case 'GET_ASYNC_REPLY':
    case 'SET_ASYNC': {
      const pair = (p: readonly [number, number]): string => `master=${hex(p[0])},slave=${hex(p[1])}`;
      return `${head} packet_in(${pair(m.packetInMask)}) port_status(${pair(m.portStatusMask)}) flow_removed(${pair(m.flowRemovedMask)})`;
    }
    case 'FEATURES_REQUEST':
    case 'GET_CONFIG_REQUEST':
    case 'BARRIER_REQUEST':
    case 'BARRIER_REPLY':
    case 'GET_ASYNC_REQUEST':
      return head;
    case 'MULTIPART_REQUEST':
    case 'MULTIPART_REPLY': {
      const body = (m as { body?: unknown }).body as Record<string, unknown> | undefined;
      const flags = (m as { flags?: unknown }).flags;
      const parts = [head, typeof body?.kind === 'string' ? body.kind : '?'];
      if (typeof flags === 'number' && flags !== 0) parts.push(flags === 1 ? 'flags=more' : `flags=${hex(flags)}`);
      const rest = body === undefined ? '' : generic(body);
      if (rest) parts.push(rest);
      return parts.join(' ');
    }
    default: {
      // Group/meter mods, queue config: generic but informative.
      const rest = generic(m as unknown as Record<string, unknown>);
      return rest ? `${head} ${rest}` : head;
    }
  }
}
