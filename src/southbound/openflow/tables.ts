/**
 * Vigil's OpenFlow pipeline, declared once as data (ARCHITECTURE §6) and checked against each switch.
 * Table 0 mirrors (copies before any transformation), table 1 segments, table 2 forwards.
 */
import type { FeaturesReplyMessage } from '../../codec/openflow/features.js';
import { cookieFor, OwnerKind } from './cookies.js';
import type { FlowRule } from './flow-rule.js';

export const PIPELINE = [
  { id: 0, name: 'mirror', purpose: 'copy suspect traffic to appliances before any rewrite', next: 1 },
  { id: 1, name: 'segment', purpose: 'quarantine VLAN, rate limit, block, honeypot diversion', next: 2 },
  { id: 2, name: 'forward', purpose: 'forwarding (NORMAL: the switch learns, RSTP guards loops)', next: null },
] as const;

export const Table = { MIRROR: 0, SEGMENT: 1, FORWARD: 2 } as const;

export const Priority = {
  /** Table-miss entries: fall through to the next stage. */
  MISS: 0,
  /** Link-local control frames (BPDU, LACP...) bypass mirroring and segmentation. */
  LINK_LOCAL: 0xffe0,
  /** LLDP goes to the controller for link discovery. */
  LLDP: 0xfff0,
} as const;

const OFPP_CONTROLLER = 0xfffffffd;
const OFPP_NORMAL = 0xfffffffa;
const OFPCML_NO_BUFFER = 0xffff;
export const ETH_TYPE_LLDP = 0x88cc;

/** Problems that prevent running the pipeline on a switch with these features ([] if none). */
export function pipelineProblems(features: Pick<FeaturesReplyMessage, 'nTables'>): string[] {
  const need = PIPELINE.length;
  return features.nTables < need ? [`switch has ${features.nTables} table(s); Vigil's pipeline needs ${need}`] : [];
}

export interface BasePipelineOptions {
  /** Send LLDP to the controller (topology discovery). */
  lldpToController: boolean;
}

/** The rules every switch carries from the moment it connects. */
export function basePipelineRules(opts: BasePipelineOptions = { lldpToController: true }): FlowRule[] {
  const pipeline = (n: number): bigint => cookieFor(OwnerKind.PIPELINE, n);
  const rules: FlowRule[] = [];
  for (const t of PIPELINE) {
    rules.push({
      tableId: t.id,
      priority: Priority.MISS,
      match: [],
      instructions: t.next === null ? [{ type: 'apply_actions', actions: [{ type: 'output', port: OFPP_NORMAL, maxLen: 0 }] }] : [{ type: 'goto_table', tableId: t.next }],
      cookie: pipeline(t.id + 1),
    });
  }
  rules.push({
    tableId: Table.MIRROR,
    priority: Priority.LINK_LOCAL,
    match: [{ field: 'eth_dst', value: '01:80:c2:00:00:00', mask: 'ff:ff:ff:ff:ff:f0' }],
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: OFPP_NORMAL, maxLen: 0 }] }],
    cookie: pipeline(0x10),
  });
  if (opts.lldpToController) {
    rules.push({
      tableId: Table.MIRROR,
      priority: Priority.LLDP,
      match: [{ field: 'eth_type', value: ETH_TYPE_LLDP }],
      instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: OFPP_CONTROLLER, maxLen: OFPCML_NO_BUFFER }] }],
      cookie: cookieFor(OwnerKind.DISCOVERY, 1),
    });
  }
  return rules;
}
