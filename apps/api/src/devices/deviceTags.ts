import type pg from 'pg';
import type { DeviceTagView } from './deviceLoaders.ts';

/**
 * The tags of many devices in one query, each with its taxonomy category:
 * a plain tag's from its name, a key/value tag's from its value
 * (`environment=production` is an environment tag), else from its key.
 */
export async function tagsOfDevices(
  pool: pg.Pool,
  ids: string[],
): Promise<Map<string, DeviceTagView[]>> {
  const { rows } = await pool.query<{
    device_id: string;
    key: string;
    value: string;
    category: string | null;
  }>(
    `SELECT t.device_id, t.key, t.value,
            COALESCE(CASE WHEN t.value <> '' THEN dv.category END, dk.category)
              AS category
     FROM device_tags t
     LEFT JOIN tag_definitions dk ON dk.name = t.key
     LEFT JOIN tag_definitions dv ON dv.name = t.value
     WHERE t.device_id = ANY($1)
     ORDER BY t.device_id, t.key, t.value`,
    [ids],
  );
  const result = new Map<string, DeviceTagView[]>(ids.map((id) => [id, []]));
  for (const row of rows) {
    result.get(row.device_id)?.push({
      key: row.key,
      value: row.value,
      category: row.category,
    });
  }
  return result;
}
