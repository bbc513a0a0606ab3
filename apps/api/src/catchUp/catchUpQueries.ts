import type pg from 'pg';
import type { RollcallConfig } from '../config/defaults.ts';
import {
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
} from '../devices/pagination.ts';
import {
  ENTRY_COLUMNS,
  entryOf,
  type CatchUpEntry,
  type EntryRow,
} from './catchUpEntries.ts';
import {
  investigationOf,
  type InvestigationEntry,
  type InvestigationRow,
} from './investigations.ts';

/** Filters of `catchUpQueue`; each one given narrows the list. */
export interface CatchUpFilter {
  status?: string | null;
  deploymentId?: string | null;
  deviceId?: string | null;
  priority?: string | null;
}

function keyed(cursorKind: string, after: string | null | undefined) {
  if (!after) return null;

  const key = decodeCursor(cursorKind, after);
  const [at = '', deviceId = '', id = ''] = key.split('|');
  return { at: new Date(at), deviceId, id };
}

/** The catch-up queue, oldest queued first, paged. */
export async function listCatchUp(
  pool: pg.Pool,
  config: RollcallConfig,
  filter: CatchUpFilter,
  first?: number | null,
  after?: string | null,
): Promise<Connection<CatchUpEntry>> {
  const size = pageSize(first, config);
  const cursor = keyed('catchUp', after);
  const where = `($1::text IS NULL OR status = $1)
    AND ($2::text IS NULL OR deployment_id = $2)
    AND ($3::text IS NULL OR device_id = $3)
    AND ($4::text IS NULL OR priority = $4)`;
  const params = [
    filter.status ?? null,
    filter.deploymentId ?? null,
    filter.deviceId ?? null,
    filter.priority ?? null,
  ];
  const [page, total] = await Promise.all([
    pool.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM catch_up_queue WHERE ${where}
         AND ($5::timestamptz IS NULL
              OR (queued_at, device_id, id::text) > ($5, $6, $7))
       ORDER BY queued_at, device_id, id::text LIMIT $8`,
      [
        ...params,
        cursor?.at ?? null,
        cursor?.deviceId ?? null,
        cursor?.id ?? null,
        size + 1,
      ],
    ),
    pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM catch_up_queue WHERE ${where}`,
      params,
    ),
  ]);
  return toConnection(
    page.rows,
    size,
    total.rows[0]?.count ?? 0,
    (row) =>
      encodeCursor(
        'catchUp',
        `${row.queued_at.toISOString()}|${row.device_id}|${row.id}`,
      ),
    entryOf,
  );
}

/** One entry, or null. */
export async function getCatchUp(
  pool: pg.Pool,
  id: string,
): Promise<CatchUpEntry | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;

  const { rows } = await pool.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM catch_up_queue WHERE id = $1`,
    [id],
  );
  return rows[0] ? entryOf(rows[0]) : null;
}

/** The investigation queue, oldest first; open ones unless asked. */
export async function listInvestigations(
  pool: pg.Pool,
  config: RollcallConfig,
  includeResolved: boolean,
  first?: number | null,
  after?: string | null,
): Promise<Connection<InvestigationEntry>> {
  const size = pageSize(first, config);
  const cursor = keyed('investigation', after);
  const where = '($1::boolean OR resolved_at IS NULL)';
  const [page, total] = await Promise.all([
    pool.query<InvestigationRow>(
      `SELECT * FROM investigation_queue WHERE ${where}
         AND ($2::timestamptz IS NULL
              OR (opened_at, device_id, id::text) > ($2, $3, $4))
       ORDER BY opened_at, device_id, id::text LIMIT $5`,
      [
        includeResolved,
        cursor?.at ?? null,
        cursor?.deviceId ?? null,
        cursor?.id ?? null,
        size + 1,
      ],
    ),
    pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM investigation_queue WHERE ${where}`,
      [includeResolved],
    ),
  ]);
  return toConnection(
    page.rows,
    size,
    total.rows[0]?.count ?? 0,
    (row) =>
      encodeCursor(
        'investigation',
        `${row.opened_at.toISOString()}|${row.device_id}|${row.id}`,
      ),
    investigationOf,
  );
}
