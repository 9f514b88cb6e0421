/**
 * The topology read repository: every question the API asks of the Neo4j graph (topology/README.md), as
 * parameterized Cypher in read transactions. Two kinds of method:
 *
 * - connections (switches, links, hosts, vms, segments): one keyset-paginated page (see page.ts), with a
 *   lazily counted total;
 * - batch lookups (`...By...`): many keys, one statement (UNWIND $keys), one result per key in key order —
 *   the batch functions of the API's per-request DataLoaders, so nested fields cost one query per level
 *   of a GraphQL response, not one per object.
 *
 * Every statement is counted in `vigil_topology_read_queries_total{query}` (and failures in
 * `vigil_topology_read_errors_total{query}`), which is also how the tests check the query count.
 */
import neo4j, { type Driver, type ManagedTransaction, type Record as Neo4jRecord } from 'neo4j-driver';
import type { Counter, Registry } from '../../observability/metrics.js';
import type { Dpid, HostSource, PortState, SegmentKind } from '../model.js';
import type { Cidr } from './address.js';
import { afterPredicate, decodeCursor, encodeCursor, orderBy, type CursorValue, type SortKey } from './page.js';
import type {
  ConnectionRow,
  HostRow,
  IpRow,
  LinkRow,
  NeighborRow,
  PortRow,
  SegmentRow,
  SwitchRow,
  VmRow,
} from './rows.js';

export interface TopologyReaderOptions {
  /** The Neo4j driver (only its sessions are used). */
  driver: Pick<Driver, 'session'>;
  /** Database name (default: the server's default database). */
  database?: string;
  metrics?: Registry;
}

export interface PageArgs {
  /** Rows per page (the caller validates its range). */
  first: number;
  /** A cursor from a previous page of the same connection. Malformed: RangeError. */
  after: string | null;
}

export interface HostFilter {
  mac?: string;
  ip?: string;
  cidr?: Cidr;
  segment?: { key: string; kind: SegmentKind; id: number };
  switch?: Dpid;
}

/** A route between two switches: the LINKs crossed, as (out port, in port) pairs in order. */
export interface Route {
  outs: PortRow[];
  ins: PortRow[];
}

// ---- Cypher fragments: one projection per node kind, used by every query that returns it -------------

const SWITCH = (v: string): string => `${v} {.dpid, .name, .address, .nTables, .connected, .firstSeen, .lastSeen}`;
const PORT = (v: string): string => `${v} {.dpid, .portNo, .name, .mac, .state, .speed}`;
const VM = (v: string): string => `${v} {.uuid, .name, .ifaceId, .mac, .bridge, .interfaceName, .lastSeen}`;
const SEGMENT = (v: string): string => `${v} {.key, .kind, .id, .name}`;
/** A host with its (most recent) attachment, in one projection. */
const HOST = (v: string): string =>
  `${v} {.mac, .firstSeen, .lastSeen, .source, attachment: COLLECT { MATCH (${v})-[a:ATTACHED_TO]->(p:Port) ` +
  `RETURN {vlan: a.vlan, firstSeen: a.firstSeen, lastSeen: a.lastSeen, port: ${PORT('p')}} AS x ORDER BY a.lastSeen DESC LIMIT 1 }[0]}`;
/** Host `h` is in segment ($segKey, $segVlan): its access port is, or (VLANs) its traffic there carries the id. */
const IN_SEGMENT = (h: string, key: string, vlan: string): string =>
  `(EXISTS { (${h})-[:ATTACHED_TO]->(:Port)-[:IN_SEGMENT]->(:Segment {key: ${key}}) } OR EXISTS { (${h})-[att:ATTACHED_TO]->(:Port) WHERE att.vlan = ${vlan} })`;

// ---- record values -> rows ---------------------------------------------------------------------------

type Props = Record<string, unknown>;

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (neo4j.isInt(v)) return v.toNumber();
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  return null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function toSwitch(m: Props): SwitchRow {
  return {
    dpid: String(m.dpid),
    name: str(m.name) ?? '',
    address: str(m.address),
    nTables: num(m.nTables),
    connected: m.connected === true,
    firstSeen: num(m.firstSeen),
    lastSeen: num(m.lastSeen),
  };
}

const PORT_STATES: readonly PortState[] = ['up', 'down', 'blocked'];

function toPort(m: Props): PortRow {
  const state = str(m.state);
  return {
    dpid: String(m.dpid),
    portNo: num(m.portNo) ?? 0,
    name: str(m.name) ?? '',
    mac: str(m.mac) ?? '',
    state: PORT_STATES.includes(state as PortState) ? (state as PortState) : 'down',
    speed: num(m.speed) ?? 0,
  };
}

const HOST_SOURCES: readonly HostSource[] = ['packet-in', 'sflow', 'ovsdb'];

function toHost(m: Props): HostRow {
  const att = m.attachment as Props | null | undefined;
  const source = str(m.source);
  return {
    mac: String(m.mac),
    firstSeen: num(m.firstSeen) ?? 0,
    lastSeen: num(m.lastSeen) ?? 0,
    source: HOST_SOURCES.includes(source as HostSource) ? (source as HostSource) : null,
    attachment: att ? { port: toPort(att.port as Props), vlan: num(att.vlan), firstSeen: num(att.firstSeen), lastSeen: num(att.lastSeen) } : null,
  };
}

function toVm(m: Props): VmRow {
  return {
    uuid: String(m.uuid),
    name: str(m.name),
    ifaceId: str(m.ifaceId),
    mac: str(m.mac),
    bridge: str(m.bridge) ?? '',
    interfaceName: str(m.interfaceName) ?? '',
    lastSeen: num(m.lastSeen),
  };
}

function toSegment(m: Props): SegmentRow {
  const kind: SegmentKind = m.kind === 'vni' ? 'vni' : 'vlan';
  const id = num(m.id) ?? 0;
  return { key: str(m.key) ?? `${kind}:${id}`, kind, id, name: str(m.name) ?? '' };
}

function toLink(src: Props, dst: Props, firstSeen: unknown, lastSeen: unknown): LinkRow {
  return { src: toPort(src), dst: toPort(dst), firstSeen: num(firstSeen) ?? 0, lastSeen: num(lastSeen) ?? 0 };
}

// ---- the repository ------------------------------------------------------------------------------------

interface ConnectionSpec<T> {
  /** Names the connection in cursors and metrics. */
  kind: string;
  /** MATCH clause(s) binding the variables `carry` names. */
  match: string;
  where: string[];
  params: Record<string, unknown>;
  carry: string;
  keys: SortKey[];
  /** RETURN list (after paging). */
  project: string;
  map: (r: Neo4jRecord) => T;
  cursorOf: (row: T) => CursorValue[];
  /** Runs first in the same transaction and adds parameters (the CIDR filter's address list). */
  prepare?: (q: Query) => Promise<Record<string, unknown>>;
}

type Query = (name: string, cypher: string, params?: Record<string, unknown>) => Promise<Neo4jRecord[]>;

export class TopologyReader {
  private readonly driver: Pick<Driver, 'session'>;
  private readonly database: string | undefined;
  private readonly queries: Counter | undefined;
  private readonly errors: Counter | undefined;

  constructor(opts: TopologyReaderOptions) {
    this.driver = opts.driver;
    this.database = opts.database;
    this.queries = opts.metrics?.counter('vigil_topology_read_queries_total', 'Cypher statements the topology reader ran, by query');
    this.errors = opts.metrics?.counter('vigil_topology_read_errors_total', 'Topology reader statements that failed, by query');
  }

  /** One read transaction (retried by the driver on transient errors); `q` runs and counts statements. */
  private async read<T>(work: (q: Query) => Promise<T>): Promise<T> {
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ, ...(this.database ? { database: this.database } : {}) });
    try {
      return await session.executeRead((tx: ManagedTransaction) =>
        work(async (name, cypher, params = {}) => {
          this.queries?.inc({ query: name });
          try {
            return (await tx.run(cypher, params)).records;
          } catch (e) {
            this.errors?.inc({ query: name });
            throw e;
          }
        }),
      );
    } finally {
      await session.close();
    }
  }

  private one(name: string, cypher: string, params: Record<string, unknown> = {}): Promise<Neo4jRecord[]> {
    return this.read((q) => q(name, cypher, params));
  }

  /** Answers when Neo4j does (readiness). */
  async ping(): Promise<void> {
    await this.one('ping', 'RETURN 1 AS ok');
  }

  // ---- connections -----------------------------------------------------------------------------------

  private async connection<T>(spec: ConnectionSpec<T>, page: PageArgs): Promise<ConnectionRow<T>> {
    const after = page.after === null ? null : decodeCursor(spec.kind, spec.keys, page.after);
    const baseWhere = [...spec.where];
    let extra: Record<string, unknown> | undefined;
    const whereOf = (conds: string[]): string => (conds.length ? ` WHERE ${conds.join(' AND ')}` : '');
    const rows = await this.read(async (q) => {
      extra = spec.prepare ? await spec.prepare(q) : {};
      const conds = [...baseWhere];
      let params = { ...spec.params, ...extra, limit: neo4j.int(page.first + 1) };
      if (after) {
        const a = afterPredicate(spec.keys, after);
        conds.push(a.where);
        params = { ...params, ...a.params };
      }
      const cypher = `${spec.match}${whereOf(conds)} WITH ${spec.carry} ORDER BY ${orderBy(spec.keys)} LIMIT $limit RETURN ${spec.project} ORDER BY ${orderBy(spec.keys)}`;
      return (await q(`${spec.kind}.page`, cypher, params)).map(spec.map);
    });
    const hasNextPage = rows.length > page.first;
    const nodes = hasNextPage ? rows.slice(0, page.first) : rows;
    const edges = nodes.map((node) => ({ cursor: encodeCursor(spec.kind, spec.cursorOf(node)), node }));
    let total: Promise<number> | undefined;
    return {
      edges,
      pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null, hasPreviousPage: after !== null, startCursor: edges[0]?.cursor ?? null },
      totalCount: () =>
        (total ??= this.read(async (q) => {
          const params = { ...spec.params, ...(extra ?? (spec.prepare ? await spec.prepare(q) : {})) };
          const r = await q(`${spec.kind}.count`, `${spec.match}${whereOf(baseWhere)} RETURN count(*) AS n`, params);
          return num(r[0]?.get('n')) ?? 0;
        })),
    };
  }

  switches(page: PageArgs, filter: { connected?: boolean | null } = {}): Promise<ConnectionRow<SwitchRow>> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (typeof filter.connected === 'boolean') {
      where.push('s.connected = $connected');
      params.connected = filter.connected;
    }
    return this.connection(
      {
        kind: 'switches',
        match: 'MATCH (s:Switch)',
        where,
        params,
        carry: 's',
        keys: [{ expr: 's.dpid', type: 'string' }],
        project: `${SWITCH('s')} AS s`,
        map: (r) => toSwitch(r.get('s') as Props),
        cursorOf: (s) => [s.dpid],
      },
      page,
    );
  }

  links(page: PageArgs, filter: { dpid?: Dpid | null } = {}): Promise<ConnectionRow<LinkRow>> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.dpid) {
      where.push('(a.dpid = $dpid OR b.dpid = $dpid)');
      params.dpid = filter.dpid;
    }
    return this.connection(
      {
        kind: 'links',
        match: 'MATCH (a:Port)-[l:LINK]->(b:Port)',
        where,
        params,
        carry: 'a, l, b',
        keys: [
          { expr: 'a.dpid', type: 'string' },
          { expr: 'a.portNo', type: 'int' },
          { expr: 'b.dpid', type: 'string' },
          { expr: 'b.portNo', type: 'int' },
        ],
        project: `${PORT('a')} AS src, ${PORT('b')} AS dst, l.firstSeen AS firstSeen, l.lastSeen AS lastSeen`,
        map: (r) => toLink(r.get('src') as Props, r.get('dst') as Props, r.get('firstSeen'), r.get('lastSeen')),
        cursorOf: (l) => [l.src.dpid, l.src.portNo, l.dst.dpid, l.dst.portNo],
      },
      page,
    );
  }

  hosts(page: PageArgs, filter: HostFilter = {}): Promise<ConnectionRow<HostRow>> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.mac !== undefined) {
      where.push('h.mac = $mac');
      params.mac = filter.mac;
    }
    if (filter.ip !== undefined) {
      where.push('EXISTS { (h)-[:HAS_IP]->(:IP {address: $ip}) }');
      params.ip = filter.ip;
    }
    if (filter.switch !== undefined) {
      where.push('EXISTS { (h)-[:ATTACHED_TO]->(:Port {dpid: $switch}) }');
      params.switch = filter.switch;
    }
    if (filter.segment !== undefined) {
      where.push(IN_SEGMENT('h', '$segKey', '$segVlan'));
      params.segKey = filter.segment.key;
      params.segVlan = filter.segment.kind === 'vlan' ? neo4j.int(filter.segment.id) : null;
    }
    const cidr = filter.cidr;
    if (cidr) where.push('EXISTS { (h)-[:HAS_IP]->(cip:IP) WHERE cip.address IN $cidrAddresses }');
    return this.connection(
      {
        kind: 'hosts',
        match: 'MATCH (h:Host)',
        where,
        params,
        carry: 'h',
        keys: [{ expr: 'h.mac', type: 'string' }],
        project: `${HOST('h')} AS h`,
        map: (r) => toHost(r.get('h') as Props),
        cursorOf: (h) => [h.mac],
        // Cypher has no CIDR arithmetic (and the graph stores addresses as text): the addresses of the
        // prefix's IP version are matched here, in the same transaction, and the page keeps their hosts.
        prepare: cidr
          ? async (q) => {
              const recs = await q('hosts.cidr', 'MATCH (ip:IP) WHERE ip.version = $version RETURN ip.address AS a', { version: neo4j.int(cidr.version) });
              return { cidrAddresses: recs.map((r) => String(r.get('a'))).filter((a) => cidr.contains(a)) };
            }
          : undefined,
      },
      page,
    );
  }

  vms(page: PageArgs): Promise<ConnectionRow<VmRow>> {
    return this.connection(
      {
        kind: 'vms',
        match: 'MATCH (v:VM)',
        where: [],
        params: {},
        carry: 'v',
        keys: [{ expr: 'v.uuid', type: 'string' }],
        project: `${VM('v')} AS v`,
        map: (r) => toVm(r.get('v') as Props),
        cursorOf: (v) => [v.uuid],
      },
      page,
    );
  }

  segments(page: PageArgs, filter: { kind?: SegmentKind | null } = {}): Promise<ConnectionRow<SegmentRow>> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.kind) {
      where.push('g.kind = $kind');
      params.kind = filter.kind;
    }
    return this.connection(
      {
        kind: 'segments',
        match: 'MATCH (g:Segment)',
        where,
        params,
        carry: 'g',
        keys: [
          { expr: 'g.kind', type: 'string' },
          { expr: 'g.id', type: 'int' },
        ],
        project: `${SEGMENT('g')} AS g`,
        map: (r) => toSegment(r.get('g') as Props),
        cursorOf: (g) => [g.kind, g.id],
      },
      page,
    );
  }

  // ---- batch lookups (DataLoader batch functions) ----------------------------------------------------

  /** Runs `cypher` (which UNWINDs $keys AS k and returns k) and groups the mapped rows by key. */
  private async grouped<T>(name: string, cypher: string, keys: readonly string[], map: (r: Neo4jRecord) => T, params: Record<string, unknown> = {}): Promise<T[][]> {
    const recs = await this.one(name, cypher, { keys: [...new Set(keys)], ...params });
    const by = new Map<string, T[]>();
    for (const r of recs) {
      const k = String(r.get('k'));
      let list = by.get(k);
      if (!list) by.set(k, (list = []));
      list.push(map(r));
    }
    return keys.map((k) => by.get(k) ?? []);
  }

  private async single<T>(name: string, cypher: string, keys: readonly string[], map: (r: Neo4jRecord) => T): Promise<(T | null)[]> {
    return (await this.grouped(name, cypher, keys, map)).map((l) => l[0] ?? null);
  }

  switchesByDpid(dpids: readonly string[]): Promise<(SwitchRow | null)[]> {
    return this.single('switchesByDpid', `UNWIND $keys AS k MATCH (s:Switch {dpid: k}) RETURN k, ${SWITCH('s')} AS s`, dpids, (r) => toSwitch(r.get('s') as Props));
  }

  /** Each switch's ports, by port number. */
  portsBySwitch(dpids: readonly string[]): Promise<PortRow[][]> {
    return this.grouped(
      'portsBySwitch',
      `UNWIND $keys AS k MATCH (:Switch {dpid: k})-[:HAS_PORT]->(p:Port) RETURN k, ${PORT('p')} AS p ORDER BY k, p.portNo`,
      dpids,
      (r) => toPort(r.get('p') as Props),
    );
  }

  /** Ports by key ("<dpid>:<portNo>"). */
  portsByKey(keys: readonly string[]): Promise<(PortRow | null)[]> {
    return this.single('portsByKey', `UNWIND $keys AS k MATCH (p:Port {key: k}) RETURN k, ${PORT('p')} AS p`, keys, (r) => toPort(r.get('p') as Props));
  }

  /** The LINK leaving each port (the most recently seen, should LLDP from one port arrive at two). */
  linksFromPorts(keys: readonly string[]): Promise<(LinkRow | null)[]> {
    return this.single(
      'linksFromPorts',
      `UNWIND $keys AS k MATCH (a:Port {key: k})-[l:LINK]->(b:Port) RETURN k, ${PORT('a')} AS src, ${PORT('b')} AS dst, l.firstSeen AS firstSeen, l.lastSeen AS lastSeen ORDER BY k, l.lastSeen DESC`,
      keys,
      (r) => toLink(r.get('src') as Props, r.get('dst') as Props, r.get('firstSeen'), r.get('lastSeen')),
    );
  }

  /** Hosts attached to each port, by MAC. */
  hostsByPort(keys: readonly string[]): Promise<HostRow[][]> {
    return this.grouped('hostsByPort', `UNWIND $keys AS k MATCH (h:Host)-[:ATTACHED_TO]->(:Port {key: k}) RETURN k, ${HOST('h')} AS h ORDER BY k, h.mac`, keys, (r) =>
      toHost(r.get('h') as Props),
    );
  }

  segmentsByPort(keys: readonly string[]): Promise<SegmentRow[][]> {
    return this.grouped('segmentsByPort', `UNWIND $keys AS k MATCH (:Port {key: k})-[:IN_SEGMENT]->(g:Segment) RETURN k, ${SEGMENT('g')} AS g ORDER BY k, g.kind, g.id`, keys, (r) =>
      toSegment(r.get('g') as Props),
    );
  }

  /** The VM whose interface each port is. */
  vmsByPort(keys: readonly string[]): Promise<(VmRow | null)[]> {
    return this.single('vmsByPort', `UNWIND $keys AS k MATCH (v:VM)-[:HAS_INTERFACE]->(:Port {key: k}) RETURN k, ${VM('v')} AS v ORDER BY k, v.uuid`, keys, (r) => toVm(r.get('v') as Props));
  }

  hostsByMac(macs: readonly string[]): Promise<(HostRow | null)[]> {
    return this.single('hostsByMac', `UNWIND $keys AS k MATCH (h:Host {mac: k}) RETURN k, ${HOST('h')} AS h`, macs, (r) => toHost(r.get('h') as Props));
  }

  /** The host that used each address last. */
  hostsByIp(addresses: readonly string[]): Promise<(HostRow | null)[]> {
    return this.single(
      'hostsByIp',
      `UNWIND $keys AS k MATCH (h:Host)-[r:HAS_IP]->(:IP {address: k}) WITH k, h ORDER BY r.lastSeen DESC WITH k, head(collect(h)) AS h RETURN k, ${HOST('h')} AS h`,
      addresses,
      (r) => toHost(r.get('h') as Props),
    );
  }

  /** Each host's addresses, most recently used first. */
  ipsByHost(macs: readonly string[]): Promise<IpRow[][]> {
    return this.grouped(
      'ipsByHost',
      'UNWIND $keys AS k MATCH (:Host {mac: k})-[r:HAS_IP]->(ip:IP) RETURN k, ip.address AS address, ip.version AS version, r.firstSeen AS firstSeen, r.lastSeen AS lastSeen ORDER BY k, r.lastSeen DESC, address',
      macs,
      (r) => ({ address: String(r.get('address')), version: num(r.get('version')) ?? 0, firstSeen: num(r.get('firstSeen')), lastSeen: num(r.get('lastSeen')) }),
    );
  }

  /** The VM each MAC belongs to. */
  vmsByHost(macs: readonly string[]): Promise<(VmRow | null)[]> {
    return this.single('vmsByHost', `UNWIND $keys AS k MATCH (v:VM)-[:HAS_MAC]->(:Host {mac: k}) RETURN k, ${VM('v')} AS v ORDER BY k, v.uuid`, macs, (r) => toVm(r.get('v') as Props));
  }

  /** Each VM's interface port. */
  portsOfVms(uuids: readonly string[]): Promise<(PortRow | null)[]> {
    return this.single('portsOfVms', `UNWIND $keys AS k MATCH (:VM {uuid: k})-[:HAS_INTERFACE]->(p:Port) RETURN k, ${PORT('p')} AS p`, uuids, (r) => toPort(r.get('p') as Props));
  }

  /** The host each VM's MAC is seen as. */
  hostsOfVms(uuids: readonly string[]): Promise<(HostRow | null)[]> {
    return this.single('hostsOfVms', `UNWIND $keys AS k MATCH (:VM {uuid: k})-[:HAS_MAC]->(h:Host) RETURN k, ${HOST('h')} AS h`, uuids, (r) => toHost(r.get('h') as Props));
  }

  segmentsByKey(keys: readonly string[]): Promise<(SegmentRow | null)[]> {
    return this.single('segmentsByKey', `UNWIND $keys AS k MATCH (g:Segment {key: k}) RETURN k, ${SEGMENT('g')} AS g`, keys, (r) => toSegment(r.get('g') as Props));
  }

  /** Ports in each segment (IN_SEGMENT), by dpid and port number. */
  portsBySegment(keys: readonly string[]): Promise<PortRow[][]> {
    return this.grouped(
      'portsBySegment',
      `UNWIND $keys AS k MATCH (p:Port)-[:IN_SEGMENT]->(:Segment {key: k}) RETURN k, ${PORT('p')} AS p ORDER BY k, p.dpid, p.portNo`,
      keys,
      (r) => toPort(r.get('p') as Props),
    );
  }

  /** Hosts in each segment (as HostFilter.segment), by MAC. */
  hostsBySegment(keys: readonly string[]): Promise<HostRow[][]> {
    const segs = [...new Set(keys)].map((key) => {
      const [kind, id] = key.split(':');
      return { key, vlan: kind === 'vlan' && id !== undefined ? neo4j.int(Number(id)) : null };
    });
    return this.grouped(
      'hostsBySegment',
      `UNWIND $segs AS s MATCH (h:Host) WHERE ${IN_SEGMENT('h', 's.key', 's.vlan')} RETURN s.key AS k, ${HOST('h')} AS h ORDER BY k, h.mac`,
      keys,
      (r) => toHost(r.get('h') as Props),
      { segs },
    );
  }

  /** Each switch's neighbors: one entry per (local port, remote port) joined by a LINK either way. */
  neighborsBySwitch(dpids: readonly string[]): Promise<NeighborRow[][]> {
    return this.grouped(
      'neighborsBySwitch',
      `UNWIND $keys AS k
       MATCH (:Switch {dpid: k})-[:HAS_PORT]->(lp:Port)-[l:LINK]-(rp:Port)<-[:HAS_PORT]-(n:Switch)
       WITH k, lp, rp, n, collect(startNode(l) = lp) AS dirs
       RETURN k, n.dpid AS dpid, ${PORT('lp')} AS lp, ${PORT('rp')} AS rp, any(d IN dirs WHERE d) AS outbound, any(d IN dirs WHERE NOT d) AS inbound
       ORDER BY k, lp.portNo, dpid, rp.portNo`,
      dpids,
      (r) => ({ dpid: String(r.get('dpid')), localPort: toPort(r.get('lp') as Props), remotePort: toPort(r.get('rp') as Props), outbound: r.get('outbound') === true, inbound: r.get('inbound') === true }),
    );
  }

  // ---- paths -----------------------------------------------------------------------------------------

  /**
   * The shortest route from switch `from` to switch `to` over directed LINKs (a quantified path pattern,
   * Neo4j 5 `SHORTEST 1`); null when none. `from === to` is the empty route.
   */
  async route(from: Dpid, to: Dpid): Promise<Route | null> {
    if (from === to) return { outs: [], ins: [] };
    const recs = await this.one(
      'route',
      `MATCH p = SHORTEST 1 (a:Switch {dpid: $from})((:Switch)-[:HAS_PORT]->(o:Port)-[:LINK]->(i:Port)<-[:HAS_PORT]-(:Switch))+(b:Switch {dpid: $to})
       RETURN [x IN o | ${PORT('x')}] AS outs, [x IN i | ${PORT('x')}] AS ins`,
      { from, to },
    );
    const r = recs[0];
    if (!r) return null;
    return { outs: (r.get('outs') as Props[]).map(toPort), ins: (r.get('ins') as Props[]).map(toPort) };
  }
}
