import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from './embeddedPostgres.ts';
import { PrismaClient } from './generated/client.ts';
import { migrate } from './migrator.ts';

export { PrismaClient };

// BIGINT columns (sequences, uptime) fit in a JS number for any real fleet;
// parsing them as numbers keeps raw-SQL results plain.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** How long acquiring a pooled connection may take: 5 seconds. */
export const CONNECT_TIMEOUT_MS = 5000;

/** The database as the rest of Rollcall sees it. */
export interface Database {
  /** The raw driver, for the hot paths (heartbeats, sweeps, queries). */
  pool: pg.Pool;
  /** Prisma over the same server, for everything else. */
  prisma: PrismaClient;
  url: string;
  /** Present when Rollcall runs its own PostgreSQL. */
  embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** External server; when empty, an embedded one runs in `dataDir`. */
  url: string;
  dataDir: string;
  poolSize: number;
  logger: Logger;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/** Connects to (or starts) PostgreSQL and applies pending migrations. */
export async function openDatabase(
  options: OpenDatabaseOptions,
): Promise<Database> {
  const { logger } = options;
  let embedded: EmbeddedPostgres | null = null;
  let url = options.url;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: options.dataDir,
      logger,
    });
    url = embedded.url;
  }

  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    // A request waits at most this long for a connection, so that an
    // unreachable database answers SERVICE_UNAVAILABLE instead of hanging.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client's connection can drop when the server restarts; the pool
  // replaces it, but the error must not crash the process.
  pool.on('error', (error) =>
    logger.warn({ err: error.message }, 'idle database connection lost'),
  );

  try {
    if (options.migrate !== false) {
      const applied = await migrate(pool);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }

  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    pool,
    prisma,
    url,
    embedded,
    close: async () => {
      await prisma.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await embedded?.stop();
    },
  };
}
