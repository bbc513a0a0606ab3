import type { DeviceState } from '@rollcall/fleet';
import { withTransaction } from '../db/transaction.ts';
import { appendLog } from '../deployments/deploymentLog.ts';
import type {
  DeploymentDeps,
  Queryable,
} from '../deployments/deploymentRows.ts';
import { clearDesiredVersion } from '../deployments/registryVersions.ts';
import { recordAudit } from '../devices/auditLog.ts';
import { RollcallError, notFound } from '../errors.ts';
import { attemptUnavailable } from './catchUpAttempts.ts';
import { catchUpAudit } from './catchUpAudit.ts';
import { progressCatchUp } from './catchUpDelivery.ts';
import {
  closeEntries,
  ENTRY_COLUMNS,
  entryOf,
  OPEN_ENTRY_INDEX,
  openEntryId,
  type CatchUpEntry,
  type CatchUpStatus,
  type EntryRow,
} from './catchUpEntries.ts';
import { resolveInvestigationsOf } from './investigations.ts';

async function lockEntry(client: Queryable, id: string): Promise<CatchUpEntry> {
  const valid = /^[0-9a-f-]{36}$/i.test(id);
  const { rows } = valid
    ? await client.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM catch_up_queue WHERE id = $1 FOR UPDATE`,
        [id],
      )
    : { rows: [] };
  const row = rows[0];
  if (!row) throw notFound('catch-up entry', id);

  return entryOf(row);
}

function expectStatus(entry: CatchUpEntry, allowed: readonly CatchUpStatus[]) {
  if (!allowed.includes(entry.status)) {
    throw new RollcallError(
      'CONFLICT',
      `catch-up entry ${entry.id} is ${entry.status}; expected ${allowed.join(' or ')}`,
      { status: entry.status, expected: allowed },
    );
  }
}

async function reload(client: Queryable, id: string): Promise<CatchUpEntry> {
  const { rows } = await client.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM catch_up_queue WHERE id = $1`,
    [id],
  );
  return entryOf(rows[0]!);
}

function alreadyOpen(entry: CatchUpEntry, openId: string | null) {
  return new RollcallError(
    'CONFLICT',
    `catch-up entry ${entry.id} cannot be retried: device ${entry.deviceId} ` +
      `has another open entry for deployment ${entry.deploymentId}`,
    {
      deviceId: entry.deviceId,
      deploymentId: entry.deploymentId,
      ...(openId ? { openEntryId: openId } : {}),
    },
  );
}

function isOpenEntryConflict(error: unknown): boolean {
  const { code, constraint } = error as {
    code?: unknown;
    constraint?: unknown;
  };
  return code === '23505' && constraint === OPEN_ENTRY_INDEX;
}

/**
 * Reopens an entry sent to investigation (back to pending, attempts
 * reset). A device holds one open entry per deployment: when it has
 * another one for this deployment, the retry is CONFLICT naming it.
 */
async function reopen(client: Queryable, entry: CatchUpEntry): Promise<void> {
  const openId = await openEntryId(client, entry.deviceId, entry.deploymentId);
  if (openId) throw alreadyOpen(entry, openId);

  try {
    await client.query(
      `UPDATE catch_up_queue SET status = 'pending', attempts = 0,
              closed_at = NULL, close_reason = NULL WHERE id = $1`,
      [entry.id],
    );
  } catch (error) {
    // Another transaction opened one after the check and committed first.
    if (isOpenEntryConflict(error)) throw alreadyOpen(entry, null);
    throw error;
  }
}

/**
 * Retries an entry now: a pending entry, or one sent to investigation
 * (its investigation resolves as retried; CONFLICT when the device has
 * another open entry for the deployment). A healthy device gets the
 * latest version at once; any other attempt counts as failed.
 */
export async function retryCatchUp(
  deps: DeploymentDeps,
  id: string,
  actor: string,
): Promise<CatchUpEntry> {
  const now = deps.clock.now();
  return withTransaction(deps.pool, async (client) => {
    const entry = await lockEntry(client, id);
    expectStatus(entry, ['pending', 'investigation']);
    if (entry.status === 'investigation') {
      await reopen(client, entry);
      await resolveInvestigationsOf(client, id, {
        actor,
        resolution: `retried by ${actor}`,
        at: now,
      });
    }

    const { rows } = await client.query<{
      state: DeviceState;
      app_version: string | null;
    }>('SELECT state, app_version FROM device_status WHERE device_id = $1', [
      entry.deviceId,
    ]);
    const state = rows[0]?.state ?? 'offline';
    await appendLog(client, now, [
      {
        deploymentId: entry.deploymentId,
        deviceId: entry.deviceId,
        action: 'catch-up-retry',
        message: `${entry.deviceId} catch-up retried by ${actor}`,
      },
    ]);
    if (state !== 'healthy') {
      const failure =
        state === 'offline' ? 'device still offline' : `device is ${state}`;
      await attemptUnavailable(deps, client, await reload(client, id), failure);
    } else {
      const device = {
        deviceId: entry.deviceId,
        state,
        version: rows[0]?.app_version ?? null,
        failure: null,
      };
      await progressCatchUp(deps, client, device, now);
    }

    const after = await reload(client, id);
    await recordAudit(client, [
      catchUpAudit(actor, 'retried', entry, after, now),
    ]);
    return after;
  });
}

async function close(
  deps: DeploymentDeps,
  id: string,
  actor: string,
  status: 'skipped' | 'removed',
  reason: string,
): Promise<CatchUpEntry> {
  const now = deps.clock.now();
  return withTransaction(deps.pool, async (client) => {
    const entry = await lockEntry(client, id);
    expectStatus(entry, ['pending', 'delivering', 'investigation']);
    await clearDesiredVersion(client, [entry.deviceId], entry.targetVersion);
    await closeEntries(client, deps.events, [entry], status, reason, now);

    const after = await reload(client, id);
    await recordAudit(client, [catchUpAudit(actor, status, entry, after, now)]);
    return after;
  });
}

/** Closes an entry without delivering it (status skipped). */
export function skipCatchUp(
  deps: DeploymentDeps,
  id: string,
  actor: string,
  reason: string | null,
): Promise<CatchUpEntry> {
  return close(deps, id, actor, 'skipped', reason ?? `skipped by ${actor}`);
}

/** Takes an entry off the queue (status removed, kept for the audit). */
export function removeCatchUp(
  deps: DeploymentDeps,
  id: string,
  actor: string,
): Promise<CatchUpEntry> {
  return close(deps, id, actor, 'removed', `removed by ${actor}`);
}
