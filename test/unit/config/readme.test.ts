import { readFileSync } from 'node:fs';
import { OPTIONS } from '../../../src/config/options.js';

// The README's configuration reference must name every option, its default and its environment variable.
describe('README configuration reference', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  it.each(OPTIONS.map((o) => [o.path.join('.'), o] as const))('documents %s', (path, o) => {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${path}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`\`${String(o.default)}\``);
    if ('env' in o) expect(row).toContain(`\`${o.env}\``);
  });
});
