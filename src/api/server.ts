/**
 * The GraphQL API: graphql-yoga over node:http at http://<api.host>:<api.port>/graphql.
 *
 * - Queries read Neo4j through the topology read repository, with per-request DataLoaders (context.ts).
 * - Subscriptions (`topologyEvents`) are served over Server-Sent Events, from the injected event stream.
 * - Errors: typed errors (BAD_USER_INPUT, NOT_FOUND, QUERY_LIMIT) reach the client; anything else is masked
 *   as "Unexpected error." and logged with its detail (ARCHITECTURE §10). Counted by code.
 * - Limits (graphql-armor): depth, cost, aliases, tokens, directives; field suggestions hidden outside
 *   development.
 * - Development mode (NODE_ENV=development) serves GraphiQL, keeps field suggestions and adds the original
 *   error to masked errors; `api.graphiql` serves GraphiQL without the rest.
 * - GET /health answers 200 while the process serves; GET /ready answers 200 only while Neo4j answers.
 * - No CORS headers: browsers reach the API only from its own origin (GraphiQL, a dashboard Vigil serves).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, maskError, useReadinessCheck, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import type { Driver } from 'neo4j-driver';
import type { Observable } from 'rxjs';
import type { VigilConfig } from '../config/config.js';
import type { Logger } from '../observability/log.js';
import type { Registry } from '../observability/metrics.js';
import type { TopologyEvent } from '../topology/model.js';
import { TopologyReader } from '../topology/read/reader.js';
import { createContext, type ApiContext } from './context.js';
import { armorPlugins, FIXED_LIMITS, useVariableAwareCost, type ApiLimits } from './limits.js';
import { topologySchema } from './schema.js';

export interface ApiDeps {
  /** Neo4j (only read sessions are opened). */
  driver: Pick<Driver, 'session'>;
  /** Database (default: the server's default). */
  database?: string;
  topologyEvents$: Observable<TopologyEvent>;
  logger: Logger;
  metrics: Registry;
  /** Where NODE_ENV is read (default process.env). */
  env?: Record<string, string | undefined>;
}

export type ApiConfig = Pick<VigilConfig, 'api'>;

export interface Api {
  yoga: YogaServerInstance<object, ApiContext>;
  reader: TopologyReader;
  development: boolean;
  graphiql: boolean;
}

export interface RunningApi extends Api {
  /** http://host:port/graphql */
  url: string;
  address: AddressInfo;
  close(): Promise<void>;
}

/** Events held for one subscriber that reads slower than they come (older ones are dropped, counted). */
export const SUBSCRIPTION_BUFFER = 1000;

function yogaLogger(logger: Logger): YogaLogger {
  const fields = (args: unknown[]): Record<string, unknown> | undefined => (args.length > 1 ? { details: args.slice(1) } : undefined);
  const text = (args: unknown[]): string => (args[0] instanceof Error ? args[0].message : String(args[0]));
  return {
    debug: (...args: unknown[]) => logger.debug(text(args), fields(args)),
    info: (...args: unknown[]) => logger.info(text(args), fields(args)),
    warn: (...args: unknown[]) => logger.warn(text(args), fields(args)),
    error: (...args: unknown[]) => logger.error(text(args), fields(args)),
  };
}

/** The API as a yoga instance, not listening: `yoga.fetch(...)` serves requests in-process (tests). */
export function createApi(config: ApiConfig, deps: ApiDeps): Api {
  const env = deps.env ?? process.env;
  const development = env.NODE_ENV === 'development';
  const graphiql = config.api.graphiql || development;
  const logger = deps.logger.child({ component: 'api' });
  const reader = new TopologyReader({ driver: deps.driver, database: deps.database, metrics: deps.metrics });
  const errors = deps.metrics.counter('vigil_api_errors_total', 'GraphQL errors returned, by extensions.code');
  const refused = deps.metrics.counter('vigil_api_refused_total', 'Operations refused by a limit (maxDepth, maxCost, ...)');
  const dropped = deps.metrics.counter('vigil_api_subscription_dropped_total', 'Topology events dropped for subscribers that read too slowly');
  const limits: ApiLimits = {
    maxDepth: config.api.maxDepth,
    maxCost: config.api.maxCost,
    maxAliases: config.api.maxAliases,
    ...FIXED_LIMITS,
    blockFieldSuggestions: !development,
  };
  const onRefused = (limit: string): void => {
    refused.inc({ limit });
    logger.debug('operation refused', { limit });
  };

  const yoga = createYoga<object, ApiContext>({
    schema: topologySchema({ topologyEvents$: deps.topologyEvents$, subscriptionBuffer: SUBSCRIPTION_BUFFER, onSubscriptionDrop: () => dropped.inc() }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: graphiql ? { title: 'Vigil topology', subscriptionsProtocol: 'SSE' } : false,
    cors: false,
    batching: false,
    logging: yogaLogger(logger),
    maskedErrors: {
      isDev: development,
      maskError(error, message, isDev) {
        const masked = maskError(error, message, isDev);
        const code = (masked as { extensions?: Record<string, unknown> }).extensions?.code;
        errors.inc({ code: typeof code === 'string' ? code : 'NONE' });
        if (masked !== error) {
          const e = error as { originalError?: unknown; path?: unknown };
          const original = e.originalError ?? error;
          logger.error('internal error in a GraphQL operation', {
            path: Array.isArray(e.path) ? e.path.join('.') : undefined,
            error: original instanceof Error ? { name: original.name, message: original.message, code: (original as { code?: unknown }).code, stack: original.stack } : String(original),
          });
        }
        return masked;
      },
    },
    context: () => createContext(reader, logger),
    plugins: [
      ...armorPlugins(limits, onRefused),
      useVariableAwareCost(limits.maxCost, onRefused),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          try {
            await reader.ping();
            return true;
          } catch (e) {
            logger.warn('not ready: Neo4j does not answer', { error: e });
            return false;
          }
        },
      }),
    ],
  });
  return { yoga, reader, development, graphiql };
}

/** Serves the API on api.host:api.port (0: any free port). Rejects when the port cannot be bound. */
export async function startApi(config: ApiConfig, deps: ApiDeps): Promise<RunningApi> {
  const api = createApi(config, deps);
  const server: Server = createServer(api.yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.api.port, config.api.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}${api.yoga.graphqlEndpoint}`;
  deps.logger.info('GraphQL API listening', { url, graphiql: api.graphiql, development: api.development });
  return {
    ...api,
    url,
    address,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Subscriptions (SSE) are long-lived responses: end them, or close() waits for the clients.
      server.closeAllConnections();
      await closed;
      await api.yoga.dispose();
    },
  };
}
