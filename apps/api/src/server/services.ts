import { createAuthService, type AuthService } from '../auth/authService.ts';
import {
  createCredentialService,
  type CredentialService,
} from '../auth/credentialService.ts';
import type { Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import type { Database } from '../db/database.ts';
import { createEventBus, type EventBus } from '../events/eventBus.ts';
import type { Logger } from '../logger.ts';

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
}

export function createServices(deps: ServiceDependencies): Services {
  return {
    auth: createAuthService(deps.db.pool, deps.logger),
    credentials: createCredentialService({
      pool: deps.db.pool,
      clock: deps.clock,
    }),
    events: createEventBus({ url: deps.db.url, logger: deps.logger }),
  };
}
