import type pg from 'pg';
import { fromSpecManifest } from '../deployments/specManifest.ts';
import type { CatchUpDocument } from './catchUpDocument.ts';
import type { DeploymentDocument } from './deploymentDocument.ts';
import type { GroupDocument } from './groupDocument.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** `jsonb_to_recordset` input: one JSON array parameter for a whole set. */
export function json(rows: object[]): string {
  return JSON.stringify(rows);
}
/** Writes groups (upsert by name) and replaces their static members. */
export async function writeGroups(
  client: Queryable,
  groups: GroupDocument[],
  now: Date,
): Promise<void> {
  if (groups.length === 0) return;
  await client.query(
    `INSERT INTO groups (id, name, description, membership, query, deploy_policy,
                         created_at, updated_at)
     SELECT gen_random_uuid(), name, description, membership::group_membership,
            query, deploy_policy, $2, $2
     FROM jsonb_to_recordset($1::jsonb) AS r(name text, description text,
       membership text, query text, deploy_policy text)
     ON CONFLICT (name) DO UPDATE SET
       description = EXCLUDED.description, membership = EXCLUDED.membership,
       query = EXCLUDED.query, deploy_policy = EXCLUDED.deploy_policy,
       updated_at = EXCLUDED.updated_at`,
    [
      json(
        groups.map((g) => ({
          name: g.name,
          description: g.description,
          membership: g.membership,
          query: g.query ?? null,
          deploy_policy: g.deploy_policy ?? null,
        })),
      ),
      now,
    ],
  );
  const names = groups.map((g) => g.name);
  await client.query(
    `DELETE FROM group_members m USING groups g
     WHERE m.group_id = g.id AND g.name = ANY($1::text[])`,
    [names],
  );
  const members = groups.flatMap((g) =>
    (g.devices ?? []).map((id) => [g.name, id]),
  );
  await client.query(
    `INSERT INTO group_members (group_id, device_id, added_at)
     SELECT g.id, m.device_id, $3
     FROM unnest($1::text[], $2::text[]) AS m(name, device_id)
     JOIN groups g ON g.name = m.name`,
    [members.map((m) => m[0]), members.map((m) => m[1]), now],
  );
}

/**
 * Writes deployments with their waves and devices, replaced whole by the
 * filled documents (which already hold the stored progress where it is
 * newer, `deploymentProgress.ts`), and the log lines the stored log lacks
 * (it is never deleted).
 */
export async function writeDeployments(
  client: Queryable,
  deployments: DeploymentDocument[],
): Promise<void> {
  if (deployments.length === 0) return;
  await client.query(
    `INSERT INTO deployments (id, artifact, target_version, manifest, state,
       current_wave, created_by, created_at, started_at, finished_at)
     SELECT id, artifact, target_version, manifest, state, current_wave,
            created_by, created_at, started_at, finished_at
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, artifact text,
       target_version text, manifest jsonb, state text, current_wave int,
       created_by text, created_at timestamptz, started_at timestamptz,
       finished_at timestamptz)
     ON CONFLICT (id) DO UPDATE SET
       artifact = EXCLUDED.artifact, target_version = EXCLUDED.target_version,
       manifest = EXCLUDED.manifest, state = EXCLUDED.state,
       current_wave = EXCLUDED.current_wave, created_by = EXCLUDED.created_by,
       created_at = EXCLUDED.created_at, started_at = EXCLUDED.started_at,
       finished_at = EXCLUDED.finished_at`,
    [
      json(
        deployments.map((d) => ({
          id: d.id,
          artifact: d.artifact,
          target_version: d.target_version,
          // Stored as createDeployment stores it, the shape the runner reads.
          manifest: fromSpecManifest({
            artifact: d.artifact,
            target_version: d.target_version,
            target: d.target,
            ...(d.canary ? { canary: d.canary } : {}),
            waves: d.waves,
          }),
          ...d.status,
          waves: undefined,
          devices: undefined,
          log: undefined,
        })),
      ),
    ],
  );

  const ids = deployments.map((d) => d.id);
  // The log is not replaced: acknowledged history is never deleted.
  for (const table of ['deployment_waves', 'deployment_devices']) {
    await client.query(
      `DELETE FROM ${table} WHERE deployment_id = ANY($1::text[])`,
      [ids],
    );
  }
  await client.query(
    `INSERT INTO deployment_waves (id, deployment_id, index, name, is_canary, groups,
       exclude_groups, percentage, soak_minutes, require_approval, state,
       started_at, soak_until, approved_by, approved_at, completed_at)
     SELECT gen_random_uuid(), deployment_id, index, name, is_canary, groups,
            exclude_groups, percentage, soak_minutes, require_approval, state,
            started_at, soak_until, approved_by, approved_at, completed_at
     FROM jsonb_to_recordset($1::jsonb) AS r(deployment_id text, index int,
       name text, is_canary boolean, groups text[], exclude_groups text[],
       percentage int, soak_minutes int, require_approval boolean, state text,
       started_at timestamptz, soak_until timestamptz, approved_by text,
       approved_at timestamptz, completed_at timestamptz)`,
    [
      json(
        deployments.flatMap((d) =>
          d.status.waves.map((w) => ({ deployment_id: d.id, ...w })),
        ),
      ),
    ],
  );
  await client.query(
    `INSERT INTO deployment_devices (deployment_id, device_id, wave_index, state,
       target_version, from_version, assigned_at, finished_at, error)
     SELECT deployment_id, device_id, wave, state, target_version, from_version,
            assigned_at, finished_at, error
     FROM jsonb_to_recordset($1::jsonb) AS r(deployment_id text, device_id text,
       wave int, state text, target_version text, from_version text,
       assigned_at timestamptz, finished_at timestamptz, error text)`,
    [
      json(
        deployments.flatMap((d) =>
          d.status.devices.map((x) => ({ deployment_id: d.id, ...x })),
        ),
      ),
    ],
  );
  // Adds each line the stored log lacks: a line repeated k times in the
  // file is added as many times as the log holds it fewer than k times.
  await client.query(
    `INSERT INTO deployment_log (deployment_id, device_id, action, message, at)
     SELECT deployment_id, device_id, action, message, at
     FROM (SELECT f.*, row_number() OVER (PARTITION BY deployment_id,
             device_id, action, message, at ORDER BY n) AS copy
           FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (deployment_id text,
             device_id text, action text, message text, at timestamptz))
             WITH ORDINALITY AS f(deployment_id, device_id, action, message,
               at, n)) r
     WHERE r.copy > (SELECT count(*) FROM deployment_log l
       WHERE l.deployment_id = r.deployment_id
         AND l.device_id IS NOT DISTINCT FROM r.device_id
         AND l.action = r.action AND l.message = r.message AND l.at = r.at)
     ORDER BY n`,
    [
      json(
        deployments.flatMap((d) =>
          d.status.log.map((l) => ({ deployment_id: d.id, ...l })),
        ),
      ),
    ],
  );
}

/**
 * Writes catch-up entries by id (`classifyCatchUp` pairs each with the
 * stored entry it stands for, or gives it a new id): stored ones are
 * updated in place, new ones inserted. Updates go first, so that an open
 * entry the file closes makes room for the new open one of its device
 * and deployment (the unique index allows one).
 */
export async function writeCatchUp(
  client: Queryable,
  entries: Array<{ document: CatchUpDocument; id: string }>,
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(({ document: e, id }) => ({
    id,
    device_id: e.device_id,
    target_version: e.target_version,
    deployment_id: e.deployment_id,
    queued_at: e.queued_at,
    reason: e.reason,
    attempts: e.attempts,
    max_attempts: e.max_attempts,
    priority: e.priority,
    last_attempt_at: e.last_attempt ?? null,
    last_failure: e.last_failure ?? null,
    status: e.status ?? 'pending',
    closed_at: e.closed_at ?? null,
    close_reason: e.close_reason ?? null,
  }));
  const shape = `AS r(id uuid, device_id text, target_version text,
       deployment_id text, queued_at timestamptz, reason text, attempts int,
       max_attempts int, priority text, last_attempt_at timestamptz,
       last_failure text, status text, closed_at timestamptz,
       close_reason text)`;
  await client.query(
    `UPDATE catch_up_queue q SET target_version = r.target_version,
       queued_at = r.queued_at, reason = r.reason, attempts = r.attempts,
       max_attempts = r.max_attempts, priority = r.priority,
       last_attempt_at = r.last_attempt_at, last_failure = r.last_failure,
       status = r.status, closed_at = r.closed_at, close_reason = r.close_reason
     FROM jsonb_to_recordset($1::jsonb) ${shape}
     WHERE q.id = r.id`,
    [json(rows)],
  );
  await client.query(
    `INSERT INTO catch_up_queue (id, device_id, target_version, deployment_id,
       queued_at, reason, attempts, max_attempts, priority, last_attempt_at,
       last_failure, status, closed_at, close_reason)
     SELECT r.* FROM jsonb_to_recordset($1::jsonb) ${shape}
     WHERE NOT EXISTS (SELECT 1 FROM catch_up_queue q WHERE q.id = r.id)`,
    [json(rows)],
  );
}
