import type pg from 'pg';
import type { RollcallConfig } from '../config/defaults.ts';
import { compileFilter } from './deviceQuery.ts';
import {
  DEVICE_COLUMNS,
  DEVICE_FROM,
  toDeviceRecord,
  type DeviceRecord,
  type DeviceRow,
} from './deviceRecord.ts';
import {
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
} from './pagination.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

const CURSOR_KIND = 'device';

/** Arguments of `devices(...)`. */
export interface ListDevicesArgs {
  where?: string | null;
  first?: number | null;
  after?: string | null;
  includeDecommissioned?: boolean | null;
  /**
   * Count alongside the page, on a second connection, because the client
   * selected `totalCount`: the answer then waits for the slower of the two
   * queries instead of for both in turn. Otherwise the count runs only if
   * `totalCount` is read.
   */
  countAlongside?: boolean;
}

/** A WHERE clause over `d` and `s` with its bind values. */
export interface DeviceCondition {
  sql: string;
  values: unknown[];
}

/**
 * The condition selecting the devices of a query. A null or blank `where`
 * selects every device. Decommissioned devices are left out unless
 * `includeDecommissioned` is set or the query itself names the
 * decommissioned state or tag (`status:decommissioned`,
 * `tag:decommissioned`): a query that asks for them gets them.
 */
export async function deviceCondition(
  db: Queryable,
  options: {
    where: string | null | undefined;
    includeDecommissioned: boolean;
    now: Date;
    paramOffset?: number;
  },
): Promise<DeviceCondition> {
  const parts: string[] = [];
  const values: unknown[] = [];
  let asksForDecommissioned = options.includeDecommissioned;

  if (options.where != null && options.where.trim() !== '') {
    const filter = await compileFilter(db, options.where, {
      now: options.now,
      paramOffset: options.paramOffset ?? 0,
    });
    parts.push(`(${filter.text})`);
    values.push(...filter.values);
    asksForDecommissioned ||= filter.mentionsDecommissioned;
  }

  if (!asksForDecommissioned) parts.push("s.state <> 'decommissioned'");

  return { sql: parts.length > 0 ? parts.join(' AND ') : 'TRUE', values };
}

/**
 * One page of devices in id order, by keyset (`d.id > cursor`), never by
 * OFFSET: one SELECT for the page (size + 1 rows, the extra one only
 * telling whether another page exists) and, only when `totalCount` is
 * selected, one count. At 100,000 devices the page takes milliseconds
 * while an exact count of a broad query takes hundreds of them.
 */
export async function listDevices(
  pool: pg.Pool,
  config: RollcallConfig,
  now: Date,
  args: ListDevicesArgs,
): Promise<Connection<DeviceRecord>> {
  const size = pageSize(args.first, config);
  const after = args.after ? decodeCursor(CURSOR_KIND, args.after) : null;
  const condition = await deviceCondition(pool, {
    where: args.where,
    includeDecommissioned: args.includeDecommissioned ?? false,
    now,
  });

  const pageValues = [...condition.values];
  let keyset = '';
  if (after !== null) {
    pageValues.push(after);
    keyset = ` AND d.id > $${pageValues.length}`;
  }
  pageValues.push(size + 1);

  let count: Promise<number> | null = null;
  const totalCount = () =>
    (count ??= pool
      .query<{ count: number }>(
        `SELECT count(*)::int AS count FROM ${DEVICE_FROM}
         WHERE ${condition.sql}`,
        condition.values,
      )
      .then((result) => result.rows[0]?.count ?? 0));
  // Read by the totalCount resolver; until then a failure is not unhandled.
  if (args.countAlongside) totalCount().catch(() => undefined);

  const page = await pool.query<DeviceRow>(
    `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM}
     WHERE ${condition.sql}${keyset}
     ORDER BY d.id LIMIT $${pageValues.length}`,
    pageValues,
  );

  return toConnection(
    page.rows,
    size,
    totalCount,
    (row) => encodeCursor(CURSOR_KIND, row.id),
    toDeviceRecord,
  );
}

/** One device by id, decommissioned or not; null when unknown. */
export async function findDevice(
  db: Queryable,
  id: string,
): Promise<DeviceRecord | null> {
  const { rows } = await db.query<DeviceRow>(
    `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.id = $1`,
    [id],
  );
  const row = rows[0];
  return row ? toDeviceRecord(row) : null;
}

/**
 * Devices by id in one read, decommissioned or not, each the record
 * `findDevice` returns; unknown ids are absent from the map.
 */
export async function findDevices(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, DeviceRecord>> {
  if (ids.length === 0) return new Map();

  const { rows } = await db.query<DeviceRow>(
    `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM} WHERE d.id = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, toDeviceRecord(row)]));
}

/** The number of devices a query selects now (for `validateQuery`). */
export async function countDevices(
  pool: pg.Pool,
  where: string,
  now: Date,
): Promise<number> {
  const condition = await deviceCondition(pool, {
    where,
    includeDecommissioned: false,
    now,
  });
  const { rows } = await pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ${DEVICE_FROM} WHERE ${condition.sql}`,
    condition.values,
  );
  return rows[0]?.count ?? 0;
}
