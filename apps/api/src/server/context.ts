import type { Principal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Scheduler } from '../scheduler.ts';
import type { Services } from './services.ts';

/** What every resolver receives, typed once. */
export interface RequestContext {
  requestId: string;
  logger: Logger;
  config: RollcallConfig;
  clock: Clock;
  /** Timers for ticking streams, so tests advance them with the clock. */
  scheduler: Scheduler;
  db: Database;
  services: Services;
  principal: Principal;
}

/** The parts of the context shared by all requests of one process. */
export type AppContext = Omit<RequestContext, 'requestId' | 'principal'>;
