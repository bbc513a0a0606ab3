import { ConfigError, loadConfig } from './config/loadConfig.ts';
import { createLogger } from './logger.ts';
import {
  startRollcallServer,
  type RollcallServer,
} from './server/rollcallServer.ts';
import { startDemo } from './demo/startDemo.ts';

/** Entry point of `pnpm start`: the server, and the demo fleet unless off. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const logger = createLogger({ level: config.log.level });
  let server: RollcallServer;
  try {
    server = await startRollcallServer({ config, logger });
  } catch (error) {
    logger.fatal({ err: error }, 'Rollcall could not start');
    process.exitCode = 1;
    return;
  }

  if (server.generatedAdminKey) {
    // Printed once, on the terminal only: the key is stored hashed.
    process.stdout.write(
      `\nBootstrap admin key (shown once; set ROLLCALL_ADMIN_TOKEN to choose your own):\n  ${server.generatedAdminKey}\n\n`,
    );
  }

  const demo =
    config.demo.mode === 'on' ? await startDemo(server, logger) : null;
  process.stdout.write(
    `Rollcall dashboard: ${server.url}/  (GraphQL: ${server.url}/graphql)\n`,
  );

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    await demo?.stop();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

void main();
