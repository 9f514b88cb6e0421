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
  { path: ['sflow', 'enabled'], type: 'boolean', default: true, doc: '`vigil run` starts the sFlow collector (a port it cannot bind is a start-up error).' },
  { path: ['sflow', 'host'], type: 'string', default: '0.0.0.0', doc: 'Address the sFlow collector binds.' },
  { path: ['sflow', 'port'], type: 'port', default: 6343, env: 'VIGIL_SFLOW_PORT', doc: 'sFlow collector UDP port.' },
  { path: ['sflow', 'receiveBufferBytes'], type: 'int', default: 16777216, min: 65536, max: 1073741824, doc: 'Receive buffer (SO_RCVBUF) the sFlow collector asks for; the kernel caps it at net.core.rmem_max unless Vigil runs privileged.' },
  { path: ['neo4j', 'uri'], type: 'string', default: 'bolt://127.0.0.1:7687', env: 'NEO4J_URI', doc: 'Neo4j Bolt URI.' },
  { path: ['neo4j', 'user'], type: 'string', default: 'neo4j', env: 'NEO4J_USER', doc: 'Neo4j user.' },
  { path: ['neo4j', 'password'], type: 'string', default: '', env: 'NEO4J_PASSWORD', doc: 'Neo4j password (empty: no authentication).' },
  { path: ['log', 'level'], type: 'enum', default: 'info', env: 'VIGIL_LOG_LEVEL', values: ['debug', 'info', 'warn', 'error'], doc: 'Lowest log level written (JSON lines on stderr).' },
] as const satisfies readonly OptionSpec[];
