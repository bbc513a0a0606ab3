import type pg from 'pg';
import type { Clock } from '../clock.ts';
import { withTransaction } from '../db/transaction.ts';
import { recordAudit } from '../devices/auditLog.ts';
import { notFound, RollcallError } from '../errors.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { RegistryEvent } from '../events/registryEvent.ts';
import {
  checkList,
  checkName,
  checkQueryText,
  checkText,
  INPUT_LIMITS,
} from '../server/inputLimits.ts';
import { checkDeletable } from './groupDeletion.ts';
import { changeMembers, touch } from './groupMembers.ts';
import {
  checkGroupQuery,
  GROUP_COLUMNS,
  loadGroups,
  type GroupRow,
} from './groupMembership.ts';

/** `createGroup`'s input. */
export interface GroupInput {
  name: string;
  description?: string | null;
  membership: 'static' | 'dynamic';
  query?: string | null;
  devices?: string[] | null;
  deployPolicy?: string | null;
}

/** `updateGroup`'s input: absent keeps a value, null clears it. */
export interface GroupUpdate {
  description?: string | null;
  query?: string | null;
  deployPolicy?: string | null;
}

/** One write to the groups. */
export type GroupWrite =
  | { kind: 'create'; input: GroupInput }
  | { kind: 'update'; name: string; input: GroupUpdate }
  | { kind: 'delete'; name: string }
  | { kind: 'add' | 'remove'; name: string; deviceIds: string[] };

interface WriteContext {
  pool: pg.Pool;
  clock: Clock;
  events: EventBus;
  actor: string;
}

type Client = pg.PoolClient;

/**
 * The advisory lock every group definition write takes, so that validation
 * (which reads the other groups, for cycles, and the deployments that use
 * a group being deleted) and the write see the same state. Creating a
 * deployment takes it shared.
 */
export const GROUPS_LOCK = 4242002;

function badInput(field: string, message: string): RollcallError {
  return new RollcallError('BAD_USER_INPUT', message, { field });
}

function checkIds(ids: readonly string[]): string[] {
  checkList(ids, 'deviceIds', INPUT_LIMITS.ids);
  for (const id of ids) checkText(id, 'deviceIds', INPUT_LIMITS.name);
  return [...new Set(ids)].sort();
}

function checkCommon(input: GroupUpdate): void {
  if (input.description != null) {
    checkText(input.description, 'description', INPUT_LIMITS.text, {
      isMultiline: true,
    });
  }
  if (input.deployPolicy != null) {
    checkText(input.deployPolicy, 'deployPolicy', INPUT_LIMITS.name);
  }
  if (input.query != null) checkQueryText(input.query, 'query');
}

async function savedGroup(client: Client, name: string): Promise<GroupRow> {
  const { rows } = await client.query<GroupRow>(
    `SELECT ${GROUP_COLUMNS} FROM groups WHERE name = $1`,
    [name],
  );
  if (!rows[0]) throw notFound('Group', name);
  return rows[0];
}

/** Runs one group write in a transaction, with audit and events. */
export async function writeGroup(
  context: WriteContext,
  write: GroupWrite,
): Promise<GroupRow> {
  if (write.kind === 'create') {
    checkName(write.input.name, 'name');
    checkCommon(write.input);
  } else if (write.kind === 'update') {
    checkCommon(write.input);
  }
  const deviceIds =
    write.kind === 'add' || write.kind === 'remove'
      ? checkIds(write.deviceIds)
      : checkIds(write.kind === 'create' ? (write.input.devices ?? []) : []);

  const at = context.clock.now();
  return withTransaction(context.pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [GROUPS_LOCK]);
    const groups = await loadGroups(client);
    const events: RegistryEvent[] = [];
    let before: GroupRow | null = null;
    let after: GroupRow;

    switch (write.kind) {
      case 'create': {
        after = await create(client, write.input, groups, deviceIds, at);
        break;
      }
      case 'update': {
        before = await savedGroup(client, write.name);
        after = await update(client, before, write.input, groups, at);
        break;
      }
      case 'delete': {
        before = await savedGroup(client, write.name);
        await checkDeletable(client, groups, write.name);
        await client.query('DELETE FROM groups WHERE id = $1', [before.id]);
        after = before;
        break;
      }
      case 'add':
      case 'remove': {
        before = await savedGroup(client, write.name);
        if (before.membership !== 'static') {
          throw badInput(
            'name',
            `"${write.name}" is a dynamic group; its query decides membership`,
          );
        }
        const changed = await changeMembers(
          client,
          before,
          write.kind,
          deviceIds,
          at,
        );
        for (const deviceId of changed) {
          events.push({
            kind: 'deviceChanged',
            deviceId,
            change: 'groups',
            at: at.toISOString(),
          });
        }
        after = await touch(client, before.id, at);
        break;
      }
      default: {
        const unreachable: never = write;
        throw new Error(`Unknown group write ${JSON.stringify(unreachable)}`);
      }
    }

    await recordAudit(client, [
      {
        actor: context.actor,
        action: `group.${write.kind === 'add' || write.kind === 'remove' ? `${write.kind}Members` : write.kind}`,
        entityType: 'group',
        entityId: after.name,
        before,
        after:
          write.kind === 'delete'
            ? null
            : { ...after, deviceIds: deviceIds.length ? deviceIds : undefined },
        at,
      },
    ]);
    events.push({
      kind: 'groupChanged',
      group: after.name,
      at: at.toISOString(),
    });
    await context.events.publish(client, events);
    return after;
  });
}

async function create(
  client: Client,
  input: GroupInput,
  groups: Map<string, GroupRow>,
  deviceIds: string[],
  at: Date,
): Promise<GroupRow> {
  if (groups.has(input.name)) {
    throw new RollcallError(
      'CONFLICT',
      `Group "${input.name}" already exists`,
      {
        name: input.name,
      },
    );
  }
  if (input.membership === 'static' && input.query != null) {
    throw badInput('query', 'A static group lists devices; it has no query');
  }
  if (input.membership === 'dynamic') {
    if (deviceIds.length > 0) {
      throw badInput(
        'devices',
        'A dynamic group has a query, not a device list',
      );
    }
    checkGroupQuery(input.query ?? '', groups, input.name);
  }

  const { rows } = await client.query<GroupRow>(
    `INSERT INTO groups (id, name, description, membership, query,
                         deploy_policy, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $6)
     RETURNING ${GROUP_COLUMNS}`,
    [
      input.name,
      input.description ?? null,
      input.membership,
      input.membership === 'dynamic' ? input.query : null,
      input.deployPolicy ?? null,
      at,
    ],
  );
  const group = rows[0]!;
  if (deviceIds.length > 0)
    await changeMembers(client, group, 'add', deviceIds, at);
  return group;
}

async function update(
  client: Client,
  group: GroupRow,
  input: GroupUpdate,
  groups: Map<string, GroupRow>,
  at: Date,
): Promise<GroupRow> {
  if (input.query !== undefined) {
    if (group.membership === 'static') {
      throw badInput('query', 'A static group lists devices; it has no query');
    }
    checkGroupQuery(input.query ?? '', groups, group.name);
  }
  const { rows } = await client.query<GroupRow>(
    `UPDATE groups SET
       description = CASE WHEN $2 THEN $3 ELSE description END,
       query = CASE WHEN $4 THEN $5 ELSE query END,
       deploy_policy = CASE WHEN $6 THEN $7 ELSE deploy_policy END,
       updated_at = $8
     WHERE id = $1
     RETURNING ${GROUP_COLUMNS}`,
    [
      group.id,
      input.description !== undefined,
      input.description ?? null,
      input.query !== undefined,
      input.query ?? null,
      input.deployPolicy !== undefined,
      input.deployPolicy ?? null,
      at,
    ],
  );
  return rows[0]!;
}
