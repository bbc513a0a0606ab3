import {
  createCatchUpService,
  type CatchUpService,
} from '../catchUp/catchUpService.ts';
import type { Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import type { Database } from '../db/database.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { HeartbeatObserver } from '../liveness/heartbeatObserver.ts';
import type { Logger } from '../logger.ts';
import {
  createDeploymentService,
  type DeploymentService,
} from './deploymentService.ts';
import { memberSourceOf } from './groupMembers.ts';

/** What the deployment services need of the others. */
interface BaseServices {
  events: EventBus;
  groups: { resolveMembers(name: string): Promise<string[]> };
  liveness: { addObserver(observer: HeartbeatObserver): () => void };
}

/**
 * Adds the deployment and catch-up services to the others: wires group
 * resolution, registers the heartbeat observers (deployments first, so a
 * device's deployment settles before its catch-up is considered) and
 * follows decommission and offline-tier events.
 */
export function withDeployments<T extends BaseServices>(
  deps: { db: Database; logger: Logger; config: RollcallConfig; clock: Clock },
  base: T,
): T & { deployments: DeploymentService; catchUp: CatchUpService } {
  const deployments = createDeploymentService({
    pool: deps.db.pool,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'deployments' }),
    config: deps.config,
    events: base.events,
    groups: memberSourceOf(base.groups),
  });
  for (const observer of deployments.observers) {
    base.liveness.addObserver(observer);
  }
  deployments.followEvents();
  return {
    ...base,
    deployments,
    catchUp: createCatchUpService(deployments.deps, deps.config),
  };
}
