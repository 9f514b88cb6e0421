/**
 * A Python virtual environment with scikit-learn from PyPI, for tests that use scikit-learn as the oracle of
 * Vigil's detectors (test/integration/detectors-sklearn.test.ts).
 *
 * ensureSklearnVenv() builds <repo>/.cache/venv once with Debian's /usr/bin/python3 -m venv (Debian package
 * python3-venv, installed by lab/install) and `pip install` of the pinned packages below by name (pip's own
 * index configuration applies). Later calls find the stamp file and return at once; a change to the pins
 * rebuilds. The build happens in a sibling temporary folder renamed into place when complete, so an
 * interrupted build leaves nothing half-made and two concurrent builds cannot mix.
 *
 * A build takes 18-27 s on the 2-CPU lab machine (python3 -m venv ~4 s; pip download and install of the
 * wheels, ~300 MB installed, 14-22 s), about the same with or without pip's download cache.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Exact versions, transitive dependencies included, so every run compares against the same scikit-learn.
 *  Wheels exist for CPython 3.11 (Debian 12) on x86_64 and aarch64. */
export const SKLEARN_REQUIREMENTS = [
  'scikit-learn==1.9.1',
  'numpy==2.4.6',
  'scipy==1.17.1',
  'joblib==1.6.0',
  'threadpoolctl==3.8.0',
  'narwhals==2.29.0',
  'cloudpickle==3.1.2',
] as const;

const SYSTEM_PYTHON = '/usr/bin/python3';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'vigil-sdn') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('python-venv: repository root (package.json of vigil-sdn) not found');
    dir = up;
  }
}

export const VENV_DIR = join(findRepoRoot(), '.cache', 'venv');
const STAMP = '.vigil-requirements';

function run(file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } }, (err, stdout, stderr) => {
      if (err) {
        const tail = `${stderr}`.trim().split('\n').slice(-15).join('\n');
        reject(new Error(`${file} ${args.join(' ')} failed (${err.message.split('\n')[0]})\n${tail}`));
      } else resolve({ stdout, stderr });
    });
  });
}

function stampText(): string {
  return `${SKLEARN_REQUIREMENTS.join('\n')}\n`;
}

/** The venv's python, if the venv is complete and built for the current pins. */
function readyPython(dir: string): string | undefined {
  const python = join(dir, 'bin', 'python');
  try {
    return existsSync(python) && readFileSync(join(dir, STAMP), 'utf8') === stampText() ? python : undefined;
  } catch {
    return undefined;
  }
}

let pending: Promise<string> | undefined;

/**
 * Returns the path of the venv's python with scikit-learn importable, building the venv first if needed.
 * Rejects with a message that says what is missing when it cannot be built (never skips).
 */
export function ensureSklearnVenv(): Promise<string> {
  pending ??= build().catch((e: unknown) => {
    pending = undefined;
    throw e;
  });
  return pending;
}

async function build(): Promise<string> {
  const ready = readyPython(VENV_DIR);
  if (ready) return ready;
  if (!existsSync(SYSTEM_PYTHON)) {
    throw new Error(`python-venv: ${SYSTEM_PYTHON} not found; run lab/install (Debian packages python3, python3-venv)`);
  }
  mkdirSync(dirname(VENV_DIR), { recursive: true });
  const tmp = `${VENV_DIR}.building-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    try {
      await run(SYSTEM_PYTHON, ['-m', 'venv', tmp], 120_000);
    } catch (e) {
      throw new Error(
        `python-venv: '${SYSTEM_PYTHON} -m venv' failed; the Debian package python3-venv is needed (lab/install installs it)\n${(e as Error).message}`,
      );
    }
    const python = join(tmp, 'bin', 'python');
    try {
      await run(python, ['-m', 'pip', 'install', '--no-input', '--only-binary=:all:', ...SKLEARN_REQUIREMENTS], 900_000);
    } catch (e) {
      throw new Error(`python-venv: pip could not install ${SKLEARN_REQUIREMENTS.join(' ')} from the package index\n${(e as Error).message}`);
    }
    await run(python, ['-c', 'import sklearn, numpy'], 60_000);
    writeFileSync(join(tmp, STAMP), stampText());
    // Replace a stale venv (other pins, or half-deleted); if a concurrent build won the rename, use that one.
    if (existsSync(VENV_DIR) && !readyPython(VENV_DIR)) rmSync(VENV_DIR, { recursive: true, force: true });
    try {
      renameSync(tmp, VENV_DIR);
    } catch (e) {
      if (!readyPython(VENV_DIR)) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // The venv's python is a symlink to the system interpreter and finds its packages through pyvenv.cfg next to
  // bin/, so the renamed folder works (pip's console scripts would not, and are never used).
  const python = readyPython(VENV_DIR);
  if (!python) throw new Error(`python-venv: ${VENV_DIR} is incomplete after the build`);
  return python;
}
