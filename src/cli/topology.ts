/**
 * `vigil topology [--url URL] [--json]`: asks a running Vigil's GraphQL API (src/api/server.ts) for the
 * topology and prints a summary — switches, links, hosts, and the counts. Every page of each connection is
 * fetched (cursor by cursor), so the lists are complete however large the network.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';

export const TOPOLOGY_HELP = `Usage: vigil topology [--url URL] [--json] [--config FILE] [--timeout S]

Asks Vigil's GraphQL API for the topology and prints a summary: switches (dpid, name, connected,
number of ports), links, hosts (MAC, IP addresses, switch and port, VLAN) and the counts, with VMs
and segments.
  --url URL          the API's GraphQL endpoint (default http://127.0.0.1:<api.port>/graphql;
                     api.port from VIGIL_API_PORT or the configuration, 4000 by default)
  --json             one JSON object: {switches, links, hosts, counts}
  -c, --config FILE  YAML configuration (api.host, api.port)
  --timeout S        give up after S seconds (default 10)
  -h, --help         this help
Exit status: 0 on success, 1 if the API cannot be reached or answers with an error, 2 on a usage error.`;

/** Rows per request (well inside the API's cost limit). */
const PAGE = 100;

export interface SwitchSummary {
  dpid: string;
  name: string;
  connected: boolean;
  ports: number;
}

export interface LinkSummary {
  src: { dpid: string; portNo: number };
  dst: { dpid: string; portNo: number };
}

export interface HostSummary {
  mac: string;
  ips: string[];
  switch: string | null;
  port: number | null;
  vlan: number | null;
}

export interface TopologySummary {
  switches: SwitchSummary[];
  links: LinkSummary[];
  hosts: HostSummary[];
  counts: { switches: number; links: number; hosts: number; vms: number; segments: number };
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
}

interface Page<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}

const QUERIES = {
  switches: `query ($first: Int!, $after: String) { page: switches(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { dpid name connected ports { portNo } } } } }`,
  links: `query ($first: Int!, $after: String) { page: links(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { src { dpid portNo } dst { dpid portNo } } } } }`,
  hosts: `query ($first: Int!, $after: String) { page: hosts(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { mac ips { address } attachment { vlan port { dpid portNo } } } } } }`,
  counts: `{ vms(first: 1) { totalCount } segments(first: 1) { totalCount } }`,
};

/** One GraphQL request; ApiError for anything but a clean answer. */
async function request<T>(url: string, query: string, variables: Record<string, unknown>, signal: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' || err.name === 'AbortError' ? 'timed out' : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new ApiError(`cannot reach the API at ${url}: ${why}`);
  }
  let body: { data?: T | null; errors?: { message: string }[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError(`${url} answered HTTP ${res.status} without a GraphQL response (is it Vigil's API?)`);
  }
  if (body.errors?.length) throw new ApiError(`the API answered: ${body.errors.map((e) => e.message).join('; ')}`);
  if (!res.ok || !body.data) throw new ApiError(`the API answered HTTP ${res.status} without data`);
  return body.data;
}

async function all<T>(url: string, query: string, signal: AbortSignal): Promise<{ nodes: T[]; total: number }> {
  const nodes: T[] = [];
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const { page }: { page: Page<T> } = await request<{ page: Page<T> }>(url, query, { first: PAGE, after }, signal);
    total = page.totalCount;
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) break;
    after = page.pageInfo.endCursor;
  }
  return { nodes, total };
}

/** The whole topology summary from the API at `url`. */
export async function fetchTopology(url: string, timeoutMs = 10_000): Promise<TopologySummary> {
  const signal = AbortSignal.timeout(timeoutMs);
  type S = { dpid: string; name: string; connected: boolean; ports: { portNo: number }[] };
  type L = LinkSummary;
  type H = { mac: string; ips: { address: string }[]; attachment: { vlan: number | null; port: { dpid: string; portNo: number } } | null };
  const [switches, links, hosts, counts] = await Promise.all([
    all<S>(url, QUERIES.switches, signal),
    all<L>(url, QUERIES.links, signal),
    all<H>(url, QUERIES.hosts, signal),
    request<{ vms: { totalCount: number }; segments: { totalCount: number } }>(url, QUERIES.counts, {}, signal),
  ]);
  return {
    switches: switches.nodes.map((s) => ({ dpid: s.dpid, name: s.name, connected: s.connected, ports: s.ports.length })),
    links: links.nodes.map((l) => ({ src: { dpid: l.src.dpid, portNo: l.src.portNo }, dst: { dpid: l.dst.dpid, portNo: l.dst.portNo } })),
    hosts: hosts.nodes.map((h) => ({
      mac: h.mac,
      ips: h.ips.map((i) => i.address),
      switch: h.attachment?.port.dpid ?? null,
      port: h.attachment?.port.portNo ?? null,
      vlan: h.attachment?.vlan ?? null,
    })),
    counts: { switches: switches.total, links: links.total, hosts: hosts.total, vms: counts.vms.totalCount, segments: counts.segments.totalCount },
  };
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The text summary `vigil topology` prints. */
export function formatTopology(t: TopologySummary): string {
  const names = new Map(t.switches.map((s) => [s.dpid, s.name]));
  const at = (dpid: string, portNo: number): string => `${names.get(dpid) || dpid}:${portNo}`;
  const connected = t.switches.filter((s) => s.connected).length;
  const parts = [
    `SWITCHES (${t.counts.switches})`,
    table(
      ['DPID', 'NAME', 'CONNECTED', 'PORTS'],
      t.switches.map((s) => [s.dpid, s.name, s.connected ? 'yes' : 'no', String(s.ports)]),
    ),
    '',
    `LINKS (${t.counts.links})`,
    table(
      ['FROM', 'TO'],
      t.links.map((l) => [at(l.src.dpid, l.src.portNo), at(l.dst.dpid, l.dst.portNo)]),
    ),
    '',
    `HOSTS (${t.counts.hosts})`,
    table(
      ['MAC', 'IPS', 'SWITCH', 'PORT', 'VLAN'],
      t.hosts.map((h) => [h.mac, h.ips.join(',') || '-', h.switch ? (names.get(h.switch) ?? h.switch) : '-', h.port === null ? '-' : String(h.port), h.vlan === null ? '-' : String(h.vlan)]),
    ),
    '',
    `${plural(t.counts.switches, 'switch', 'switches')} (${connected} connected), ${plural(t.counts.links, 'link')}, ${plural(t.counts.hosts, 'host')}, ` +
      `${plural(t.counts.vms, 'VM')}, ${plural(t.counts.segments, 'segment')}`,
  ];
  return parts.join('\n') + '\n';
}

/** The default endpoint: the configured API address (a wildcard bind is reached on loopback). */
export function defaultApiUrl(api: { host: string; port: number }): string {
  const host = api.host === '0.0.0.0' || api.host === '' ? '127.0.0.1' : api.host === '::' ? '::1' : api.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${api.port}/graphql`;
}

export async function topologyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { url: { type: 'string' }, json: { type: 'boolean' }, config: { type: 'string', short: 'c' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(TOPOLOGY_HELP + '\n');
    return 0;
  }
  if (positionals.length > 0) {
    process.stderr.write(`vigil topology: unexpected argument '${positionals[0]}'\n${TOPOLOGY_HELP}\n`);
    return 2;
  }
  const timeout = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!(timeout > 0)) {
    process.stderr.write(`vigil topology: --timeout takes a number of seconds, got '${values.timeout}'\n`);
    return 2;
  }
  let url = values.url;
  if (url === undefined) url = defaultApiUrl(loadConfig({ file: values.config }).api);
  else if (!/^https?:\/\//.test(url)) {
    process.stderr.write(`vigil topology: --url takes an http(s) URL, got '${url}'\n`);
    return 2;
  }
  try {
    const t = await fetchTopology(url, timeout * 1000);
    process.stdout.write(values.json ? JSON.stringify(t) + '\n' : formatTopology(t));
    return 0;
  } catch (e) {
    if (e instanceof ApiError) {
      process.stderr.write(`vigil topology: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
