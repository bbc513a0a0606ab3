import type pg from 'pg';
import type { RollcallConfig } from '../config/defaults.ts';
import {
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
} from '../devices/pagination.ts';

/** An alert as the API shows it. */
export interface AlertView {
  id: string;
  deviceId: string;
  kind: string;
  message: string;
  since: Date;
  clearedAt: Date | null;
  cleared: boolean;
}

interface AlertRow {
  id: string;
  device_id: string;
  kind: string;
  message: string;
  raised_at: Date;
  cleared_at: Date | null;
}

const CURSOR_KIND = 'alert';
const COLUMNS =
  'id::text AS id, device_id, kind, message, raised_at, cleared_at';

function view(row: AlertRow): AlertView {
  return {
    id: row.id,
    deviceId: row.device_id,
    kind: row.kind,
    message: row.message,
    since: row.raised_at,
    clearedAt: row.cleared_at,
    cleared: row.cleared_at !== null,
  };
}

/** Alerts newest first; `activeOnly` keeps the uncleared ones. */
export async function listAlerts(
  pool: pg.Pool,
  config: RollcallConfig,
  args: {
    activeOnly?: boolean | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<Connection<AlertView>> {
  const size = pageSize(args.first, config);
  // The cursor is `raised_at ms|id`: newest first, ties broken by id.
  const after = args.after
    ? decodeCursor(CURSOR_KIND, args.after).split('|')
    : null;
  const activeOnly = args.activeOnly ?? false;
  const [page, total] = await Promise.all([
    pool.query<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts
       WHERE ($1::boolean IS FALSE OR cleared_at IS NULL)
         AND ($2::timestamptz IS NULL OR (raised_at, id) < ($2, $3::uuid))
       ORDER BY raised_at DESC, id DESC LIMIT $4`,
      [
        activeOnly,
        after ? new Date(Number(after[0])) : null,
        after?.[1] ?? null,
        size + 1,
      ],
    ),
    pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM alerts
       WHERE ($1::boolean IS FALSE OR cleared_at IS NULL)`,
      [activeOnly],
    ),
  ]);
  return toConnection(
    page.rows,
    size,
    total.rows[0]?.count ?? 0,
    (row) => encodeCursor(CURSOR_KIND, `${row.raised_at.getTime()}|${row.id}`),
    view,
  );
}

/** One alert by id, or null. */
export async function findAlert(
  pool: pg.Pool,
  id: string,
): Promise<AlertView | null> {
  const { rows } = await pool.query<AlertRow>(
    `SELECT ${COLUMNS} FROM alerts WHERE id = $1`,
    [id],
  );
  return rows[0] ? view(rows[0]) : null;
}
