/**
 * src/api/generated/graphql.ts is committed: it must be what `npm run codegen` makes of the current
 * schema/topology.graphql and codegen.ts. Generated here in memory (nothing is written) and compared.
 */
import { readFileSync } from 'node:fs';
import { generate, type CodegenConfig } from '@graphql-codegen/cli';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import * as resolversPlugin from '@graphql-codegen/typescript-resolvers';
import config from '../../../codegen.js';

// codegen loads plugins with a dynamic import(), which jest's ESM sandbox cannot follow: hand them over.
const PLUGINS: Record<string, unknown> = { '@graphql-codegen/typescript': typescriptPlugin, '@graphql-codegen/typescript-resolvers': resolversPlugin };
type PluginLoader = NonNullable<CodegenConfig['pluginLoader']>;
const pluginLoader: PluginLoader = (name) => {
  const plugin = PLUGINS[name];
  if (!plugin) throw new Error(`codegen.ts uses plugin ${name}: add it to PLUGINS`);
  return plugin as Awaited<ReturnType<PluginLoader>>;
};

const ROOT = new URL('../../../', import.meta.url);

describe('generated GraphQL types', () => {
  it('are up to date with schema/topology.graphql (run `npm run codegen` when this fails)', async () => {
    const outputs = await generate({ ...config, cwd: ROOT.pathname, silent: true, pluginLoader }, false);
    expect(outputs).toHaveLength(1);
    const [out] = outputs;
    expect(out!.filename).toMatch(/src\/api\/generated\/graphql\.ts$/);
    const committed = readFileSync(new URL('src/api/generated/graphql.ts', ROOT), 'utf8');
    expect(out!.content === committed).toBe(true);
  }, 60_000);
});
