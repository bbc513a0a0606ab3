import { tierThresholdMs, timeoutMsFor } from '@rollcall/fleet';
import type pg from 'pg';
import { tierConfigFrom } from '../liveness/offlineSweeper.ts';
import {
  SWEEPER_RUNTIME_KEY,
  type SweeperRuntimeValue,
} from '../liveness/sweepGrace.ts';
import {
  applyStateChange,
  type StateChange,
  type StateChangeDeps,
} from './stateChange.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Completes an operator's return to HEALTHY (`exitMaintenance`, `repair`,
 * `activate`) of a device that has been silent longer than its heartbeat
 * timeout: HEALTHY means online, and the spec's "heartbeat missed" rule
 * moves a HEALTHY device past its timeout to OFFLINE, so the device moves
 * on at once (a second transition, cause `timeout`, by the same actor)
 * instead of showing HEALTHY, and eligible for deployments, until its
 * next heartbeat or a sweep one more timeout later. It gets the offline
 * bookkeeping the sweeper gives: last known state HEALTHY, connectivity
 * offline, no tier yet, due for the warning tier. Its offline time counts
 * from now, not from its last heartbeat: silence during maintenance was
 * expected and must not jump the escalation ladder. A device that never
 * heartbeated keeps the full timeout `applyStateChange` gives it, and so
 * does one whose silence falls in the sweeper's grace (Rollcall or its
 * database was down). Returns whether the device went OFFLINE.
 */
export async function timeOutIfSilent(
  client: Queryable,
  deps: StateChangeDeps,
  change: StateChange,
): Promise<boolean> {
  const { rows } = await client.query<{
    last_heartbeat_at: Date | null;
    runtime: SweeperRuntimeValue | null;
  }>(
    `SELECT s.last_heartbeat_at,
            (SELECT value FROM runtime_state WHERE key = $2) AS runtime
     FROM device_status s WHERE s.device_id = $1`,
    [change.deviceId, SWEEPER_RUNTIME_KEY],
  );
  const lastHeartbeat = rows[0]?.last_heartbeat_at;
  if (!lastHeartbeat) return false;

  const { heartbeat } = deps.config;
  const timeoutMs = timeoutMsFor(change.heartbeatIntervalSeconds, {
    intervalSeconds: heartbeat.interval_seconds,
    timeoutSeconds: heartbeat.timeout_seconds,
  });
  const graceStart = rows[0]?.runtime?.graceStart;
  const deadline = Math.max(
    lastHeartbeat.getTime(),
    graceStart ? new Date(graceStart).getTime() : 0,
  );
  if (deadline + timeoutMs >= change.at.getTime()) return false;

  await applyStateChange(client, deps, {
    ...change,
    from: 'healthy',
    to: 'offline',
    cause: 'timeout',
    reason:
      `no heartbeat within ${timeoutMs / 1000} s ` +
      `(last heartbeat ${lastHeartbeat.toISOString()})`,
  });
  const warningMs = tierThresholdMs('warning', tierConfigFrom(deps.config));
  await client.query(
    `UPDATE device_status SET
       last_known_state = 'healthy', offline_since = $2,
       connectivity = 'offline', offline_tier = NULL, tier_since = NULL,
       due_at = $3
     WHERE device_id = $1`,
    [change.deviceId, change.at, new Date(change.at.getTime() + warningMs)],
  );
  return true;
}
