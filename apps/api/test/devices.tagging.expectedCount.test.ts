import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices, setTags } from './support/deviceFixtures.ts';

const TAG = `mutation ($ids: [ID!], $where: String, $tags: [TagInput!]!,
                      $expectedCount: Int) {
  tagDevices(ids: $ids, where: $where, tags: $tags,
             expectedCount: $expectedCount) { matchedCount affectedCount }
}`;
const UNTAG = TAG.replaceAll('tagDevices', 'untagDevices');

describe('tagDevices and untagDevices with expectedCount', () => {
  let server: TestServer;

  // The whole outcome: the payload or each error's code, message and
  // extensions, and the devices carrying `tag` afterwards.
  const outcome = async (
    operation: string,
    variables: Record<string, unknown>,
    tag: string,
  ) => {
    const result = await server.request<Record<string, unknown>>(
      operation,
      variables,
    );
    const { rows } = await server.database.pool.query<{ device_id: string }>(
      `SELECT device_id FROM device_tags WHERE key = $1 ORDER BY device_id`,
      [tag],
    );
    return {
      answer: result.errors
        ? result.errors.map((error) => [error.message, error.extensions])
        : result.data,
      tagged: rows.map((row) => row.device_id),
    };
  };

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(server.database.pool, [
      { id: 'ec-1', tags: ['line-3'] },
      { id: 'ec-2', tags: ['line-3'] },
      { id: 'ec-3', tags: ['line-4'] },
      { id: 'ec-8', tags: ['line-9'] },
      { id: 'ec-9', tags: ['line-9'], state: 'decommissioned' },
    ]);
    await server.database.pool.query(
      `UPDATE devices SET decommissioned_at = now() WHERE id = 'ec-9'`,
    );
  });
  afterAll(() => server.close());

  it('tags when the query still matches the confirmed count', async () => {
    expect(
      await outcome(
        TAG,
        { where: 'tag:line-3', tags: [{ key: 'canary' }], expectedCount: 2 },
        'canary',
      ),
    ).toEqual({
      answer: { tagDevices: { matchedCount: 2, affectedCount: 2 } },
      tagged: ['ec-1', 'ec-2'],
    });
  });

  it('writes nothing and answers CONFLICT with both counts when the match grew after the confirmation', async () => {
    await setTags(server.database.pool, 'ec-3', ['line-3']);

    expect(
      await outcome(
        TAG,
        { where: 'tag:line-3', tags: [{ key: 'pilot' }], expectedCount: 2 },
        'pilot',
      ),
    ).toEqual({
      answer: [
        [
          'The query matches 3 devices now, not the 2 expected; nothing was written',
          { code: 'CONFLICT', expectedCount: 2, actualCount: 3 },
        ],
      ],
      tagged: [],
    });
  });

  it('removes nothing and answers CONFLICT when the match shrank after the confirmation', async () => {
    await server.database.pool.query(
      `DELETE FROM device_tags WHERE device_id = 'ec-2' AND key = 'canary'`,
    );

    expect(
      await outcome(
        UNTAG,
        { where: 'tag:canary', tags: [{ key: 'canary' }], expectedCount: 2 },
        'canary',
      ),
    ).toEqual({
      answer: [
        [
          'The query matches 1 device now, not the 2 expected; nothing was written',
          { code: 'CONFLICT', expectedCount: 2, actualCount: 1 },
        ],
      ],
      tagged: ['ec-1'],
    });
  });

  it('refuses expectedCount with ids, and a negative one', async () => {
    const withIds = await outcome(
      TAG,
      { ids: ['ec-1'], tags: [{ key: 'solo' }], expectedCount: 1 },
      'solo',
    );
    const negative = await outcome(
      TAG,
      { where: 'tag:line-3', tags: [{ key: 'solo' }], expectedCount: -1 },
      'solo',
    );

    expect([withIds, negative]).toEqual([
      {
        answer: [
          [
            '"expectedCount" goes with "where" only',
            { code: 'BAD_USER_INPUT', argument: 'expectedCount' },
          ],
        ],
        tagged: [],
      },
      {
        answer: [
          [
            '"expectedCount" must be 0 or more; got -1',
            { code: 'BAD_USER_INPUT', argument: 'expectedCount', min: 0 },
          ],
        ],
        tagged: [],
      },
    ]);
  });

  it('counts decommissioned matches as the listing does, and tags only the others', async () => {
    const where = 'status:decommissioned OR tag:line-9';
    const listed = await server.request<{ devices: { totalCount: number } }>(
      'query ($where: String) { devices(where: $where) { totalCount } }',
      { where },
    );
    const tagged = await outcome(
      TAG,
      { where, tags: [{ key: 'wave-9' }], expectedCount: 2 },
      'wave-9',
    );

    expect({ listed: listed.data, tagged }).toEqual({
      listed: { devices: { totalCount: 2 } },
      tagged: {
        answer: { tagDevices: { matchedCount: 1, affectedCount: 1 } },
        tagged: ['ec-8'],
      },
    });
  });

  it('tags by query without expectedCount as before', async () => {
    expect(
      await outcome(
        TAG,
        { where: 'tag:line-3', tags: [{ key: 'pilot' }] },
        'pilot',
      ),
    ).toEqual({
      answer: { tagDevices: { matchedCount: 3, affectedCount: 3 } },
      tagged: ['ec-1', 'ec-2', 'ec-3'],
    });
  });
});
