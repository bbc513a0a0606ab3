import { resolve } from 'node:path';

/**
 * A path as the user typed it: `pnpm rollcall` runs in apps/api, so a
 * relative path is taken from where pnpm was started (INIT_CWD).
 */
export function resolveFromCaller(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
import type { RollcallConfig } from '../config/defaults.ts';
import {
  connectToDataDirectory,
  describeDatabaseSource,
} from '../db/connectToDataDirectory.ts';
import { createEventBus } from '../events/eventBus.ts';
import { exportRegistry } from '../importExport/exportRegistry.ts';
import {
  ImportFailedError,
  importRegistry,
  type ImportSummary,
  type KindSummary,
} from '../importExport/importRegistry.ts';
import type { Logger } from '../logger.ts';
import type { Output } from './output.ts';

/** Exit codes of `rollcall import`. */
export const IMPORT_EXIT = { ok: 0, failed: 1, partial: 3 } as const;

function line(label: string, kind: KindSummary): string {
  return `  ${label.padEnd(16)}created ${String(kind.created).padStart(5)}  updated ${String(kind.updated).padStart(5)}  unchanged ${String(kind.unchanged).padStart(5)}`;
}

/** The summary as the command prints it. */
export function formatImportSummary(
  directory: string,
  summary: ImportSummary,
): string {
  const lines = [
    summary.dryRun
      ? `Checked ${directory} (dry run: nothing was written)`
      : `Imported ${directory}`,
    line('devices', summary.devices),
    line('groups', summary.groups),
    line('deployments', summary.deployments),
    line('catch-up queue', summary.catchUpEntries),
  ];
  if (summary.failures.length > 0) {
    lines.push(`Not imported (${summary.failures.length} invalid file(s)):`);
    for (const failure of summary.failures) lines.push(`  ${failure.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `rollcall import DIR [--continue] [--dry-run]`, first naming the database
 * it writes to (and whether it had to create it).
 */
export async function runImport(
  config: RollcallConfig,
  logger: Logger,
  output: Output,
  args: { directory: string; continueOnError: boolean; dryRun: boolean },
): Promise<number> {
  const directory = resolveFromCaller(args.directory);
  // A real import may create the registry's database (a first import); a
  // dry run only reads, so it needs an existing one.
  const db = await connectToDataDirectory(config, logger, {
    mustExist: args.dryRun,
  });
  output.out(`${describeDatabaseSource(db.source)}\n`);
  try {
    const summary = await importRegistry(db.pool, {
      directory,
      continueOnError: args.continueOnError,
      dryRun: args.dryRun,
      now: new Date(),
      timing: {
        intervalSeconds: config.heartbeat.interval_seconds,
        timeoutSeconds: config.heartbeat.timeout_seconds,
      },
      events: createEventBus({ url: db.url, logger }),
    });
    output.out(formatImportSummary(args.directory, summary));
    return summary.failures.length > 0 ? IMPORT_EXIT.partial : IMPORT_EXIT.ok;
  } catch (error) {
    if (!(error instanceof ImportFailedError)) throw error;
    output.err(`${error.message}\n`);
    return IMPORT_EXIT.failed;
  } finally {
    await db.close();
  }
}

/**
 * `rollcall export DIR`, from an existing database only.
 *
 * @throws NoDatabaseError when the settings name no existing database
 */
export async function runExport(
  config: RollcallConfig,
  logger: Logger,
  output: Output,
  args: { directory: string },
): Promise<number> {
  // Read-only: a missing database means other settings than the server's,
  // never an empty registry to export.
  const db = await connectToDataDirectory(config, logger, { mustExist: true });
  output.out(`${describeDatabaseSource(db.source)}\n`);
  try {
    const summary = await exportRegistry(
      db.pool,
      resolveFromCaller(args.directory),
    );
    output.out(
      `Exported to ${args.directory}: ${summary.devices} devices, ${summary.groups} groups, ` +
        `${summary.deployments} deployments, ${summary.catchUpEntries} catch-up entries ` +
        `(${summary.written} files written, ${summary.removed} removed)\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
