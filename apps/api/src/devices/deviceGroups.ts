import { toSql } from '@rollcall/tag-query';
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import { loadGroupResolver, parseCached } from './deviceQuery.ts';
import { DEVICE_FROM } from './deviceRecord.ts';

/**
 * The names of the groups each device belongs to, resolved now: static
 * groups from group_members, dynamic groups by evaluating their saved
 * queries against just these devices (one UNION ALL over every dynamic
 * group). A decommissioned device belongs to no group: decommissioning
 * removes it from the static ones, and it can never be targeted again.
 */
export async function groupsOfDevices(
  pool: pg.Pool,
  logger: Logger,
  ids: string[],
  now: Date,
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(ids.map((id) => [id, []]));
  const add = (deviceId: string, name: string) => {
    result.get(deviceId)?.push(name);
  };

  const staticRows = await pool.query<{ device_id: string; name: string }>(
    `SELECT gm.device_id, g.name
     FROM group_members gm
     JOIN groups g ON g.id = gm.group_id
     JOIN device_status s ON s.device_id = gm.device_id
     WHERE gm.device_id = ANY($1) AND g.membership = 'static'
       AND s.state <> 'decommissioned'`,
    [ids],
  );
  for (const row of staticRows.rows) add(row.device_id, row.name);

  const dynamic = await pool.query<{ name: string; query: string | null }>(
    `SELECT name, query FROM groups WHERE membership = 'dynamic' ORDER BY name`,
  );
  if (dynamic.rows.length > 0) {
    const resolver = await loadGroupResolver(pool);
    const values: unknown[] = [ids];
    const selects: string[] = [];
    for (const group of dynamic.rows) {
      try {
        const condition = toSql(parseCached(group.query ?? ''), {
          now,
          groups: resolver,
          paramOffset: values.length + 1,
        });
        values.push(group.name, ...condition.values);
        selects.push(
          `SELECT $${values.length - condition.values.length}::text AS name,
                  d.id AS device_id
           FROM ${DEVICE_FROM}
           WHERE d.id = ANY($1) AND s.state <> 'decommissioned'
             AND (${condition.text})`,
        );
      } catch (error) {
        // A saved query that no longer compiles (say, it names a group
        // that was deleted) selects nothing; the groups view reports it.
        logger.warn(
          { group: group.name, err: (error as Error).message },
          'dynamic group query does not compile',
        );
      }
    }
    if (selects.length > 0) {
      const rows = await pool.query<{ device_id: string; name: string }>(
        selects.join(' UNION ALL '),
        values,
      );
      for (const row of rows.rows) add(row.device_id, row.name);
    }
  }

  for (const names of result.values()) names.sort();
  return result;
}
