import { withTransaction } from '../db/transaction.ts';
import type {
  DeploymentDeps,
  Queryable,
} from '../deployments/deploymentRows.ts';
import { recordAudit } from '../devices/auditLog.ts';
import { RollcallError, notFound } from '../errors.ts';
import { investigationAudit } from './catchUpAudit.ts';

/** An open or resolved investigation. */
export interface InvestigationEntry {
  id: string;
  deviceId: string;
  catchUpEntryId: string | null;
  reason: string;
  openedAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
}

/** An investigation_queue row. */
export interface InvestigationRow {
  id: string;
  device_id: string;
  catch_up_entry_id: string | null;
  reason: string;
  opened_at: Date;
  resolved_at: Date | null;
  resolution: string | null;
}

export function investigationOf(row: InvestigationRow): InvestigationEntry {
  return {
    id: row.id,
    deviceId: row.device_id,
    catchUpEntryId: row.catch_up_entry_id,
    reason: row.reason,
    openedAt: row.opened_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
  };
}

/**
 * Resolves the given open investigations, locked by the caller, with an
 * audit entry each (`investigation.resolved` under the investigation's
 * id, the operator as actor). Returns them as resolved.
 */
async function resolveLocked(
  client: Queryable,
  open: readonly InvestigationEntry[],
  change: { actor: string; resolution: string; at: Date },
): Promise<InvestigationEntry[]> {
  if (open.length === 0) return [];

  const { rows } = await client.query<InvestigationRow>(
    `UPDATE investigation_queue SET resolved_at = $2, resolution = $3
     WHERE id = ANY($1::uuid[]) RETURNING *`,
    [open.map((entry) => entry.id), change.at, change.resolution],
  );
  const resolved = new Map(
    rows.map((row) => [row.id, investigationOf(row)] as const),
  );
  const audits = open.map((before) =>
    investigationAudit(
      change.actor,
      before,
      resolved.get(before.id)!,
      change.at,
    ),
  );
  await recordAudit(client, audits);
  return open.map((before) => resolved.get(before.id)!);
}

/**
 * Resolves the open investigation of a catch-up entry an operator
 * retries, in the caller's transaction (`retryCatchUp`), audited as
 * `resolveInvestigation` audits its own.
 */
export async function resolveInvestigationsOf(
  client: Queryable,
  catchUpEntryId: string,
  change: { actor: string; resolution: string; at: Date },
): Promise<void> {
  const { rows } = await client.query<InvestigationRow>(
    `SELECT * FROM investigation_queue
     WHERE catch_up_entry_id = $1 AND resolved_at IS NULL
     ORDER BY opened_at, id FOR UPDATE`,
    [catchUpEntryId],
  );
  await resolveLocked(client, rows.map(investigationOf), change);
}

/**
 * Resolves an open investigation with the operator's resolution, with
 * an audit entry (`investigation.resolved`). An investigation resolved
 * already with the same resolution is answered as it is (a repeated
 * request changes nothing, so it writes nothing); with another one it is
 * CONFLICT naming the resolution it has, so that an operator's text is
 * never dropped silently. An unknown id is NOT_FOUND.
 */
export async function resolveInvestigation(
  deps: DeploymentDeps,
  id: string,
  actor: string,
  given: string,
): Promise<InvestigationEntry> {
  const resolution = given.trim();
  if (resolution === '') {
    throw new RollcallError(
      'BAD_USER_INPUT',
      '"resolution" must say how the investigation was resolved',
      { argument: 'resolution' },
    );
  }
  const at = deps.clock.now();
  return withTransaction(deps.pool, async (client) => {
    const valid = /^[0-9a-f-]{36}$/i.test(id);
    const { rows } = valid
      ? await client.query<InvestigationRow>(
          'SELECT * FROM investigation_queue WHERE id = $1 FOR UPDATE',
          [id],
        )
      : { rows: [] };
    const row = rows[0];
    if (!row) throw notFound('investigation', id);

    const entry = investigationOf(row);
    if (entry.resolvedAt !== null) {
      if (entry.resolution === resolution) return entry;

      throw new RollcallError(
        'CONFLICT',
        `Investigation "${id}" was resolved at ${entry.resolvedAt.toISOString()}: "${entry.resolution ?? ''}"`,
        {
          resolvedAt: entry.resolvedAt.toISOString(),
          resolution: entry.resolution,
        },
      );
    }

    const [resolved] = await resolveLocked(client, [entry], {
      actor,
      resolution,
      at,
    });
    return resolved!;
  });
}
