/**
 * Reading the topology graph back from Neo4j for tests: the normalized view (GraphView, comparable with
 * expectedGraph() of topology-gen.ts), a raw dump of every node and relationship (for "nothing changed"),
 * and clearing the database.
 */
import type { Driver } from 'neo4j-driver';
import type { GraphView } from './topology-gen.js';

export async function query(driver: Driver, cypher: string, params: Record<string, unknown> = {}, database = 'neo4j'): Promise<Record<string, unknown>[]> {
  const r = await driver.executeQuery(cypher, params, { database });
  return r.records.map((x) => x.toObject());
}

/** Deletes every node and relationship (constraints and indexes stay). */
export async function clearGraph(driver: Driver, database = 'neo4j'): Promise<void> {
  await query(driver, 'MATCH (n) DETACH DELETE n', {}, database);
}

const rec = <T>(rows: [string, T][]): Record<string, T> => Object.fromEntries(rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
type Props = Record<string, unknown>;

/** The topology part of the graph, normalized (throws when a host has two ATTACHED_TO, a VM two HAS_INTERFACE...). */
export async function readGraph(driver: Driver, database = 'neo4j'): Promise<GraphView> {
  const q = (c: string) => query(driver, c, {}, database);
  const one = <T>(what: string, rows: T[]): T | null => {
    if (rows.length > 1) throw new Error(`${what}: ${rows.length} relationships, expected at most one`);
    return rows[0] ?? null;
  };
  const switches = (await q('MATCH (s:Switch) RETURN s{.*} AS s')).map((r) => r.s as Props);
  const ports = await q('MATCH (p:Port) OPTIONAL MATCH (s:Switch)-[:HAS_PORT]->(p) RETURN p{.*} AS p, collect(s.dpid) AS owners');
  const links = await q('MATCH (a:Port)-[l:LINK]->(b:Port) RETURN a.key AS a, b.key AS b, l{.*} AS l');
  const hosts = (await q('MATCH (h:Host) RETURN h{.*} AS h')).map((r) => r.h as Props);
  const att = await q('MATCH (h:Host)-[a:ATTACHED_TO]->(p:Port) RETURN h.mac AS mac, collect({port: p.key, vlan: a.vlan}) AS at');
  const hasIp = await q('MATCH (h:Host)-[x:HAS_IP]->(i:IP) RETURN h.mac AS mac, i.address AS address, x{.*} AS x');
  const ips = await q('MATCH (i:IP) RETURN i.address AS address, i.version AS version');
  const vms = await q('MATCH (v:VM) OPTIONAL MATCH (v)-[:HAS_INTERFACE]->(p:Port) WITH v, collect(p.key) AS ports OPTIONAL MATCH (v)-[:HAS_MAC]->(h:Host) RETURN v{.*} AS v, ports, collect(h.mac) AS macs');
  const segments = (await q('MATCH (s:Segment) RETURN s{.*} AS s')).map((r) => r.s as Props);
  const inSeg = await q("MATCH (p:Port)-[:IN_SEGMENT]->(s:Segment) RETURN p.key + '|' + s.key AS k");
  return {
    switches: rec(switches.map((s) => [String(s.dpid), { name: s.name as string, address: s.address as string, nTables: s.nTables as number, connected: s.connected as boolean, firstSeen: s.firstSeen as number, lastSeen: s.lastSeen as number }])),
    ports: rec(
      ports.map((r) => {
        const p = r.p as Props;
        const owner = one(`HAS_PORT of ${String(p.key)}`, r.owners as string[]);
        return [String(p.key), { owner: owner ?? '(none)', dpid: p.dpid as string, portNo: p.portNo as number, name: p.name as string, mac: p.mac as string, state: p.state as string, speed: p.speed as number }];
      }),
    ),
    links: rec(links.map((r) => {
      const l = r.l as Props;
      return [`${String(r.a)}>${String(r.b)}`, { firstSeen: l.firstSeen as number, lastSeen: l.lastSeen as number, via: l.via as string, latencyMs: (l.latencyMs as number | undefined) ?? null }];
    })),
    hosts: rec(hosts.map((h) => [String(h.mac), { firstSeen: h.firstSeen as number, lastSeen: h.lastSeen as number, source: h.source as string }])),
    attachments: rec(
      att.map((r) => {
        const a = one(`ATTACHED_TO of ${String(r.mac)}`, r.at as { port: string; vlan: number | null }[])!;
        return [String(r.mac), { port: a.port, vlan: a.vlan ?? null }];
      }),
    ),
    hasIp: rec(hasIp.map((r) => [`${String(r.mac)}|${String(r.address)}`, { firstSeen: (r.x as Props).firstSeen as number, lastSeen: (r.x as Props).lastSeen as number }])),
    ips: rec(ips.map((r) => [String(r.address), r.version as number])),
    vms: rec(
      vms.map((r) => {
        const v = r.v as Props;
        return [
          String(v.uuid),
          {
            name: (v.name as string | undefined) ?? null,
            ifaceId: (v.ifaceId as string | undefined) ?? null,
            mac: (v.mac as string | undefined) ?? null,
            bridge: v.bridge as string,
            interfaceName: v.interfaceName as string,
            port: one(`HAS_INTERFACE of ${String(v.uuid)}`, r.ports as string[]),
            hostMac: one(`HAS_MAC of ${String(v.uuid)}`, r.macs as string[]),
          },
        ];
      }),
    ),
    segments: rec(segments.map((s) => [String(s.key), { kind: s.kind as string, id: s.id as number, name: s.name as string }])),
    inSegment: inSeg.map((r) => String(r.k)).sort(),
  };
}

/** Every node and relationship with all properties, as sorted JSON lines (compares whole graphs). */
export async function dumpGraph(driver: Driver, database = 'neo4j'): Promise<string[]> {
  const key = (v: string) => `labels(${v})[0] + ':' + coalesce(${v}.dpid, ${v}.key, ${v}.mac, ${v}.address, ${v}.uuid, ${v}.id, toString(${v}.version))`;
  const nodes = await query(driver, 'MATCH (n) RETURN labels(n) AS labels, properties(n) AS props', {}, database);
  const rels = await query(driver, `MATCH (a)-[r]->(b) RETURN type(r) AS type, ${key('a')} AS a, ${key('b')} AS b, properties(r) AS props`, {}, database);
  const sortKeys = (o: unknown): unknown => (o && typeof o === 'object' && !Array.isArray(o) ? Object.fromEntries(Object.entries(o).sort(([x], [y]) => (x < y ? -1 : 1))) : o);
  return [...nodes.map((n) => JSON.stringify({ ...n, props: sortKeys(n.props) })), ...rels.map((r) => JSON.stringify({ ...r, props: sortKeys(r.props) }))].sort();
}
