import type { RollcallConfig } from '../config/defaults.ts';
import { connectToDataDirectory } from '../db/connectToDataDirectory.ts';
import { migrate } from '../db/migrator.ts';
import type { Logger } from '../logger.ts';
import type { Output } from './output.ts';

/** `rollcall migrate`: applies pending migrations and names them. */
export async function runMigrate(
  config: RollcallConfig,
  logger: Logger,
  output: Output,
): Promise<number> {
  const db = await connectToDataDirectory(config, logger, { migrate: false });
  try {
    const applied = await migrate(db.pool);
    output.out(
      applied.length === 0
        ? 'Database is up to date; no migrations to apply.\n'
        : `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}\n`).join('')}`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
