import {
  intervalWorker,
  type IntervalWorker,
} from '../liveness/intervalWorker.ts';
import type { Logger } from '../logger.ts';
import type { LiveHub } from './liveHub.ts';

/**
 * How often the watched groups that time or heartbeats move are
 * rechecked: a device joins or leaves such a group's live view at most
 * this long (plus one recheck) after the clock or a heartbeat moved it.
 * The `groupMembershipChanged` description (liveModule.ts) states it.
 */
export const VOLATILE_GROUP_RECHECK_MS = 10_000;

/** The loop behind `LiveHub.recheckVolatileGroups`. */
export function volatileGroupRecheckWorker(
  live: Pick<LiveHub, 'recheckVolatileGroups'>,
  logger: Logger,
): IntervalWorker {
  return intervalWorker(
    'group-watch-recheck',
    VOLATILE_GROUP_RECHECK_MS,
    () => live.recheckVolatileGroups(),
    logger,
  );
}
