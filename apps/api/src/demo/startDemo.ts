import type { Logger } from '../logger.ts';
import type { RollcallServer } from '../server/rollcallServer.ts';

export interface RunningDemo {
  stop(): Promise<void>;
}

/**
 * Imports the demo fleet into an empty registry and simulates its devices.
 * TODO(#8): import the committed demo fleet and run the simulator.
 */
export async function startDemo(
  _server: RollcallServer,
  logger: Logger,
): Promise<RunningDemo> {
  logger.info('demo fleet not yet available');
  return { stop: async () => undefined };
}
