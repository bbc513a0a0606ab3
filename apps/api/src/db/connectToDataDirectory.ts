import { readFileSync } from 'node:fs';
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

/**
 * Opens the database the server's settings name, for a command-line run,
 * whether or not a server is running on them: `DATABASE_URL` when set;
 * otherwise, when a live Rollcall process holds the embedded data
 * directory, a connection to that process's PostgreSQL (on the port in its
 * lock file); otherwise an embedded server of its own on the directory,
 * stopped by `close()`. Pending migrations are applied.
 */
export async function connectToDataDirectory(
  config: RollcallConfig,
  logger: Logger,
  options: { poolSize?: number; migrate?: boolean } = {},
): Promise<Database> {
  const poolSize = options.poolSize ?? 5;
  const migrate = options.migrate;
  if (config.database.url) {
    return openDatabase({
      url: config.database.url,
      dataDir: '',
      poolSize,
      logger,
      migrate,
    });
  }

  const running = runningServerOf(
    effectiveDataDir(config.database.data_dir, logger),
  );
  if (running) {
    logger.debug(
      { pid: running.pid, port: running.port },
      'using the running server',
    );
    return openDatabase({
      url: `postgresql://postgres@127.0.0.1:${running.port}/postgres`,
      dataDir: '',
      poolSize,
      logger,
      migrate,
    });
  }
  return openDatabase({
    url: '',
    dataDir: config.database.data_dir,
    poolSize,
    logger,
    migrate,
  });
}
