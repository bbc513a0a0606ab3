import type { GroupResolver, QueryNode } from '@rollcall/tag-query';
import type pg from 'pg';
import type { Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import { findDevice } from '../devices/deviceList.ts';
import {
  DEVICE_COLUMNS,
  DEVICE_FROM,
  toDeviceRecord,
  type DeviceRecord,
  type DeviceRow,
} from '../devices/deviceRecord.ts';
import {
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
  type Connection,
} from '../devices/pagination.ts';
import { notFound } from '../errors.ts';
import type { EventBus } from '../events/eventBus.ts';
import {
  checkGroupQuery,
  loadGroups,
  memberCondition,
  resolverOver,
  type GroupRow,
} from './groupMembership.ts';
import {
  writeGroup,
  type GroupInput,
  type GroupUpdate,
} from './groupWrites.ts';

export type { GroupRow };

/** What `previewGroup` answers. */
export interface GroupPreview {
  count: number;
  sample: DeviceRecord[];
  joining: string[];
  leaving: string[];
  comparedWith: string | null;
}

const PREVIEW_SAMPLE = 20;

/**
 * Groups: saved definitions, membership resolved at query time, and the
 * lookups other domains build on (deployments resolve waves with
 * `resolveMembers`, devices list `groupsOf`, queries take `groupResolver`).
 */
export interface GroupService {
  list(): Promise<GroupRow[]>;
  get(name: string): Promise<GroupRow | null>;
  create(input: GroupInput, actor: string): Promise<GroupRow>;
  update(name: string, input: GroupUpdate, actor: string): Promise<GroupRow>;
  delete(name: string, actor: string): Promise<GroupRow>;
  addMembers(name: string, ids: string[], actor: string): Promise<GroupRow>;
  removeMembers(name: string, ids: string[], actor: string): Promise<GroupRow>;
  /** One page of members in id order (keyset on the id). */
  members(
    name: string,
    args: { first?: number | null; after?: string | null },
  ): Promise<Connection<DeviceRecord>>;
  memberCount(name: string): Promise<number>;
  /** Static members naming a deleted or decommissioned device. */
  missingDevices(name: string): Promise<string[]>;
  /** Every member id now, in id order. */
  resolveMembers(name: string): Promise<string[]>;
  /** The groups a device belongs to now, by name. */
  groupsOf(deviceId: string): Promise<string[]>;
  /** A resolver over the saved groups, for `toSql`/`evaluate`. */
  groupResolver(): Promise<GroupResolver>;
  /** Whether one device is a member of a group now. */
  isMember(name: string, deviceId: string): Promise<boolean>;
  preview(query: string, name: string | null): Promise<GroupPreview>;
}

/** Builds the group service. */
export function createGroupService(deps: {
  pool: pg.Pool;
  clock: Clock;
  config: RollcallConfig;
  events: EventBus;
}): GroupService {
  const { pool, clock, config } = deps;

  const require = async (name: string): Promise<GroupRow> => {
    const row = (await loadGroups(pool)).get(name);
    if (!row) throw notFound('Group', name);
    return row;
  };

  const conditionOf = async (
    target: QueryNode | { group: string },
    paramOffset = 0,
  ) =>
    memberCondition(target, {
      resolver: resolverOver(await loadGroups(pool)),
      now: clock.now(),
      paramOffset,
    });

  const ids = async (target: QueryNode | { group: string }) => {
    const condition = await conditionOf(target);
    const { rows } = await pool.query<{ id: string }>(
      `SELECT d.id FROM ${DEVICE_FROM} WHERE ${condition.text} ORDER BY d.id`,
      condition.values,
    );
    return rows.map((row) => row.id);
  };

  const write = (actor: string) => ({
    pool,
    clock,
    events: deps.events,
    actor,
  });

  return {
    async list() {
      return [...(await loadGroups(pool)).values()].sort((a, b) =>
        a.name < b.name ? -1 : 1,
      );
    },
    async get(name) {
      return (await loadGroups(pool)).get(name) ?? null;
    },
    create: (input, actor) =>
      writeGroup(write(actor), { kind: 'create', input }),
    update: (name, input, actor) =>
      writeGroup(write(actor), { kind: 'update', name, input }),
    delete: (name, actor) => writeGroup(write(actor), { kind: 'delete', name }),
    addMembers: (name, deviceIds, actor) =>
      writeGroup(write(actor), { kind: 'add', name, deviceIds }),
    removeMembers: (name, deviceIds, actor) =>
      writeGroup(write(actor), { kind: 'remove', name, deviceIds }),

    async members(name, args) {
      await require(name);
      const size = pageSize(args.first, config);
      const after = args.after ? decodeCursor('member', args.after) : null;
      const condition = await conditionOf({ group: name });
      const values = [...condition.values];
      let keyset = '';
      if (after !== null) {
        values.push(after);
        keyset = ` AND d.id > $${values.length}`;
      }
      values.push(size + 1);
      const [page, count] = await Promise.all([
        pool.query<DeviceRow>(
          `SELECT ${DEVICE_COLUMNS} FROM ${DEVICE_FROM}
           WHERE ${condition.text}${keyset}
           ORDER BY d.id LIMIT $${values.length}`,
          values,
        ),
        pool.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM ${DEVICE_FROM}
           WHERE ${condition.text}`,
          condition.values,
        ),
      ]);
      return toConnection(
        page.rows,
        size,
        count.rows[0]?.count ?? 0,
        (row) => encodeCursor('member', row.id),
        toDeviceRecord,
      );
    },

    async memberCount(name) {
      await require(name);
      const condition = await conditionOf({ group: name });
      const { rows } = await pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM ${DEVICE_FROM}
         WHERE ${condition.text}`,
        condition.values,
      );
      return rows[0]?.count ?? 0;
    },

    async missingDevices(name) {
      const group = await require(name);
      if (group.membership !== 'static') return [];

      const { rows } = await pool.query<{ device_id: string }>(
        `SELECT gm.device_id FROM group_members gm
         LEFT JOIN devices d ON d.id = gm.device_id
         WHERE gm.group_id = $1
           AND (d.id IS NULL OR d.decommissioned_at IS NOT NULL)
         ORDER BY gm.device_id`,
        [group.id],
      );
      return rows.map((row) => row.device_id);
    },

    async resolveMembers(name) {
      await require(name);
      return ids({ group: name });
    },

    async groupsOf(deviceId) {
      const groups = await loadGroups(pool);
      const resolver = resolverOver(groups);
      const now = clock.now();
      const names: string[] = [];
      for (const name of [...groups.keys()].sort()) {
        const condition = memberCondition(
          { group: name },
          {
            resolver,
            now,
            paramOffset: 1,
          },
        );
        const { rowCount } = await pool.query(
          `SELECT 1 FROM ${DEVICE_FROM} WHERE d.id = $1 AND ${condition.text}`,
          [deviceId, ...condition.values],
        );
        if (rowCount) names.push(name);
      }
      return names;
    },

    async groupResolver() {
      return resolverOver(await loadGroups(pool));
    },

    async isMember(name, deviceId) {
      const condition = await conditionOf({ group: name }, 1);
      const { rowCount } = await pool.query(
        `SELECT 1 FROM ${DEVICE_FROM} WHERE d.id = $1 AND ${condition.text}`,
        [deviceId, ...condition.values],
      );
      return Boolean(rowCount);
    },

    async preview(query, name) {
      const groups = await loadGroups(pool);
      const saved = name ? (groups.get(name) ?? null) : null;
      const ast = checkGroupQuery(query, groups, name);

      const resolver = resolverOver(groups);
      const now = clock.now();
      const next = memberCondition(ast, { resolver, now });
      const previous = saved
        ? memberCondition(
            { group: saved.name },
            {
              resolver,
              now,
              paramOffset: next.values.length,
            },
          )
        : { text: 'FALSE', values: [] };
      const { rows } = await pool.query<{
        id: string;
        isNext: boolean;
        isPrevious: boolean;
      }>(
        `SELECT d.id, (${next.text}) AS "isNext", (${previous.text}) AS "isPrevious"
         FROM ${DEVICE_FROM}
         WHERE (${next.text}) OR (${previous.text})
         ORDER BY d.id`,
        [...next.values, ...previous.values],
      );
      const members = rows.filter((row) => row.isNext).map((row) => row.id);
      const sample = await Promise.all(
        members.slice(0, PREVIEW_SAMPLE).map((id) => findDevice(pool, id)),
      );
      return {
        count: members.length,
        sample: sample.filter((device) => device !== null),
        joining: rows.filter((r) => r.isNext && !r.isPrevious).map((r) => r.id),
        leaving: rows.filter((r) => !r.isNext && r.isPrevious).map((r) => r.id),
        comparedWith: saved?.name ?? null,
      };
    },
  };
}
