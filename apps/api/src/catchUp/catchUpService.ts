import type { RollcallConfig } from '../config/defaults.ts';
import type { DeploymentDeps } from '../deployments/deploymentRows.ts';
import { createEventFeed } from '../live/eventFeed.ts';
import * as actions from './catchUpActions.ts';
import type { CatchUpEntry } from './catchUpEntries.ts';
import {
  getCatchUp,
  listCatchUp,
  listInvestigations,
  type CatchUpFilter,
} from './catchUpQueries.ts';
import { sweepCatchUpTimeline, type TimelineSweep } from './catchUpTimeline.ts';
import {
  resolveInvestigation,
  type InvestigationEntry,
} from './investigations.ts';

/** The catch-up and investigation queues and their operator actions. */
export interface CatchUpService {
  list(
    filter: CatchUpFilter,
    first?: number | null,
    after?: string | null,
  ): ReturnType<typeof listCatchUp>;
  get(id: string): Promise<CatchUpEntry | null>;
  investigations(
    includeResolved: boolean,
    first?: number | null,
    after?: string | null,
  ): ReturnType<typeof listInvestigations>;
  retry(id: string, actor: string): Promise<CatchUpEntry>;
  skip(id: string, actor: string, reason: string | null): Promise<CatchUpEntry>;
  remove(id: string, actor: string): Promise<CatchUpEntry>;
  resolveInvestigation(
    id: string,
    actor: string,
    resolution: string,
  ): Promise<InvestigationEntry>;
  /** The long-offline timeline now (the worker runs it periodically). */
  sweep(): Promise<TimelineSweep>;
  /**
   * Each changed entry, of one device or (null) of all, read once per
   * change for all of its subscribers.
   */
  watch(deviceId: string | null): AsyncIterableIterator<CatchUpEntry>;
  /** Open `watch` subscribers (for tests and metrics). */
  watchSubscriberCount(): number;
}

export function createCatchUpService(
  deps: DeploymentDeps,
  config: RollcallConfig,
): CatchUpService {
  const changes = createEventFeed({
    events: deps.events,
    kinds: ['catchUpChanged'],
    load: (event) => getCatchUp(deps.pool, event.entryId),
    logger: deps.logger,
  });
  return {
    list: (filter, first, after) =>
      listCatchUp(deps.pool, config, filter, first, after),
    get: (id) => getCatchUp(deps.pool, id),
    investigations: (includeResolved, first, after) =>
      listInvestigations(deps.pool, config, includeResolved, first, after),
    retry: (id, actor) => actions.retryCatchUp(deps, id, actor),
    skip: (id, actor, reason) => actions.skipCatchUp(deps, id, actor, reason),
    remove: (id, actor) => actions.removeCatchUp(deps, id, actor),
    resolveInvestigation: (id, actor, resolution) =>
      resolveInvestigation(deps, id, actor, resolution),
    sweep: () => sweepCatchUpTimeline(deps),
    watch: (deviceId) =>
      changes.open((event) => deviceId === null || event.deviceId === deviceId),
    watchSubscriberCount: () => changes.count(),
  };
}
