/** The topology SDL (schema/topology.graphql, shipped with the package) and its executable schema. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSchema } from 'graphql-yoga';
import type { ApiContext } from './context.js';
import { createResolvers, type ResolverDeps } from './resolvers.js';

/** src/api/ (tests) and dist/api/ (built) are both two levels below the package root. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema/topology.graphql', import.meta.url));

export function topologyTypeDefs(): string {
  return readFileSync(SCHEMA_FILE, 'utf8');
}

export function topologySchema(deps: ResolverDeps): ReturnType<typeof createSchema<ApiContext>> {
  return createSchema<ApiContext>({
    typeDefs: topologyTypeDefs(),
    // graphql-tools' IResolvers is looser than codegen's Resolvers (which checks every resolver's types).
    resolvers: createResolvers(deps) as Parameters<typeof createSchema<ApiContext>>[0]['resolvers'],
  });
}
