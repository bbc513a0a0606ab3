import { createAuthService, type AuthService } from '../auth/authService.ts';
import {
  createCredentialService,
  type CredentialService,
} from '../auth/credentialService.ts';
import type { Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import type { Database } from '../db/database.ts';
import {
  createDeviceService,
  type DeviceService,
} from '../devices/deviceService.ts';
import { createEventBus, type EventBus } from '../events/eventBus.ts';
import {
  createGroupService,
  type GroupService,
} from '../groups/groupService.ts';
import { createLiveHub, type LiveHub } from '../live/liveHub.ts';
import { withDeviceTokenCache } from '../liveness/deviceTokenCache.ts';
import {
  createLivenessService,
  type LivenessService,
} from '../liveness/livenessService.ts';
import type { Logger } from '../logger.ts';
import type { CatchUpService } from '../catchUp/catchUpService.ts';
import type { DeploymentService } from '../deployments/deploymentService.ts';
import { withDeployments } from '../deployments/withDeployments.ts';
import { createTagService, type TagService } from '../tags/tagService.ts';

/** Dependencies every service is built from. */
export interface ServiceDependencies {
  db: Database;
  logger: Logger;
  config: RollcallConfig;
  clock: Clock;
}

/** The domain services, built once per process and shared by requests. */
export interface Services {
  auth: AuthService;
  credentials: CredentialService;
  events: EventBus;
  devices: DeviceService;
  tags: TagService;
  groups: GroupService;
  live: LiveHub;
  liveness: LivenessService;
  deployments: DeploymentService;
  catchUp: CatchUpService;
}

export function createServices(deps: ServiceDependencies): Services {
  const events = createEventBus({ url: deps.db.url, logger: deps.logger });
  const tags = createTagService(deps);
  return withDeployments(deps, {
    auth: withDeviceTokenCache(createAuthService(deps.db.pool, deps.logger), {
      revocations: events,
    }),
    credentials: createCredentialService({
      pool: deps.db.pool,
      clock: deps.clock,
      events,
    }),
    events,
    devices: createDeviceService(deps, events, tags),
    tags,
    groups: createGroupService({
      pool: deps.db.pool,
      clock: deps.clock,
      config: deps.config,
      events,
    }),
    live: createLiveHub({ ...deps, events }),
    liveness: createLivenessService(deps, events),
  });
}
