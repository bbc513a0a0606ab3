import type pg from 'pg';
import { RollcallError } from '../errors.ts';

/**
 * Where deployments learn a group's members: the GroupService
 * (`resolveMembers`) in the server; any object with that method in tests.
 */
export interface GroupMemberSource {
  /** Ids of the group's devices now; throws for an unknown group. */
  resolveMembers(name: string): Promise<readonly string[]>;
}

/**
 * The group names among `names` that the registry does not know, in the
 * order given.
 */
export async function unknownGroups(
  pool: Pick<pg.Pool, 'query'>,
  names: readonly string[],
): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    'SELECT name FROM groups WHERE name = ANY($1::text[])',
    [names],
  );
  const known = new Set(rows.map((row) => row.name));
  return names.filter((name) => !known.has(name));
}

/** Throws INVALID_MANIFEST naming the first of `names` that is unknown. */
/** INVALID_MANIFEST naming the manifest's unknown groups. */
export function unknownGroupsError(unknown: readonly string[]): RollcallError {
  return new RollcallError(
    'INVALID_MANIFEST',
    `unknown group "${unknown[0]}"`,
    {
      path: 'groups',
      group: unknown[0],
      unknownGroups: [...unknown],
    },
  );
}

/**
 * Resolves `name`'s members; a group deleted since the manifest was
 * checked (a concurrent deleteGroup) is the manifest's unknown group, as
 * if the check had seen it gone, not the group service's NOT_FOUND.
 */
export async function resolveManifestGroup(
  source: GroupMemberSource,
  name: string,
): Promise<readonly string[]> {
  try {
    return await source.resolveMembers(name);
  } catch (error) {
    const isGone =
      error instanceof RollcallError &&
      error.code === 'NOT_FOUND' &&
      error.details.kind === 'Group';
    if (isGone) throw unknownGroupsError([name]);
    throw error;
  }
}

export async function requireKnownGroups(
  pool: Pick<pg.Pool, 'query'>,
  names: readonly string[],
): Promise<void> {
  const unknown = await unknownGroups(pool, names);
  if (unknown.length > 0) throw unknownGroupsError(unknown);
}

/**
 * A member source over static groups only, for a server without the group
 * service; a dynamic group is refused rather than resolved wrongly.
 */
export function staticGroupMembers(pool: pg.Pool): GroupMemberSource {
  return {
    async resolveMembers(name) {
      const { rows } = await pool.query<{
        membership: string;
        device_id: string | null;
      }>(
        `SELECT g.membership, m.device_id
         FROM groups g LEFT JOIN group_members m ON m.group_id = g.id
         WHERE g.name = $1
         ORDER BY m.device_id`,
        [name],
      );
      const first = rows[0];
      if (!first) {
        throw new RollcallError('NOT_FOUND', `group "${name}" does not exist`, {
          kind: 'group',
          id: name,
        });
      }
      if (first.membership !== 'static') {
        throw new RollcallError(
          'SERVICE_UNAVAILABLE',
          `dynamic group "${name}" needs the group service`,
        );
      }

      return rows.flatMap((row) => (row.device_id ? [row.device_id] : []));
    },
  };
}

/** Adapts a group service whose members are ids or `{ id }` records. */
export function memberSourceOf(service: {
  resolveMembers(name: string): Promise<ReadonlyArray<string | { id: string }>>;
}): GroupMemberSource {
  return {
    async resolveMembers(name) {
      const members = await service.resolveMembers(name);
      return members.map((member) =>
        typeof member === 'string' ? member : member.id,
      );
    },
  };
}
