import { parse } from '@rollcall/tag-query';
import type pg from 'pg';
import { withTransaction } from '../db/transaction.ts';
import { RollcallError, unknownDevices } from '../errors.ts';
import { assertStoredTagCounts } from '../tags/storedTagCount.ts';
import {
  assertAddableTag,
  assertNotRecordTag,
  assertWritableTag,
  normalizeTagInput,
  uniqueTags,
  type StoredTag,
  type TagInput,
} from '../tags/tagInput.ts';
import { recordAudit } from './auditLog.ts';
import { deviceCondition } from './deviceList.ts';
import { DEVICE_FROM } from './deviceRecord.ts';
import {
  assertExpectedCount,
  assertOneValuePerKey,
  checkExpectedCount,
} from './tagRequestChecks.ts';
import type { StateChangeDeps } from './stateChange.ts';

/** Which devices a bulk tag change applies to: exactly one of the two. */
export interface TagTarget {
  ids?: string[] | null;
  where?: string | null;
  /**
   * With `where`: how many devices the caller confirmed the change for.
   * Any other count at write time is CONFLICT, and nothing is written.
   */
  expectedCount?: number | null;
}

/** The outcome of a bulk tag change. */
export interface TagChange {
  /** Devices the ids or the query selected. */
  matchedCount: number;
  /** Devices whose tags actually changed. */
  affectedCount: number;
}

type Client = pg.PoolClient;

/**
 * The target devices, locked for the change: their device_status rows, in
 * device id order, as heartbeat ingest, state changes and updateDevice
 * lock them. The devices rows come second, from the device_tags trigger
 * that keeps tag_set. Locking devices first deadlocked with every writer
 * that holds a status row and then touches its device, and with our own
 * publishing, which writes device_status.version.
 *
 * Ids must all exist and none may be decommissioned; a query skips
 * decommissioned devices, which can never be targeted again. A blank
 * query is a QUERY_SYNTAX_ERROR, never "every device".
 */
async function targetIds(
  client: Client,
  target: TagTarget,
  now: Date,
): Promise<string[]> {
  const hasIds = target.ids != null;
  const hasWhere = target.where != null;
  if (hasIds === hasWhere) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      'Give exactly one of "ids" and "where"',
      {
        argument: hasIds ? 'where' : 'ids',
      },
    );
  }
  checkExpectedCount(target);

  if (target.ids != null) {
    const ids = [...new Set(target.ids)];
    const { rows } = await client.query<{ id: string; state: string }>(
      `SELECT d.id, s.state FROM ${DEVICE_FROM}
       WHERE d.id = ANY($1) ORDER BY s.device_id FOR UPDATE OF s`,
      [ids],
    );
    const found = new Set(rows.map((row) => row.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw unknownDevices(missing);
    const retired = rows.find((row) => row.state === 'decommissioned');
    if (retired) {
      throw new RollcallError(
        'DEVICE_DECOMMISSIONED',
        `Device "${retired.id}" is decommissioned`,
        {
          deviceId: retired.id,
        },
      );
    }
    return rows.map((row) => row.id);
  }

  // A blank query would select the whole fleet: for a bulk write that is a
  // mistake, so it gets the parser's own error ("Expected an expression"
  // at offset 0) where a listing would take it as "all".
  const where = target.where ?? '';
  if (where.trim() === '') parse(where);
  const condition = await deviceCondition(client, {
    where,
    includeDecommissioned: false,
    now,
  });
  // Decommissioned matches are locked and counted too, as the listing
  // counts them when the query names them (`status:decommissioned`):
  // `expectedCount` is the totalCount the caller saw. They are never
  // written.
  const { rows } = await client.query<{ id: string; retired: boolean }>(
    `SELECT d.id, s.state = 'decommissioned' AS retired FROM ${DEVICE_FROM}
     WHERE ${condition.sql}
     ORDER BY s.device_id FOR UPDATE OF s`,
    condition.values,
  );
  assertExpectedCount(target.expectedCount, rows.length);
  return rows.filter((row) => !row.retired).map((row) => row.id);
}

function normalizeAll(tags: TagInput[]): StoredTag[] {
  if (tags.length === 0) {
    throw new RollcallError('BAD_USER_INPUT', 'Give at least one tag', {
      argument: 'tags',
    });
  }

  const stored = tags.map((tag) => normalizeTagInput(tag, 'tags'));
  for (const tag of stored) {
    assertWritableTag(tag, 'tags');
    assertNotRecordTag(tag, 'tags');
  }
  return uniqueTags(stored);
}

function byDevice(
  rows: Array<{ device_id: string; key: string; value: string }>,
) {
  const changes = new Map<string, StoredTag[]>();
  for (const row of rows) {
    const list = changes.get(row.device_id) ?? [];
    list.push({ key: row.key, value: row.value });
    changes.set(row.device_id, list);
  }
  return changes;
}

async function finish(
  client: Client,
  deps: StateChangeDeps,
  changes: Map<string, StoredTag[]>,
  kind: 'added' | 'removed',
  actor: string,
  at: Date,
  replaced: Map<string, StoredTag[]> = new Map(),
) {
  const ids = [...new Set([...changes.keys(), ...replaced.keys()])].sort();
  // Tags are part of the record: its lastUpdated (and the exported
  // last_updated) moves with them, as with updateDevice.
  if (ids.length > 0) {
    await client.query(
      'UPDATE devices SET updated_at = $2 WHERE id = ANY($1::text[])',
      [ids, at],
    );
  }
  await recordAudit(
    client,
    ids.map((id) => ({
      actor,
      action: kind === 'added' ? 'device.tagged' : 'device.untagged',
      entityType: 'device',
      entityId: id,
      before: null,
      after: {
        [kind]: changes.get(id) ?? [],
        ...(replaced.has(id) ? { replaced: replaced.get(id) } : {}),
      },
      at,
    })),
  );
  const iso = at.toISOString();
  await deps.events.publish(
    client,
    ids.map((deviceId) => ({
      kind: 'deviceChanged' as const,
      deviceId,
      change: 'tags',
      tags: [
        ...(changes.get(deviceId) ?? []),
        ...(replaced.get(deviceId) ?? []),
      ],
      at: iso,
    })),
  );
}

/**
 * Adds tags to the target devices in one transaction. A tag with no value
 * is a plain tag; one the device already has is left as is. A key/value
 * tag replaces the device's other value of that key (`region=factory-b`
 * replaces `region=factory-a`): one value per key, as the record's tags
 * map and the registry files hold them.
 */
export async function tagDevices(
  pool: pg.Pool,
  deps: StateChangeDeps,
  request: { target: TagTarget; tags: TagInput[]; actor: string; at: Date },
): Promise<TagChange> {
  const tags = normalizeAll(request.tags);
  for (const tag of tags) assertAddableTag(tag, 'tags');
  assertOneValuePerKey(tags);
  return withTransaction(pool, async (client) => {
    const ids = await targetIds(client, request.target, request.at);
    // One statement, so that the device_tags triggers rebuild each tag
    // set once; the insert cannot conflict with a replaced row (its value
    // differs).
    const { rows } = await client.query<{
      change: 'added' | 'replaced';
      device_id: string;
      key: string;
      value: string;
    }>(
      `WITH given AS (
         SELECT k, v FROM unnest($2::text[], $3::text[]) AS t(k, v)
       ), replaced AS (
         DELETE FROM device_tags dt USING given g
         WHERE dt.device_id = ANY($1) AND dt.key = g.k
           AND g.v <> '' AND dt.value <> '' AND dt.value <> g.v
         RETURNING dt.device_id, dt.key, dt.value
       ), added AS (
         INSERT INTO device_tags (device_id, key, value, created_at)
         SELECT id, k, v, $4 FROM unnest($1::text[]) AS d(id) CROSS JOIN given
         ON CONFLICT DO NOTHING
         RETURNING device_id, key, value
       )
       SELECT 'added' AS change, * FROM added
       UNION ALL SELECT 'replaced', * FROM replaced
       ORDER BY 2, 3, 4`,
      [ids, tags.map((t) => t.key), tags.map((t) => t.value), request.at],
    );
    const changes = byDevice(rows.filter((r) => r.change === 'added'));
    const replaced = byDevice(rows.filter((r) => r.change === 'replaced'));
    // Checked after the insert, inside the transaction: a refusal rolls
    // the whole change back, and concurrent taggings of a device queue on
    // its lock.
    await assertStoredTagCounts(client, [...changes.keys()], 'tags');
    await finish(
      client,
      deps,
      changes,
      'added',
      request.actor,
      request.at,
      replaced,
    );
    const affected = new Set([...changes.keys(), ...replaced.keys()]);
    return { matchedCount: ids.length, affectedCount: affected.size };
  });
}

/**
 * Removes tags from the target devices in one transaction. A tag given
 * without a value removes the key with any value (`region` removes
 * `region=factory-a`), and the plain tag of that name.
 */
export async function untagDevices(
  pool: pg.Pool,
  deps: StateChangeDeps,
  request: { target: TagTarget; tags: TagInput[]; actor: string; at: Date },
): Promise<TagChange> {
  const tags = normalizeAll(request.tags);
  return withTransaction(pool, async (client) => {
    const ids = await targetIds(client, request.target, request.at);
    const { rows } = await client.query<{
      device_id: string;
      key: string;
      value: string;
    }>(
      `DELETE FROM device_tags t
       USING unnest($2::text[], $3::text[]) AS x(k, v)
       WHERE t.device_id = ANY($1) AND t.key = x.k
         AND (x.v IS NULL OR t.value = x.v)
       RETURNING t.device_id, t.key, t.value`,
      [
        ids,
        tags.map((t) => t.key),
        tags.map((t) => (t.value === '' ? null : t.value)),
      ],
    );
    const changes = byDevice(rows);
    await finish(client, deps, changes, 'removed', request.actor, request.at);
    return { matchedCount: ids.length, affectedCount: changes.size };
  });
}
