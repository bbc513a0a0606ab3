import type pg from 'pg';
import { parseCached } from '../devices/deviceQuery.ts';
import { RollcallError } from '../errors.ts';
import { analyze } from '@rollcall/tag-query';
import {
  manifestGroups,
  type DeploymentManifest,
} from '../deployments/manifest.ts';
import type { GroupRow } from './groupMembership.ts';

/** Deployment states that will still resolve their groups. */
const UNFINISHED = ['planned', 'running', 'paused'];

/** The groups a saved query refers to; none when it no longer parses. */
function referencedGroups(text: string | null): string[] {
  if (!text) return [];
  try {
    return analyze(parseCached(text)).groups;
  } catch {
    return [];
  }
}

/**
 * Throws CONFLICT when group `name` may not be deleted: a dynamic group's
 * query refers to it (`referencedBy`: the group names), or an unfinished
 * deployment names it as a target, exclude, canary source or wave group
 * (`deployments`: their ids), since such a deployment could no longer
 * start or go on. Finished deployments keep their manifest as history and
 * do not block. Runs under the groups lock, which deployment creation
 * also takes, so that no deployment starts naming the group meanwhile.
 */
export async function checkDeletable(
  client: Pick<pg.PoolClient, 'query'>,
  groups: ReadonlyMap<string, GroupRow>,
  name: string,
): Promise<void> {
  const users = [...groups.values()]
    .filter((g) => g.name !== name && g.membership === 'dynamic')
    .filter((g) => referencedGroups(g.query).includes(name))
    .map((g) => g.name);
  if (users.length > 0) {
    throw new RollcallError(
      'CONFLICT',
      `Group "${name}" is used by ${users.join(', ')}`,
      { referencedBy: users },
    );
  }

  const { rows } = await client.query<{
    id: string;
    manifest: DeploymentManifest;
  }>(
    `SELECT id, manifest FROM deployments
     WHERE state = ANY($1::text[]) ORDER BY id`,
    [UNFINISHED],
  );
  const deployments = rows
    .filter((row) => manifestGroups(row.manifest).includes(name))
    .map((row) => row.id);
  if (deployments.length > 0) {
    throw new RollcallError(
      'CONFLICT',
      `Group "${name}" is used by unfinished deployments ${deployments.join(', ')}`,
      { deployments },
    );
  }
}
