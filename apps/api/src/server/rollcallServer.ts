import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { rateLimitPlugin } from '../auth/rateLimitPlugin.ts';
import { createRateLimiter } from '../auth/rateLimiter.ts';
import { queryCostPlugin } from './queryCostPlugin.ts';
import { queryLimitRules } from './queryLimits.ts';
import type { Principal } from '../auth/principal.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import { openDatabase, type Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { realScheduler, type Scheduler } from '../scheduler.ts';
import type { AppContext, RequestContext } from './context.ts';
import { createFormatError } from './formatError.ts';
import { handleGraphqlRequest } from './httpGraphql.ts';
import { buildSchema } from './schema.ts';
import { createServices, type Services } from './services.ts';
import { serveStatic } from './staticFiles.ts';
import { startSubscriptionServer } from './subscriptionServer.ts';
import { bearerToken } from './bearerToken.ts';
import { createWorkers } from './workers.ts';

export interface RollcallServerOptions {
  config: RollcallConfig;
  logger: Logger;
  clock?: Clock;
  /** Timers of ticking streams such as serverTime; real ones by default. */
  scheduler?: Scheduler;
  /** Run the sweeper and other loops (tests drive them by hand). */
  backgroundWorkers?: boolean;
  /** Use this database instead of opening one from the config. */
  database?: Database;
}

export type ServerPhase =
  | { phase: 'starting' }
  | { phase: 'running'; url: string }
  | { phase: 'stopping' }
  | { phase: 'stopped' };

export interface RollcallServer {
  /** Base URL, such as http://127.0.0.1:4000 (GraphQL at /graphql). */
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  readonly services: Services;
  readonly app: AppContext;
  /** The generated bootstrap admin key, when one was generated now. */
  readonly generatedAdminKey: string | null;
  state(): ServerPhase;
  stop(): Promise<void>;
}

function applyCors(
  request: IncomingMessage,
  response: ServerResponse,
  allowed: string[],
): void {
  const origin = request.headers.origin;
  if (!origin || !(allowed.includes(origin) || allowed.includes('*'))) return;
  response.setHeader('access-control-allow-origin', origin);
  response.setHeader('vary', 'origin');
  response.setHeader(
    'access-control-allow-headers',
    'authorization, content-type, apollo-require-preflight',
  );
  response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
}

/**
 * Starts Rollcall: database (embedded or external), services, Apollo over
 * HTTP, graphql-ws on the same port and path, the dashboard's static files,
 * and the background workers.
 */
export async function startRollcallServer(
  options: RollcallServerOptions,
): Promise<RollcallServer> {
  const { config, logger } = options;
  if (options.database) return startOn(options, options.database, false);

  const db = await openDatabase({
    url: config.database.url,
    dataDir: config.database.data_dir,
    poolSize: config.database.pool_size,
    logger,
  });
  try {
    return await startOn(options, db, true);
  } catch (error) {
    // Nothing may outlive a failed start: the embedded PostgreSQL runs in
    // its own process group and would otherwise be orphaned.
    await db.close();
    throw error;
  }
}

async function startOn(
  options: RollcallServerOptions,
  db: Database,
  ownsDatabase: boolean,
): Promise<RollcallServer> {
  const { config, logger } = options;
  let phase: ServerPhase = { phase: 'starting' };
  const clock = options.clock ?? systemClock;
  const deps = { db, logger, config, clock };
  const services = createServices(deps);
  await services.events.start();
  const { generated } = await services.auth.bootstrapAdmin(
    config.auth.admin_token,
  );
  const scheduler = options.scheduler ?? realScheduler();
  const app: AppContext = { ...deps, scheduler, services };

  const contextFor = (principal: Principal): RequestContext => {
    const requestId = randomUUID();
    return {
      ...app,
      requestId,
      principal,
      logger: logger.child({ requestId }),
    };
  };

  const schema = buildSchema();
  const httpServer = createServer();
  const isDevelopment = process.env.NODE_ENV === 'development';
  const limitRules = queryLimitRules({
    maxDepth: config.server.max_query_depth,
    maxCost: config.server.max_query_cost,
  });
  const formatError = createFormatError(logger, isDevelopment);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    logger,
    csrfPrevention: true,
    // main.ts owns shutdown: workers, sockets, HTTP, then the database.
    stopOnTerminationSignals: false,
    introspection: true,
    includeStacktraceInErrorResponses: isDevelopment,
    formatError,
    validationRules: limitRules,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      rateLimitPlugin(
        createRateLimiter({
          perMinute: config.auth.rate_limit_per_minute,
          clock,
        }),
      ),
      queryCostPlugin(config.server.max_query_cost),
    ],
  });
  await apollo.start();

  httpServer.on('request', (request, response) => {
    applyCors(request, response, config.server.cors_origins);
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;

    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    if (pathname === '/graphql') {
      handleGraphqlRequest(apollo, request, response, {
        maxBodyBytes: config.server.max_body_bytes,
        buildContext: async (req) =>
          contextFor(
            await services.auth.authenticate(
              bearerToken(req.headers.authorization),
            ),
          ),
      }).catch((error: unknown) => {
        logger.error({ err: error }, 'GraphQL request failed');
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
      return;
    }
    if (pathname === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (!serveStatic(request, response)) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end(
        'Not found. The API is at /graphql; build the dashboard with pnpm build.',
      );
    }
  });

  const subscriptions = startSubscriptionServer({
    httpServer,
    schema,
    config,
    logger,
    services,
    limitRules,
    formatError,
    contextFor,
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.server.port, config.server.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host =
    config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  const url = `http://${host}:${port}`;

  const workers =
    options.backgroundWorkers === false ? [] : createWorkers(deps, services);
  for (const worker of workers) worker.start();

  phase = { phase: 'running', url };
  logger.info({ url: `${url}/graphql` }, 'Rollcall is running');

  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    db,
    services,
    app,
    generatedAdminKey: generated,
    state: () => phase,
    stop: () => {
      stopping ??= (async () => {
        phase = { phase: 'stopping' };
        await Promise.all(
          workers.map(async (worker) => {
            await worker.stop();
            logger.debug({ worker: worker.name }, 'worker stopped');
          }),
        );
        await subscriptions.stop();
        logger.debug('subscriptions closed');
        await apollo.stop();
        logger.debug('HTTP server drained');
        await services.events.stop();
        if (ownsDatabase) await db.close();
        phase = { phase: 'stopped' };
        logger.info('Rollcall stopped');
      })();
      return stopping;
    },
  };
}
