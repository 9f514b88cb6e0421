#!/usr/bin/env node
// Builds native/build/vigil-sflow-udp.node: the sFlow collector's recvmmsg receive path (and the
// benchmark's sendmmsg sender). Node-API only, so one compiler call against Node's own headers does it
// (no node-gyp download step, nothing fetched). Fails loudly: a missing compiler or header is an error
// with the reason, and `npm ci` / `npm run build` stop on it.
//
// Headers are looked up, in order, in $npm_config_nodedir/include/node, <node prefix>/include/node
// (Debian's and NodeSource's nodejs packages put them in /usr/include/node).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'sflow-udp.cc');
const outDir = join(here, 'build');
const out = join(outDir, 'vigil-sflow-udp.node');

function fail(message) {
  process.stderr.write(`native/build.mjs: ${message}\n`);
  process.exit(1);
}

if (process.platform !== 'linux') fail(`the sFlow receive path uses Linux recvmmsg/sendmmsg; platform ${process.platform} is not supported`);

const candidates = [];
if (process.env.npm_config_nodedir) candidates.push(join(process.env.npm_config_nodedir, 'include', 'node'));
candidates.push(join(dirname(dirname(process.execPath)), 'include', 'node'));
const include = candidates.find((d) => existsSync(join(d, 'node_api.h')));
if (!include) fail(`node_api.h not found (looked in ${candidates.join(', ')}); install Node's headers (Debian: the nodejs package ships /usr/include/node)`);

const cxx = process.env.CXX || 'g++';
const args = [
  '-std=c++17', '-O2', '-g0', '-fPIC', '-shared', '-pthread',
  '-Wall', '-Wextra', '-Werror', '-fvisibility=hidden',
  `-I${include}`,
  '-o', `${out}.tmp`, source,
];
mkdirSync(outDir, { recursive: true });
try {
  execFileSync(cxx, args, { stdio: 'inherit' });
} catch (e) {
  fail(`${cxx} failed (${e instanceof Error ? e.message : String(e)}); command: ${cxx} ${args.join(' ')}`);
}
renameSync(`${out}.tmp`, out);
process.stdout.write(`native/build.mjs: built ${out}\n`);
