/**
 * Vigil's OpenFlow pipeline, declared once as data (ARCHITECTURE §6) and checked against each switch.
 * Table 0 mirrors (copies before any transformation), table 1 segments, table 2 forwards, table 3 copies
 * first packets of unknown sources to Vigil (host discovery), metered.
 *
 * Host discovery's copy path: table 2 forwards with NORMAL *and then* continues to table 3 for ARP, IPv6
 * neighbour discovery and IPv4/IPv6 from sources it has not learned yet; table 3 sends the copy to the
 * controller through a dedicated meter. An OpenFlow meter drops the packet for everything after the meter
 * instruction in its table, so a meter on the forwarding entry itself would drop benign traffic in a flood;
 * here the forwarding output has already happened (apply-actions of table 2) when table 3's meter
 * decides, so a flood loses copies, never forwarded packets. (OVS 3.1 also accepts the reserved controller
 * meter, `meter=controller` / OFPM_CONTROLLER 0xfffffffe; it limits every packet sent to the controller,
 * LLDP probes included, so a flood of new sources would starve link discovery: not used.)
 *
 * Learned hosts (in_port + eth_src) and switch-to-switch ports (in_port) get rules of their own owner kinds
 * (HOST, TRANSIT: see discovery/host-rules) above the first-packet copy, so only first packets are copied.
 */
import type { FeaturesReplyMessage } from '../../codec/openflow/features.js';
import type { Instruction } from '../../codec/openflow/instructions.js';
import { cookieFor, OwnerKind } from './cookies.js';
import type { FlowRule } from './flow-rule.js';
import type { MeterSpec } from './switch-api.js';

export const PIPELINE = [
  { id: 0, name: 'mirror', purpose: 'copy suspect traffic to appliances before any rewrite', next: 1, miss: 'next' },
  { id: 1, name: 'segment', purpose: 'quarantine VLAN, rate limit, block, honeypot diversion', next: 2, miss: 'next' },
  { id: 2, name: 'forward', purpose: 'forwarding (NORMAL: the switch learns, RSTP guards loops)', next: 3, miss: 'normal' },
  { id: 3, name: 'punt', purpose: 'copy of already-forwarded first packets to Vigil for host discovery, metered', next: null, miss: 'punt' },
] as const;

export const Table = { MIRROR: 0, SEGMENT: 1, FORWARD: 2, PUNT: 3 } as const;

export const Priority = {
  /** Table-miss entries: fall through to the next stage. */
  MISS: 0,
  /** Table 2: IPv4/IPv6 from a source not learned yet: forward, and copy to Vigil. */
  PUNT_FIRST: 0x0010,
  /** Table 2: a learned host (in_port + eth_src): forward without a copy. */
  HOST: 0x0100,
  /** Table 2: ARP and IPv6 neighbour solicitations/advertisements: forward, and always copy (IP changes). */
  PUNT_ALWAYS: 0x0200,
  /** Table 2: frames entering on a switch-to-switch port: forward without a copy. */
  TRANSIT: 0x0300,
  /** Link-local control frames (BPDU, LACP...) bypass mirroring and segmentation. */
  LINK_LOCAL: 0xffe0,
  /** LLDP goes to the controller for link discovery. */
  LLDP: 0xfff0,
} as const;

/** Meter ids the pipeline itself uses (61440..61695 are reserved for it). */
export const PipelineMeter = { HOST_PUNT: 0xf001 } as const;

const OFPP_CONTROLLER = 0xfffffffd;
const OFPP_NORMAL = 0xfffffffa;
const OFPCML_NO_BUFFER = 0xffff;
export const ETH_TYPE_LLDP = 0x88cc;
const ETH_TYPE_IPV4 = 0x0800;
const ETH_TYPE_ARP = 0x0806;
const ETH_TYPE_IPV6 = 0x86dd;
const IPPROTO_ICMPV6 = 58;
const ND_SOLICIT = 135;
const ND_ADVERT = 136;

/** Problems that prevent running the pipeline on a switch with these features ([] if none). */
export function pipelineProblems(features: Pick<FeaturesReplyMessage, 'nTables'>): string[] {
  const need = PIPELINE.length;
  return features.nTables < need ? [`switch has ${features.nTables} table(s); Vigil's pipeline needs ${need}`] : [];
}

export interface BasePipelineOptions {
  /** Send LLDP to the controller (topology discovery). */
  lldpToController: boolean;
  /** Copy first packets of unknown sources (and all ARP / ND) to the controller (host discovery). */
  hostPunt: boolean;
  /** Bytes of each copied packet (OFPAT_OUTPUT max_len). */
  hostPuntBytes: number;
  /** Copies per second the HOST_PUNT meter lets through (the rest are dropped; forwarding is unaffected). */
  hostPuntRatePps: number;
}

export const defaultPipelineOptions: BasePipelineOptions = { lldpToController: true, hostPunt: true, hostPuntBytes: 128, hostPuntRatePps: 200 };

const normal = (): Instruction => ({ type: 'apply_actions', actions: [{ type: 'output', port: OFPP_NORMAL, maxLen: 0 }] });

/** The rules every switch carries from the moment it connects. */
export function basePipelineRules(options: Partial<BasePipelineOptions> = {}): FlowRule[] {
  const opts = { ...defaultPipelineOptions, ...options };
  const pipeline = (n: number): bigint => cookieFor(OwnerKind.PIPELINE, n);
  const discovery = (n: number): bigint => cookieFor(OwnerKind.DISCOVERY, n);
  const rules: FlowRule[] = [];
  for (const t of PIPELINE) {
    let instructions: Instruction[];
    if (t.miss === 'next') instructions = [{ type: 'goto_table', tableId: t.next! }];
    else if (t.miss === 'normal') instructions = [normal()];
    else
      instructions = opts.hostPunt
        ? [{ type: 'meter', meterId: PipelineMeter.HOST_PUNT }, { type: 'apply_actions', actions: [{ type: 'output', port: OFPP_CONTROLLER, maxLen: opts.hostPuntBytes }] }]
        : []; // nothing is sent here without host punting: drop
    rules.push({ tableId: t.id, priority: Priority.MISS, match: [], instructions, cookie: pipeline(t.id + 1) });
  }
  rules.push({
    tableId: Table.MIRROR,
    priority: Priority.LINK_LOCAL,
    match: [{ field: 'eth_dst', value: '01:80:c2:00:00:00', mask: 'ff:ff:ff:ff:ff:f0' }],
    instructions: [normal()],
    cookie: pipeline(0x10),
  });
  if (opts.lldpToController) {
    rules.push({
      tableId: Table.MIRROR,
      priority: Priority.LLDP,
      match: [{ field: 'eth_type', value: ETH_TYPE_LLDP }],
      instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: OFPP_CONTROLLER, maxLen: OFPCML_NO_BUFFER }] }],
      cookie: discovery(1),
    });
  }
  if (opts.hostPunt) {
    const punt = (priority: number, match: FlowRule['match'], id: number): FlowRule => ({
      tableId: Table.FORWARD,
      priority,
      match,
      instructions: [normal(), { type: 'goto_table', tableId: Table.PUNT }],
      cookie: discovery(id),
    });
    const icmp6 = (type: number): FlowRule['match'] => [
      { field: 'eth_type', value: ETH_TYPE_IPV6 },
      { field: 'ip_proto', value: IPPROTO_ICMPV6 },
      { field: 'icmpv6_type', value: type },
    ];
    rules.push(
      punt(Priority.PUNT_ALWAYS, [{ field: 'eth_type', value: ETH_TYPE_ARP }], 2),
      punt(Priority.PUNT_ALWAYS, icmp6(ND_SOLICIT), 3),
      punt(Priority.PUNT_ALWAYS, icmp6(ND_ADVERT), 4),
      punt(Priority.PUNT_FIRST, [{ field: 'eth_type', value: ETH_TYPE_IPV4 }], 5),
      punt(Priority.PUNT_FIRST, [{ field: 'eth_type', value: ETH_TYPE_IPV6 }], 6),
    );
  }
  return rules;
}

/** The meters the base pipeline's rules refer to (install them before the rules). */
export function basePipelineMeters(options: Partial<BasePipelineOptions> = {}): MeterSpec[] {
  const opts = { ...defaultPipelineOptions, ...options };
  if (!opts.hostPunt) return [];
  return [{ meterId: PipelineMeter.HOST_PUNT, unit: 'pktps', burst: true, stats: true, bands: [{ type: 'drop', rate: opts.hostPuntRatePps, burstSize: opts.hostPuntRatePps }] }];
}

/** Cookies of the base rules that copy packets to Vigil for host discovery (packet-ins carry them). */
export function isHostPuntCookie(cookie: bigint): boolean {
  return cookie === cookieFor(OwnerKind.PIPELINE, Table.PUNT + 1);
}
