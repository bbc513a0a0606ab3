import type { ServiceDependencies, Services } from '../server/services.ts';
import type { BackgroundWorker } from '../server/workers.ts';
import { intervalWorker } from './intervalWorker.ts';

/**
 * The liveness loops: the offline sweeper (every
 * `sweeper.interval_seconds`), history pruning (every
 * `history.prune_interval_minutes`), and the ingest writer's drain on
 * shutdown, so that queued heartbeats are answered before the pool closes.
 */
export function livenessWorkers(
  deps: ServiceDependencies,
  services: Services,
): BackgroundWorker[] {
  const { config, logger } = deps;
  const liveness = services.liveness;
  return [
    intervalWorker(
      'offline-sweeper',
      config.sweeper.interval_seconds * 1000,
      () => liveness.sweeper.runOnce(),
      logger,
    ),
    intervalWorker(
      'heartbeat-pruning',
      config.history.prune_interval_minutes * 60_000,
      () => liveness.pruneHistory(),
      logger,
    ),
    {
      name: 'heartbeat-ingest',
      start: () => undefined,
      stop: () => liveness.ingest.stop(),
    },
  ];
}
