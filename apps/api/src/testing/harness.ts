/**
 * Framework-free test infrastructure: a PostgreSQL server for a test run, a
 * fresh database per test file (cloned from a migrated template), and a
 * Rollcall server on it. Used by the API's vitest suite, the e2e tests and
 * the benchmarks.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ManualClock, type Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import { loadConfig, type DeepPartial } from '../config/loadConfig.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { startEmbeddedPostgres } from '../db/embeddedPostgres.ts';
import { migrate } from '../db/migrator.ts';
import { createLogger, type Logger } from '../logger.ts';
import { ManualScheduler, type Scheduler } from '../scheduler.ts';
import {
  startRollcallServer,
  type RollcallServer,
} from '../server/rollcallServer.ts';

export { ManualClock };

export function testLogger(): Logger {
  return createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface TestPostgres {
  /** A maintenance connection string (database `postgres`). */
  adminUrl: string;
  /** Name of the migrated template that test databases are cloned from. */
  template: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL server for a test run: `TEST_DATABASE_URL` when set
 * (an existing server), otherwise an embedded one in a temp directory. Then
 * creates and migrates a uniquely named template database. The embedded
 * server trades durability for speed unless `durable` (the benchmarks
 * measure the server as `pnpm start` runs it).
 */
export async function startTestPostgres(
  options: { durable?: boolean } = {},
): Promise<TestPostgres> {
  const logger = testLogger();
  const external = process.env.TEST_DATABASE_URL;
  let dataDir: string | null = null;
  let stopServer = async () => undefined as void;
  let adminUrl: string;
  if (external) {
    adminUrl = external;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'rollcall-test-pg-'));
    const server = await startEmbeddedPostgres({
      dataDir,
      logger,
      ephemeral: !options.durable,
    });
    adminUrl = server.url;
    stopServer = server.stop;
  }

  const template = `rollcall_tpl_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const pool = new pg.Pool({
    connectionString: withDatabase(adminUrl, template),
    max: 2,
  });
  await migrate(pool);
  await pool.end();

  return {
    adminUrl,
    template,
    stop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1`,
        [`${template.replace('tpl', 'test')}%`],
      );
      for (const row of [...rows, { datname: template }]) {
        await client.query(
          `DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`,
        );
      }
      await client.end();
      await stopServer();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestDatabase {
  name: string;
  url: string;
  /** A pg pool on the database, for fixtures and assertions. */
  pool: pg.Pool;
  close(): Promise<void>;
}

/** A fresh, migrated database cloned from the run's template. */
export async function createDatabaseFrom(
  postgres: Pick<TestPostgres, 'adminUrl' | 'template'>,
): Promise<TestDatabase> {
  const name = `${postgres.template.replace('tpl', 'test')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${postgres.template}`);
  } finally {
    await admin.end();
  }

  const url = withDatabase(postgres.adminUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // Dropping the database at the end terminates any connection a test
  // left idle; that is expected and must not surface as an uncaught error.
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    close: async () => {
      await pool.end();
      const client = new pg.Client({ connectionString: postgres.adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface GraphqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: unknown;
    extensions?: Record<string, unknown> & { code?: string };
  }>;
}

export interface TestServer {
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  adminKey: string;
  clock: ManualClock;
  server: RollcallServer;
  database: TestDatabase;
  /** Sends one GraphQL operation over HTTP (the admin key by default). */
  request<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GraphqlResult<T>>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  postgres: Pick<TestPostgres, 'adminUrl' | 'template'>;
  config?: DeepPartial<RollcallConfig>;
  clock?: ManualClock;
  /**
   * The server's timers (serverTime ticks): by default a ManualScheduler
   * on the clock that nothing advances. Pass one to advance it, or real
   * timers (`realScheduler()`) for a server a browser watches.
   */
  scheduler?: Scheduler;
  backgroundWorkers?: boolean;
  /** The server's logger (to inspect log lines); silent by default. */
  logger?: Logger;
  /** Reuse a database (for a second process on the same data). */
  database?: TestDatabase;
}

/** Sends one GraphQL operation over HTTP. */
export async function graphqlRequest<T = Record<string, unknown>>(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = null,
): Promise<GraphqlResult<T>> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphqlResult<T>;
  return { ...body, status: response.status };
}

/** A Rollcall server on a fresh database, with a manual clock. */
export async function startTestServerOn(
  options: TestServerOptions,
): Promise<TestServer> {
  const database =
    options.database ?? (await createDatabaseFrom(options.postgres));
  const clock = options.clock ?? new ManualClock();
  const scheduler = options.scheduler ?? new ManualScheduler(clock);
  const adminKey = `rc_key_test_${randomBytes(12).toString('hex')}`;
  const config = loadConfig(
    {},
    {
      ...options.config,
      server: { host: '127.0.0.1', ...options.config?.server, port: 0 },
      auth: { ...options.config?.auth, admin_token: adminKey },
      demo: { ...options.config?.demo, mode: 'off' },
    },
  );
  const logger = options.logger ?? testLogger();
  const db: Database = await openDatabase({
    url: database.url,
    dataDir: '',
    poolSize: 10,
    logger,
    migrate: false,
  });
  const server = await startRollcallServer({
    config,
    logger,
    clock: clock as Clock,
    scheduler,
    database: db,
    backgroundWorkers: options.backgroundWorkers ?? false,
  });
  const graphqlUrl = `${server.url}/graphql`;
  return {
    url: server.url,
    graphqlUrl,
    wsUrl: graphqlUrl.replace(/^http/, 'ws'),
    adminKey,
    clock,
    server,
    database,
    request: (query, variables, token) =>
      graphqlRequest(
        graphqlUrl,
        query,
        variables,
        token === undefined ? adminKey : token,
      ),
    close: async () => {
      await server.stop();
      await db.close();
      if (!options.database) await database.close();
    },
  };
}
