import type pg from 'pg';
import type { RollcallConfig } from '../config/defaults.ts';
import {
  decodeIdCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
} from '../devices/pagination.ts';

/** One stored heartbeat (status `refused` for a decommissioned device). */
export interface HeartbeatRecord {
  id: string;
  deviceId: string;
  receivedAt: Date;
  deviceTime: Date | null;
  sequence: number | null;
  status: string;
  appVersion: string | null;
  metrics: unknown;
  degradationReason: string | null;
}

const CURSOR_KIND = 'heartbeat';

/** A device's heartbeat history, newest first, keyset-paginated by id. */
export async function listHeartbeats(
  pool: pg.Pool,
  config: RollcallConfig,
  args: { deviceId: string; first?: number | null; after?: string | null },
): Promise<Connection<HeartbeatRecord>> {
  const size = pageSize(args.first, config);
  const after = args.after ? decodeIdCursor(CURSOR_KIND, args.after) : null;
  const [page, total] = await Promise.all([
    pool.query<{
      id: number;
      device_id: string;
      received_at: Date;
      device_time: Date | null;
      sequence: number | null;
      status: string;
      app_version: string | null;
      metrics: unknown;
      degradation_reason: string | null;
    }>(
      `SELECT id, device_id, received_at, device_time, sequence, status,
              app_version, metrics, degradation_reason
       FROM heartbeats
       WHERE device_id = $1 AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [args.deviceId, after, size + 1],
    ),
    pool.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM heartbeats WHERE device_id = $1',
      [args.deviceId],
    ),
  ]);
  return toConnection(
    page.rows,
    size,
    total.rows[0]?.count ?? 0,
    (row) => encodeCursor(CURSOR_KIND, row.id),
    (row) => ({
      id: String(row.id),
      deviceId: row.device_id,
      receivedAt: row.received_at,
      deviceTime: row.device_time,
      sequence: row.sequence,
      status: row.status,
      appVersion: row.app_version,
      metrics: row.metrics,
      degradationReason: row.degradation_reason,
    }),
  );
}

/**
 * Deletes heartbeat history older than `retentionDays` before `now`, in
 * chunks so that no statement holds locks for long; returns how many rows
 * went.
 */
export async function pruneHeartbeats(
  pool: pg.Pool,
  now: Date,
  retentionDays: number,
  chunk = 10_000,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let deleted = 0;
  for (;;) {
    const result = await pool.query(
      `DELETE FROM heartbeats WHERE id IN (
         SELECT id FROM heartbeats WHERE received_at < $1 LIMIT $2)`,
      [cutoff, chunk],
    );
    deleted += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < chunk) return deleted;
  }
}
