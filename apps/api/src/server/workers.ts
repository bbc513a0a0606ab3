import type { ServiceDependencies, Services } from './services.ts';

/** A long-running loop of the server (sweeper, sync, pruning, webhooks). */
export interface BackgroundWorker {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

/** Every background worker, built from the services. */
export function createWorkers(
  _deps: ServiceDependencies,
  _services: Services,
): BackgroundWorker[] {
  return [];
}
