import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { RegistryEvent } from '../events/registryEvent.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Alert kinds: `failed` (a failed heartbeat moved the device to FAILED),
 * `offline_<tier>` (each escalation of the offline ladder; the last one,
 * `offline_decommission_review`, is the decommission-review flag).
 */
export type AlertKind = 'failed' | `offline_${string}`;

/** An alert to raise inside the caller's transaction. */
export interface NewAlert {
  deviceId: string;
  kind: AlertKind;
  message: string;
  at: Date;
}

/**
 * Inserts alerts and one webhook delivery per configured URL, in the
 * caller's transaction; returns the `alert` events to publish with it.
 */
export async function raiseAlerts(
  client: Queryable,
  alerts: NewAlert[],
  webhookUrls: readonly string[],
): Promise<RegistryEvent[]> {
  if (alerts.length === 0) return [];

  const ids = alerts.map(() => randomUUID());
  await client.query(
    `WITH raised AS (
       INSERT INTO alerts (id, device_id, kind, message, raised_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[],
                            $5::timestamptz[])
       RETURNING id, raised_at
     )
     INSERT INTO webhook_deliveries (id, alert_id, url, next_attempt_at)
     SELECT gen_random_uuid(), raised.id, url, raised.raised_at
     FROM raised CROSS JOIN unnest($6::text[]) AS url`,
    [
      ids,
      alerts.map((a) => a.deviceId),
      alerts.map((a) => a.kind),
      alerts.map((a) => a.message),
      alerts.map((a) => a.at),
      [...webhookUrls],
    ],
  );
  return alerts.map((alert, index) => ({
    kind: 'alert',
    alertId: ids[index]!,
    deviceId: alert.deviceId,
    alertKind: alert.kind,
    cleared: false,
    at: alert.at.toISOString(),
  }));
}

/**
 * Clears the open offline alerts of devices that came back, in the
 * caller's transaction; returns the `alert` (cleared) events.
 */
export async function clearOfflineAlerts(
  client: Queryable,
  deviceIds: string[],
  at: Date,
): Promise<RegistryEvent[]> {
  if (deviceIds.length === 0) return [];

  const { rows } = await client.query<{
    id: string;
    device_id: string;
    kind: string;
  }>(
    `UPDATE alerts SET cleared_at = $2
     WHERE device_id = ANY($1::text[]) AND cleared_at IS NULL
       AND kind LIKE 'offline\\_%'
     RETURNING id, device_id, kind`,
    [deviceIds, at],
  );
  return rows.map(clearedEvent(at));
}

/**
 * Clears every open alert whose condition is over, whoever ended it (an
 * operator repairing a FAILED device, a device leaving OFFLINE by an
 * operator action): `failed` alerts of devices no longer FAILED, offline
 * alerts of devices no longer OFFLINE. Run by the sweeper.
 */
export async function clearStaleAlerts(
  client: Queryable,
  at: Date,
): Promise<RegistryEvent[]> {
  const { rows } = await client.query<{
    id: string;
    device_id: string;
    kind: string;
  }>(
    `UPDATE alerts a SET cleared_at = $1
     FROM device_status s
     WHERE a.cleared_at IS NULL AND s.device_id = a.device_id
       AND ((a.kind = 'failed' AND s.state <> 'failed')
         OR (a.kind LIKE 'offline\\_%' AND s.state <> 'offline'))
     RETURNING a.id, a.device_id, a.kind`,
    [at],
  );
  return rows.map(clearedEvent(at));
}

function clearedEvent(at: Date) {
  return (row: { id: string; device_id: string; kind: string }) =>
    ({
      kind: 'alert',
      alertId: row.id,
      deviceId: row.device_id,
      alertKind: row.kind,
      cleared: true,
      at: at.toISOString(),
    }) satisfies RegistryEvent;
}
