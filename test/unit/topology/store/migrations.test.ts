/**
 * Migration files: statement splitting, names, checksums, ordering; the shipped 0001 matches the README's
 * list of constraints and indexes. (Applying them is tested against Neo4j in
 * test/integration/topology-store.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMigrations, migrationsDir, MigrationError, orderMigrations, parseMigration, splitStatements } from '../../../../src/topology/store/migrations.js';

describe('splitStatements', () => {
  it('splits at ";" ending a line, drops // comment lines and blank lines', () => {
    const text = [
      '// header comment',
      '',
      'CREATE CONSTRAINT a IF NOT EXISTS',
      '  FOR (s:Switch) REQUIRE s.dpid IS UNIQUE;   ',
      '   // indented comment',
      "MATCH (n) WHERE n.x = 'a;b' SET n.y = 1;",
      'RETURN 1 // not a comment line: kept',
      '',
    ].join('\r\n');
    expect(splitStatements(text)).toEqual(['CREATE CONSTRAINT a IF NOT EXISTS\n  FOR (s:Switch) REQUIRE s.dpid IS UNIQUE', "MATCH (n) WHERE n.x = 'a;b' SET n.y = 1", 'RETURN 1 // not a comment line: kept']);
    expect(splitStatements('// only comments\n\n')).toEqual([]);
    expect(splitStatements('A;\n;\nB;')).toEqual(['A', 'B']);
  });
});

describe('parseMigration', () => {
  it('takes the version and name from NNNN-name.cypher', () => {
    const m = parseMigration('0007-add-things.cypher', 'CREATE INDEX x IF NOT EXISTS FOR (n:N) ON (n.p);');
    expect(m).toMatchObject({ version: 7, name: 'add-things', statements: ['CREATE INDEX x IF NOT EXISTS FOR (n:N) ON (n.p)'] });
    expect(m.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses misnamed files and empty migrations', () => {
    expect(() => parseMigration('7-x.cypher', 'A;')).toThrow(MigrationError);
    expect(() => parseMigration('0001_Constraints.cypher', 'A;')).toThrow(/NNNN-name/);
    expect(() => parseMigration('0001-x.cypher', '// nothing\n')).toThrow(/no statements/);
  });

  it('checksums the statements, not comments or layout', () => {
    const a = parseMigration('0001-x.cypher', 'CREATE INDEX i IF NOT EXISTS FOR (n:N) ON (n.p);\n');
    const b = parseMigration('0001-x.cypher', '// explained\n\nCREATE INDEX i IF NOT EXISTS FOR (n:N) ON (n.p);   \n\n');
    const c = parseMigration('0001-x.cypher', 'CREATE INDEX i IF NOT EXISTS FOR (n:N) ON (n.q);\n');
    expect(b.checksum).toBe(a.checksum);
    expect(c.checksum).not.toBe(a.checksum);
  });

  it('orders by version and refuses two migrations with one version', () => {
    const m = (f: string) => parseMigration(f, 'A;');
    expect(orderMigrations([m('0002-b.cypher'), m('0001-a.cypher')]).map((x) => x.version)).toEqual([1, 2]);
    expect(() => orderMigrations([m('0002-b.cypher'), m('0002-c.cypher')])).toThrow(/two migrations have version 2/);
  });
});

describe('the shipped migrations', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const repo = join(here, '..', '..', '..', '..');

  it('are found by walking up from the module (src/, dist/, dist-bench/src/)', () => {
    expect(migrationsDir()).toBe(join(repo, 'topology', 'migrations'));
    expect(migrationsDir(join(repo, 'dist', 'topology', 'store'))).toBe(join(repo, 'topology', 'migrations'));
    expect(migrationsDir(join(repo, 'dist-bench', 'src', 'topology', 'store'))).toBe(join(repo, 'topology', 'migrations'));
    expect(() => migrationsDir('/')).toThrow(/not found/);
  });

  it('0001 creates every constraint and index topology/README.md lists', () => {
    const [first] = loadMigrations();
    expect(first).toMatchObject({ version: 1, name: 'constraints' });
    const stmts = first!.statements;
    for (const s of stmts) expect(s).toMatch(/ IF NOT EXISTS /);
    const readme = readFileSync(join(repo, 'topology', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Constraints and indexes'));
    const uniq = /uniqueness: ([^\n]*(?:\n {2}[^\n]*)*)/.exec(section)![1]!;
    const unique = [...uniq.matchAll(/`(\w+)\.(\w+)`/g)].map((m) => [m[1]!, m[2]!]);
    expect(unique.length).toBeGreaterThanOrEqual(11);
    for (const [label, prop] of unique) expect(stmts.some((s) => new RegExp(`FOR \\(\\w+:${label}\\) REQUIRE \\w+\\.${prop} IS UNIQUE`).test(s))).toBe(true);
    const idx = /indexes: ([^\n]*(?:\n {2}[^\n]*)*)/.exec(section)![1]!;
    const indexes = [...idx.matchAll(/`(\w+)\(([\w, ]+)\)`/g)].map((m) => [m[1]!, m[2]!.split(',').map((p) => p.trim())] as const);
    expect(indexes.length).toBeGreaterThanOrEqual(7);
    for (const [label, props] of indexes) {
      const on = props.map((p) => `\\w+\\.${p}`).join(', ');
      expect(stmts.some((s) => new RegExp(`CREATE INDEX \\w+ IF NOT EXISTS FOR \\(\\w+:${label}\\) ON \\(${on}\\)`).test(s))).toBe(true);
    }
  });
});
