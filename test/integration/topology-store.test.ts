/**
 * The Neo4j topology store against a real Neo4j 5 (lab/neo4j; NEO4J_URI when lab/test runs one):
 *   - migrations: applied once (a second run applies nothing), constraints and indexes present, a changed
 *     migration refused, integers stored as INTEGER;
 *   - every event type gives exactly the graph topology/README.md describes;
 *   - replaying the same events changes nothing; the event path and a resync give the same graph;
 *   - 2000 generated mixed events written in batches (timed), equal to the state's snapshot;
 *   - Neo4j restarted mid-stream (its database is wiped): the writer queues, reports the store down,
 *     then migrates, resyncs, and the graph equals the snapshot;
 *   - a queue overflow triggers a resync; a database wiped under the writer is detected and rewritten;
 *   - a resync never touches the response loop's nodes.
 * Each test starts from an empty graph with the migrations applied.
 */
import { jest } from '@jest/globals';
import type { Driver } from 'neo4j-driver';
import { silentLogger } from '../../src/observability/log.js';
import { Registry } from '../../src/observability/metrics.js';
import type { TopologyEvent, TopologySnapshot } from '../../src/topology/model.js';
import { emptyState, reduce, snapshot, type TopologyState } from '../../src/topology/state.js';
import { Neo4jBackend } from '../../src/topology/store/backend.js';
import { DRIVER_CONFIG, openNeo4j, type Neo4jHandle } from '../../src/topology/store/connection.js';
import { applyMigrations, loadMigrations, MigrationError, parseMigration } from '../../src/topology/store/migrations.js';
import { TopologyWriter, type StoreStatus, type TopologyWriterOptions } from '../../src/topology/store/writer.js';
import { ensureNeo4j, releaseNeo4j, restartNeo4j, type Neo4jConnection } from '../support/lab.js';
import { dpidN, expectedGraph, generateEvents, macN, portInfo, restrictToSnapshot } from '../support/topology-gen.js';
import { clearGraph, dumpGraph, query, readGraph } from '../support/topology-graph.js';

jest.setTimeout(180_000);

let conn: Neo4jConnection;
let handle: Neo4jHandle;
let driver: Driver;

const config = (c: Neo4jConnection) => ({
  neo4j: { uri: c.uri, user: c.user, password: c.password, database: 'neo4j', writeBatchSize: 500, queueLimit: 100_000, retryMs: 100, retryMaxMs: 1000, linkSeenIntervalMs: 0 },
});

beforeAll(async () => {
  conn = await ensureNeo4j();
  handle = openNeo4j(config(conn), { logger: silentLogger });
  driver = handle.driver;
});

afterAll(async () => {
  await handle?.close();
  await releaseNeo4j();
});

beforeEach(async () => {
  await clearGraph(driver);
  await applyMigrations(driver);
});

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Discovery's role in these tests: fold each event into the state, then hand it to the writer. */
class Discovery {
  state: TopologyState = emptyState();
  constructor(private readonly writer: TopologyWriter) {}
  emit(events: readonly TopologyEvent[]): void {
    for (const e of events) {
      this.state = reduce(this.state, e);
      this.writer.push(e);
    }
  }
  snapshot = (): TopologySnapshot => snapshot(this.state);
}

const writerOptions: TopologyWriterOptions = { batchSize: 500, queueLimit: 100_000, linkSeenIntervalMs: 0, retry: { initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0 } };

function newWriter(opts: Partial<TopologyWriterOptions> = {}, withSnapshot = true) {
  const metrics = new Registry();
  const ref: { disc?: Discovery } = {};
  const writer = new TopologyWriter({ ...writerOptions, ...opts }, { backend: new Neo4jBackend(handle), logger: silentLogger, metrics, ...(withSnapshot ? { snapshot: () => ref.disc!.snapshot() } : {}) });
  const disc = (ref.disc = new Discovery(writer));
  const statuses: StoreStatus[] = [];
  writer.status$.subscribe((s) => statuses.push(s));
  writer.start();
  return { writer, disc, metrics, statuses };
}

/** What the graph should be for the discovery's state (gone hosts stay in the graph as history). */
async function expectGraphEqualsState(disc: Discovery): Promise<void> {
  const snap = disc.snapshot();
  const graph = await readGraph(driver);
  expect(restrictToSnapshot(graph, snap)).toEqual(expectedGraph(snap, Object.keys(graph.hosts)));
}

const D1 = dpidN(1);
const D2 = dpidN(2);
const P = (dpid: string, portNo: number) => ({ dpid, portNo });
const sw = (dpid: string, at: number) => ({ dpid, name: `s${parseInt(dpid, 16)}`, address: `127.0.0.1:${40000 + parseInt(dpid, 16)}`, nTables: 3, connected: true, firstSeen: at, lastSeen: at });

describe('migrations', () => {
  it('are applied once, create the README constraints and indexes, and refuse a changed migration', async () => {
    await clearGraph(driver);
    const again = await applyMigrations(driver);
    // the constraints survived the clear, but the Migration record did not: 0001 runs again, idempotently
    expect(again.applied).toEqual([1]);
    const second = await applyMigrations(driver);
    expect(second).toMatchObject({ applied: [], alreadyApplied: [1], unknown: [] });
    expect(second.marker).toBe(again.marker);

    const [m] = await query(driver, 'MATCH (m:Migration) RETURN m{.*} AS m, valueType(m.appliedAt) AS t, valueType(m.version) AS v');
    expect(m!.m).toMatchObject({ version: 1, name: 'constraints', checksum: loadMigrations()[0]!.checksum });
    expect([m!.t, m!.v]).toEqual(['INTEGER NOT NULL', 'INTEGER NOT NULL']);
    expect((await query(driver, 'MATCH (m:Migration) RETURN count(m) AS n'))[0]!.n).toBe(1);

    const constraints = await query(driver, 'SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes[0] AS label, properties');
    const uniq = constraints.filter((c) => c.type === 'UNIQUENESS').map((c) => `${String(c.label)}.${(c.properties as string[]).join(',')}`).sort();
    expect(uniq).toEqual(['Anomaly.id', 'Decision.id', 'Host.mac', 'IP.address', 'Migration.version', 'MirrorSession.id', 'Policy.name,version', 'Port.key', 'Quarantine.id', 'Segment.key', 'Switch.dpid', 'VM.uuid'].sort());
    const indexes = await query(driver, "SHOW INDEXES YIELD name, type, owningConstraint, labelsOrTypes, properties WHERE type = 'RANGE' AND owningConstraint IS NULL RETURN labelsOrTypes[0] AS label, properties");
    expect(indexes.map((i) => `${String(i.label)}(${(i.properties as string[]).join(',')})`).sort()).toEqual(['Anomaly(at)', 'Decision(at)', 'IP(version)', 'Port(dpid)', 'Port(name)', 'Segment(kind,id)', 'VM(mac)', 'VM(name)'].sort());

    // an applied migration whose statements changed: a clear error, and nothing is applied
    const changed = parseMigration('0001-constraints.cypher', 'CREATE INDEX vigil_test_changed IF NOT EXISTS FOR (n:Switch) ON (n.name);');
    const extra = parseMigration('0002-test-extra.cypher', 'CREATE INDEX vigil_test_extra IF NOT EXISTS FOR (n:Switch) ON (n.address);');
    await expect(applyMigrations(driver, { migrations: [changed, extra] })).rejects.toThrow(MigrationError);
    await expect(applyMigrations(driver, { migrations: [changed, extra] })).rejects.toThrow(/0001-constraints.cypher was applied with other statements/);
    expect(await query(driver, "SHOW INDEXES YIELD name WHERE name STARTS WITH 'vigil_test' RETURN name")).toEqual([]);

    // a new migration is applied after the recorded ones, once
    try {
      const r = await applyMigrations(driver, { migrations: [...loadMigrations(), extra] });
      expect(r).toMatchObject({ applied: [2], alreadyApplied: [1] });
      expect((await applyMigrations(driver, { migrations: [...loadMigrations(), extra] })).applied).toEqual([]);
      // a database migrated by a newer Vigil: reported, not an error
      expect((await applyMigrations(driver)).unknown).toEqual([2]);
    } finally {
      await query(driver, 'DROP INDEX vigil_test_extra IF EXISTS');
      await query(driver, 'MATCH (m:Migration {version: 2}) DELETE m');
    }
  });

  it('openNeo4j reads integers back as JS numbers', async () => {
    const [r] = await query(driver, 'RETURN 1700000000123 AS t, 2.5 AS f');
    expect(r).toEqual({ t: 1_700_000_000_123, f: 2.5 });
    expect(DRIVER_CONFIG.disableLosslessIntegers).toBe(true);
  });
});

describe('TopologyWriter on Neo4j', () => {
  it('writes every event type as the README describes', async () => {
    const { writer, disc } = newWriter();
    const step = async (events: TopologyEvent[]) => {
      disc.emit(events);
      await writer.idle();
    };
    const counts = async () => Object.fromEntries((await query(driver, 'MATCH (n) WHERE NOT n:Migration RETURN labels(n)[0] AS l, count(*) AS n')).map((r) => [r.l, r.n]));
    const relCounts = async () => Object.fromEntries((await query(driver, 'MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n')).map((r) => [r.t, r.n]));

    // switch.up: the switch and all its ports
    await step([
      { type: 'switch.up', at: 1000, switch: sw(D1, 1000), ports: [1, 2, 3].map((n) => portInfo(D1, n)) },
      { type: 'switch.up', at: 1001, switch: sw(D2, 1001), ports: [1, 2].map((n) => portInfo(D2, n)) },
    ]);
    let g = await readGraph(driver);
    expect(g.switches[D1]).toEqual({ name: 's1', address: '127.0.0.1:40001', nTables: 3, connected: true, firstSeen: 1000, lastSeen: 1000 });
    expect(Object.keys(g.ports)).toEqual([`${D1}:1`, `${D1}:2`, `${D1}:3`, `${D2}:1`, `${D2}:2`]);
    expect(g.ports[`${D1}:3`]).toEqual({ owner: D1, dpid: D1, portNo: 3, name: 's1-eth3', mac: portInfo(D1, 3).mac, state: 'up', speed: 10_000_000 });
    expect(await counts()).toEqual({ Switch: 2, Port: 5 });
    const types = await query(driver, `MATCH (s:Switch {dpid: $d})-[:HAS_PORT]->(p:Port {portNo: 1}) RETURN valueType(s.lastSeen) AS a, valueType(s.nTables) AS b, valueType(p.portNo) AS c, valueType(p.speed) AS d, valueType(s.dpid) AS e`, { d: D1 });
    expect(types[0]).toEqual({ a: 'INTEGER NOT NULL', b: 'INTEGER NOT NULL', c: 'INTEGER NOT NULL', d: 'INTEGER NOT NULL', e: 'STRING NOT NULL' });

    // segment.seen and port.segments (a membership names an unknown segment: created, named by its key)
    await step([
      { type: 'segment.seen', at: 1100, segment: { kind: 'vlan', id: 10, name: 'users' } },
      { type: 'port.segments', at: 1101, port: P(D1, 3), segments: [{ kind: 'vlan', id: 10 }, { kind: 'vni', id: 5001 }] },
    ]);
    g = await readGraph(driver);
    expect(g.segments).toEqual({ 'vlan:10': { kind: 'vlan', id: 10, name: 'users' }, 'vni:5001': { kind: 'vni', id: 5001, name: 'vni:5001' } });
    expect(g.inSegment).toEqual([`${D1}:3|vlan:10`, `${D1}:3|vni:5001`]);
    await step([{ type: 'port.segments', at: 1102, port: P(D1, 3), segments: [{ kind: 'vlan', id: 10 }] }]);
    expect((await readGraph(driver)).inSegment).toEqual([`${D1}:3|vlan:10`]);

    // link.up (both directions), link.seen
    await step([
      { type: 'link.up', at: 1200, link: { src: P(D1, 1), dst: P(D2, 1), firstSeen: 1200, lastSeen: 1200, latencyMs: 1.25 } },
      { type: 'link.up', at: 1201, link: { src: P(D2, 1), dst: P(D1, 1), firstSeen: 1201, lastSeen: 1201, via: 'rstp' } },
      { type: 'link.seen', at: 2000, src: P(D1, 1), dst: P(D2, 1), latencyMs: 2 },
    ]);
    g = await readGraph(driver);
    expect(g.links).toEqual({
      [`${D1}:1>${D2}:1`]: { firstSeen: 1200, lastSeen: 2000, via: 'lldp', latencyMs: 2 },
      [`${D2}:1>${D1}:1`]: { firstSeen: 1201, lastSeen: 1201, via: 'rstp', latencyMs: null },
    });
    const lt = await query(driver, 'MATCH ()-[l:LINK {via: "lldp"}]->() RETURN valueType(l.latencyMs) AS t, valueType(l.lastSeen) AS u');
    expect(lt[0]).toEqual({ t: 'FLOAT NOT NULL', u: 'INTEGER NOT NULL' });

    // host.seen, host.ip
    const h1 = macN(1);
    const h2 = macN(2);
    await step([
      { type: 'host.seen', at: 1300, host: { mac: h1, port: P(D1, 3), vlan: null, ips: [{ address: '10.0.0.1', version: 4 }], firstSeen: 1300, lastSeen: 1300, source: 'packet-in' } },
      { type: 'host.ip', at: 1310, mac: h1, ip: { address: 'fd00::1', version: 6 } },
    ]);
    g = await readGraph(driver);
    expect(g.hosts).toEqual({ [h1]: { firstSeen: 1300, lastSeen: 1300, source: 'packet-in' } });
    expect(g.attachments).toEqual({ [h1]: { port: `${D1}:3`, vlan: null } });
    expect(g.ips).toEqual({ '10.0.0.1': 4, 'fd00::1': 6 });
    expect(g.hasIp).toEqual({ [`${h1}|10.0.0.1`]: { firstSeen: 1300, lastSeen: 1300 }, [`${h1}|fd00::1`]: { firstSeen: 1310, lastSeen: 1310 } });

    // vm.seen: HAS_INTERFACE when it has a port, HAS_MAC when the host exists (or appears later)
    await step([
      { type: 'vm.seen', at: 1400, vm: { uuid: 'vm-1', name: 'web', ifaceId: 'if-1', mac: h1.toUpperCase(), port: P(D1, 3), bridge: 'br0', interfaceName: 'vnet0' } },
      { type: 'vm.seen', at: 1401, vm: { uuid: 'vm-2', name: null, ifaceId: null, mac: h2, port: null, bridge: 'br0', interfaceName: 'vnet1' } },
    ]);
    g = await readGraph(driver);
    expect(g.vms).toEqual({
      'vm-1': { name: 'web', ifaceId: 'if-1', mac: h1, bridge: 'br0', interfaceName: 'vnet0', port: `${D1}:3`, hostMac: h1 },
      'vm-2': { name: null, ifaceId: null, mac: h2, bridge: 'br0', interfaceName: 'vnet1', port: null, hostMac: null },
    });
    await step([{ type: 'host.seen', at: 1450, host: { mac: h2, port: P(D2, 2), vlan: 10, ips: [], firstSeen: 1450, lastSeen: 1450, source: 'sflow' } }]);
    expect((await readGraph(driver)).vms['vm-2']!.hostMac).toBe(h2);

    // host.moved: ATTACHED_TO replaced, firstSeen kept
    await step([{ type: 'host.moved', at: 1500, mac: h1, from: P(D1, 3), to: P(D1, 2), vlan: 20 }]);
    g = await readGraph(driver);
    expect(g.attachments[h1]).toEqual({ port: `${D1}:2`, vlan: 20 });
    expect(g.hosts[h1]).toEqual({ firstSeen: 1300, lastSeen: 1500, source: 'packet-in' });
    expect((await query(driver, 'MATCH (:Host {mac: $m})-[a:ATTACHED_TO]->() RETURN a.firstSeen AS f, a.lastSeen AS l', { m: h1 }))[0]).toEqual({ f: 1500, l: 1500 });

    // port.down: state, and the LINKs at the port go; port.up
    await step([{ type: 'port.down', at: 1600, port: portInfo(D1, 1, 'down') }]);
    g = await readGraph(driver);
    expect(g.ports[`${D1}:1`]!.state).toBe('down');
    expect(g.links).toEqual({});
    // (discovery also reports the links down; in the graph they are gone already)
    await step([
      { type: 'link.down', at: 1600, src: P(D1, 1), dst: P(D2, 1), reason: 'port-down' },
      { type: 'link.down', at: 1600, src: P(D2, 1), dst: P(D1, 1), reason: 'port-down' },
    ]);
    await step([{ type: 'port.up', at: 1601, port: portInfo(D1, 1) }]);
    expect((await readGraph(driver)).ports[`${D1}:1`]!.state).toBe('up');

    // switch.down: connected=false, its LINKs go, its ports stay
    await step([
      { type: 'link.up', at: 1700, link: { src: P(D1, 1), dst: P(D2, 1), firstSeen: 1700, lastSeen: 1700 } },
      { type: 'link.down', at: 1750, src: P(D1, 1), dst: P(D2, 1), reason: 'timeout' },
      { type: 'link.up', at: 1760, link: { src: P(D2, 1), dst: P(D1, 1), firstSeen: 1760, lastSeen: 1760 } },
      { type: 'switch.down', at: 1800, dpid: D2 },
    ]);
    expect((await readGraph(driver)).links).toEqual({});
    await step([{ type: 'link.down', at: 1800, src: P(D2, 1), dst: P(D1, 1), reason: 'switch-down' }]);
    g = await readGraph(driver);
    expect(g.switches[D2]).toMatchObject({ connected: false, lastSeen: 1800 });
    expect(g.links).toEqual({});
    expect(Object.keys(g.ports).filter((k) => k.startsWith(D2))).toHaveLength(2);

    // port.deleted: the port and its relationships go (IN_SEGMENT, HAS_INTERFACE); the VM stays
    await step([{ type: 'port.deleted', at: 1900, port: P(D1, 3) }]);
    g = await readGraph(driver);
    expect(g.ports[`${D1}:3`]).toBeUndefined();
    expect(g.inSegment).toEqual([]);
    expect(g.vms['vm-1']!.port).toBeNull();

    // host.gone: no ATTACHED_TO; the Host and its IPs stay as history. vm.gone deletes the VM.
    await step([
      { type: 'host.gone', at: 2000, mac: h2, reason: 'evicted' },
      { type: 'vm.gone', at: 2001, uuid: 'vm-1' },
    ]);
    g = await readGraph(driver);
    expect(g.attachments[h2]).toBeUndefined();
    expect(g.hosts[h2]).toBeDefined();
    expect(Object.keys(g.vms)).toEqual(['vm-2']);

    // switch.up again with another port set: ports not listed are deleted
    await step([{ type: 'switch.up', at: 2100, switch: sw(D1, 2100), ports: [1, 4].map((n) => portInfo(D1, n)) }]);
    g = await readGraph(driver);
    expect(Object.keys(g.ports).filter((k) => k.startsWith(D1))).toEqual([`${D1}:1`, `${D1}:4`]);
    expect(g.switches[D1]).toMatchObject({ connected: true, firstSeen: 1000, lastSeen: 2100 });
    expect(g.attachments[h1]).toBeUndefined(); // its port (2) went with it

    expect(await counts()).toEqual({ Switch: 2, Port: 4, Segment: 2, Host: 2, IP: 2, VM: 1 });
    expect(await relCounts()).toEqual({ HAS_PORT: 4, HAS_IP: 2, HAS_MAC: 1 });
    await expectGraphEqualsState(disc);
    await writer.close();
  });

  it('2000 mixed events: written in batches, equal to the state; a replay and a resync change nothing', async () => {
    const events = generateEvents(2000, { seed: 42, switches: 8, portsPerSwitch: 10, trunkPorts: 3 });
    const byType = events.reduce<Record<string, number>>((m, e) => ((m[e.type] = (m[e.type] ?? 0) + 1), m), {});
    const { writer, disc, metrics } = newWriter({ batchSize: 500 });
    await writer.idle(); // start-up resync of an empty state
    const t0 = performance.now();
    disc.emit(events);
    await writer.idle();
    const ms = performance.now() - t0;
    const st = writer.stats();
    const tr = performance.now();
    await expectGraphEqualsState(disc);
    const readMs = performance.now() - tr;
    expect(st.written + st.coalesced).toBe(events.length);
    expect(metrics.counter('vigil_topology_write_errors_total', '').total()).toBe(0);

    // Replaying the same events (a writer without resync, so only the events are written) changes nothing.
    const before = await dumpGraph(driver);
    const replay = newWriter({ batchSize: 500 }, false);
    const t1 = performance.now();
    replay.disc.emit(events);
    await replay.writer.idle();
    const replayMs = performance.now() - t1;
    expect(await dumpGraph(driver)).toEqual(before);

    // A full resync of the same state over it: the same graph (the event path and the resync agree).
    const backend = new Neo4jBackend(handle);
    const { marker } = await applyMigrations(driver);
    const t2 = performance.now();
    const r = await backend.resync(disc.snapshot(), marker);
    const resyncMs = performance.now() - t2;
    expect(r.removed).toEqual({ switchesDisconnected: 0, links: 0, hostsDetached: 0, vms: 0 });
    await expectGraphEqualsState(disc);
    const snap = disc.snapshot();
    console.log(
      `topology store: ${events.length} events (${JSON.stringify(byType)}) -> ${st.written} written in ${st.batches} batches (${st.coalesced} coalesced) in ${ms.toFixed(0)} ms ` +
        `(${((events.length / ms) * 1000).toFixed(0)} events/s); replay ${replayMs.toFixed(0)} ms; read-back ${readMs.toFixed(0)} ms; ` +
        `full resync of ${snap.switches.length} switches, ${snap.links.length} links, ${snap.hosts.length} hosts, ${snap.vms.length} VMs in ${resyncMs.toFixed(0)} ms (${r.statements} statements)`,
    );
    await replay.writer.close();
    await writer.close();
  });

  it('a VM whose MAC changed and that went in the same batch does not break a later host.seen (Neo4j index quirk)', async () => {
    const { writer, disc } = newWriter();
    const mac = (n: number) => macN(0x500 + n);
    disc.emit([
      { type: 'switch.up', at: 1, switch: sw(D1, 1), ports: [portInfo(D1, 5)] },
      { type: 'vm.seen', at: 2, vm: { uuid: 'vm-x', name: 'a', ifaceId: null, mac: mac(1), port: P(D1, 5), bridge: 'br0', interfaceName: 'tap0' } },
    ]);
    await writer.idle();
    // one batch: the VM's MAC and name change, the VM goes, then a host with that MAC appears
    disc.emit([
      { type: 'vm.seen', at: 3, vm: { uuid: 'vm-x', name: 'b', ifaceId: null, mac: mac(2), port: P(D1, 5), bridge: 'br0', interfaceName: 'tap0' } },
      { type: 'vm.gone', at: 4, uuid: 'vm-x' },
      { type: 'port.up', at: 5, port: { ...portInfo(D1, 5), name: 'renamed' } },
      { type: 'port.deleted', at: 6, port: P(D1, 5) },
      { type: 'host.seen', at: 7, host: { mac: mac(2), port: P(D1, 5), vlan: null, ips: [], firstSeen: 7, lastSeen: 7, source: 'packet-in' } },
    ]);
    await writer.idle();
    expect(writer.stats()).toMatchObject({ errors: 0, resyncs: 1 });
    await expectGraphEqualsState(disc);
    expect((await query(driver, "MATCH (p:Port {name: 'renamed'}) RETURN count(p) AS n"))[0]!.n).toBe(0);
    await writer.close();
  });

  it('sightings (host.seen, link.seen) coalesce and group well: 2000 in a few statements', async () => {
    const { writer, disc } = newWriter({ batchSize: 500 });
    // 4 switches in a ring (8 directed links), 80 hosts on their access ports
    const setup: TopologyEvent[] = [];
    const D = [1, 2, 3, 4].map(dpidN);
    D.forEach((d, i) => setup.push({ type: 'switch.up', at: 10 + i, switch: sw(d, 10 + i), ports: Array.from({ length: 22 }, (_, n) => portInfo(d, n + 1)) }));
    D.forEach((d, i) => {
      const next = D[(i + 1) % 4]!;
      setup.push({ type: 'link.up', at: 20, link: { src: P(d, 1), dst: P(next, 2), firstSeen: 20, lastSeen: 20 } });
      setup.push({ type: 'link.up', at: 20, link: { src: P(next, 2), dst: P(d, 1), firstSeen: 20, lastSeen: 20 } });
    });
    for (let h = 0; h < 80; h++) setup.push({ type: 'host.seen', at: 30, host: { mac: macN(h), port: P(D[h % 4]!, 3 + (h % 20)), vlan: null, ips: [{ address: `10.9.0.${h + 1}`, version: 4 }], firstSeen: 30, lastSeen: 30, source: 'sflow' } });
    disc.emit(setup);
    await writer.idle();
    const st0 = writer.stats();
    const s = disc.snapshot();
    // LLDP and sFlow sightings interleaved, as they arrive
    const sightings: TopologyEvent[] = [];
    for (let i = 0, hi = 0, li = 0; i < 2000; i++) {
      const at = 1_000 + i;
      if (i % 4 !== 3) {
        const h = s.hosts[hi++ % s.hosts.length]!;
        sightings.push({ type: 'host.seen', at, host: { ...h, lastSeen: at, ips: [] } });
      } else {
        const l = s.links[li++ % s.links.length]!;
        sightings.push({ type: 'link.seen', at, src: l.src, dst: l.dst, latencyMs: 0.25 });
      }
    }
    const t0 = performance.now();
    disc.emit(sightings);
    await writer.idle();
    const ms = performance.now() - t0;
    const st = writer.stats();
    await expectGraphEqualsState(disc);
    console.log(`topology store: ${sightings.length} sightings (${s.hosts.length} hosts, ${s.links.length} links) -> ${st.written - st0.written} written in ${st.batches - st0.batches} batches (${st.coalesced - st0.coalesced} coalesced) in ${ms.toFixed(0)} ms`);
    await writer.close();
  });

  it('a queue overflow drops the queue and resyncs; the graph equals the state', async () => {
    const { writer, disc, metrics } = newWriter({ queueLimit: 50, batchSize: 10 });
    await writer.idle();
    disc.emit(generateEvents(600, { seed: 7 })); // synchronously: the pump cannot drain meanwhile
    expect(writer.stats().needsResync).toBe(true);
    await writer.idle();
    expect(metrics.counter('vigil_topology_dropped_events_total', '').get({ reason: 'overflow' })).toBeGreaterThanOrEqual(1);
    expect(metrics.counter('vigil_topology_resyncs_total', '').get({ reason: 'overflow' })).toBe(1);
    const g = await readGraph(driver);
    const snap = disc.snapshot();
    // nothing of the events was written: the resync alone made the graph, hosts included
    expect(g).toEqual(expectedGraph(snap));
    await writer.close();
  });

  it('notices a database wiped under it: migrates and rewrites the graph', async () => {
    const { writer, disc, metrics } = newWriter();
    disc.emit(generateEvents(300, { seed: 3 }));
    await writer.idle();
    await query(driver, 'MATCH (n) DETACH DELETE n');
    disc.emit([{ type: 'segment.seen', at: 1_900_000_000_000, segment: { kind: 'vlan', id: 99, name: 'late' } }]);
    await writer.idle();
    expect(metrics.counter('vigil_topology_resyncs_total', '').get({ reason: 'reset' })).toBe(1);
    expect((await query(driver, 'MATCH (m:Migration) RETURN count(m) AS n'))[0]!.n).toBe(1);
    expect(await readGraph(driver)).toEqual(expectedGraph(disc.snapshot()));
    await writer.close();
  });

  it('a resync keeps the response loop nodes', async () => {
    await query(
      driver,
      `CREATE (h:Host {mac: $mac, firstSeen: 1, lastSeen: 1, source: 'sflow'})
       CREATE (a:Anomaly {id: 'a1', type: 'scan', score: 0.9, at: 5})-[:ABOUT]->(h)
       CREATE (p:Policy {name: 'default', version: 1})
       CREATE (d:Decision {id: 'd1', action: 'mirror', at: 6})-[:BECAUSE]->(a)
       CREATE (d)-[:UNDER]->(p)
       CREATE (:MirrorSession {id: 'm1', percent: 10})-[:FOR]->(h)
       CREATE (:Quarantine {id: 'q1', mode: 'drop'})-[:DECIDED_BY]->(d)`,
      { mac: macN(77) },
    );
    const { writer } = newWriter(); // its start-up resync is of an empty state
    await writer.idle();
    expect(writer.stats().resyncs).toBe(1);
    const left = await query(driver, 'MATCH (n) WHERE NOT n:Migration RETURN labels(n)[0] AS l ORDER BY l');
    expect(left.map((r) => r.l)).toEqual(['Anomaly', 'Decision', 'Host', 'MirrorSession', 'Policy', 'Quarantine']);
    expect((await query(driver, 'MATCH ()-[r]->() RETURN count(r) AS n'))[0]!.n).toBe(5);
    await writer.close();
  });

  it('Neo4j restarted mid-stream: queues, reports the store down, then migrates, resyncs and equals the state', async () => {
    const { writer, disc, metrics, statuses } = newWriter({ batchSize: 100 });
    const events = generateEvents(1500, { seed: 11 });
    disc.emit(events.slice(0, 500));
    await writer.idle();
    expect(writer.stats().up).toBe(true);

    // Restart Neo4j (its database is wiped) while discovery keeps emitting.
    const t0 = performance.now();
    let restarted = false;
    const restart = restartNeo4j().then(() => (restarted = true));
    let i = 500;
    let sawDown = false;
    let queuedWhileDown = 0;
    while (!restarted) {
      if (i < 1400) disc.emit(events.slice(i, (i += 10)));
      if (!writer.stats().up) {
        sawDown = true;
        queuedWhileDown = Math.max(queuedWhileDown, writer.stats().queued);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await restart;
    const restartMs = performance.now() - t0;
    expect(sawDown).toBe(true);
    expect(queuedWhileDown).toBeGreaterThan(0);
    expect(statuses.some((s) => !s.up && s.lastError !== null)).toBe(true);

    disc.emit(events.slice(i));
    const t1 = performance.now();
    await waitFor('the store to come back', () => writer.stats().up && writer.stats().queued === 0 && !writer.stats().needsResync);
    await writer.idle();
    const recoverMs = performance.now() - t1;
    expect(metrics.counter('vigil_topology_resyncs_total', '').get({ reason: 'reconnect' }) + metrics.counter('vigil_topology_resyncs_total', '').get({ reason: 'reset' })).toBeGreaterThanOrEqual(1);
    expect(metrics.gauge('vigil_topology_store_up', '').get()).toBe(1);
    expect(metrics.counter('vigil_topology_write_errors_total', '').total()).toBeGreaterThan(0);

    // The new database: constraints re-created by the migrations, graph equal to the state (no history).
    const constraints = await query(driver, "SHOW CONSTRAINTS YIELD type WHERE type = 'UNIQUENESS' RETURN count(*) AS n");
    expect(constraints[0]!.n).toBe(12);
    expect(await readGraph(driver)).toEqual(expectedGraph(disc.snapshot()));
    console.log(
      `topology store: Neo4j restart took ${(restartMs / 1000).toFixed(1)} s (${queuedWhileDown} events queued at most while down); ` +
        `back, migrated and resynced ${recoverMs.toFixed(0)} ms after it answered; errors ${JSON.stringify(metrics.counter('vigil_topology_write_errors_total', '').expose().split('\n').slice(2))}`,
    );
    await writer.close();
  });
});
