import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RollcallConfig } from '../config/defaults.ts';
import type { Logger } from '../logger.ts';
import { isProcessAlive, type LockContents } from './dataDirectoryLock.ts';
import { openDatabase, type Database } from './database.ts';
import { effectiveDataDir } from './embeddedPostgres.ts';

/** The running server that holds a data directory, or null. */
export function runningServerOf(dataDir: string): LockContents | null {
  try {
    const lock = JSON.parse(
      readFileSync(join(resolve(dataDir), 'rollcall.lock'), 'utf8'),
    ) as LockContents;
    return lock.pid !== process.pid && isProcessAlive(lock.pid) ? lock : null;
  } catch {
    return null;
  }
}

/** Which database a command-line run is using, for it to tell the user. */
export type DatabaseSource =
  | { kind: 'url'; url: string }
  | { kind: 'running-server'; dataDir: string; pid: number; port: number }
  | { kind: 'embedded'; dataDir: string; created: boolean };

/** The data directory as configured, and where it really is if mapped. */
function named(requested: string, effective: string): string {
  return effective === requested
    ? requested
    : `${requested} (mapped to ${effective})`;
}

/** A command-line run's database, and where it is. */
export type CliDatabase = Database & { source: DatabaseSource };

/**
 * A read-only command found no database to read: no `DATABASE_URL` and no
 * cluster in the embedded data directory. Creating one would only answer
 * from an empty registry (an export of 0 devices, exit 0), hiding that the
 * command runs with other settings than the server.
 */
export class NoDatabaseError extends Error {
  constructor(
    readonly dataDir: string,
    effective: string = dataDir,
  ) {
    super(
      `no Rollcall database in ${named(dataDir, effective)}: no ${join(effective, 'pg', 'PG_VERSION')}, ` +
        `and DATABASE_URL is not set; nothing was created. Run the command with ` +
        `the server's settings, as for \`pnpm start\`: ROLLCALL_DATA_DIR=<the ` +
        `server's data directory> (or DATABASE_URL=postgresql://...)`,
    );
    this.name = 'NoDatabaseError';
  }
}

/** Whether an embedded data directory holds an initialised cluster. */
export function hasCluster(dataDir: string): boolean {
  return existsSync(join(dataDir, 'pg', 'PG_VERSION'));
}

/** The source as one line, without credentials. */
export function describeDatabaseSource(source: DatabaseSource): string {
  switch (source.kind) {
    case 'url': {
      let where = 'DATABASE_URL';
      try {
        const url = new URL(source.url);
        where = `DATABASE_URL (${url.host}${url.pathname})`;
      } catch {
        // An unparsable URL is named without its text, which may hold a password.
      }
      return `Database: ${where}`;
    }
    case 'running-server':
      return `Database: embedded PostgreSQL in ${source.dataDir} (the running server's, pid ${source.pid})`;
    case 'embedded':
      return source.created
        ? `Database: created a new embedded PostgreSQL in ${source.dataDir} ` +
            `(none was there; set ROLLCALL_DATA_DIR or DATABASE_URL as for \`pnpm start\` to use the server's)`
        : `Database: embedded PostgreSQL in ${source.dataDir}`;
  }
}

/**
 * Opens the database the server's settings name, for a command-line run,
 * whether or not a server is running on them: `DATABASE_URL` when set;
 * otherwise, when a live Rollcall process holds the embedded data
 * directory, a connection to that process's PostgreSQL (on the port in its
 * lock file); otherwise an embedded server of its own on the directory,
 * stopped by `close()`, creating the cluster there unless `mustExist`
 * (read-only commands). Pending migrations are applied.
 *
 * @throws NoDatabaseError with `mustExist` when the data directory has no
 *   cluster and no `DATABASE_URL` is set; nothing is created then
 */
export async function connectToDataDirectory(
  config: RollcallConfig,
  logger: Logger,
  options: { poolSize?: number; migrate?: boolean; mustExist?: boolean } = {},
): Promise<CliDatabase> {
  const poolSize = options.poolSize ?? 5;
  const migrate = options.migrate;
  if (config.database.url) {
    const db = await openDatabase({
      url: config.database.url,
      dataDir: '',
      poolSize,
      logger,
      migrate,
    });
    return Object.assign(db, {
      source: { kind: 'url', url: config.database.url } as const,
    });
  }

  const requested = resolve(config.database.data_dir);
  const dataDir = effectiveDataDir(requested, logger);
  const running = runningServerOf(dataDir);
  if (running) {
    logger.debug(
      { pid: running.pid, port: running.port },
      'using the running server',
    );
    const db = await openDatabase({
      url: `postgresql://postgres@127.0.0.1:${running.port}/postgres`,
      dataDir: '',
      poolSize,
      logger,
      migrate,
    });
    return Object.assign(db, {
      source: {
        kind: 'running-server',
        dataDir: named(requested, dataDir),
        pid: running.pid,
        port: running.port,
      } as const,
    });
  }

  const existed = hasCluster(dataDir);
  if (!existed && options.mustExist)
    throw new NoDatabaseError(requested, dataDir);
  const db = await openDatabase({
    url: '',
    dataDir: config.database.data_dir,
    poolSize,
    logger,
    migrate,
  });
  return Object.assign(db, {
    source: {
      kind: 'embedded',
      dataDir: named(requested, dataDir),
      created: !existed,
    } as const,
  });
}
