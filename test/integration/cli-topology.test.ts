/**
 * The built `vigil topology` (dist/cli/main.js; `npm run build` first) against a started API (startApi on a
 * free port) over a seeded Neo4j: the text summary, --json, paging past one request's page, the default URL
 * from VIGIL_API_PORT, and its exit statuses.
 */
import { execFile } from 'node:child_process';
import neo4j, { type Driver } from 'neo4j-driver';
import { Subject } from 'rxjs';
import { startApi, type RunningApi } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/log.js';
import { Registry } from '../../src/observability/metrics.js';
import { ensureNeo4j, releaseNeo4j } from '../support/lab.js';
import { addHosts, HOSTS, S1, S2, S3, seedFabric } from './api-topology-support.js';

const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;

/** Runs the CLI without blocking this process's event loop (the API answers from it). */
function vigil(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let driver: Driver;
let api: RunningApi;
const quiet = createLogger('error', { write() {} });

beforeAll(async () => {
  const conn = await ensureNeo4j();
  driver = neo4j.driver(conn.uri, neo4j.auth.basic(conn.user, conn.password));
  await seedFabric(driver);
  api = await startApi({ api: { ...loadConfig({ env: {} }).api, port: 0 } }, { driver, topologyEvents$: new Subject(), logger: quiet, metrics: new Registry(), env: {} });
}, 300_000);

afterAll(async () => {
  await api?.close();
  await driver?.close();
  await releaseNeo4j();
});

describe('vigil topology', () => {
  it('prints the switches, links, hosts and counts', async () => {
    const r = await vigil(['topology', '--url', api.url]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'SWITCHES (3)',
      'DPID              NAME  CONNECTED  PORTS',
      `${S1}  s1    yes        5`,
      `${S2}  s2    yes        5`,
      `${S3}  s3    yes        5`,
    ]);
    expect(r.stdout).toContain('LINKS (6)\nFROM  TO\ns1:1  s2:1\ns1:2  s3:2\n');
    expect(r.stdout).toMatch(/HOSTS \(6\)\nMAC {16}IPS {2,}SWITCH {2}PORT {2}VLAN\n/);
    expect(r.stdout).toMatch(new RegExp(`\\n${HOSTS.c1}  10\\.0\\.0\\.1,2001:db8::1 +s1 {6}3 {5}-\\n`));
    expect(r.stdout).toMatch(new RegExp(`${HOSTS.c2} +10\\.0\\.0\\.2 +s1 +4 +20\\n`));
    expect(lines.at(-2)).toBe('3 switches (3 connected), 6 links, 6 hosts, 1 VM, 3 segments');
  });

  it('prints one JSON object with --json', async () => {
    const r = await vigil(['topology', '--json', '--url', api.url]);
    expect(r.status).toBe(0);
    const t = JSON.parse(r.stdout) as { switches: unknown[]; links: unknown[]; hosts: { mac: string }[]; counts: unknown };
    expect(t.counts).toEqual({ switches: 3, links: 6, hosts: 6, vms: 1, segments: 3 });
    expect(t.switches[0]).toEqual({ dpid: S1, name: 's1', connected: true, ports: 5 });
    expect(t.links[0]).toEqual({ src: { dpid: S1, portNo: 1 }, dst: { dpid: S2, portNo: 1 } });
    expect(t.hosts.find((h) => h.mac === HOSTS.c2)).toEqual({ mac: HOSTS.c2, ips: ['10.0.0.2'], switch: S1, port: 4, vlan: 20 });
  });

  it('fetches every page (more hosts than one request takes)', async () => {
    const extra = await addHosts(driver, 230);
    try {
      const r = await vigil(['topology', '--json', '--url', api.url]);
      const t = JSON.parse(r.stdout) as { hosts: { mac: string }[]; counts: { hosts: number } };
      expect(t.counts.hosts).toBe(236);
      expect(new Set(t.hosts.map((h) => h.mac)).size).toBe(236);
    } finally {
      await driver.executeQuery('MATCH (h:Host) WHERE h.mac IN $macs DETACH DELETE h', { macs: extra });
    }
  });

  it('finds the API at 127.0.0.1:$VIGIL_API_PORT by default', async () => {
    const r = await vigil(['topology', '--json'], { VIGIL_API_PORT: String(api.address.port) });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { counts: { switches: number } }).counts.switches).toBe(3);
  });

  it('exits 1 when the API cannot be reached or answers with an error', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    const closedPort = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${closedPort}/graphql`;
    const r = await vigil(['topology', '--url', url]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`vigil topology: cannot reach the API at ${url}: ECONNREFUSED\n`);

    const down = neo4j.driver('bolt://127.0.0.1:1', neo4j.auth.basic('neo4j', 'x'), { maxTransactionRetryTime: 0 });
    const broken = await startApi({ api: { ...loadConfig({ env: {} }).api, port: 0 } }, { driver: down, topologyEvents$: new Subject(), logger: quiet, metrics: new Registry(), env: {} });
    try {
      const e = await vigil(['topology', '--url', broken.url]);
      expect(e.status).toBe(1);
      expect(e.stderr).toBe('vigil topology: the API answered: Unexpected error.\n');
    } finally {
      await broken.close();
      await down.close();
    }
  });

  it('exits 2 on a usage error, 0 on --help; the main help lists it', async () => {
    expect((await vigil(['topology', 'extra'])).status).toBe(2);
    expect((await vigil(['topology', '--url', 'ftp://x'])).status).toBe(2);
    expect((await vigil(['topology', '--bogus'])).status).toBe(2);
    const help = await vigil(['topology', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: vigil topology/);
    expect((await vigil(['--help'])).stdout).toMatch(/\n {2}topology +summarize the topology/);
  });
});
