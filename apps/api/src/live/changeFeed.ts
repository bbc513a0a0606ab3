import type pg from 'pg';
import type { RollcallConfig } from '../config/defaults.ts';
import { deviceCondition } from '../devices/deviceList.ts';
import { pageSize } from '../devices/pagination.ts';
import { RollcallError } from '../errors.ts';
import {
  EVENT_ROW_COLUMNS,
  eventPayloadOfRow,
  type EventRow,
} from '../events/eventRows.ts';

/** One recorded device event, as `changesSince` returns it. */
export interface DeviceChange {
  version: number;
  deviceId: string;
  kind: string;
  at: Date;
  payload: unknown;
}

/** A page of the change log after a version. */
export interface ChangeFeed {
  changes: DeviceChange[];
  /** The newest version in the log now; resume from here when done. */
  latestVersion: number;
  /** True when more changes follow the last one returned. */
  hasMore: boolean;
}

/**
 * The recorded device events after `version`, oldest first, so a client
 * that missed events replays them instead of reloading everything. With
 * `where`, only events of devices the query selects now (decommissioned
 * devices included, since their last changes matter to a catching-up view).
 */
export async function changesSince(
  pool: pg.Pool,
  config: RollcallConfig,
  now: Date,
  args: { version: number; where?: string | null; first?: number | null },
): Promise<ChangeFeed> {
  if (!Number.isSafeInteger(args.version) || args.version < 0) {
    throw new RollcallError('BAD_USER_INPUT', '"version" must be 0 or more', {
      argument: 'version',
    });
  }
  const size = pageSize(args.first, config, 100);
  const condition = await deviceCondition(pool, {
    where: args.where,
    includeDecommissioned: true,
    now,
    paramOffset: 2,
  });
  const filter =
    args.where != null && args.where.trim() !== ''
      ? `AND EXISTS (SELECT 1 FROM devices d JOIN device_status s
           ON s.device_id = d.id WHERE d.id = e.device_id AND ${condition.sql})`
      : '';

  const [page, latest] = await Promise.all([
    pool.query<EventRow>(
      `SELECT ${EVENT_ROW_COLUMNS} FROM device_events e
       WHERE e.id > $1 ${filter}
       ORDER BY e.id LIMIT $2`,
      [args.version, size + 1, ...condition.values],
    ),
    pool.query<{ version: number }>(
      'SELECT coalesce(max(id), 0)::bigint AS version FROM device_events',
    ),
  ]);
  return {
    changes: page.rows.slice(0, size).map((row) => ({
      version: row.id,
      deviceId: row.device_id,
      kind: row.kind,
      at: row.at,
      payload: eventPayloadOfRow(row),
    })),
    latestVersion: latest.rows[0]?.version ?? 0,
    hasMore: page.rows.length > size,
  };
}
