import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestServer,
  type GraphqlResult,
  type TestServer,
} from '../src/testing/index.ts';
import {
  HEARTBEAT_BATCH,
  insertLivenessDevices,
  sendHeartbeat,
  tokenOf,
} from './support/livenessFixtures.ts';
import { capturedLogger } from './support/capturedLog.ts';

const TAG = `mutation ($ids: [ID!], $where: String, $tags: [TagInput!]!) {
  tagDevices(ids: $ids, where: $where, tags: $tags) { matchedCount }
}`;
const UNTAG = TAG.replaceAll('tagDevices', 'untagDevices');
const UPDATE = `mutation ($id: ID!, $input: UpdateDeviceInput!) {
  updateDevice(id: $id, input: $input) { id }
}`;

const WHERE = 'tag:production OR tag:staging';
const ROUNDS = 12;
const GATEWAY = 'cc-gw';
// cc-1..cc-4 come back from offline-extended during the run.
const FLEET = Array.from({ length: 8 }, (_, i) => `cc-${i + 1}`);
const RETURNING = FLEET.slice(0, 4);
const sweepTags = Array.from({ length: ROUNDS }, (_, r) => `sweep-${r}`);
const goneTags = Array.from({ length: ROUNDS }, (_, r) => `gone-${r}`);

describe('bulk tagging alongside heartbeats and updates', () => {
  let server: TestServer;
  const log = capturedLogger('warn');
  const logLines = log.lines;

  const tagsOf = async (id: string) => {
    const { rows } = await server.database.pool.query<{ tag: string }>(
      `SELECT CASE WHEN value = '' THEN key ELSE key || '=' || value END AS tag
       FROM device_tags WHERE device_id = $1`,
      [id],
    );
    return rows.map((row) => row.tag).sort();
  };
  // Every error of every call, with the operation that met it.
  const failuresOf = (name: string, results: GraphqlResult[]) =>
    results.flatMap((result) =>
      (result.errors ?? []).map((error) => ({
        name,
        code: error.extensions?.code,
        message: error.message,
      })),
    );

  beforeAll(async () => {
    server = await startTestServer({ logger: log.logger });
    const now = server.clock.now();
    const longAgo = new Date(now.getTime() - 40 * 24 * 3_600_000);
    await insertLivenessDevices(
      server.database.pool,
      [
        { id: GATEWAY },
        ...FLEET.map((id, i) => ({
          id,
          ...(RETURNING.includes(id)
            ? {
                state: 'offline',
                lastKnownState: 'healthy',
                offlineSince: longAgo,
                offlineTier: 'decommission_review',
                dueAt: null,
              }
            : {}),
          tags: [
            [i % 2 === 0 ? 'production' : 'staging', ''],
            ['gateway', GATEWAY],
            ...(RETURNING.includes(id) ? [['offline-extended', '']] : []),
            ...goneTags.map((tag) => [tag, '']),
          ] as Array<[string, string]>,
        })),
      ],
      now,
    );
  });
  afterAll(() => server.close());

  it('commits every tagging, heartbeat and update with no error and the exact tags', async () => {
    const rounds = Array.from({ length: ROUNDS }, (_, r) => r);
    const [tagged, untagged, taggedById, updated, batches, heartbeats] =
      await Promise.all([
        Promise.all(
          rounds.map((r) =>
            server.request(TAG, {
              where: WHERE,
              tags: [{ key: `sweep-${r}` }],
            }),
          ),
        ),
        Promise.all(
          rounds.map((r) =>
            server.request(UNTAG, {
              where: WHERE,
              tags: [{ key: `gone-${r}` }],
            }),
          ),
        ),
        Promise.all(
          rounds.map((r) =>
            server.request(TAG, {
              ids: [FLEET[r % FLEET.length], FLEET[(r + 3) % FLEET.length]],
              tags: [{ key: `sweep-${r}` }],
            }),
          ),
        ),
        Promise.all(
          rounds.flatMap((r) =>
            FLEET.map((id) =>
              server.request(UPDATE, { id, input: { notes: `n-${r}` } }),
            ),
          ),
        ),
        Promise.all(
          rounds.map(() =>
            server.request(
              HEARTBEAT_BATCH,
              {
                inputs: FLEET.map((deviceId) => ({
                  deviceId,
                  status: 'HEALTHY',
                })),
              },
              tokenOf(GATEWAY),
            ),
          ),
        ),
        Promise.all(
          rounds.map((r) =>
            sendHeartbeat(server, { deviceId: FLEET[r % FLEET.length]! }),
          ),
        ),
      ]);

    const entryErrors = batches.flatMap((result) =>
      (
        (result.data?.heartbeatBatch ?? []) as Array<{ error: unknown }>
      ).flatMap((entry) => (entry.error ? [entry.error] : [])),
    );
    const tags = await Promise.all(FLEET.map(tagsOf));
    expect({
      failures: [
        ...failuresOf('tagDevices', tagged),
        ...failuresOf('untagDevices', untagged),
        ...failuresOf('tagDevices by id', taggedById),
        ...failuresOf('updateDevice', updated),
        ...failuresOf('heartbeatBatch', batches),
        ...failuresOf('heartbeat', heartbeats),
      ],
      entryErrors,
      conflictsLogged: logLines.filter((line) =>
        /deadlock|conflict|40P01|40001/i.test(line),
      ),
      tags,
    }).toEqual({
      failures: [],
      entryErrors: [],
      conflictsLogged: [],
      tags: FLEET.map((_, i) =>
        [
          `gateway=${GATEWAY}`,
          i % 2 === 0 ? 'production' : 'staging',
          ...sweepTags,
        ].sort(),
      ),
    });
  });
});
