/**
 * Every configuration option, declared once: type, default, environment override and documentation.
 * The loader, the validator and the README's configuration reference all read this table.
 */
export type OptionType = 'string' | 'port' | 'int' | 'boolean' | 'enum';

export interface OptionSpec {
  path: readonly [string, string];
  type: OptionType;
  default: string | number | boolean;
  env?: string;
  values?: readonly string[];
  min?: number;
  max?: number;
  doc: string;
}

export const OPTIONS = [
  { path: ['openflow', 'host'], type: 'string', default: '::', doc: "Address the OpenFlow listener binds ('::' = all IPv4 and IPv6 addresses)." },
  { path: ['openflow', 'port'], type: 'port', default: 6653, env: 'VIGIL_OPENFLOW_PORT', doc: 'OpenFlow listener TCP port.' },
  { path: ['openflow', 'echoIntervalMs'], type: 'int', default: 5000, min: 100, doc: 'Send ECHO_REQUEST after this much silence from a switch.' },
  { path: ['openflow', 'deadAfterMs'], type: 'int', default: 15000, min: 300, doc: 'Close a switch session after this much silence (dead peer).' },
  { path: ['openflow', 'requestTimeoutMs'], type: 'int', default: 10000, min: 100, doc: 'Timeout of one request/reply exchange with a switch.' },
  { path: ['openflow', 'missSendLen'], type: 'int', default: 65535, min: 0, max: 65535, doc: 'Bytes of a packet a switch sends to Vigil (65535 = whole packet).' },
  { path: ['pipeline', 'lldpToController'], type: 'boolean', default: true, doc: 'Install the LLDP-to-controller rule used by link discovery.' },
  { path: ['api', 'host'], type: 'string', default: '127.0.0.1', doc: 'Address the GraphQL API binds.' },
  { path: ['api', 'port'], type: 'port', default: 4000, env: 'VIGIL_API_PORT', doc: 'GraphQL API TCP port.' },
  { path: ['api', 'graphiql'], type: 'boolean', default: false, doc: 'Serve GraphiQL at /graphql to browsers (always on when NODE_ENV=development, which also shows field suggestions and the detail of internal errors).' },
  { path: ['api', 'maxDepth'], type: 'int', default: 10, min: 2, max: 100, doc: 'Deepest field nesting an operation may have (deeper ones are refused with QUERY_LIMIT).' },
  { path: ['api', 'maxCost'], type: 'int', default: 50000, min: 100, doc: "Highest cost an operation may have (graphql-armor's estimate: 2 per object, 1 per scalar, x1.5 per level, x`first` per page; refused with QUERY_LIMIT)." },
  { path: ['api', 'maxAliases'], type: 'int', default: 15, min: 0, max: 1000, doc: 'Most field aliases in one operation.' },
  { path: ['sflow', 'enabled'], type: 'boolean', default: true, doc: '`vigil run` starts the sFlow collector (a port it cannot bind is a start-up error).' },
  { path: ['sflow', 'host'], type: 'string', default: '0.0.0.0', doc: 'Address the sFlow collector binds.' },
  { path: ['sflow', 'port'], type: 'port', default: 6343, env: 'VIGIL_SFLOW_PORT', doc: 'sFlow collector UDP port.' },
  { path: ['sflow', 'receiveBufferBytes'], type: 'int', default: 16777216, min: 65536, max: 1073741824, doc: 'Receive buffer (SO_RCVBUF) the sFlow collector asks for; the kernel caps it at net.core.rmem_max unless Vigil runs privileged.' },
  { path: ['neo4j', 'uri'], type: 'string', default: 'bolt://127.0.0.1:7687', env: 'NEO4J_URI', doc: 'Neo4j Bolt URI.' },
  { path: ['neo4j', 'user'], type: 'string', default: 'neo4j', env: 'NEO4J_USER', doc: 'Neo4j user.' },
  { path: ['neo4j', 'password'], type: 'string', default: '', env: 'NEO4J_PASSWORD', doc: 'Neo4j password (empty: no authentication).' },
  { path: ['neo4j', 'database'], type: 'string', default: 'neo4j', env: 'NEO4J_DATABASE', doc: 'Neo4j database the topology is stored in.' },
  { path: ['neo4j', 'writeBatchSize'], type: 'int', default: 500, min: 1, max: 10000, doc: 'Most topology events written to Neo4j in one transaction.' },
  { path: ['neo4j', 'queueLimit'], type: 'int', default: 20000, min: 10, max: 10000000, doc: "Most topology events waiting for Neo4j (a repeated link or host sighting replaces the queued one); when full, events are dropped and the whole graph is rewritten from the controller's state (resync)." },
  { path: ['neo4j', 'retryMs'], type: 'int', default: 500, min: 10, doc: 'First retry delay after a failed Neo4j write; doubles per failure up to neo4j.retryMaxMs.' },
  { path: ['neo4j', 'retryMaxMs'], type: 'int', default: 30000, min: 10, doc: 'Longest delay between Neo4j write retries.' },
  { path: ['neo4j', 'linkSeenIntervalMs'], type: 'int', default: 5000, min: 0, doc: "Write a link's lastSeen (link.seen) at most this often per link (0: every sighting; discovery.seenIntervalMs already spaces them)." },
  { path: ['discovery', 'lldpIntervalMs'], type: 'int', default: 500, min: 50, max: 600000, doc: 'Send an LLDP probe out of every switch port this often (link discovery). A silent link failure is detected within lldpMissedIntervals x lldpIntervalMs (+ up to a quarter interval); a port going down ends its links at once.' },
  { path: ['discovery', 'lldpMissedIntervals'], type: 'int', default: 4, min: 2, max: 100, doc: 'A link is down after this many probe intervals without a probe (at the defaults: 2 s, within 2.2 s).' },
  { path: ['discovery', 'seenIntervalMs'], type: 'int', default: 10000, min: 0, doc: 'Emit a repeated link.seen / host.seen for the same link or host at most this often (0: every sighting).' },
  { path: ['discovery', 'hostPunt'], type: 'boolean', default: true, doc: 'Copy first packets of unknown sources (IPv4, IPv6) and all ARP / neighbour discovery to Vigil for host discovery (forwarding is never delayed or metered; only the copies are).' },
  { path: ['discovery', 'hostPuntRatePps'], type: 'int', default: 200, min: 1, max: 1000000, doc: 'Copies per second per switch the host-discovery meter lets through to Vigil (a flood loses copies, not traffic).' },
  { path: ['discovery', 'hostPuntBytes'], type: 'int', default: 128, min: 64, max: 65535, doc: 'Bytes of each copied packet sent to Vigil.' },
  { path: ['discovery', 'hostRuleIdleS'], type: 'int', default: 300, min: 1, max: 65535, doc: "Idle timeout (s) of a learned host's no-copy rule; a host silent this long is copied (re-learned) when it speaks again." },
  { path: ['discovery', 'hostSettleMs'], type: 'int', default: 1000, min: 0, max: 60000, doc: 'Wait this long before placing a new host or moving one (and trust a port this long after it comes up), so LLDP can mark switch-to-switch ports first; at least lldpIntervalMs + 100 is used.' },
  { path: ['discovery', 'hostMoveHoldMs'], type: 'int', default: 2000, min: 0, doc: 'A host moves at most once per this many ms (a MAC flapping between ports is held).' },
  { path: ['discovery', 'maxHosts'], type: 'int', default: 50000, min: 1, max: 10000000, doc: 'Hosts tracked at most; the least recently seen is forgotten (host.gone) to make room.' },
  { path: ['discovery', 'sflowHosts'], type: 'boolean', default: true, doc: "Learn hosts from sFlow sampled headers too (ports mapped from the sample's input ifIndex through OVSDB)." },
  { path: ['discovery', 'ovsdbRemote'], type: 'string', default: 'unix:/var/run/openvswitch/db.sock', doc: "OVSDB to read VMs, segments, ifindexes and RSTP state from ('' = none; without it sFlow samples are not mapped to ports and links RSTP blocks are not shown). Unreachable: retried in the background." },
  { path: ['log', 'level'], type: 'enum', default: 'info', env: 'VIGIL_LOG_LEVEL', values: ['debug', 'info', 'warn', 'error'], doc: 'Lowest log level written (JSON lines on stderr).' },
] as const satisfies readonly OptionSpec[];
