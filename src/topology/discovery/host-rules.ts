/**
 * The flows discovery derives from what it learned (pure rule builders), above the pipeline's first-packet
 * copy in table 2 (see southbound/openflow/tables.ts):
 *  - HOST: a learned host, in_port + eth_src -> forward with NORMAL, no copy to Vigil; idle timeout, so a
 *    host that falls silent is copied (and so refreshed) again when it comes back;
 *  - TRANSIT: a switch-to-switch port, in_port -> forward with NORMAL, no copy (frames from other switches'
 *    hosts are seen where they enter the fabric, not at every hop).
 */
import { macBytes } from '../../codec/addr.js';
import { cookieFor, OwnerKind } from '../../southbound/openflow/cookies.js';
import type { FlowRule } from '../../southbound/openflow/flow-rule.js';
import { Priority, Table } from '../../southbound/openflow/tables.js';

const OFPP_NORMAL = 0xfffffffa;

function macLow40(mac: string): bigint {
  const b = macBytes(mac);
  let v = 0n;
  for (let i = 1; i < 6; i++) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

export function hostRule(portNo: number, mac: string, idleTimeoutS: number): FlowRule {
  return {
    tableId: Table.FORWARD,
    priority: Priority.HOST,
    match: [
      { field: 'in_port', value: portNo },
      { field: 'eth_src', value: mac },
    ],
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: OFPP_NORMAL, maxLen: 0 }] }],
    cookie: cookieFor(OwnerKind.HOST, macLow40(mac)),
    idleTimeout: idleTimeoutS,
  };
}

export function transitRule(portNo: number): FlowRule {
  return {
    tableId: Table.FORWARD,
    priority: Priority.TRANSIT,
    match: [{ field: 'in_port', value: portNo }],
    instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: OFPP_NORMAL, maxLen: 0 }] }],
    cookie: cookieFor(OwnerKind.TRANSIT, portNo >>> 0),
  };
}
