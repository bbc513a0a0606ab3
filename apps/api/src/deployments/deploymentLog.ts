import type pg from 'pg';
import type { RollcallConfig } from '../config/defaults.ts';
import {
  decodeIdCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
} from '../devices/pagination.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** One line of the deployment log. */
export interface DeploymentLogEntry {
  id: number;
  deploymentId: string | null;
  deviceId: string | null;
  action: string;
  message: string;
  at: Date;
}

/** A log line to write. */
export interface LogLine {
  deploymentId: string | null;
  deviceId: string | null;
  action: string;
  message: string;
}

/** Writes log lines, all stamped `at` (the injected clock's time). */
export async function appendLog(
  client: Queryable,
  at: Date,
  lines: readonly LogLine[],
): Promise<void> {
  if (lines.length === 0) return;

  await client.query(
    `INSERT INTO deployment_log (deployment_id, device_id, action, message, at)
     SELECT d, v, a, m, $5
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(d, v, a, m)`,
    [
      lines.map((line) => line.deploymentId),
      lines.map((line) => line.deviceId),
      lines.map((line) => line.action),
      lines.map((line) => line.message),
      at,
    ],
  );
}

/** ISO 8601 to the second, as the spec writes times. */
export function formatTime(at: Date | null): string {
  return at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'never';
}

/** The spec's line for an offline device skipped by a wave. */
export function skippedOfflineMessage(
  deviceId: string,
  lastHeartbeatAt: Date | null,
): string {
  return `${deviceId} skipped: offline (last heartbeat: ${formatTime(lastHeartbeatAt)})`;
}

const CURSOR = 'deploymentLog';

interface LogRow {
  id: number;
  deployment_id: string | null;
  device_id: string | null;
  action: string;
  message: string;
  at: Date;
}

/** The log of a deployment and/or a device, oldest first, paged. */
export async function listLog(
  pool: pg.Pool,
  config: RollcallConfig,
  filter: { deploymentId?: string | null; deviceId?: string | null },
  first?: number | null,
  after?: string | null,
): Promise<Connection<DeploymentLogEntry>> {
  const size = pageSize(first, config);
  const afterId = after ? decodeIdCursor(CURSOR, after) : 0;
  const where = `($1::text IS NULL OR deployment_id = $1)
                 AND ($2::text IS NULL OR device_id = $2)`;
  const params = [filter.deploymentId ?? null, filter.deviceId ?? null];
  const [page, total] = await Promise.all([
    pool.query<LogRow>(
      `SELECT id, deployment_id, device_id, action, message, at
       FROM deployment_log WHERE ${where} AND id > $3
       ORDER BY id LIMIT $4`,
      [...params, afterId, size + 1],
    ),
    pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM deployment_log WHERE ${where}`,
      params,
    ),
  ]);
  return toConnection(
    page.rows,
    size,
    total.rows[0]?.count ?? 0,
    (row) => encodeCursor(CURSOR, row.id),
    (row) => ({
      id: row.id,
      deploymentId: row.deployment_id,
      deviceId: row.device_id,
      action: row.action,
      message: row.message,
      at: row.at,
    }),
  );
}
