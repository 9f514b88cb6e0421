/**
 * The Cypher the writer runs: one parameterized `UNWIND $rows AS r ...` statement per kind of write, and
 * the row each event (or snapshot entry) becomes. Pure data — planBatch/planResync (plan.ts) choose the
 * statements, the backend sends them (numbers as Cypher integers, see connection.ts).
 *
 * Semantics (topology/README.md, "How Vigil writes"):
 *   - every write is idempotent: MERGE on the unique keys; firstSeen only moves earlier and lastSeen only
 *     later (so replaying events, or a resync over newer data, changes nothing);
 *   - a switch.up row carries the switch's complete port set: its other ports are deleted;
 *   - a port event for a switch the graph does not have is ignored (switch.up comes first; a resync
 *     repairs); a link whose ports are missing is ignored the same way;
 *   - one ATTACHED_TO per host: host.seen / host.moved delete the host's attachments to other ports;
 *     host.gone deletes it; host.moved / host.ip about a host the graph does not have do nothing (as in
 *     the state's reducer);
 *   - HAS_IP and IPs are history and are never deleted; Hosts and Segments are never deleted either.
 *   - a LINK carries `via` ('lldp' | 'rstp') and `latencyMs` (null when not measured; a FLOAT).
 *
 * Neo4j 5.26 quirk (found by the 2000-event integration test; cf. neo4j/neo4j#12783): when a node's
 * indexed property changes and the node is then deleted in the same transaction, an index seek on the new
 * value later in that transaction still returns the deleted node ("Unable to load NODE ..."). A VM whose
 * mac changed and that went in the same batch broke host.seen's `MATCH (v:VM {mac: ...})`. So every
 * delete first REMOVEs the node's mutable indexed properties (VM.mac, VM.name, Port.name), which clears
 * the stale entry.
 */
import type { HostInfo, LinkInfo, PortInfo, PortRef, SegmentInfo, SegmentRef, SwitchInfo, TopologyEvent, VmInfo } from '../model.js';
import { portKey, segmentKey } from '../model.js';

/** Kinds of statements: one per event type (a resync uses them too). */
export type StatementKind = TopologyEvent['type'];

export type Row = Record<string, unknown>;

export interface Statement {
  kind: StatementKind;
  cypher: string;
  rows: Row[];
}

const earliest = (v: string, r: string): string => `CASE WHEN ${v} IS NULL OR ${r} < ${v} THEN ${r} ELSE ${v} END`;
const latest = (v: string, r: string): string => `CASE WHEN ${v} IS NULL OR ${r} > ${v} THEN ${r} ELSE ${v} END`;

export const CYPHER: Readonly<Record<StatementKind, string>> = {
  'switch.up': `UNWIND $rows AS r
MERGE (s:Switch {dpid: r.dpid})
SET s.name = r.name, s.address = r.address, s.nTables = r.nTables, s.connected = r.connected,
    s.firstSeen = ${earliest('s.firstSeen', 'r.firstSeen')}, s.lastSeen = ${latest('s.lastSeen', 'r.lastSeen')}
WITH s, r
CALL (s, r) {
  MATCH (s)-[:HAS_PORT]->(old:Port)
  WHERE NOT old.key IN [p IN r.ports | p.key]
  REMOVE old.name
  DETACH DELETE old
}
CALL (s, r) {
  UNWIND r.ports AS p
  MERGE (pt:Port {key: p.key})
  SET pt.dpid = p.dpid, pt.portNo = p.portNo, pt.name = p.name, pt.mac = p.mac, pt.state = p.state, pt.speed = p.speed
  MERGE (s)-[:HAS_PORT]->(pt)
}`,

  'switch.down': `UNWIND $rows AS r
MATCH (s:Switch {dpid: r.dpid})
SET s.connected = false, s.lastSeen = ${latest('s.lastSeen', 'r.at')}
WITH s
CALL (s) {
  MATCH (s)-[:HAS_PORT]->(:Port)-[l:LINK]-(:Port)
  WITH DISTINCT l
  DELETE l
}`,

  'port.up': `UNWIND $rows AS r
MATCH (s:Switch {dpid: r.dpid})
MERGE (pt:Port {key: r.key})
SET pt.dpid = r.dpid, pt.portNo = r.portNo, pt.name = r.name, pt.mac = r.mac, pt.state = r.state, pt.speed = r.speed
MERGE (s)-[:HAS_PORT]->(pt)`,

  'port.down': `UNWIND $rows AS r
MATCH (s:Switch {dpid: r.dpid})
MERGE (pt:Port {key: r.key})
SET pt.dpid = r.dpid, pt.portNo = r.portNo, pt.name = r.name, pt.mac = r.mac, pt.state = r.state, pt.speed = r.speed
MERGE (s)-[:HAS_PORT]->(pt)
WITH pt
CALL (pt) {
  MATCH (pt)-[l:LINK]-(:Port)
  WITH DISTINCT l
  DELETE l
}`,

  'port.deleted': `UNWIND $rows AS r
MATCH (pt:Port {key: r.key})
REMOVE pt.name
DETACH DELETE pt`,

  'link.up': `UNWIND $rows AS r
MATCH (a:Port {key: r.src})
MATCH (b:Port {key: r.dst})
MERGE (a)-[l:LINK]->(b)
SET l.firstSeen = ${earliest('l.firstSeen', 'r.firstSeen')}, l.lastSeen = ${latest('l.lastSeen', 'r.lastSeen')}, l.via = r.via, l.latencyMs = r.latencyMs`,

  'link.seen': `UNWIND $rows AS r
MATCH (:Port {key: r.src})-[l:LINK]->(:Port {key: r.dst})
SET l.lastSeen = ${latest('l.lastSeen', 'r.at')}, l.latencyMs = coalesce(r.latencyMs, l.latencyMs)`,

  'link.down': `UNWIND $rows AS r
MATCH (:Port {key: r.src})-[l:LINK]->(:Port {key: r.dst})
DELETE l`,

  'host.seen': `UNWIND $rows AS r
MERGE (h:Host {mac: r.mac})
SET h.firstSeen = ${earliest('h.firstSeen', 'r.firstSeen')}, h.lastSeen = ${latest('h.lastSeen', 'r.lastSeen')}, h.source = r.source
WITH h, r
CALL (h, r) {
  MATCH (h)-[old:ATTACHED_TO]->(p:Port)
  WHERE p.key <> r.port
  DELETE old
}
CALL (h, r) {
  MATCH (p:Port {key: r.port})
  MERGE (h)-[a:ATTACHED_TO]->(p)
  ON CREATE SET a.firstSeen = r.attachedAt
  SET a.vlan = r.vlan, a.lastSeen = ${latest('a.lastSeen', 'r.lastSeen')}
}
CALL (h, r) {
  UNWIND r.ips AS ip
  MERGE (i:IP {address: ip.address})
  SET i.version = ip.version
  MERGE (h)-[x:HAS_IP]->(i)
  SET x.firstSeen = ${earliest('x.firstSeen', 'ip.firstSeen')}, x.lastSeen = ${latest('x.lastSeen', 'ip.lastSeen')}
}
CALL (h) {
  MATCH (v:VM {mac: h.mac})
  MERGE (v)-[:HAS_MAC]->(h)
}`,

  'host.moved': `UNWIND $rows AS r
MATCH (h:Host {mac: r.mac})
SET h.lastSeen = ${latest('h.lastSeen', 'r.at')}
WITH h, r
CALL (h, r) {
  MATCH (h)-[old:ATTACHED_TO]->(p:Port)
  WHERE p.key <> r.to
  DELETE old
}
CALL (h, r) {
  MATCH (p:Port {key: r.to})
  MERGE (h)-[a:ATTACHED_TO]->(p)
  ON CREATE SET a.firstSeen = r.at
  SET a.vlan = r.vlan, a.lastSeen = ${latest('a.lastSeen', 'r.at')}
}`,

  'host.ip': `UNWIND $rows AS r
MATCH (h:Host {mac: r.mac})
MERGE (i:IP {address: r.address})
SET i.version = r.version
MERGE (h)-[x:HAS_IP]->(i)
SET x.firstSeen = ${earliest('x.firstSeen', 'r.firstSeen')}, x.lastSeen = ${latest('x.lastSeen', 'r.lastSeen')}`,

  'vm.seen': `UNWIND $rows AS r
MERGE (v:VM {uuid: r.uuid})
SET v.name = r.name, v.ifaceId = r.ifaceId, v.mac = r.mac, v.bridge = r.bridge, v.interfaceName = r.interfaceName,
    v.lastSeen = ${latest('v.lastSeen', 'r.at')}
WITH v, r
CALL (v, r) {
  MATCH (v)-[x:HAS_INTERFACE]->(p:Port)
  WHERE r.port IS NULL OR p.key <> r.port
  DELETE x
}
CALL (v, r) {
  MATCH (p:Port {key: r.port})
  MERGE (v)-[:HAS_INTERFACE]->(p)
}
CALL (v, r) {
  MATCH (v)-[x:HAS_MAC]->(h:Host)
  WHERE r.mac IS NULL OR h.mac <> r.mac
  DELETE x
}
CALL (v, r) {
  MATCH (h:Host {mac: r.mac})
  MERGE (v)-[:HAS_MAC]->(h)
}`,

  'vm.gone': `UNWIND $rows AS r
MATCH (v:VM {uuid: r.uuid})
REMOVE v.mac, v.name
DETACH DELETE v`,

  'segment.seen': `UNWIND $rows AS r
MERGE (s:Segment {key: r.key})
SET s.kind = r.kind, s.id = r.id, s.name = r.name`,

  'port.segments': `UNWIND $rows AS r
MATCH (p:Port {key: r.port})
CALL (p, r) {
  MATCH (p)-[x:IN_SEGMENT]->(s:Segment)
  WHERE NOT s.key IN [g IN r.segments | g.key]
  DELETE x
}
CALL (p, r) {
  UNWIND r.segments AS g
  MERGE (s:Segment {key: g.key})
  ON CREATE SET s.kind = g.kind, s.id = g.id, s.name = g.key
  MERGE (p)-[:IN_SEGMENT]->(s)
}`,

  // The host is no longer tracked: it is attached nowhere (its node and its addresses stay, as history).
  'host.gone': `UNWIND $rows AS r
MATCH (:Host {mac: r.mac})-[a:ATTACHED_TO]->()
DELETE a`,
};

// ---- rows ---------------------------------------------------------------------------------------------

const portRow = (p: PortInfo): Row => ({ key: portKey(p), dpid: p.dpid, portNo: p.portNo, name: p.name, mac: p.mac, state: p.state, speed: p.speed });

export function switchRow(sw: SwitchInfo, ports: readonly PortInfo[], connected: boolean): Row {
  return { dpid: sw.dpid, name: sw.name, address: sw.address, nTables: sw.nTables, connected, firstSeen: sw.firstSeen, lastSeen: sw.lastSeen, ports: ports.map(portRow) };
}

export function linkRow(l: LinkInfo): Row {
  return { src: portKey(l.src), dst: portKey(l.dst), firstSeen: l.firstSeen, lastSeen: l.lastSeen, via: l.via ?? 'lldp', latencyMs: l.latencyMs ?? null };
}

const linkRefRow = (src: PortRef, dst: PortRef): Row => ({ src: portKey(src), dst: portKey(dst) });

/**
 * A host's row. An address without its own times was seen at `at` (the event's time, as the state's
 * reducer takes it), or — in a snapshot — within the host's own firstSeen..lastSeen.
 */
export function hostRow(h: HostInfo, at?: number): Row {
  return {
    mac: h.mac,
    firstSeen: h.firstSeen,
    lastSeen: h.lastSeen,
    source: h.source,
    port: portKey(h.port),
    vlan: h.vlan,
    // An attachment Vigil has no start time for dates from the sighting that reported it.
    attachedAt: h.lastSeen,
    ips: h.ips.map((ip) => ({
      address: ip.address,
      version: ip.version,
      firstSeen: ip.firstSeen ?? at ?? h.firstSeen,
      lastSeen: ip.lastSeen ?? at ?? h.lastSeen,
    })),
  };
}

export function vmRow(v: VmInfo, at: number): Row {
  return { uuid: v.uuid, name: v.name, ifaceId: v.ifaceId, mac: v.mac === null ? null : v.mac.toLowerCase(), bridge: v.bridge, interfaceName: v.interfaceName, port: v.port === null ? null : portKey(v.port), at };
}

export function segmentRow(s: SegmentInfo): Row {
  return { key: segmentKey(s), kind: s.kind, id: s.id, name: s.name };
}

export function portSegmentsRow(port: PortRef, segments: readonly SegmentRef[]): Row {
  return { port: portKey(port), segments: segments.map((g) => ({ key: segmentKey(g), kind: g.kind, id: g.id })) };
}

/** The row an event becomes in its kind's statement. */
export function rowOf(e: TopologyEvent): Row {
  switch (e.type) {
    case 'switch.up':
      return switchRow(e.switch, e.ports, true);
    case 'switch.down':
      return { dpid: e.dpid, at: e.at };
    case 'port.up':
    case 'port.down':
      return portRow(e.port);
    case 'port.deleted':
      return { key: portKey(e.port) };
    case 'link.up':
      return linkRow(e.link);
    case 'link.seen':
      return { ...linkRefRow(e.src, e.dst), at: e.at, latencyMs: e.latencyMs ?? null };
    case 'link.down':
      return linkRefRow(e.src, e.dst);
    case 'host.seen':
      return hostRow(e.host, e.at);
    case 'host.moved':
      return { mac: e.mac, to: portKey(e.to), vlan: e.vlan, at: e.at };
    case 'host.ip':
      return { mac: e.mac, address: e.ip.address, version: e.ip.version, firstSeen: e.ip.firstSeen ?? e.at, lastSeen: e.ip.lastSeen ?? e.at };
    case 'host.gone':
      return { mac: e.mac };
    case 'vm.seen':
      return vmRow(e.vm, e.at);
    case 'vm.gone':
      return { uuid: e.uuid };
    case 'segment.seen':
      return segmentRow(e.segment);
    case 'port.segments':
      return portSegmentsRow(e.port, e.segments);
  }
}
