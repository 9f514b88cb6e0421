/**
 * Typed configuration: defaults, then the YAML file, then environment overrides. Unknown keys and bad
 * values are rejected with their file line; the result is deeply frozen (ARCHITECTURE §7).
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { LogLevel } from '../observability/log.js';
import { OPTIONS, type OptionSpec } from './options.js';

export interface VigilConfig {
  readonly openflow: { readonly host: string; readonly port: number; readonly echoIntervalMs: number; readonly deadAfterMs: number; readonly requestTimeoutMs: number; readonly missSendLen: number };
  readonly pipeline: { readonly lldpToController: boolean };
  readonly api: { readonly host: string; readonly port: number; readonly graphiql: boolean; readonly maxDepth: number; readonly maxCost: number; readonly maxAliases: number };
  readonly sflow: { readonly enabled: boolean; readonly host: string; readonly port: number; readonly receiveBufferBytes: number };
  readonly neo4j: {
    readonly uri: string;
    readonly user: string;
    readonly password: string;
    readonly database: string;
    readonly writeBatchSize: number;
    readonly queueLimit: number;
    readonly retryMs: number;
    readonly retryMaxMs: number;
    readonly linkSeenIntervalMs: number;
  };
  readonly discovery: {
    readonly lldpIntervalMs: number;
    readonly lldpMissedIntervals: number;
    readonly seenIntervalMs: number;
    readonly hostPunt: boolean;
    readonly hostPuntRatePps: number;
    readonly hostPuntBytes: number;
    readonly hostRuleIdleS: number;
    readonly hostSettleMs: number;
    readonly hostMoveHoldMs: number;
    readonly maxHosts: number;
    readonly sflowHosts: boolean;
    readonly ovsdbRemote: string;
  };
  readonly log: { readonly level: LogLevel };
}

export interface ConfigProblem {
  path: string;
  message: string;
  line?: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`invalid configuration (${source}):\n` + problems.map((p) => `  ${p.line !== undefined ? `line ${p.line}: ` : ''}${p.path}: ${p.message}`).join('\n'));
  }
}

function coerce(spec: OptionSpec, raw: unknown, from: 'file' | 'env'): { value?: unknown; error?: string } {
  const want = spec.type;
  let v = raw;
  if (from === 'env' && typeof raw === 'string') {
    if (want === 'port' || want === 'int') v = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    else if (want === 'boolean') v = raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  }
  switch (want) {
    case 'string':
      return typeof v === 'string' ? { value: v } : { error: `expected a string, got ${JSON.stringify(v)}` };
    case 'boolean':
      return typeof v === 'boolean' ? { value: v } : { error: `expected true or false, got ${JSON.stringify(v)}` };
    case 'enum':
      return typeof v === 'string' && spec.values?.includes(v) ? { value: v } : { error: `expected one of ${spec.values?.join(', ')}, got ${JSON.stringify(v)}` };
    case 'port':
    case 'int': {
      if (typeof v !== 'number' || !Number.isInteger(v)) return { error: `expected an integer, got ${JSON.stringify(raw)}` };
      const min = want === 'port' ? 0 : spec.min ?? -Infinity;
      const max = want === 'port' ? 65535 : spec.max ?? Infinity;
      if (v < min || v > max) return { error: `${v} is outside ${min}..${max}` };
      return { value: v };
    }
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

export interface LoadOptions {
  /** YAML text (tests) or a file path. */
  file?: string;
  text?: string;
  env?: Record<string, string | undefined>;
}

export function loadConfig(opts: LoadOptions = {}): VigilConfig {
  const env = opts.env ?? process.env;
  const source = opts.file ?? (opts.text !== undefined ? '<text>' : '<defaults>');
  const problems: ConfigProblem[] = [];
  const cfg: Record<string, Record<string, unknown>> = {};
  for (const o of OPTIONS) (cfg[o.path[0]] ??= {})[o.path[1]] = o.default;

  const text = opts.text ?? (opts.file !== undefined ? readFileSync(opts.file, 'utf8') : undefined);
  if (text !== undefined) {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
    const lineOf = (n: Node | null | undefined): number | undefined => (n?.range ? lc.linePos(n.range[0]).line : undefined);
    for (const e of doc.errors) problems.push({ path: '(yaml)', message: e.message, line: lc.linePos(e.pos[0]).line });
    const root = doc.contents;
    if (problems.length === 0 && root !== null && root !== undefined) {
      if (!isMap(root)) problems.push({ path: '(root)', message: 'expected a mapping of sections', line: lineOf(root) });
      else
        for (const sec of root.items) {
          const secName = isScalar(sec.key) ? String(sec.key.value) : '?';
          const known = OPTIONS.filter((o) => o.path[0] === secName);
          if (known.length === 0) {
            problems.push({ path: secName, message: `unknown section (known: ${[...new Set(OPTIONS.map((o) => o.path[0]))].join(', ')})`, line: lineOf(sec.key as Node) });
            continue;
          }
          if (!isMap(sec.value)) {
            problems.push({ path: secName, message: 'expected a mapping', line: lineOf(sec.value as Node) ?? lineOf(sec.key as Node) });
            continue;
          }
          for (const item of sec.value.items) {
            const key = isScalar(item.key) ? String(item.key.value) : '?';
            const spec = known.find((o) => o.path[1] === key);
            const line = lineOf(item.key as Node);
            if (!spec) {
              problems.push({ path: `${secName}.${key}`, message: `unknown option (known: ${known.map((o) => o.path[1]).join(', ')})`, line });
              continue;
            }
            const raw = isScalar(item.value) ? item.value.value : (item.value as Node | null)?.toJSON?.();
            const r = coerce(spec, raw, 'file');
            if (r.error) problems.push({ path: `${secName}.${key}`, message: r.error, line });
            else cfg[secName]![key] = r.value;
          }
        }
    }
  }
  for (const o of OPTIONS as readonly OptionSpec[]) {
    if (!o.env) continue;
    const raw = env[o.env];
    if (raw === undefined || raw === '') continue;
    const r = coerce(o, raw, 'env');
    if (r.error) problems.push({ path: `${o.path.join('.')} (from ${o.env})`, message: r.error });
    else cfg[o.path[0]]![o.path[1]] = r.value;
  }
  if (problems.length > 0) throw new ConfigError(source, problems);
  return deepFreeze(cfg as unknown as VigilConfig);
}
