import type { DeviceState, TransitionCause } from '@rollcall/fleet';
import type pg from 'pg';
import type { RollcallConfig } from '../config/defaults.ts';
import {
  decodeIdCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
} from './pagination.ts';

/** One recorded state transition. */
export interface StateTransitionView {
  id: number;
  deviceId: string;
  from: DeviceState | null;
  to: DeviceState;
  cause: TransitionCause;
  actor: string;
  reason: string | null;
  at: Date;
}

/** One audit entry. */
export interface AuditEntryView {
  id: number;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  at: Date;
}

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * A newest-first page by keyset on the id (`id < cursor ORDER BY id
 * DESC`), plus the total, for a table filtered by `filters`.
 */
async function historyPage<R extends { id: number }, T>(
  pool: pg.Pool,
  config: RollcallConfig,
  query: {
    table: string;
    columns: string;
    filters: Array<[string, unknown]>;
    kind: string;
  },
  args: PageArgs,
  map: (row: R) => T,
): Promise<Connection<T>> {
  const size = pageSize(args.first, config);
  const values: unknown[] = [];
  const conditions = query.filters
    .filter(([, value]) => value != null)
    .map(([column, value]) => {
      values.push(value);
      return `${column} = $${values.length}`;
    });
  const countValues = [...values];
  const countWhere = conditions.length > 0 ? conditions.join(' AND ') : 'TRUE';
  if (args.after) {
    values.push(decodeIdCursor(query.kind, args.after));
    conditions.push(`id < $${values.length}`);
  }
  values.push(size + 1);
  const where = conditions.length > 0 ? conditions.join(' AND ') : 'TRUE';

  const [page, count] = await Promise.all([
    pool.query<R>(
      `SELECT ${query.columns} FROM ${query.table} WHERE ${where}
       ORDER BY id DESC LIMIT $${values.length}`,
      values,
    ),
    pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${query.table} WHERE ${countWhere}`,
      countValues,
    ),
  ]);
  return toConnection(
    page.rows,
    size,
    count.rows[0]?.count ?? 0,
    (row) => encodeCursor(query.kind, row.id),
    map,
  );
}

/** A device's state transitions, newest first. */
export function listStateTransitions(
  pool: pg.Pool,
  config: RollcallConfig,
  deviceId: string,
  args: PageArgs,
): Promise<Connection<StateTransitionView>> {
  return historyPage(
    pool,
    config,
    {
      table: 'state_transitions',
      columns: 'id, device_id, from_state, to_state, cause, actor, reason, at',
      filters: [['device_id', deviceId]],
      kind: 'transition',
    },
    args,
    (row: {
      id: number;
      device_id: string;
      from_state: DeviceState | null;
      to_state: DeviceState;
      cause: TransitionCause;
      actor: string;
      reason: string | null;
      at: Date;
    }) => ({
      id: row.id,
      deviceId: row.device_id,
      from: row.from_state,
      to: row.to_state,
      cause: row.cause,
      actor: row.actor,
      reason: row.reason,
      at: row.at,
    }),
  );
}

/** Audit entries, newest first, optionally for one entity type or entity. */
export function listAuditLog(
  pool: pg.Pool,
  config: RollcallConfig,
  filter: { entityType?: string | null; entityId?: string | null },
  args: PageArgs,
): Promise<Connection<AuditEntryView>> {
  return historyPage(
    pool,
    config,
    {
      table: 'audit_log',
      columns: 'id, actor, action, entity_type, entity_id, before, after, at',
      filters: [
        ['entity_type', filter.entityType],
        ['entity_id', filter.entityId],
      ],
      kind: 'audit',
    },
    args,
    (row: {
      id: number;
      actor: string;
      action: string;
      entity_type: string;
      entity_id: string;
      before: unknown;
      after: unknown;
      at: Date;
    }) => ({
      id: row.id,
      actor: row.actor,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      before: row.before,
      after: row.after,
      at: row.at,
    }),
  );
}
