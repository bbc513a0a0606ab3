import type pg from 'pg';
import { RollcallError, unknownDevices } from '../errors.ts';
import { GROUP_COLUMNS, type GroupRow } from './groupMembership.ts';

type Client = pg.PoolClient;

/**
 * Refuses ids naming no device (NOT_FOUND with every unknown id in `ids`)
 * and decommissioned devices, so that a typo never becomes a member.
 * `missingDevices` is left for members whose device went away later.
 */
async function checkJoiningDevices(
  client: Client,
  ids: string[],
): Promise<void> {
  const { rows } = await client.query<{ id: string; retired: boolean }>(
    `SELECT id, decommissioned_at IS NOT NULL AS retired
     FROM devices WHERE id = ANY($1) ORDER BY id`,
    [ids],
  );
  const known = new Set(rows.map((row) => row.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw unknownDevices(unknown);

  const retired = rows.filter((row) => row.retired).map((row) => row.id);
  if (retired.length > 0) {
    throw new RollcallError(
      'DEVICE_DECOMMISSIONED',
      `Decommissioned devices cannot join a group: ${retired.join(', ')}`,
      { ids: retired },
    );
  }
}

/**
 * Refuses ids that name neither a member of the group nor a device
 * (NOT_FOUND with every such id): device ids are exact, so a typo or a
 * wrong case (`EDGE-JETSON-PROD-001` for `edge-jetson-prod-001`) would
 * otherwise remove nothing and still answer as if it had. A member whose
 * device went away (`missingDevices`) can still be removed, and removing
 * a device that is no member is no change.
 */
async function checkLeavingDevices(
  client: Client,
  group: GroupRow,
  ids: string[],
): Promise<void> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM devices WHERE id = ANY($2)
     UNION
     SELECT device_id FROM group_members
     WHERE group_id = $1 AND device_id = ANY($2)`,
    [group.id, ids],
  );
  const known = new Set(rows.map((row) => row.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw unknownDevices(unknown);
}

/**
 * Adds or removes static members; returns the existing devices changed.
 * Adding refuses unknown and decommissioned devices, removing ids that
 * name neither a member nor a device.
 */
export async function changeMembers(
  client: Client,
  group: GroupRow,
  kind: 'add' | 'remove',
  deviceIds: string[],
  at: Date,
): Promise<string[]> {
  if (kind === 'add') {
    await checkJoiningDevices(client, deviceIds);
    const { rows } = await client.query<{ device_id: string }>(
      `INSERT INTO group_members (group_id, device_id, added_at)
       SELECT $1, id, $3 FROM unnest($2::text[]) AS id
       ON CONFLICT DO NOTHING
       RETURNING device_id`,
      [group.id, deviceIds, at],
    );
    return rows.map((row) => row.device_id).sort();
  }
  await checkLeavingDevices(client, group, deviceIds);
  const { rows } = await client.query<{ device_id: string }>(
    `DELETE FROM group_members WHERE group_id = $1 AND device_id = ANY($2)
     RETURNING device_id`,
    [group.id, deviceIds],
  );
  const removed = rows.map((row) => row.device_id);
  const { rows: existing } = await client.query<{ id: string }>(
    'SELECT id FROM devices WHERE id = ANY($1) ORDER BY id',
    [removed],
  );
  return existing.map((row) => row.id);
}

export async function touch(
  client: Client,
  id: string,
  at: Date,
): Promise<GroupRow> {
  const { rows } = await client.query<GroupRow>(
    `UPDATE groups SET updated_at = $2 WHERE id = $1 RETURNING ${GROUP_COLUMNS}`,
    [id, at],
  );
  return rows[0]!;
}
