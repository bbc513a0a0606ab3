import { CATCH_UP_REASON, compareVersions } from '@rollcall/fleet';
import type pg from 'pg';
import type { EventBus } from '../events/eventBus.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Where an entry is: open (pending, delivering) or closed. */
export type CatchUpStatus =
  | 'pending'
  | 'delivering'
  | 'completed'
  | 'superseded'
  | 'investigation'
  | 'skipped'
  | 'removed'
  | 'cancelled';

/** The spec's catch-up queue entry, with Rollcall's status. */
export interface CatchUpEntry {
  id: string;
  deviceId: string;
  targetVersion: string;
  deploymentId: string;
  queuedAt: Date;
  reason: string;
  attempts: number;
  maxAttempts: number;
  priority: string;
  lastAttemptAt: Date | null;
  lastFailure: string | null;
  status: CatchUpStatus;
  closedAt: Date | null;
  closeReason: string | null;
}

/** The spec's default for max attempts. */
export const DEFAULT_MAX_ATTEMPTS = 3;

export const ENTRY_COLUMNS = `id, device_id, target_version, deployment_id,
  queued_at, reason, attempts, max_attempts, priority, last_attempt_at,
  last_failure, status, closed_at, close_reason`;

export interface EntryRow {
  id: string;
  device_id: string;
  target_version: string;
  deployment_id: string;
  queued_at: Date;
  reason: string;
  attempts: number;
  max_attempts: number;
  priority: string;
  last_attempt_at: Date | null;
  last_failure: string | null;
  status: CatchUpStatus;
  closed_at: Date | null;
  close_reason: string | null;
}

export function entryOf(row: EntryRow): CatchUpEntry {
  return {
    id: row.id,
    deviceId: row.device_id,
    targetVersion: row.target_version,
    deploymentId: row.deployment_id,
    queuedAt: row.queued_at,
    reason: row.reason,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    priority: row.priority,
    lastAttemptAt: row.last_attempt_at,
    lastFailure: row.last_failure,
    status: row.status,
    closedAt: row.closed_at,
    closeReason: row.close_reason,
  };
}

/** Announces changed entries to `catchUpQueueChanged` subscribers. */
export async function announce(
  client: Queryable,
  events: EventBus,
  entries: ReadonlyArray<{ id: string; deviceId: string }>,
  at: Date,
): Promise<void> {
  await events.publish(
    client,
    entries.map((entry) => ({
      kind: 'catchUpChanged' as const,
      deviceId: entry.deviceId,
      entryId: entry.id,
      at: at.toISOString(),
    })),
  );
}

/**
 * The condition of an open entry (pending or delivering). A device has at
 * most one open entry per deployment: the partial unique index
 * `catch_up_queue_open_entry_key` (migration 20261213000000) enforces it,
 * and `ON CONFLICT` clauses name it by this predicate.
 */
export const OPEN_ENTRY = `status IN ('pending', 'delivering')`;

/** The name of that index, as a unique violation names it. */
export const OPEN_ENTRY_INDEX = 'catch_up_queue_open_entry_key';

/** The open entry of a device for a deployment, if any. */
export async function openEntryId(
  client: Queryable,
  deviceId: string,
  deploymentId: string,
): Promise<string | null> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM catch_up_queue
     WHERE device_id = $1 AND deployment_id = $2 AND ${OPEN_ENTRY}`,
    [deviceId, deploymentId],
  );
  return rows[0]?.id ?? null;
}

/**
 * Queues a device that a deployment skipped as offline; a device already
 * queued for this deployment keeps its entry, also when another
 * transaction queued it concurrently (the insert then yields to the
 * unique index instead of failing). Returns the entry id.
 */
export async function enqueueCatchUp(
  client: Queryable,
  events: EventBus,
  entry: {
    deviceId: string;
    targetVersion: string;
    deploymentId: string;
    priority: string;
    at: Date;
  },
): Promise<string> {
  // Twice at most: an open entry that conflicts with the insert and is
  // closed before it can be read leaves room for a second insert.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const queued = await openEntryId(
      client,
      entry.deviceId,
      entry.deploymentId,
    );
    if (queued) return queued;

    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO catch_up_queue (id, device_id, target_version,
         deployment_id, queued_at, reason, attempts, max_attempts, priority,
         status)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 0, $6, $7, 'pending')
       ON CONFLICT (device_id, deployment_id) WHERE ${OPEN_ENTRY} DO NOTHING
       RETURNING id`,
      [
        entry.deviceId,
        entry.targetVersion,
        entry.deploymentId,
        entry.at,
        CATCH_UP_REASON,
        DEFAULT_MAX_ATTEMPTS,
        entry.priority,
      ],
    );
    const id = rows[0]?.id;
    if (!id) continue;

    await announce(
      client,
      events,
      [{ id, deviceId: entry.deviceId }],
      entry.at,
    );
    return id;
  }
  throw new Error(
    `catch-up entry of ${entry.deviceId} for ${entry.deploymentId} ` +
      'neither inserted nor found',
  );
}

/** Closes entries with a status and the reason. */
export async function closeEntries(
  client: Queryable,
  events: EventBus,
  entries: ReadonlyArray<{ id: string; deviceId: string }>,
  status: CatchUpStatus,
  reason: string,
  at: Date,
): Promise<void> {
  if (entries.length === 0) return;

  await client.query(
    `UPDATE catch_up_queue SET status = $2, close_reason = $3, closed_at = $4
     WHERE id = ANY($1::uuid[])`,
    [entries.map((entry) => entry.id), status, reason, at],
  );
  await announce(client, events, entries, at);
}

/**
 * Moves entries to the investigation queue (manual resolution): the entry
 * closes with status `investigation` and an investigation opens for it.
 */
export async function moveToInvestigation(
  client: Queryable,
  events: EventBus,
  entries: ReadonlyArray<{ id: string; deviceId: string }>,
  reason: string,
  at: Date,
): Promise<void> {
  if (entries.length === 0) return;

  await client.query(
    `INSERT INTO investigation_queue (id, device_id, catch_up_entry_id, reason,
       opened_at)
     SELECT gen_random_uuid(), d, e, $3, $4
     FROM unnest($1::text[], $2::uuid[]) AS t(d, e)`,
    [entries.map((e) => e.deviceId), entries.map((e) => e.id), reason, at],
  );
  await closeEntries(client, events, entries, 'investigation', reason, at);
}

/**
 * Closes a device's open entries that a newer assignment makes moot:
 * those whose target is not newer than `version`.
 */
export async function supersedeEntries(
  client: Queryable,
  events: EventBus,
  target: { deviceId: string; version: string; deploymentId: string; at: Date },
): Promise<void> {
  const { rows } = await client.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM catch_up_queue
     WHERE device_id = $1 AND status IN ('pending', 'delivering')
       AND deployment_id <> $2
     FOR UPDATE`,
    [target.deviceId, target.deploymentId],
  );
  const moot = rows
    .filter((row) => compareVersions(row.target_version, target.version) <= 0)
    .map((row) => ({ id: row.id, deviceId: row.device_id }));
  await closeEntries(
    client,
    events,
    moot,
    'superseded',
    `superseded by ${target.version} (${target.deploymentId})`,
    target.at,
  );
}
