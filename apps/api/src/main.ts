import { ConfigError, loadConfig } from './config/loadConfig.ts';
import { startDemo, type RunningDemo } from './demo/startDemo.ts';
import { createLogger } from './logger.ts';
import {
  startRollcallServer,
  type RollcallServer,
} from './server/rollcallServer.ts';

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

  // Signals are handled from the first moment: the embedded PostgreSQL runs
  // in its own process group, so a Ctrl-C during startup must still stop it.
  let server: RollcallServer | null = null;
  let demo: RunningDemo | null = null;
  let shutdownRequested: string | null = null;
  const shutdown = async (signal: string) => {
    if (shutdownRequested) return;
    shutdownRequested = signal;
    if (!server) return; // startup finishes, then sees the request
    logger.info({ signal }, 'shutting down');
    await demo?.stop();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    server = await startRollcallServer({ config, logger });
  } catch (error) {
    logger.fatal({ err: error }, 'Rollcall could not start');
    process.exit(1);
  }
  if (shutdownRequested) {
    const signal: string = shutdownRequested;
    shutdownRequested = null;
    await shutdown(signal);
    return;
  }

  if (server.generatedAdminKey) {
    // Printed once, on the terminal only: the key is stored hashed.
    process.stdout.write(
      `\nBootstrap admin key (shown once; set ROLLCALL_ADMIN_TOKEN to choose your own):\n  ${server.generatedAdminKey}\n\n`,
    );
  }

  demo = config.demo.mode === 'on' ? await startDemo(server, logger) : null;
  process.stdout.write(
    `Rollcall dashboard: ${server.url}/  (GraphQL: ${server.url}/graphql)\n`,
  );
}

void main();
