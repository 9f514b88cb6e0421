/**
 * What to send to Neo4j, as pure functions (unit-tested without a database):
 *   - planBatch(events): consecutive events of one type become ONE `UNWIND $rows` statement, in event
 *     order (so [a, a, b, a] is three statements); the writer runs them in one transaction;
 *   - planResync(snapshot, existing): the statements that make the graph equal the snapshot, given what
 *     the graph holds now (read in the same transaction): MERGE everything listed, and delete what the
 *     snapshot no longer has — LINKs, VMs, ATTACHED_TO of hosts not listed; connected=false for switches
 *     not listed (they keep their ports). Hosts, IPs, HAS_IP, Segments and the response loop's nodes are
 *     never deleted. Differences are computed here with Sets (not `NOT x IN $list` in Cypher, which is
 *     quadratic).
 */
import type { TopologyEvent, TopologySnapshot } from '../model.js';
import { portKey } from '../model.js';
import { CYPHER, hostRow, linkRow, portSegmentsRow, rowOf, segmentRow, switchRow, vmRow, type Row, type Statement, type StatementKind } from './statements.js';

export type { Statement, StatementKind } from './statements.js';

const statement = (kind: StatementKind, rows: Row[]): Statement => ({ kind, cypher: CYPHER[kind], rows });

/** One statement per run of consecutive events of the same type. */
export function planBatch(events: readonly TopologyEvent[]): Statement[] {
  const out: Statement[] = [];
  let cur: Statement | undefined;
  for (const e of events) {
    if (cur?.kind !== e.type) {
      cur = statement(e.type, []);
      out.push(cur);
    }
    cur.rows.push(rowOf(e));
  }
  return out;
}

/** What the graph holds now, as far as a resync deletes from it. */
export interface ExistingGraph {
  /** dpids of switches with connected = true. */
  connectedSwitches: readonly string[];
  /** LINKs as [source port key, target port key]. */
  links: readonly (readonly [string, string])[];
  /** MACs of hosts that have an ATTACHED_TO. */
  attachedHosts: readonly string[];
  vmUuids: readonly string[];
}

/** The read queries that fill ExistingGraph (run in the resync's transaction). */
export const EXISTING_QUERIES = {
  connectedSwitches: 'MATCH (s:Switch) WHERE s.connected = true RETURN s.dpid AS k',
  links: 'MATCH (a:Port)-[:LINK]->(b:Port) RETURN a.key AS a, b.key AS b',
  attachedHosts: 'MATCH (h:Host) WHERE EXISTS { (h)-[:ATTACHED_TO]->() } RETURN h.mac AS k',
  vmUuids: 'MATCH (v:VM) RETURN v.uuid AS k',
} as const;

export interface ResyncPlan {
  statements: Statement[];
  /** What the plan deletes or disconnects (for the log). */
  removed: { switchesDisconnected: number; links: number; hostsDetached: number; vms: number };
}

/** The statements that rewrite the graph to `snap` (see the file comment). Empty statements are left out. */
export function planResync(snap: TopologySnapshot, existing: ExistingGraph): ResyncPlan {
  const dpids = new Set(snap.switches.map((s) => s.switch.dpid));
  const linkKeys = new Set(snap.links.map((l) => `${portKey(l.src)}>${portKey(l.dst)}`));
  const macs = new Set(snap.hosts.map((h) => h.mac));
  const uuids = new Set(snap.vms.map((v) => v.uuid));

  const staleSwitches = existing.connectedSwitches.filter((d) => !dpids.has(d));
  const staleLinks = existing.links.filter(([a, b]) => !linkKeys.has(`${a}>${b}`));
  const staleHosts = existing.attachedHosts.filter((m) => !macs.has(m));
  const staleVms = existing.vmUuids.filter((u) => !uuids.has(u));

  // Every port of a listed switch gets its segment set (none listed: cleared).
  const membership = new Map(snap.portSegments.map((m) => [portKey(m.port), m.segments]));
  const portSegmentRows = snap.switches.flatMap((s) => s.ports.map((p) => portSegmentsRow(p, membership.get(portKey(p)) ?? [])));
  // Memberships of ports the switch list does not have would match no Port: nothing to add for them.

  const statements = [
    statement('segment.seen', snap.segments.map(segmentRow)),
    statement('switch.up', snap.switches.map((s) => switchRow(s.switch, s.ports, s.switch.connected))),
    statement('switch.down', staleSwitches.map((dpid) => ({ dpid, at: null }))),
    statement('link.down', staleLinks.map(([src, dst]) => ({ src, dst }))),
    statement('link.up', snap.links.map(linkRow)),
    statement('host.gone', staleHosts.map((mac) => ({ mac }))),
    statement('host.seen', snap.hosts.map((h) => hostRow(h))),
    statement('vm.gone', staleVms.map((uuid) => ({ uuid }))),
    statement('vm.seen', snap.vms.map((v) => vmRow(v, snap.at))),
    statement('port.segments', portSegmentRows),
  ].filter((s) => s.rows.length > 0);
  return { statements, removed: { switchesDisconnected: staleSwitches.length, links: staleLinks.length, hostsDetached: staleHosts.length, vms: staleVms.length } };
}

/** Splits statements into ones of at most `maxRows` rows (same order), to bound each query's size. */
export function chunkStatements(statements: readonly Statement[], maxRows: number): Statement[] {
  const out: Statement[] = [];
  for (const s of statements) {
    if (s.rows.length <= maxRows) out.push(s);
    else for (let i = 0; i < s.rows.length; i += maxRows) out.push({ ...s, rows: s.rows.slice(i, i + maxRows) });
  }
  return out;
}
