import type pg from 'pg';
import type { RollcallConfig } from '../config/defaults.ts';
import { withTransaction } from '../db/transaction.ts';
import {
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
} from '../devices/pagination.ts';
import { appendLog } from './deploymentLog.ts';
import {
  announceDeployment,
  loadWaves,
  type DeploymentDeps,
  type DeploymentRow,
  type Queryable,
  type WaveRow,
} from './deploymentRows.ts';
import { GROUPS_LOCK } from '../groups/groupWrites.ts';
import { requireKnownGroups } from './groupMembers.ts';
import { manifestGroups, type DeploymentManifest } from './manifest.ts';
import { waveLayout } from './planner.ts';

/** `deploy-YYYYMMDD-NNN`: the day's next number, on the injected clock. */
async function nextDeploymentId(client: Queryable, now: Date): Promise<string> {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const prefix = `deploy-${day}-`;
  // Serialises id allocation across processes for the transaction.
  await client.query(
    `SELECT pg_advisory_xact_lock(hashtext('rollcall:deployment-id'))`,
  );
  const { rows } = await client.query<{ last: number | null }>(
    `SELECT max(substring(id FROM length($1) + 1)::int) AS last
     FROM deployments WHERE id LIKE $1 || '%' AND id ~ ('^' || $1 || '[0-9]+$')`,
    [prefix],
  );
  const next = (rows[0]?.last ?? 0) + 1;
  return `${prefix}${String(next).padStart(3, '0')}`;
}

/** Stores a deployment and its waves (state planned); returns its id. */
export async function createDeployment(
  deps: DeploymentDeps,
  manifest: DeploymentManifest,
  actor: string,
): Promise<string> {
  const now = deps.clock.now();
  return withTransaction(deps.pool, async (client) => {
    // Shared with other creations; deleteGroup waits for it, then sees
    // this deployment, or this sees the group gone.
    await client.query('SELECT pg_advisory_xact_lock_shared($1)', [
      GROUPS_LOCK,
    ]);
    await requireKnownGroups(client, manifestGroups(manifest));
    const id = await nextDeploymentId(client, now);
    await client.query(
      `INSERT INTO deployments (id, artifact, target_version, manifest, state,
         current_wave, created_by, created_at)
       VALUES ($1, $2, $3, $4, 'planned', 0, $5, $6)`,
      [
        id,
        manifest.artifact,
        manifest.targetVersion,
        JSON.stringify(manifest),
        actor,
        now,
      ],
    );
    for (const wave of waveLayout(manifest)) {
      await client.query(
        `INSERT INTO deployment_waves (id, deployment_id, index, name, is_canary,
           groups, exclude_groups, percentage, soak_minutes, require_approval,
           state)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending')`,
        [
          id,
          wave.index,
          wave.name,
          wave.isCanary,
          wave.groups,
          wave.excludeGroups,
          wave.percentage,
          wave.soakMinutes,
          wave.requireApproval,
        ],
      );
    }
    await appendLog(client, now, [
      {
        deploymentId: id,
        deviceId: null,
        action: 'created',
        message: `deployment of ${manifest.artifact} (${manifest.targetVersion}) created by ${actor}`,
      },
    ]);
    await announceDeployment(client, deps.events, id, now);
    return id;
  });
}

/** A wave's device figures; offline skips are outside success/failure. */
export interface WaveCounts {
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  pending: number;
  aborted: number;
}

export async function waveCounts(
  pool: pg.Pool,
  deploymentId: string,
): Promise<Map<number, WaveCounts>> {
  const { rows } = await pool.query<{
    wave_index: number;
    state: string;
    count: number;
  }>(
    `SELECT wave_index, state, count(*)::int AS count FROM deployment_devices
     WHERE deployment_id = $1 GROUP BY wave_index, state`,
    [deploymentId],
  );
  const counts = new Map<number, WaveCounts>();
  for (const row of rows) {
    const entry = counts.get(row.wave_index) ?? {
      total: 0,
      succeeded: 0,
      failed: 0,
      skipped: 0,
      pending: 0,
      aborted: 0,
    };
    entry.total += row.count;
    if (row.state === 'succeeded') entry.succeeded += row.count;
    if (row.state === 'quarantined') entry.failed += row.count;
    if (row.state === 'skipped') entry.skipped += row.count;
    if (row.state === 'assigned') entry.pending += row.count;
    if (row.state === 'aborted') entry.aborted += row.count;
    counts.set(row.wave_index, entry);
  }
  return counts;
}

export async function getDeployment(
  pool: pg.Pool,
  id: string,
): Promise<DeploymentRow | null> {
  const { rows } = await pool.query<DeploymentRow>(
    'SELECT * FROM deployments WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

export async function getWaves(pool: pg.Pool, id: string): Promise<WaveRow[]> {
  return loadWaves(pool, [id]);
}

const CURSOR = 'deployment';

/** Deployments, newest first, paged. */
export async function listDeployments(
  pool: pg.Pool,
  config: RollcallConfig,
  state: string | null,
  first?: number | null,
  after?: string | null,
): Promise<Connection<DeploymentRow>> {
  const size = pageSize(first, config);
  const afterKey = after ? decodeCursor(CURSOR, after) : null;
  const [page, total] = await Promise.all([
    pool.query<DeploymentRow>(
      `SELECT * FROM deployments
       WHERE ($1::text IS NULL OR state = $1)
         AND ($2::text IS NULL OR (created_at, id) < (
               SELECT created_at, id FROM deployments WHERE id = $2))
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [state, afterKey, size + 1],
    ),
    pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM deployments
       WHERE ($1::text IS NULL OR state = $1)`,
      [state],
    ),
  ]);
  return toConnection(
    page.rows,
    size,
    total.rows[0]?.count ?? 0,
    (row) => encodeCursor(CURSOR, row.id),
    (row) => row,
  );
}
