import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('loadConfig', () => {
  it('has safe defaults', () => {
    const c = loadConfig({ env: {} });
    expect(c.openflow.port).toBe(6653);
    expect(c.api.port).toBe(4000);
    expect(c.sflow.port).toBe(6343);
    expect(c.sflow.enabled).toBe(true);
    expect(c.neo4j.uri).toBe('bolt://127.0.0.1:7687');
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.openflow)).toBe(true);
  });

  it('reads YAML, then lets the environment override it', () => {
    const c = loadConfig({
      text: 'openflow:\n  port: 7000\n  echoIntervalMs: 2000\napi:\n  port: 4100\n',
      env: { VIGIL_API_PORT: '4200', NEO4J_URI: 'bolt://db:7687', NEO4J_USER: 'u', NEO4J_PASSWORD: 'p' },
    });
    expect(c.openflow.port).toBe(7000);
    expect(c.openflow.echoIntervalMs).toBe(2000);
    expect(c.api.port).toBe(4200);
    expect(c.neo4j).toMatchObject({ uri: 'bolt://db:7687', user: 'u', password: 'p', database: 'neo4j' });
  });

  it('turns the sFlow collector off with sflow.enabled: false, and refuses a non-boolean', () => {
    expect(loadConfig({ text: 'sflow:\n  enabled: false\n', env: {} }).sflow.enabled).toBe(false);
    expect(() => loadConfig({ text: 'sflow:\n  enabled: maybe\n', env: {} })).toThrow(/line 2: sflow\.enabled: expected true or false/);
  });

  it('rejects unknown keys and bad values with their line numbers', () => {
    let err: unknown;
    try {
      loadConfig({ text: 'openflow:\n  port: 99999\n  colour: red\nmystery:\n  a: 1\n', env: {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'openflow.port', line: 2 }),
        expect.objectContaining({ path: 'openflow.colour', line: 3 }),
        expect.objectContaining({ path: 'mystery', line: 4 }),
      ]),
    );
    expect((err as Error).message).toContain('line 3: openflow.colour: unknown option');
  });

  it('rejects a malformed environment override', () => {
    expect(() => loadConfig({ env: { VIGIL_OPENFLOW_PORT: 'sixty' } })).toThrow(/VIGIL_OPENFLOW_PORT.*expected an integer/);
  });

  it('reports YAML syntax errors with a line', () => {
    expect(() => loadConfig({ text: 'openflow:\n  port: [1,\n', env: {} })).toThrow(/line \d+/);
  });
});
