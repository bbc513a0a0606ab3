import type pg from 'pg';
import { RollcallError } from '../errors.ts';
import { GROUP_COLUMNS, type GroupRow } from './groupMembership.ts';

type Client = pg.PoolClient;

/** Refuses decommissioned devices; returns the ids that exist. */
async function existingDevices(
  client: Client,
  ids: string[],
): Promise<string[]> {
  const { rows } = await client.query<{ id: string; retired: boolean }>(
    `SELECT id, decommissioned_at IS NOT NULL AS retired
     FROM devices WHERE id = ANY($1) ORDER BY id`,
    [ids],
  );
  const retired = rows.filter((row) => row.retired).map((row) => row.id);
  if (retired.length > 0) {
    throw new RollcallError(
      'DEVICE_DECOMMISSIONED',
      `Decommissioned devices cannot join a group: ${retired.join(', ')}`,
      { ids: retired },
    );
  }
  return rows.map((row) => row.id);
}

/** Adds or removes static members; returns the existing devices changed. */
export async function changeMembers(
  client: Client,
  group: GroupRow,
  kind: 'add' | 'remove',
  deviceIds: string[],
  at: Date,
): Promise<string[]> {
  if (kind === 'add') {
    const existing = new Set(await existingDevices(client, deviceIds));
    const { rows } = await client.query<{ device_id: string }>(
      `INSERT INTO group_members (group_id, device_id, added_at)
       SELECT $1, id, $3 FROM unnest($2::text[]) AS id
       ON CONFLICT DO NOTHING
       RETURNING device_id`,
      [group.id, deviceIds, at],
    );
    return rows
      .map((row) => row.device_id)
      .filter((id) => existing.has(id))
      .sort();
  }
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
