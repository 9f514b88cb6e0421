/**
 * A real Neo4j for the demo and the tests, through lab/neo4j (Maven-fetched Neo4j 5.26 in a small Java
 * launcher). start is hold-counted there, like lab/ovs: every ensureNeo4j() is paired with releaseNeo4j(),
 * and the server stops only when its last user releases it. lab/test starts one server for the whole run
 * (so each test file does not pay the ~12 s start) and passes NEO4J_URI down; a test run on its own starts
 * its own.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = findRoot();
const LAB_NEO4J = join(REPO_ROOT, 'lab', 'neo4j');

function findRoot(): string {
  // This file runs from lab/ (ts-jest) or dist-bench/lab/ (compiled).
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith(join('dist-bench', 'lab')) ? join(here, '..', '..') : join(here, '..');
}

export interface Neo4jConnection {
  uri: string;
  user: string;
  password: string;
}

/** The lab server's password (lab/neo4j sets it at start). */
export const LAB_NEO4J_PASSWORD = process.env.NEO4J_PASSWORD ?? 'vigil-lab-password';

let refs = 0;

function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(LAB_NEO4J, args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, NEO4J_PASSWORD: LAB_NEO4J_PASSWORD } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`lab/neo4j ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/**
 * A running Neo4j: the one NEO4J_URI names when set (lab/test's), else the lab's on VIGIL_NEO4J_PORT
 * (default 7687), started if needed. Pair with releaseNeo4j().
 */
export async function ensureNeo4j(): Promise<Neo4jConnection> {
  const user = process.env.NEO4J_USER ?? 'neo4j';
  if (process.env.NEO4J_URI) return { uri: process.env.NEO4J_URI, user, password: LAB_NEO4J_PASSWORD };
  const { stdout } = await run(['start']);
  refs++;
  const uri = stdout.trim().split('\n').pop() ?? '';
  if (!uri.startsWith('bolt://')) throw new Error(`lab/neo4j start printed no Bolt URI: ${JSON.stringify(stdout)}`);
  return { uri, user, password: LAB_NEO4J_PASSWORD };
}

/** Drops the hold ensureNeo4j() took (the server stops when no other user holds it). */
export async function releaseNeo4j(): Promise<void> {
  if (refs === 0) return;
  refs--;
  await run(['stop']);
}

/** Stops and starts the server (the same port, an empty database): for recovery tests. Returns when it answers again. */
export async function restartNeo4j(): Promise<void> {
  await run(['stop', '--force']);
  await run(['start']);
}
