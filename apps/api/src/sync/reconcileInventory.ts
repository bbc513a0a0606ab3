import type pg from 'pg';
import { recordAudit, type AuditInput } from '../devices/auditLog.ts';
import { refreshCapabilityTags } from '../devices/capabilityTagRefresh.ts';
import type {
  ReportedHardware,
  ReportedSoftware,
} from '../liveness/heartbeatTypes.ts';
import type { Logger } from '../logger.ts';
import { isWithinTagLimit } from '../tags/storedTagCount.ts';
import {
  HARDWARE_COLUMNS,
  SOFTWARE_COLUMNS,
  findDiscrepancies,
  type Discrepancy,
} from './inventoryFields.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

const ALL_COLUMNS = [...HARDWARE_COLUMNS, ...SOFTWARE_COLUMNS].map(
  ([, column]) => column,
);

/**
 * Writes one device's discrepancies and re-derives its capability tags,
 * as updateDevice does: new hardware facts re-derive the capability tags,
 * or `tag:memory-4gb` would keep selecting a 16 GB device. Returns the
 * audit entry of the tag change (null for none), or `over-limit` when
 * the new capability tags would take the device past the tag limit: then
 * nothing of it is written, as updateDevice and import refuse such a
 * change, since a record past the limit would make the registry's own
 * export fail to import.
 */
async function writeDiscrepancies(
  client: Queryable,
  before: Record<string, unknown>,
  list: Discrepancy[],
  now: Date,
): Promise<AuditInput | 'over-limit' | null> {
  const deviceId = list[0]!.deviceId;
  await client.query('SAVEPOINT sync_device');
  const sets = list.map((d, i) => `${d.column} = $${i + 3}`).join(', ');
  await client.query(
    `UPDATE devices SET ${sets}, updated_at = $2 WHERE id = $1`,
    [deviceId, now, ...list.map((d) => d.reportedValue)],
  );
  const after = Object.fromEntries(
    list.map((d) => [d.column, d.reportedValue]),
  );
  const tags = await refreshCapabilityTags(
    client,
    deviceId,
    before,
    { ...before, ...after },
    now,
  );
  if (tags.added.length > 0 && !(await isWithinTagLimit(client, deviceId))) {
    await client.query('ROLLBACK TO SAVEPOINT sync_device');
    return 'over-limit';
  }

  await client.query('RELEASE SAVEPOINT sync_device');
  if (tags.added.length + tags.removed.length === 0) return null;

  return {
    actor: 'sync',
    action: 'sync.update',
    entityType: 'device',
    entityId: deviceId,
    before: null,
    after: { capabilityTags: tags },
    at: now,
  };
}

/**
 * The sync's reconciliation: every field that devices reported since
 * `since` and that differs from the record is found; each device's
 * differences are written with an audit entry per field. A device whose
 * new capability tags would not fit the tag limit keeps its record as it
 * is (logged at warn); its differences are still reported.
 */
export async function reconcileInventory(
  client: Queryable,
  logger: Logger,
  since: Date,
  now: Date,
): Promise<{ found: Discrepancy[]; changedDevices: string[] }> {
  const { rows } = await client.query<
    Record<string, unknown> & {
      id: string;
      hardware: ReportedHardware | null;
      software: ReportedSoftware | null;
    }
  >(
    `SELECT d.id, r.hardware, r.software, ${ALL_COLUMNS.map((c) => `d.${c}`).join(', ')}
     FROM device_reported_inventory r JOIN devices d ON d.id = r.device_id
     WHERE r.reported_at >= $1 AND d.decommissioned_at IS NULL
     ORDER BY d.id`,
    [since],
  );
  const found = rows.flatMap((row) =>
    findDiscrepancies(row.id, row, row.hardware, row.software),
  );
  const byDevice = new Map<string, Discrepancy[]>();
  for (const d of found)
    byDevice.set(d.deviceId, [...(byDevice.get(d.deviceId) ?? []), d]);
  const records = new Map(rows.map((row) => [row.id, row]));
  const tagAudits: AuditInput[] = [];
  const changedDevices: string[] = [];
  for (const [deviceId, list] of byDevice) {
    const outcome = await writeDiscrepancies(
      client,
      records.get(deviceId)!,
      list,
      now,
    );
    if (outcome === 'over-limit') {
      logger.warn(
        { deviceId, fields: list.map((d) => d.field), cause: 'sync' },
        'registry sync left a device record as it was: its new capability ' +
          'tags would pass the tag limit',
      );
      continue;
    }

    changedDevices.push(deviceId);
    if (outcome) tagAudits.push(outcome);
  }

  const changed = new Set(changedDevices);
  const written = found.filter((d) => changed.has(d.deviceId));
  if (written.length > 0) {
    await client.query(
      `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after, at)
       SELECT 'sync', 'sync.update', 'device', id, b, a, $4
       FROM unnest($1::text[], $2::jsonb[], $3::jsonb[]) AS t(id, b, a)`,
      [
        written.map((d) => d.deviceId),
        written.map((d) => JSON.stringify({ [d.field]: d.registryValue })),
        written.map((d) => JSON.stringify({ [d.field]: d.reportedValue })),
        now,
      ],
    );
  }
  await recordAudit(client, tagAudits);
  return { found, changedDevices };
}
