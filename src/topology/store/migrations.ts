/**
 * Versioned Cypher migrations (topology/migrations/NNNN-name.cypher), applied in order at start-up and
 * again whenever the writer finds Neo4j back after an outage (a restarted lab server is empty).
 *
 * - A file is `NNNN-name.cypher` (4-digit version, kebab-case name). Any other `.cypher` file in the folder
 *   is an error (a misnamed migration must not be skipped silently); other files are ignored.
 * - Statements end with `;` at the end of a line; whole-line `//` comments and blank lines are dropped.
 *   (So a `;` that ends a line inside a multi-line string literal would split it: do not write one.)
 * - Each statement runs in its own transaction (Neo4j does not mix schema and data changes in one), then
 *   the migration is recorded as (:Migration {version, name, checksum, appliedAt}). A crash in between
 *   re-runs the migration next time, so every statement must be idempotent (IF NOT EXISTS, MERGE).
 * - The checksum is a SHA-256 of the statements (comments and layout excluded). An applied migration whose
 *   file now has other statements is a MigrationError: change the schema with a new migration instead.
 * - Versions recorded in the database but unknown to this build (a newer Vigil migrated it) are reported
 *   in `unknown`, not an error, so rolling back Vigil keeps working.
 *
 * The folder is found by walking up from this module to the package root (src/ under ts-jest, dist/,
 * dist-bench/src/, or an installed package: "topology" is in package.json "files").
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Driver } from 'neo4j-driver';
import { toCypher } from './connection.js';

export interface Migration {
  version: number;
  name: string;
  file: string;
  statements: string[];
  /** "sha256:<hex>" of the statements. */
  checksum: string;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

const FILE_RE = /^(\d{4})-([a-z0-9][a-z0-9-]*)\.cypher$/;

/** Splits a migration's text into statements (`;` at a line's end closes one; `//` comment lines dropped). */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  const close = (): void => {
    const s = cur.join('\n').trim();
    if (s !== '') out.push(s);
    cur = [];
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const t = line.trimStart();
    if (t === '' || t.startsWith('//')) continue;
    if (line.endsWith(';')) {
      cur.push(line.slice(0, -1));
      close();
    } else cur.push(line);
  }
  close();
  return out;
}

export function checksumOf(statements: readonly string[]): string {
  return 'sha256:' + createHash('sha256').update(statements.join(';\n')).digest('hex');
}

/** A migration from its file name and text. */
export function parseMigration(file: string, text: string): Migration {
  const m = FILE_RE.exec(file);
  if (!m) throw new MigrationError(`${file}: a migration is named NNNN-name.cypher (4-digit version, lowercase kebab-case name)`);
  const statements = splitStatements(text);
  if (statements.length === 0) throw new MigrationError(`${file}: no statements`);
  return { version: Number(m[1]), name: m[2]!, file, statements, checksum: checksumOf(statements) };
}

/** Checks versions are unique and returns the migrations in version order. */
export function orderMigrations(ms: readonly Migration[]): Migration[] {
  const sorted = [...ms].sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.version === sorted[i - 1]!.version) throw new MigrationError(`two migrations have version ${sorted[i]!.version}: ${sorted[i - 1]!.file}, ${sorted[i]!.file}`);
  return sorted;
}

/** topology/migrations of the package this module belongs to. */
export function migrationsDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'topology', 'migrations');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new MigrationError(`topology/migrations not found above ${from}`);
}

/** Reads and orders the migrations of a folder (default: the package's topology/migrations). */
export function loadMigrations(dir: string = migrationsDir()): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cypher'));
  return orderMigrations(files.map((f) => parseMigration(f, readFileSync(join(dir, f), 'utf8'))));
}

export interface MigrateOptions {
  database?: string;
  /** The migrations to apply (default: loadMigrations()). */
  migrations?: readonly Migration[];
  now?: () => number;
}

export interface MigrateResult {
  /** Versions applied by this call, in order. */
  applied: number[];
  /** Versions that were already applied (checksums verified). */
  alreadyApplied: number[];
  /** Versions recorded in the database that this build does not know (a newer Vigil migrated it). */
  unknown: number[];
  /**
   * Identifies this database's history: the element id and appliedAt of its first Migration node. A
   * database that was wiped (or replaced) and migrated again has another marker (see StoreBackend).
   */
  marker: string;
}

export const MARKER_QUERY = 'MATCH (m:Migration {version: $version}) RETURN elementId(m) + "@" + toString(m.appliedAt) AS marker';

/**
 * Applies the migrations not yet recorded in the database, in version order. A second call applies
 * nothing. Throws MigrationError on a checksum mismatch (before changing anything); Neo4j errors pass
 * through (the writer retries them).
 */
export async function applyMigrations(driver: Driver, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const database = opts.database ?? 'neo4j';
  const now = opts.now ?? Date.now;
  const migrations = orderMigrations(opts.migrations ?? loadMigrations());
  const first = migrations[0];
  if (!first) throw new MigrationError('no migrations');
  const session = driver.session({ database });
  try {
    const rows = await session.executeRead(async (tx) => (await tx.run('MATCH (m:Migration) RETURN m.version AS version, m.name AS name, m.checksum AS checksum')).records.map((r) => ({ version: Number(r.get('version')), name: String(r.get('name')), checksum: r.get('checksum') as unknown })));
    const recorded = new Map(rows.map((r) => [r.version, r]));
    for (const m of migrations) {
      const r = recorded.get(m.version);
      if (r && r.checksum !== m.checksum)
        throw new MigrationError(
          `migration ${m.file} was applied with other statements (recorded ${String(r.checksum)} for "${r.name}", file has ${m.checksum}); an applied migration must not change — add a new one`,
        );
    }
    const known = new Set(migrations.map((m) => m.version));
    const result: MigrateResult = { applied: [], alreadyApplied: [], unknown: rows.map((r) => r.version).filter((v) => !known.has(v)).sort((a, b) => a - b), marker: '' };
    for (const m of migrations) {
      if (recorded.has(m.version)) {
        result.alreadyApplied.push(m.version);
        continue;
      }
      for (const statement of m.statements) await session.executeWrite((tx) => tx.run(statement));
      await session.executeWrite((tx) =>
        tx.run('MERGE (m:Migration {version: $version}) ON CREATE SET m.name = $name, m.checksum = $checksum, m.appliedAt = $appliedAt', toCypher({ version: m.version, name: m.name, checksum: m.checksum, appliedAt: now() }) as Record<string, unknown>),
      );
      result.applied.push(m.version);
    }
    const marker = await session.executeRead(async (tx) => (await tx.run(MARKER_QUERY, toCypher({ version: first.version }) as Record<string, unknown>)).records[0]?.get('marker') as unknown);
    if (typeof marker !== 'string') throw new MigrationError(`migration ${first.file} is not recorded after applying it (was the database cleared meanwhile?)`);
    result.marker = marker;
    return result;
  } finally {
    await session.close();
  }
}
