import {
  createDatabaseFrom,
  startTestPostgres,
  type TestDatabase,
  type TestPostgres,
} from '@rollcall/api/testing/harness';
import { BENCH_ADMIN_KEY, loadFixture } from './fixtures.ts';
import { startChild, type ChildSpec, type ServerChild } from './processes.ts';

/** Where a run's PostgreSQL comes from. */
export type TargetKind = 'embedded' | 'external';

/** A PostgreSQL server for one run of the suite. */
export interface BenchTarget {
  kind: TargetKind;
  postgres: TestPostgres;
  /** `server_version` of the server. */
  version: string;
  stop(): Promise<void>;
}

/**
 * Starts the run's PostgreSQL: the embedded one, or the server at
 * `externalUrl` (a maintenance URL; the suite creates and drops its own
 * databases there, through the test harness).
 */
export async function startTarget(
  kind: TargetKind,
  externalUrl?: string,
): Promise<BenchTarget> {
  const saved = process.env.TEST_DATABASE_URL;
  if (kind === 'external') process.env.TEST_DATABASE_URL = externalUrl;
  else delete process.env.TEST_DATABASE_URL;
  let postgres: TestPostgres;
  try {
    // The embedded server as `pnpm start` runs it (fsync on, its buffers
    // sized by the machine), not the test suites' throwaway settings.
    postgres = await startTestPostgres({ durable: true });
  } finally {
    if (saved === undefined) delete process.env.TEST_DATABASE_URL;
    else process.env.TEST_DATABASE_URL = saved;
  }
  const database = await createDatabaseFrom(postgres);
  const { rows } = await database.pool.query<{ v: string }>(
    `SELECT current_setting('server_version') AS v`,
  );
  await database.close();
  return {
    kind,
    postgres,
    version: rows[0]?.v ?? 'unknown',
    stop: () => postgres.stop(),
  };
}

/** A database loaded with a fleet of `size` devices. */
export interface Fleet {
  size: number;
  database: TestDatabase;
  /** The fixture's reference time (every device heartbeated then). */
  loadedAt: Date;
  loadMs: number;
  /** A server child on this fleet's database. */
  start(kind: ChildSpec['kind']): Promise<ServerChild>;
  close(): Promise<void>;
}

/** The connection pool size of Rollcall and of its peers alike. */
export const SERVER_POOL_SIZE = 20;

/** A fresh database on `target` with `size` fixture devices. */
export async function createFleet(
  target: BenchTarget,
  size: number,
): Promise<Fleet> {
  const database = await createDatabaseFrom(target.postgres);
  // A forced DROP DATABASE at the end ends idle connections; not an error.
  database.pool.on('error', () => undefined);
  const loadedAt = new Date();
  const t0 = Date.now();
  try {
    await loadFixture(database.pool, size, loadedAt);
  } catch (error) {
    await database.close();
    throw error;
  }
  const loadMs = Date.now() - t0;
  // Children are stopped before the database is dropped, even on failure.
  const children = new Set<ServerChild>();
  return {
    size,
    database,
    loadedAt,
    loadMs,
    start: async (kind) => {
      const child = await startChild({
        kind,
        databaseUrl: database.url,
        adminKey: BENCH_ADMIN_KEY,
        poolSize: SERVER_POOL_SIZE,
      });
      children.add(child);
      const stop = child.stop;
      return {
        ...child,
        stop: async () => {
          children.delete(child);
          await stop();
        },
      };
    },
    close: async () => {
      await Promise.all([...children].map((child) => child.stop()));
      await database.close();
    },
  };
}
