/**
 * A small fabric-like topology graph for the API tests, written with Cypher exactly as topology/README.md
 * models it (labels, keys, properties, relationship types and directions):
 *
 *   s1 ──(1:1)── s2        switches 0000000000000001..3, ports 1-2 inter-switch (LINK both ways),
 *    \          /          3-4 access, plus LOCAL (4294967294)
 *   (2:2)    (1:2)
 *      \    /
 *        s3
 *
 * | host     | MAC               | port | ATTACHED_TO.vlan | IPs                                 |
 * | c1       | 00:00:00:00:00:01 | s1:3 | null             | 10.0.0.1, 2001:db8::1               |
 * | c2       | 00:00:00:00:00:02 | s1:4 | 20 (trunk)       | 10.0.0.2                            |
 * | srv1     | 00:00:00:00:00:0b | s2:3 | null             | 10.0.0.11, 2001:db8:0:1::11         |
 * | srv2     | 00:00:00:00:00:0c | s2:4 | null             | 10.0.0.12, 10.0.1.12 (older)        |
 * | c3       | 00:00:00:00:00:03 | s3:3 | null             | 10.0.0.3, 192.168.1.3, 10.0.0.99 (older) |
 * | honeypot | 00:00:00:00:00:0d | s3:4 | null             | 10.0.0.13, fe80::d, 10.0.0.99 (newer)    |
 *
 * Segments: vlan:10 "clients" (s1:3, s3:3), vlan:20 "servers" (s2:3, s2:4; c2's tagged traffic),
 * vni:5001 "tenant-a" (s3:4). VM "honeypot-vm" has its interface on s3:4 and the honeypot's MAC.
 */
import neo4j, { type Driver } from 'neo4j-driver';

export const T0 = 1_763_000_000_000;
export const S1 = '0000000000000001';
export const S2 = '0000000000000002';
export const S3 = '0000000000000003';
export const LOCAL = 4294967294;

export const HOSTS = {
  c1: '00:00:00:00:00:01',
  c2: '00:00:00:00:00:02',
  c3: '00:00:00:00:00:03',
  srv1: '00:00:00:00:00:0b',
  srv2: '00:00:00:00:00:0c',
  honeypot: '00:00:00:00:00:0d',
} as const;

const SWITCHES = [
  { dpid: S1, name: 's1', address: '127.0.0.1:50001' },
  { dpid: S2, name: 's2', address: '127.0.0.1:50002' },
  { dpid: S3, name: 's3', address: '127.0.0.1:50003' },
];

/** [dpid, portNo] pairs joined by a cable (two LINKs each). */
const CABLES: [[string, number], [string, number]][] = [
  [[S1, 1], [S2, 1]],
  [[S2, 2], [S3, 1]],
  [[S3, 2], [S1, 2]],
];

const ATTACH: { mac: string; dpid: string; portNo: number; vlan: number | null; ips: [string, number, number][] }[] = [
  { mac: HOSTS.c1, dpid: S1, portNo: 3, vlan: null, ips: [['10.0.0.1', 4, 50], ['2001:db8::1', 6, 40]] },
  { mac: HOSTS.c2, dpid: S1, portNo: 4, vlan: 20, ips: [['10.0.0.2', 4, 50]] },
  { mac: HOSTS.srv1, dpid: S2, portNo: 3, vlan: null, ips: [['10.0.0.11', 4, 50], ['2001:db8:0:1::11', 6, 45]] },
  { mac: HOSTS.srv2, dpid: S2, portNo: 4, vlan: null, ips: [['10.0.0.12', 4, 50], ['10.0.1.12', 4, 10]] },
  { mac: HOSTS.c3, dpid: S3, portNo: 3, vlan: null, ips: [['10.0.0.3', 4, 50], ['192.168.1.3', 4, 30], ['10.0.0.99', 4, 5]] },
  { mac: HOSTS.honeypot, dpid: S3, portNo: 4, vlan: null, ips: [['10.0.0.13', 4, 50], ['fe80::d', 6, 20], ['10.0.0.99', 4, 60]] },
];

const SEGMENTS = [
  { kind: 'vlan', id: 10, name: 'clients', ports: [[S1, 3], [S3, 3]] },
  { kind: 'vlan', id: 20, name: 'servers', ports: [[S2, 3], [S2, 4]] },
  { kind: 'vni', id: 5001, name: 'tenant-a', ports: [[S3, 4]] },
] as const;

const int = (n: number) => neo4j.int(n);

export async function clearGraph(driver: Driver): Promise<void> {
  await driver.executeQuery('MATCH (n) DETACH DELETE n');
}

/** Empties the database and writes the fabric above. */
export async function seedFabric(driver: Driver): Promise<void> {
  await clearGraph(driver);
  const session = driver.session();
  try {
    await session.executeWrite(async (tx) => {
      await tx.run(
        `UNWIND $switches AS s
         CREATE (sw:Switch {dpid: s.dpid, name: s.name, address: s.address, nTables: 254, connected: true, firstSeen: $t0, lastSeen: $t1})
         WITH sw, s
         UNWIND $portNos AS n
         CREATE (sw)-[:HAS_PORT]->(:Port {key: s.dpid + ':' + toString(n), dpid: s.dpid, portNo: n,
                name: CASE n WHEN $local THEN s.name ELSE s.name + '-eth' + toString(n) END,
                mac: 'aa:00:00:00:' + right(s.dpid, 2) + ':0' + toString(n % 10), state: 'up', speed: 10000000})`,
        { switches: SWITCHES, portNos: [1, 2, 3, 4, LOCAL].map(int), local: int(LOCAL), t0: int(T0), t1: int(T0 + 1000) },
      );
      await tx.run(
        `UNWIND $cables AS c
         MATCH (a:Port {key: c[0]}), (b:Port {key: c[1]})
         CREATE (a)-[:LINK {firstSeen: $t0, lastSeen: $t1}]->(b), (b)-[:LINK {firstSeen: $t0, lastSeen: $t1}]->(a)`,
        { cables: CABLES.map(([a, b]) => [`${a[0]}:${a[1]}`, `${b[0]}:${b[1]}`]), t0: int(T0 + 100), t1: int(T0 + 900) },
      );
      await tx.run(
        `UNWIND $hosts AS h
         MATCH (p:Port {key: h.port})
         CREATE (host:Host {mac: h.mac, firstSeen: $t0, lastSeen: $t0 + 100, source: 'packet-in'})-[:ATTACHED_TO {vlan: h.vlan, firstSeen: $t0, lastSeen: $t0 + 100}]->(p)
         WITH host, h
         UNWIND h.ips AS ip
         MERGE (i:IP {address: ip[0]}) ON CREATE SET i.version = ip[1]
         CREATE (host)-[:HAS_IP {firstSeen: $t0, lastSeen: $t0 + ip[2]}]->(i)`,
        {
          hosts: ATTACH.map((h) => ({ mac: h.mac, port: `${h.dpid}:${h.portNo}`, vlan: h.vlan === null ? null : int(h.vlan), ips: h.ips.map(([a, v, t]) => [a, int(v), int(t)]) })),
          t0: int(T0),
        },
      );
      await tx.run(
        `UNWIND $segments AS s
         CREATE (g:Segment {key: s.kind + ':' + toString(s.id), kind: s.kind, id: s.id, name: s.name})
         WITH g, s
         UNWIND s.ports AS p
         MATCH (pt:Port {key: p})
         CREATE (pt)-[:IN_SEGMENT]->(g)`,
        { segments: SEGMENTS.map((s) => ({ kind: s.kind, id: int(s.id), name: s.name, ports: s.ports.map(([d, n]) => `${d}:${n}`) })) },
      );
      await tx.run(
        `MATCH (p:Port {key: $port}), (h:Host {mac: $mac})
         CREATE (v:VM {uuid: 'c0ffee00-0000-4000-8000-00000000000d', name: 'honeypot-vm', ifaceId: 'iface-hp', mac: $mac, bridge: 's3', interfaceName: 's3-eth4', lastSeen: $t})
         CREATE (v)-[:HAS_INTERFACE]->(p), (v)-[:HAS_MAC]->(h)`,
        { port: `${S3}:4`, mac: HOSTS.honeypot, t: int(T0 + 500) },
      );
    });
  } finally {
    await session.close();
  }
}

/** Adds `n` more hosts on s2:3 (02:00:00:00:xx:yy, 10.1.x.y) for pagination and query-count tests. */
export async function addHosts(driver: Driver, n: number): Promise<string[]> {
  const hosts = Array.from({ length: n }, (_, i) => ({
    mac: `02:00:00:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`,
    ip: `10.1.${(i >> 8) & 0xff}.${i & 0xff}`,
  }));
  await driver.executeQuery(
    `MATCH (p:Port {key: $port})
     UNWIND $hosts AS h
     CREATE (host:Host {mac: h.mac, firstSeen: $t, lastSeen: $t, source: 'sflow'})-[:ATTACHED_TO {vlan: null, firstSeen: $t, lastSeen: $t}]->(p)
     MERGE (i:IP {address: h.ip}) ON CREATE SET i.version = 4
     CREATE (host)-[:HAS_IP {firstSeen: $t, lastSeen: $t}]->(i)`,
    { port: `${S2}:3`, hosts, t: int(T0 + 2000) },
  );
  return hosts.map((h) => h.mac);
}
