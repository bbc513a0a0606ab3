import type { ServiceDependencies, Services } from '../server/services.ts';
import type { BackgroundWorker } from '../server/workers.ts';
import { intervalWorker } from './intervalWorker.ts';

// Due webhook deliveries are looked for every second.
const WEBHOOK_POLL_MS = 1000;

/**
 * The liveness loops: the offline sweeper (every
 * `sweeper.interval_seconds`), history pruning (every
 * `history.prune_interval_minutes`), alert webhooks (every second),
 * registry sync (once per `sync.interval_hours`), and the ingest writer's drain on
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
    intervalWorker(
      'alert-webhooks',
      WEBHOOK_POLL_MS,
      () => liveness.webhooks.runOnce(),
      logger,
    ),
    intervalWorker(
      'registry-sync',
      // Checked hourly; a sync runs once per period across processes.
      Math.min(config.sync.interval_hours * 3_600_000, 3_600_000),
      () => liveness.registrySync.run('scheduled'),
      logger,
    ),
    {
      name: 'heartbeat-ingest',
      start: () => undefined,
      stop: () => liveness.ingest.stop(),
    },
  ];
}
