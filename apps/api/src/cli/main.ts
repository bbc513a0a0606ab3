import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/loadConfig.ts';
import { createLogger } from '../logger.ts';
import { runExport, runImport } from './importCommand.ts';
import { runMigrate } from './migrateCommand.ts';
import { processOutput, type Output } from './output.ts';
import { runSimulate, SIMULATE_OPTIONS } from './simulateCommand.ts';

const USAGE = `Usage: rollcall <command> [options]

Commands:
  migrate                         Apply pending database migrations
  import DIR [--continue] [--dry-run]
                                  Import a file-based registry (devices/,
                                  groups/, deployments/, catch-up-queue.yaml)
  export DIR                      Write the registry to DIR in the same layout
  simulate [--ids ID[,ID] | --devices-from DIR] [--devices N] [--url URL]
           [--scenario NAME[,NAME]] [--time-scale X] [--batch] [--tokens FILE]
           [--seed N] [--duration SECONDS]
                                  Drive devices over the GraphQL API: only an
                                  explicit set, --ids, else the devices/ of
                                  registry DIR, else the --tokens file's, else
                                  the devices the demo seeded (never any other
                                  device); --devices N caps the count

The database is the server's (DATABASE_URL, ROLLCALL_DATA_DIR, ROLLCALL_CONFIG):
run rollcall with the same settings as \`pnpm start\`. With the embedded database,
a running server's PostgreSQL is used if there is one. Read-only commands
(export, import --dry-run, simulate) refuse a data directory without a database
(exit 1, nothing created); migrate and import create one there, and import names
the database it used.
Exit codes: 0 done, 1 failed (import: nothing imported), 2 usage or configuration
error, 3 import with --continue left invalid files out.
`;

class UsageError extends Error {}

function requireDirectory(positionals: string[], command: string): string {
  const directory = positionals[1];
  if (!directory || positionals.length > 2) {
    throw new UsageError(`rollcall ${command} needs exactly one directory`);
  }
  return directory;
}

/** Runs one command line; returns the exit code. */
export async function runCli(
  argv: string[],
  output: Output = processOutput,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        continue: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        ...SIMULATE_OPTIONS,
      },
    });
  } catch (error) {
    output.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const { positionals, values } = parsed;
  const command = positionals[0];
  if (values.help || !command || command === 'help') {
    output.out(USAGE);
    return command || values.help ? 0 : 2;
  }

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(`${error.message}\n`);
    return 2;
  }
  // The command's own output is on stdout; the log goes to stderr, quiet
  // unless LOG_LEVEL asks for more.
  const logger = createLogger({
    level: process.env.LOG_LEVEL ?? 'warn',
    destination: process.stderr,
  });

  try {
    switch (command) {
      case 'migrate':
        return await runMigrate(config, logger, output);
      case 'import':
        return await runImport(config, logger, output, {
          directory: requireDirectory(positionals, 'import'),
          continueOnError: values.continue === true,
          dryRun: values['dry-run'] === true,
        });
      case 'export':
        return await runExport(config, logger, output, {
          directory: requireDirectory(positionals, 'export'),
        });
      case 'simulate':
        return await runSimulate(config, logger, output, values);
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    output.err(`rollcall ${command} failed: ${(error as Error).message}\n`);
    logger.debug({ err: error }, 'command failed');
    return 1;
  }
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
