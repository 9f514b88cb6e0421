/**
 * The GraphQL topology API against a real Neo4j (lab/neo4j), in-process through yoga.fetch: every query and
 * filter over a seeded fabric (api-topology-support.ts), pagination, paths and rerouting, neighbors, typed
 * and masked errors, operation limits, the DataLoader query count, subscriptions over SSE, GraphiQL only in
 * development, health/readiness, and the real HTTP server.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { Subject } from 'rxjs';
import { loadConfig, type VigilConfig } from '../../src/config/config.js';
import { createLogger, type Logger } from '../../src/observability/log.js';
import { Registry } from '../../src/observability/metrics.js';
import { createApi, startApi, type Api, type ApiDeps } from '../../src/api/server.js';
import type { TopologyEvent } from '../../src/topology/model.js';
import { ensureNeo4j, releaseNeo4j, type Neo4jConnection } from '../support/lab.js';
import { addHosts, HOSTS, LOCAL, S1, S2, S3, seedFabric, T0 } from './api-topology-support.js';

let conn: Neo4jConnection;
let driver: Driver;

beforeAll(async () => {
  conn = await ensureNeo4j();
  driver = neo4j.driver(conn.uri, neo4j.auth.basic(conn.user, conn.password));
  await seedFabric(driver);
}, 300_000);

afterAll(async () => {
  await driver?.close();
  await releaseNeo4j();
});

const DEFAULTS: VigilConfig = loadConfig({ env: {} });

interface Harness {
  api: Api;
  metrics: Registry;
  logs: string[];
  events: Subject<TopologyEvent>;
}

function harness(opts: { api?: Partial<VigilConfig['api']>; env?: Record<string, string>; deps?: Partial<ApiDeps> } = {}): Harness {
  const metrics = new Registry();
  const logs: string[] = [];
  const logger: Logger = createLogger('debug', { write: (l) => void logs.push(l) });
  const events = new Subject<TopologyEvent>();
  const api = createApi({ api: { ...DEFAULTS.api, ...opts.api } }, { driver, topologyEvents$: events, logger, metrics, env: opts.env ?? {}, ...opts.deps });
  return { api, metrics, logs, events };
}

interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

async function gql(h: Harness, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GqlBody; text: string }> {
  const res = await h.api.yoga.fetch('http://vigil.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as GqlBody, text };
}

/** `data` of a query that must succeed. */
async function data<T = Record<string, unknown>>(h: Harness, query: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await gql(h, query, variables);
  expect(r.body.errors).toBeUndefined();
  expect(r.status).toBe(200);
  return r.body.data as T;
}

const queries = (h: Harness): number => h.metrics.counter('vigil_topology_read_queries_total', '').total();

type Edges<T> = { totalCount: number; edges: { cursor: string; node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

describe('queries', () => {
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });

  it('lists switches by dpid with their ports (LOCAL as an unsigned 32-bit port number)', async () => {
    const d = await data<{ switches: Edges<{ dpid: string; name: string; connected: boolean; nTables: number; firstSeen: number; ports: { portNo: number; name: string; state: string; speed: number }[] }> }>(
      h,
      '{ switches { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { dpid name connected nTables firstSeen ports { portNo name state speed } } } } }',
    );
    expect(d.switches.totalCount).toBe(3);
    expect(d.switches.pageInfo.hasNextPage).toBe(false);
    expect(d.switches.edges.map((e) => e.node.dpid)).toEqual([S1, S2, S3]);
    const s1 = d.switches.edges[0]!.node;
    expect(s1).toMatchObject({ name: 's1', connected: true, nTables: 254, firstSeen: T0 });
    expect(s1.ports.map((p) => p.portNo)).toEqual([1, 2, 3, 4, LOCAL]);
    expect(s1.ports[0]).toEqual({ portNo: 1, name: 's1-eth1', state: 'UP', speed: 10000000 });
    expect(s1.ports[4]!.name).toBe('s1');
  });

  it('filters switches by connected', async () => {
    const d = await data<{ on: { totalCount: number }; off: { totalCount: number } }>(h, '{ on: switches(connected: true) { totalCount } off: switches(connected: false) { totalCount } }');
    expect(d).toEqual({ on: { totalCount: 3 }, off: { totalCount: 0 } });
  });

  it('lists links (one per direction) and filters them by switch', async () => {
    const q = `query ($dpid: String) { links(dpid: $dpid) { totalCount edges { node { src { dpid portNo } dst { dpid portNo } firstSeen lastSeen } } } }`;
    const all = await data<{ links: Edges<{ src: { dpid: string; portNo: number }; dst: { dpid: string; portNo: number }; firstSeen: number; lastSeen: number }> }>(h, q);
    expect(all.links.totalCount).toBe(6);
    expect(all.links.edges.map((e) => `${e.node.src.dpid.slice(-1)}:${e.node.src.portNo}>${e.node.dst.dpid.slice(-1)}:${e.node.dst.portNo}`)).toEqual([
      '1:1>2:1',
      '1:2>3:2',
      '2:1>1:1',
      '2:2>3:1',
      '3:1>2:2',
      '3:2>1:2',
    ]);
    expect(all.links.edges[0]!.node).toMatchObject({ firstSeen: T0 + 100, lastSeen: T0 + 900 });
    const s3 = await data<{ links: Edges<unknown> }>(h, q, { dpid: '3' });
    expect(s3.links.totalCount).toBe(4);
  });

  it('lists hosts with their attachment (switch, port, VLAN), addresses (most recent first) and VM', async () => {
    const d = await data<{
      hosts: Edges<{ mac: string; source: string; ips: { address: string; version: number; lastSeen: number }[]; attachment: { vlan: number | null; switch: { dpid: string; name: string }; port: { portNo: number } }; vm: { name: string } | null }>;
    }>(h, '{ hosts { totalCount edges { node { mac source ips { address version lastSeen } attachment { vlan switch { dpid name } port { portNo } } vm { name } } } } }');
    expect(d.hosts.totalCount).toBe(6);
    const byMac = new Map(d.hosts.edges.map((e) => [e.node.mac, e.node]));
    expect(d.hosts.edges.map((e) => e.node.mac)).toEqual([...Object.values(HOSTS)].sort());
    expect(byMac.get(HOSTS.c1)).toEqual({
      mac: HOSTS.c1,
      source: 'PACKET_IN',
      ips: [
        { address: '10.0.0.1', version: 4, lastSeen: T0 + 50 },
        { address: '2001:db8::1', version: 6, lastSeen: T0 + 40 },
      ],
      attachment: { vlan: null, switch: { dpid: S1, name: 's1' }, port: { portNo: 3 } },
      vm: null,
    });
    expect(byMac.get(HOSTS.c2)!.attachment.vlan).toBe(20);
    expect(byMac.get(HOSTS.honeypot)!.vm).toEqual({ name: 'honeypot-vm' });
    expect(byMac.get(HOSTS.honeypot)!.ips.map((i) => i.address)).toEqual(['10.0.0.99', '10.0.0.13', 'fe80::d']);
  });

  it.each([
    ['mac (any case, dashes)', { mac: '00-00-00-00-00-0B' }, ['srv1']],
    ['IPv4 address', { ip: '10.0.0.12' }, ['srv2']],
    ['IPv4 address no longer current', { ip: '10.0.1.12' }, ['srv2']],
    ['IPv6 address (not in RFC 5952 form)', { ip: '2001:0DB8:0000:0000:0000:0000:0000:0001' }, ['c1']],
    ['IPv4 CIDR', { cidr: '10.0.0.0/24' }, ['c1', 'c2', 'c3', 'srv1', 'srv2', 'honeypot']],
    ['IPv4 CIDR, narrow', { cidr: '10.0.0.8/29' }, ['srv1', 'srv2', 'honeypot']],
    ['IPv4 CIDR, other net', { cidr: '192.168.0.0/16' }, ['c3']],
    ['IPv4 /32 CIDR', { cidr: '10.0.0.99/32' }, ['c3', 'honeypot']],
    ['IPv6 CIDR /32', { cidr: '2001:db8::/32' }, ['c1', 'srv1']],
    ['IPv6 CIDR /64', { cidr: '2001:db8::/64' }, ['c1']],
    ['IPv6 link-local CIDR', { cidr: 'fe80::/10' }, ['honeypot']],
    ['CIDR matching nothing', { cidr: '172.16.0.0/12' }, []],
    ['VLAN segment (access ports)', { segment: 'vlan:10' }, ['c1', 'c3']],
    ['VLAN segment (access ports and tagged traffic)', { segment: 'VLAN:20' }, ['c2', 'srv1', 'srv2']],
    ['VNI segment', { segment: 'vni:5001' }, ['honeypot']],
    ['switch', { switch: '0x2' }, ['srv1', 'srv2']],
    ['switch and CIDR together', { switch: S3, cidr: '10.0.0.0/24' }, ['c3', 'honeypot']],
    ['segment and IP together', { segment: 'vlan:10', ip: '10.0.0.1' }, ['c1']],
  ])('filters hosts by %s', async (_name, filter, expected) => {
    const d = await data<{ hosts: Edges<{ mac: string }> }>(h, 'query ($f: HostFilter) { hosts(filter: $f) { totalCount edges { node { mac } } } }', { f: filter });
    const names = Object.fromEntries(Object.entries(HOSTS).map(([k, v]) => [v, k]));
    expect(d.hosts.edges.map((e) => names[e.node.mac]).sort()).toEqual([...expected].sort());
    expect(d.hosts.totalCount).toBe(expected.length);
  });

  it('lists VMs with their port and host', async () => {
    const d = await data<{ vms: Edges<unknown> }>(h, '{ vms { totalCount edges { node { uuid name ifaceId mac bridge interfaceName lastSeen port { dpid portNo } host { mac } } } } }');
    expect(d.vms.totalCount).toBe(1);
    expect(d.vms.edges[0]!.node).toEqual({
      uuid: 'c0ffee00-0000-4000-8000-00000000000d',
      name: 'honeypot-vm',
      ifaceId: 'iface-hp',
      mac: HOSTS.honeypot,
      bridge: 's3',
      interfaceName: 's3-eth4',
      lastSeen: T0 + 500,
      port: { dpid: S3, portNo: 4 },
      host: { mac: HOSTS.honeypot },
    });
  });

  it('lists segments by kind and id, with their ports and hosts, and filters by kind', async () => {
    const d = await data<{ segments: Edges<{ key: string; kind: string; id: number; name: string; ports: { dpid: string; portNo: number }[]; hosts: { mac: string }[] }> }>(
      h,
      '{ segments { totalCount edges { node { key kind id name ports { dpid portNo } hosts { mac } } } } }',
    );
    expect(d.segments.edges.map((e) => e.node.key)).toEqual(['vlan:10', 'vlan:20', 'vni:5001']);
    expect(d.segments.edges[1]!.node).toEqual({
      key: 'vlan:20',
      kind: 'VLAN',
      id: 20,
      name: 'servers',
      ports: [
        { dpid: S2, portNo: 3 },
        { dpid: S2, portNo: 4 },
      ],
      hosts: [{ mac: HOSTS.c2 }, { mac: HOSTS.srv1 }, { mac: HOSTS.srv2 }],
    });
    const vni = await data<{ segments: Edges<{ key: string }> }>(h, '{ segments(kind: VNI) { totalCount edges { node { key } } } }');
    expect(vni.segments.edges.map((e) => e.node.key)).toEqual(['vni:5001']);
  });

  it('answers one switch and one host by key, null when unknown', async () => {
    const d = await data(h, `{ a: switch(dpid: "1") { name } b: switch(dpid: "ff") { name } c: host(mac: "00:00:00:00:00:0C") { mac } d: host(mac: "00:00:00:00:99:99") { mac } }`);
    expect(d).toEqual({ a: { name: 's1' }, b: null, c: { mac: HOSTS.srv2 }, d: null });
  });

  it("follows a port's link to its peer, and a port's hosts, segments and VM", async () => {
    const d = await data<{ switch: { ports: { portNo: number; link: { dst: { dpid: string } } | null; peer: { dpid: string; portNo: number } | null; hosts: { mac: string }[]; segments: { key: string }[]; vm: { name: string } | null }[] } }>(
      h,
      `{ switch(dpid: "${S3}") { ports { portNo link { dst { dpid } } peer { dpid portNo } hosts { mac } segments { key } vm { name } } } }`,
    );
    const [p1, p2, p3, p4] = d.switch.ports;
    expect(p1).toMatchObject({ portNo: 1, peer: { dpid: S2, portNo: 2 }, hosts: [], segments: [], vm: null });
    expect(p2).toMatchObject({ portNo: 2, link: { dst: { dpid: S1 } }, peer: { dpid: S1, portNo: 2 } });
    expect(p3).toMatchObject({ portNo: 3, link: null, peer: null, hosts: [{ mac: HOSTS.c3 }], segments: [{ key: 'vlan:10' }] });
    expect(p4).toMatchObject({ hosts: [{ mac: HOSTS.honeypot }], segments: [{ key: 'vni:5001' }], vm: { name: 'honeypot-vm' } });
  });
});

describe('pagination', () => {
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });
  let extra: string[];

  beforeAll(async () => {
    extra = await addHosts(driver, 25);
  });

  afterAll(async () => {
    await driver.executeQuery('MATCH (h:Host) WHERE h.mac IN $macs DETACH DELETE h', { macs: extra });
    await driver.executeQuery('MATCH (i:IP) WHERE NOT (i)<-[:HAS_IP]-() DELETE i');
  });

  it('walks every host exactly once, in order, with opaque cursors and the total on each page', async () => {
    const q = 'query ($first: Int!, $after: String) { hosts(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor hasPreviousPage startCursor } edges { cursor node { mac } } } }';
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const d: { hosts: Edges<{ mac: string }> & { pageInfo: { hasPreviousPage: boolean; startCursor: string | null } } } = await data(h, q, { first: 7, after });
      pages++;
      expect(d.hosts.totalCount).toBe(31);
      expect(d.hosts.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(d.hosts.pageInfo.endCursor).toBe(d.hosts.edges.at(-1)?.cursor ?? null);
      expect(d.hosts.pageInfo.startCursor).toBe(d.hosts.edges[0]?.cursor ?? null);
      for (const e of d.hosts.edges) expect(e.cursor).not.toContain(e.node.mac);
      seen.push(...d.hosts.edges.map((e) => e.node.mac));
      if (!d.hosts.pageInfo.hasNextPage) break;
      after = d.hosts.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual([...Object.values(HOSTS), ...extra].sort());
  });

  it('pages a filtered connection (the filter holds on every page) and links by a 4-part key', async () => {
    const page1 = await data<{ hosts: Edges<{ mac: string }> }>(h, '{ hosts(first: 10, filter: { switch: "2" }) { totalCount pageInfo { hasNextPage endCursor } edges { node { mac } } } }');
    expect(page1.hosts.totalCount).toBe(27);
    const page2 = await data<{ hosts: Edges<{ mac: string }> }>(h, 'query ($a: String) { hosts(first: 50, after: $a, filter: { switch: "2" }) { pageInfo { hasNextPage } edges { node { mac } } } }', {
      a: page1.hosts.pageInfo.endCursor,
    });
    expect(page1.hosts.edges.length + page2.hosts.edges.length).toBe(27);
    expect(page2.hosts.pageInfo.hasNextPage).toBe(false);

    const links: string[] = [];
    let after: string | null = null;
    do {
      const d: { links: Edges<{ src: { key: string } }> } = await data(h, 'query ($a: String) { links(first: 4, after: $a) { pageInfo { hasNextPage endCursor } edges { node { src { dpid portNo } } } } }', { a: after });
      links.push(...d.links.edges.map((e) => JSON.stringify(e.node.src)));
      after = d.links.pageInfo.hasNextPage ? d.links.pageInfo.endCursor : null;
    } while (after !== null);
    expect(links).toHaveLength(6);
  });

  it('refuses a cursor of another connection, or not a cursor at all, as BAD_USER_INPUT on after', async () => {
    const sw = await data<{ switches: Edges<unknown> }>(h, '{ switches(first: 1) { pageInfo { hasNextPage endCursor } edges { cursor } } }');
    for (const after of [sw.switches.pageInfo.endCursor, 'garbage!', Buffer.from('["hosts",1]').toString('base64url'), '']) {
      const r = await gql(h, 'query ($a: String) { hosts(after: $a) { totalCount } }', { a: after });
      expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
  });

  it('counts only when totalCount is asked for', async () => {
    const before = h.metrics.counter('vigil_topology_read_queries_total', '').get({ query: 'hosts.count' });
    await data(h, '{ hosts(first: 2) { edges { node { mac } } } }');
    expect(h.metrics.counter('vigil_topology_read_queries_total', '').get({ query: 'hosts.count' })).toBe(before);
  });
});

describe('path and neighbors', () => {
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });
  const PATH = `query ($from: String!, $to: String!) { path(from: $from, to: $to) {
    from { mac } to { mac } length hops { switch { dpid name } inPort { portNo } outPort { portNo } } } }`;
  type PathData = { path: { from: { mac: string }; to: { mac: string }; length: number; hops: { switch: { name: string }; inPort: { portNo: number }; outPort: { portNo: number } }[] } | null };
  const hopsOf = (d: PathData): string[] => d.path!.hops.map((x) => `${x.switch.name}:${x.inPort.portNo}>${x.outPort.portNo}`);

  afterAll(async () => seedFabric(driver));

  it('routes between hosts named by IP or MAC over the shortest LINK path', async () => {
    const d = await data<PathData>(h, PATH, { from: '10.0.0.1', to: '2001:db8:0:1::11' });
    expect(d.path).toMatchObject({ from: { mac: HOSTS.c1 }, to: { mac: HOSTS.srv1 }, length: 1 });
    expect(hopsOf(d)).toEqual(['s1:3>1', 's2:1>3']);
    const byMac = await data<PathData>(h, PATH, { from: HOSTS.srv2, to: HOSTS.c3 });
    expect(hopsOf(byMac)).toEqual(['s2:4>2', 's3:1>3']);
  });

  it('is one hop for hosts on the same switch', async () => {
    const d = await data<PathData>(h, PATH, { from: HOSTS.c1, to: '10.0.0.2' });
    expect(d.path!.length).toBe(0);
    expect(hopsOf(d)).toEqual(['s1:3>4']);
  });

  it('names by an IP used by several hosts the one that used it last', async () => {
    const d = await data<PathData>(h, PATH, { from: '10.0.0.99', to: HOSTS.c1 });
    expect(d.path!.from.mac).toBe(HOSTS.honeypot);
  });

  it('reroutes when a LINK is deleted, and is null when no route is left', async () => {
    await driver.executeQuery('MATCH (:Port {key: $a})-[l:LINK]->(:Port {key: $b}) DELETE l', { a: `${S1}:1`, b: `${S2}:1` });
    const d = await data<PathData>(h, PATH, { from: '10.0.0.1', to: '10.0.0.11' });
    expect(hopsOf(d)).toEqual(['s1:3>2', 's3:2>1', 's2:2>3']);
    expect(d.path!.length).toBe(2);
    // the reverse direction still uses the direct cable
    const back = await data<PathData>(h, PATH, { from: '10.0.0.11', to: '10.0.0.1' });
    expect(hopsOf(back)).toEqual(['s2:3>1', 's1:1>3']);

    await driver.executeQuery('MATCH (:Port {dpid: $d})-[l:LINK]-() DELETE l', { d: S3 });
    const none = await gql(h, PATH, { from: '10.0.0.1', to: '10.0.0.3' });
    expect(none.body).toEqual({ data: { path: null } });
  });

  it('answers NOT_FOUND for an unknown host and BAD_USER_INPUT for one that is neither MAC nor IP', async () => {
    const r = await gql(h, PATH, { from: '10.9.9.9', to: HOSTS.c1 });
    expect(r.body.data).toEqual({ path: null });
    expect(r.body.errors).toEqual([expect.objectContaining({ message: 'no host has IP address 10.9.9.9', path: ['path'], extensions: { code: 'NOT_FOUND', argument: 'from' } })]);
    const bad = await gql(h, PATH, { from: HOSTS.c1, to: 'host-7' });
    expect(bad.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'to' });
  });

  it('lists neighbors with the port pairs and which directions have a LINK', async () => {
    await seedFabric(driver);
    const q = `query ($d: String!) { neighbors(dpid: $d) { switch { name } localPort { portNo } remotePort { portNo } outbound inbound } }`;
    const d = await data<{ neighbors: unknown[] }>(h, q, { d: '1' });
    expect(d.neighbors).toEqual([
      { switch: { name: 's2' }, localPort: { portNo: 1 }, remotePort: { portNo: 1 }, outbound: true, inbound: true },
      { switch: { name: 's3' }, localPort: { portNo: 2 }, remotePort: { portNo: 2 }, outbound: true, inbound: true },
    ]);
    await driver.executeQuery('MATCH (:Port {key: $a})-[l:LINK]->(:Port {key: $b}) DELETE l', { a: `${S2}:1`, b: `${S1}:1` });
    const one = await data<{ neighbors: { outbound: boolean; inbound: boolean }[] }>(h, q, { d: S1 });
    expect(one.neighbors[0]).toMatchObject({ outbound: true, inbound: false });
    const nested = await data<{ switch: { neighbors: { switch: { dpid: string } }[] } }>(h, `{ switch(dpid: "3") { neighbors { switch { dpid } } } }`);
    expect(nested.switch.neighbors.map((n) => n.switch.dpid)).toEqual([S2, S1]);
    const unknown = await gql(h, q, { d: 'abc' });
    expect(unknown.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', argument: 'dpid' });
  });
});

describe('errors', () => {
  it.each([
    ['first: 0', '{ hosts(first: 0) { totalCount } }', 'first'],
    ['first: 501', '{ switches(first: 501) { totalCount } }', 'first'],
    ['first: null', '{ links(first: null) { totalCount } }', 'first'],
    ['a CIDR with a bad length', '{ hosts(filter: { cidr: "10.0.0.0/33" }) { totalCount } }', 'filter.cidr'],
    ['a CIDR with host bits', '{ hosts(filter: { cidr: "10.0.0.1/24" }) { totalCount } }', 'filter.cidr'],
    ['an IPv6 CIDR with a bad length', '{ hosts(filter: { cidr: "2001:db8::/129" }) { totalCount } }', 'filter.cidr'],
    ['not a CIDR', '{ hosts(filter: { cidr: "banana" }) { totalCount } }', 'filter.cidr'],
    ['a bad MAC', '{ hosts(filter: { mac: "00:11:22" }) { totalCount } }', 'filter.mac'],
    ['a bad IP', '{ hosts(filter: { ip: "10.0.0.256" }) { totalCount } }', 'filter.ip'],
    ['a bad segment', '{ hosts(filter: { segment: "vlan:5000" }) { totalCount } }', 'filter.segment'],
    ['a bad dpid', '{ links(dpid: "s1") { totalCount } }', 'dpid'],
  ])('refuses %s as BAD_USER_INPUT naming the argument', async (_name, query, argument) => {
    const h = harness();
    const r = await gql(h, query);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(r.body.errors![0]!.message.startsWith(`${argument}: `)).toBe(true);
    expect(h.metrics.counter('vigil_api_errors_total', '').get({ code: 'BAD_USER_INPUT' })).toBe(1);
  });

  it('says which host bits a CIDR has set', async () => {
    const r = await gql(harness(), '{ hosts(filter: { cidr: "2001:db8::1/64" }) { totalCount } }');
    expect(r.body.errors![0]!.message).toContain('did you mean 2001:db8::/64?');
  });

  it('refuses an unknown field (a GraphQL validation error, HTTP 400), hiding suggestions in production only', async () => {
    const prod = await gql(harness(), '{ hosts { edges { node { macc } } } }');
    expect(prod.status).toBe(400);
    expect(prod.body.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(prod.body.errors![0]!.message).toMatch(/^Cannot query field "macc" on type "Host"\./);
    expect(prod.body.errors![0]!.message).not.toContain('Did you mean');
    const dev = await gql(harness({ env: { NODE_ENV: 'development' } }), '{ hosts { edges { node { macc } } } }');
    expect(dev.body.errors![0]!.message).toContain('Did you mean "mac"?');
  });

  it('refuses a syntax error with HTTP 400 and GRAPHQL_PARSE_FAILED', async () => {
    const r = await gql(harness(), '{ hosts { ');
    expect(r.status).toBe(400);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED' });
  });

  it('masks an internal error as "Unexpected error." and logs the detail', async () => {
    const h = harness();
    h.api.reader.ipsByHost = () => Promise.reject(new Error('secret detail: bolt://internal-db:7687 exploded'));
    const r = await gql(h, '{ hosts(first: 2) { edges { node { mac ips { address } } } } }');
    expect(r.status).toBe(200);
    // ips is non-null up to the root: the first failure nulls the whole answer, and is the one reported
    expect(r.body).toEqual({
      data: null,
      errors: [{ message: 'Unexpected error.', locations: expect.any(Array), path: ['hosts', 'edges', 0, 'node', 'ips'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(r.text).not.toContain('secret');
    const logged = h.logs.map((l) => JSON.parse(l) as { level: string; msg: string; path?: string; error?: { message: string } }).filter((l) => l.msg === 'internal error in a GraphQL operation');
    expect(logged[0]).toMatchObject({ level: 'error', path: 'hosts.edges.0.node.ips', error: { message: 'secret detail: bolt://internal-db:7687 exploded' } });
    expect(h.metrics.counter('vigil_api_errors_total', '').get({ code: 'INTERNAL_SERVER_ERROR' })).toBe(1);
  });

  it('masks Neo4j being unreachable, and /ready says so while /health stays up', async () => {
    const down = neo4j.driver('bolt://127.0.0.1:1', neo4j.auth.basic('neo4j', 'x'), { maxTransactionRetryTime: 0, connectionTimeout: 2000 });
    try {
      const h = harness({ deps: { driver: down } });
      const r = await gql(h, '{ switches { totalCount } }');
      expect(r.body).toEqual({ data: null, errors: [expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })] });
      expect(r.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|ServiceUnavailable/);
      expect(h.logs.join('')).toMatch(/internal error in a GraphQL operation.*ServiceUnavailable/);
      expect((await h.api.yoga.fetch('http://vigil.test/ready')).status).toBe(503);
      expect((await h.api.yoga.fetch('http://vigil.test/health')).status).toBe(200);
    } finally {
      await down.close();
    }
    expect((await harness().api.yoga.fetch('http://vigil.test/ready')).status).toBe(200);
  });

  it('adds the original error to a masked one in development mode', async () => {
    const h = harness({ env: { NODE_ENV: 'development' } });
    h.api.reader.hostsByMac = () => Promise.reject(new Error('dev detail'));
    const r = await gql(h, `{ host(mac: "${HOSTS.c1}") { mac } }`);
    expect(r.body.errors![0]).toMatchObject({ message: 'Unexpected error.', extensions: { originalError: { message: 'dev detail' } } });
  });
});

describe('limits', () => {
  it('refuses an operation deeper than api.maxDepth, with QUERY_LIMIT', async () => {
    const h = harness({ api: { maxDepth: 6 } });
    const ok = await gql(h, '{ hosts(first: 1) { edges { node { attachment { port { portNo } } } } } }');
    expect(ok.body.errors).toBeUndefined();
    const r = await gql(h, '{ hosts(first: 1) { edges { node { attachment { switch { ports { portNo } } } } } } }');
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toEqual([{ message: 'Query depth limit of 6 exceeded, found 7.', extensions: { code: 'QUERY_LIMIT', limit: 'maxDepth' } }]);
    expect(h.metrics.counter('vigil_api_refused_total', '').get({ limit: 'maxDepth' })).toBe(1);
  });

  it('refuses an operation costlier than api.maxCost, with `first` as a literal or as a variable', async () => {
    const h = harness({ api: { maxCost: 5000 } });
    const q = (first: string): string => `query ${first === '$n' ? '($n: Int)' : ''} { hosts(first: ${first}) { edges { node { mac ips { address } attachment { vlan switch { dpid name } } } } } }`;
    expect((await gql(h, q('10'))).body.errors).toBeUndefined();
    for (const [first, variables] of [['400', {}], ['$n', { n: 400 }]] as const) {
      const r = await gql(h, q(first), variables);
      expect(r.body.errors).toEqual([{ message: expect.stringMatching(/^Query Cost limit of 5000 exceeded, found \d+/), extensions: { code: 'QUERY_LIMIT', limit: 'maxCost' } }]);
    }
    expect((await gql(h, q('$n'), { n: 10 })).body.errors).toBeUndefined();
  });

  it('refuses more aliases than api.maxAliases', async () => {
    const h = harness({ api: { maxAliases: 3 } });
    const aliases = (n: number): string => `{ ${Array.from({ length: n }, (_, i) => `a${i}: switches(first: 1) { totalCount }`).join(' ')} }`;
    expect((await gql(h, aliases(3))).body.errors).toBeUndefined();
    expect((await gql(h, aliases(4))).body.errors?.[0]?.extensions).toEqual({ code: 'QUERY_LIMIT', limit: 'maxAliases' });
  });

  it('refuses an operation of more than 1000 tokens', async () => {
    const r = await gql(harness(), `{ switches { ${'totalCount '.repeat(1000)} } }`);
    expect(r.body.errors?.[0]?.extensions).toEqual({ code: 'QUERY_LIMIT', limit: 'maxTokens' });
  });

  it('accepts the queries the CLI sends at the default limits', async () => {
    const h = harness();
    const r = await gql(h, `query ($first: Int!, $after: String) { page: hosts(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { mac ips { address } attachment { vlan port { dpid portNo } } } } } }`, { first: 100, after: null });
    expect(r.body.errors).toBeUndefined();
  });
});

describe('query count (DataLoader)', () => {
  let h: Harness;
  beforeAll(() => {
    h = harness();
  });
  let extra: string[];

  beforeAll(async () => {
    extra = await addHosts(driver, 40);
  });

  afterAll(async () => {
    await driver.executeQuery('MATCH (h:Host) WHERE h.mac IN $macs DETACH DELETE h', { macs: extra });
  });

  const Q = `query ($n: Int!) { hosts(first: $n) { edges { node { mac vm { name } ips { address version }
    attachment { vlan port { name segments { key } link { dst { dpid } } } switch { dpid name ports { portNo } } } } } } }`;

  it('issues the same number of queries for 3 hosts as for 45: one per level, not one per host', async () => {
    const counts: number[] = [];
    for (const n of [3, 45]) {
      const before = queries(h);
      const d = await data<{ hosts: Edges<unknown> }>(h, Q, { n });
      expect(d.hosts.edges).toHaveLength(n);
      counts.push(queries(h) - before);
    }
    // hosts page; then ips, vm, segments, link, switch (same level, one batch each); then the switches' ports
    expect(counts).toEqual([7, 7]);
  });

  it('batches the same lookups of sibling connections into one query', async () => {
    const before = h.metrics.counter('vigil_topology_read_queries_total', '').get({ query: 'switchesByDpid' });
    await data(h, '{ a: hosts(first: 5) { edges { node { attachment { switch { name } } } } } b: links { edges { node { src { switch { name } } } } } }');
    expect(h.metrics.counter('vigil_topology_read_queries_total', '').get({ query: 'switchesByDpid' }) - before).toBe(1);
  });
});

describe('subscriptions over SSE', () => {
  /** Reads SSE messages from a streaming response. */
  function sseReader(res: Response): { next(): Promise<{ event: string; data: unknown }>; cancel(): Promise<void> } {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    return {
      async next() {
        for (;;) {
          const end = buf.indexOf('\n\n');
          if (end >= 0) {
            const block = buf.slice(0, end);
            buf = buf.slice(end + 2);
            const lines = block.split('\n').filter((l) => !l.startsWith(':'));
            if (lines.length === 0) continue; // keep-alive comment
            const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
            const raw = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
            return { event, data: raw ? JSON.parse(raw) : null };
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buf += decoder.decode(value, { stream: true });
        }
      },
      cancel: () => reader.cancel(),
    };
  }

  async function until(cond: () => boolean, ms = 5000): Promise<void> {
    const t0 = Date.now();
    while (!cond()) {
      if (Date.now() - t0 > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  const SUB = `subscription ($types: [TopologyEventType!]) { topologyEvents(types: $types) { __typename type at
    ... on HostSeenEvent { mac port { dpid portNo port { name } } vlan ips { address version } source host { attachment { switch { name } } } }
    ... on LinkDownEvent { src { dpid portNo } dst { dpid portNo } reason }
    ... on SwitchUpEvent { switch { dpid name } ports { portNo } } } }`;

  const hostSeen = (at: number): TopologyEvent => ({
    type: 'host.seen',
    at,
    host: { mac: HOSTS.c1, port: { dpid: S1, portNo: 3 }, vlan: null, ips: [{ address: '10.0.0.1', version: 4 }], firstSeen: T0, lastSeen: at, source: 'sflow' },
  });

  it('pushes the events of the requested types as they happen (POST, text/event-stream)', async () => {
    const h = harness();
    await seedFabric(driver);
    const res = await h.api.yoga.fetch('http://vigil.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUB, variables: { types: ['HOST_SEEN', 'LINK_DOWN'] } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const sse = sseReader(res);
    await until(() => h.events.observed);

    h.events.next({ type: 'switch.up', at: T0, switch: { dpid: S1, name: 's1', address: '', nTables: 254, connected: true, firstSeen: T0, lastSeen: T0 }, ports: [] });
    h.events.next(hostSeen(T0 + 10));
    h.events.next({ type: 'link.up', at: T0 + 11, link: { src: { dpid: S1, portNo: 1 }, dst: { dpid: S2, portNo: 1 }, firstSeen: T0, lastSeen: T0 } });
    h.events.next({ type: 'link.down', at: T0 + 12, src: { dpid: S1, portNo: 1 }, dst: { dpid: S2, portNo: 1 }, reason: 'port-down' });

    const first = await sse.next();
    expect(first).toEqual({
      event: 'next',
      data: {
        data: {
          topologyEvents: {
            __typename: 'HostSeenEvent',
            type: 'HOST_SEEN',
            at: T0 + 10,
            mac: HOSTS.c1,
            port: { dpid: S1, portNo: 3, port: { name: 's1-eth3' } },
            vlan: null,
            ips: [{ address: '10.0.0.1', version: 4 }],
            source: 'SFLOW',
            host: { attachment: { switch: { name: 's1' } } },
          },
        },
      },
    });
    const second = await sse.next();
    expect(second.data).toEqual({
      data: { topologyEvents: { __typename: 'LinkDownEvent', type: 'LINK_DOWN', at: T0 + 12, src: { dpid: S1, portNo: 1 }, dst: { dpid: S2, portNo: 1 }, reason: 'PORT_DOWN' } },
    });

    await sse.cancel();
    await until(() => !h.events.observed);
  });

  it('serves GET with Accept: text/event-stream (EventSource), all types when none are named', async () => {
    const h = harness();
    const url = `http://vigil.test/graphql?query=${encodeURIComponent(SUB)}`;
    const res = await h.api.yoga.fetch(url, { headers: { accept: 'text/event-stream' } });
    const sse = sseReader(res);
    await until(() => h.events.observed);
    h.events.next({ type: 'switch.up', at: T0 + 1, switch: { dpid: S2, name: 's2', address: '', nTables: 254, connected: true, firstSeen: T0, lastSeen: T0 }, ports: [{ dpid: S2, portNo: 7, name: 's2-eth7', mac: 'aa:00:00:00:02:07', state: 'up', speed: 0 }] });
    expect((await sse.next()).data).toEqual({ data: { topologyEvents: { __typename: 'SwitchUpEvent', type: 'SWITCH_UP', at: T0 + 1, switch: { dpid: S2, name: 's2' }, ports: [{ portNo: 7 }] } } });
    await sse.cancel();
  });

  it('resolves each event against the graph as it is then (no stale loader cache)', async () => {
    const h = harness();
    const res = await h.api.yoga.fetch('http://vigil.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { topologyEvents { ... on HostSeenEvent { host { attachment { port { portNo } } } } } }' }),
    });
    const sse = sseReader(res);
    await until(() => h.events.observed);
    h.events.next(hostSeen(T0 + 20));
    expect((await sse.next()).data).toEqual({ data: { topologyEvents: { host: { attachment: { port: { portNo: 3 } } } } } });
    await driver.executeQuery(
      `MATCH (h:Host {mac: $mac})-[a:ATTACHED_TO]->() DELETE a WITH DISTINCT h MATCH (p:Port {key: $port}) CREATE (h)-[:ATTACHED_TO {vlan: null, firstSeen: $t, lastSeen: $t}]->(p)`,
      { mac: HOSTS.c1, port: `${S1}:4`, t: neo4j.int(T0 + 30) },
    );
    h.events.next(hostSeen(T0 + 30));
    expect((await sse.next()).data).toEqual({ data: { topologyEvents: { host: { attachment: { port: { portNo: 4 } } } } } });
    await sse.cancel();
    await seedFabric(driver);
  });
});

describe('GraphiQL and HTTP', () => {
  const page = (h: Harness) => h.api.yoga.fetch('http://vigil.test/graphql', { headers: { accept: 'text/html' } });

  it('serves GraphiQL only in development or when api.graphiql is set', async () => {
    const prod = await page(harness());
    expect(await prod.text()).not.toMatch(/graphiql/i);
    const dev = await page(harness({ env: { NODE_ENV: 'development' } }));
    expect(dev.status).toBe(200);
    expect(dev.headers.get('content-type')).toMatch(/text\/html/);
    expect(await dev.text()).toMatch(/Vigil topology[\s\S]*graphiql/i);
    const opted = await page(harness({ api: { graphiql: true } }));
    expect(await opted.text()).toMatch(/graphiql/i);
  });

  it('sends no CORS headers', async () => {
    const res = await harness().api.yoga.fetch('http://vigil.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ query: '{ switches { totalCount } }' }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('listens on api.host:api.port over node:http and closes with subscriptions open', async () => {
    const events = new Subject<TopologyEvent>();
    const running = await startApi({ api: { ...DEFAULTS.api, port: 0 } }, { driver, topologyEvents$: events, logger: createLogger('error', { write() {} }), metrics: new Registry(), env: {} });
    try {
      expect(running.url).toBe(`http://127.0.0.1:${running.address.port}/graphql`);
      const res = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ switches { totalCount } }' }) });
      expect(await res.json()).toEqual({ data: { switches: { totalCount: 3 } } });
      const sub = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: 'subscription { topologyEvents { type } }' }) });
      expect(sub.status).toBe(200);
      const t0 = Date.now();
      while (!events.observed && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
      expect(events.observed).toBe(true);
    } finally {
      await running.close();
    }
    const t0 = Date.now();
    while (events.observed && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(events.observed).toBe(false);
  });

  it('rejects when the port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startApi({ api: { ...DEFAULTS.api, port } }, { driver, topologyEvents$: new Subject(), logger: createLogger('error', { write() {} }), metrics: new Registry(), env: {} })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      blocker.close();
    }
  });
});
