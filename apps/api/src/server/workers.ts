import { volatileGroupRecheckWorker } from '../live/volatileGroupRecheck.ts';
import { livenessWorkers } from '../liveness/livenessWorkers.ts';
import type { ServiceDependencies, Services } from './services.ts';

/**
 * A long-running loop of the server (sweeper, sync, pruning, webhooks,
 * group watch rechecks).
 */
export interface BackgroundWorker {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

/** Every background worker, built from the services. */
export function createWorkers(
  deps: ServiceDependencies,
  services: Services,
): BackgroundWorker[] {
  return [
    ...livenessWorkers(deps, services),
    services.deployments.worker,
    volatileGroupRecheckWorker(services.live, deps.logger),
  ];
}
