/** The built `vigil` executable: help on every subcommand, ofp print, and errors with exit status 2. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const vigil = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });

describe('vigil CLI', () => {
  it.each([[['--help']], [['run', '--help']], [['ofp', '--help']], [['demo', '--help']], [['help', 'run']], [['attach', '--help']], [['detach', '--help']], [['sflow', '--help']], [['sflow', 'listen', '--help']]])('prints help for %j', (args) => {
    const r = vigil(...args);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: vigil/);
  });

  it('documents the environment overrides in run --help', () => {
    const r = vigil('run', '--help');
    for (const v of ['VIGIL_OPENFLOW_PORT', 'VIGIL_API_PORT', 'VIGIL_SFLOW_PORT', 'NEO4J_URI', 'NEO4J_USER', 'NEO4J_PASSWORD']) expect(r.stdout).toContain(v);
  });

  it('decodes OpenFlow bytes from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    const f = join(dir, 'hello.bin');
    writeFileSync(f, Buffer.from('04000010000000070001000800000010', 'hex'));
    const r = vigil('ofp', 'print', f);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^HELLO xid=7/);
    const j = vigil('ofp', 'print', '--json', f);
    expect(JSON.parse(j.stdout)).toMatchObject({ type: 'HELLO', xid: 7 });
  });

  it('exits 1 on malformed OpenFlow and 2 on a bad command or config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    const bad = join(dir, 'bad.bin');
    writeFileSync(bad, Buffer.from('04630008', 'hex'));
    expect(vigil('ofp', 'print', bad).status).toBe(1);
    expect(vigil('frobnicate').status).toBe(2);
    const cfg = join(dir, 'vigil.yaml');
    writeFileSync(cfg, 'openflow:\n  port: 6653\n  bogus: 1\n');
    const r = vigil('run', '--config', cfg);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line 3: openflow.bogus: unknown option/);
  });
});

describe('vigil run', () => {
  it('says clearly when the OpenFlow port is taken, and exits 1', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '::', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = spawnSync(process.execPath, [CLI, 'run'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, VIGIL_OPENFLOW_PORT: String(port) } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`cannot listen for OpenFlow on [::]:${port}: EADDRINUSE`);
    } finally {
      blocker.close();
    }
  });

  it('says clearly when the sFlow port is taken, and exits 1', async () => {
    const { createSocket } = await import('node:dgram');
    const blocker = createSocket('udp4');
    await new Promise<void>((r) => blocker.bind({ port: 0, address: '0.0.0.0', exclusive: true }, () => r()));
    const port = blocker.address().port;
    try {
      const r = spawnSync(process.execPath, [CLI, 'run'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, VIGIL_OPENFLOW_PORT: '0', VIGIL_SFLOW_PORT: String(port) } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`vigil: cannot bind the sFlow collector to 0.0.0.0 port ${port}`);
      expect(r.stderr).toContain('(set sflow.port or VIGIL_SFLOW_PORT, or sflow.enabled: false)');
      expect(r.stderr).toMatch(/"level":"error","msg":"cannot start the sFlow collector"/);
    } finally {
      blocker.close();
    }
  });
});

describe('vigil-sdn/openflow as a library', () => {
  it('is importable by its package export and decodes/encodes without starting anything', () => {
    const code = `
      import { decode, encode, OfpFramer, describe, errorName } from 'vigil-sdn/openflow';
      const bytes = encode({ type: 'ECHO_REQUEST', xid: 9, data: new Uint8Array([1, 2]) });
      const framer = new OfpFramer();
      const [frame] = framer.push(bytes);
      console.log(JSON.stringify({ hex: Buffer.from(bytes).toString('hex'), text: describe(decode(frame)), err: errorName(4, 9) }));`;
    const root = new URL('../..', import.meta.url).pathname;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { hex: string; text: string; err: string };
    expect(out.hex).toBe('0402000a000000090102');
    expect(out.text).toMatch(/^ECHO_REQUEST xid=9/);
    expect(out.err).toBe('OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ');
  });
});
