import { TAG_TAXONOMY } from '@rollcall/fleet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';

const TAG = `mutation ($ids: [ID!], $where: String, $tags: [TagInput!]!) {
  tagDevices(ids: $ids, where: $where, tags: $tags) { matchedCount affectedCount }
}`;
const UNTAG = TAG.replaceAll('tagDevices', 'untagDevices');

describe('tagDevices and untagDevices', () => {
  let server: TestServer;
  const tagsOf = async (id: string) => {
    const { rows } = await server.database.pool.query<{ tag: string }>(
      `SELECT CASE WHEN value = '' THEN key ELSE key || '=' || value END AS tag
       FROM device_tags WHERE device_id = $1 ORDER BY key, value`,
      [id],
    );
    return rows.map((row) => row.tag);
  };
  const codes = (result: {
    errors?: Array<{ extensions?: Record<string, unknown> }>;
  }) => result.errors?.map((e) => e.extensions);

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(server.database.pool, [
      { id: 'tg-1', tags: ['production', 'site-factory-a'] },
      { id: 'tg-2', tags: ['production', 'site-factory-b'] },
      { id: 'tg-3', tags: ['staging'] },
      { id: 'tg-4', tags: ['production'], state: 'decommissioned' },
    ]);
  });
  afterAll(() => server.close());

  it('tags devices by id, normalising names and counting only real changes', async () => {
    const result = await server.request(TAG, {
      ids: ['tg-1', 'tg-3'],
      tags: [
        { key: 'Canary-Eligible' },
        { key: 'Line', value: 'Assembly-3' },
        { key: 'site-factory-a' },
      ],
    });
    expect(result.data).toEqual({
      tagDevices: { matchedCount: 2, affectedCount: 2 },
    });
    expect([await tagsOf('tg-1'), await tagsOf('tg-3')]).toEqual([
      ['canary-eligible', 'line=assembly-3', 'production', 'site-factory-a'],
      ['canary-eligible', 'line=assembly-3', 'site-factory-a', 'staging'],
    ]);
  });

  it('tags devices by query, skipping decommissioned ones', async () => {
    const result = await server.request(TAG, {
      where: 'tag:production',
      tags: [{ key: 'priority-high' }],
    });
    expect(result.data).toEqual({
      tagDevices: { matchedCount: 2, affectedCount: 2 },
    });
    expect(await tagsOf('tg-4')).toEqual(['production']);
  });

  it('reports zero affected when every device already has the tags', async () => {
    const result = await server.request(TAG, {
      where: 'tag:production',
      tags: [{ key: 'priority-high' }],
    });
    expect(result.data).toEqual({
      tagDevices: { matchedCount: 2, affectedCount: 0 },
    });
  });

  it('removes a key with any value, and plain tags by name', async () => {
    const result = await server.request(UNTAG, {
      where: 'tag:canary-eligible',
      tags: [{ key: 'line' }, { key: 'canary-eligible' }],
    });
    expect(result.data).toEqual({
      untagDevices: { matchedCount: 2, affectedCount: 2 },
    });
    expect([await tagsOf('tg-1'), await tagsOf('tg-3')]).toEqual([
      ['priority-high', 'production', 'site-factory-a'],
      ['site-factory-a', 'staging'],
    ]);
  });

  it('replaces the value of a key the device already has: one value per key', async () => {
    await server.request(TAG, {
      ids: ['tg-2'],
      tags: [{ key: 'line', value: 'a' }],
    });
    const replaced = await server.request(TAG, {
      ids: ['tg-2'],
      tags: [{ key: 'line', value: 'b' }],
    });
    const audit = await server.database.pool.query(
      `SELECT after FROM audit_log WHERE entity_id = 'tg-2'
       AND action = 'device.tagged' ORDER BY id DESC LIMIT 1`,
    );
    expect({
      result: replaced.data,
      tags: await tagsOf('tg-2'),
      audit: audit.rows[0]?.after,
    }).toEqual({
      result: { tagDevices: { matchedCount: 1, affectedCount: 1 } },
      tags: ['line=b', 'priority-high', 'production', 'site-factory-b'],
      audit: {
        added: [{ key: 'line', value: 'b' }],
        replaced: [{ key: 'line', value: 'a' }],
      },
    });
  });

  it('refuses adding offline-extended, or a status name as a value, but lets an operator remove offline-extended', async () => {
    const added = await server.request(TAG, {
      ids: ['tg-3'],
      tags: [{ key: 'Offline-Extended' }],
    });
    const registered = await server.request(
      `mutation ($input: RegisterDeviceInput!) {
        registerDevice(input: $input) { device { id } }
      }`,
      {
        input: {
          hostname: 'flagged.local',
          environment: 'staging',
          hardware: { type: 'jetson-orin-nano' },
          tags: [{ key: 'offline-extended' }],
        },
      },
    );
    await server.database.pool.query(
      `INSERT INTO device_tags (device_id, key, value)
       VALUES ('tg-3', 'offline-extended', '')`,
    );
    const removed = await server.request(UNTAG, {
      ids: ['tg-3'],
      tags: [{ key: 'offline-extended' }],
    });
    const asValue = await server.request(TAG, {
      ids: ['tg-3'],
      tags: [{ key: 'lifecycle', value: 'Decommissioned' }],
    });

    expect({
      added: codes(added),
      registered: codes(registered),
      removed: removed.data,
      asValue: codes(asValue),
      tags: await tagsOf('tg-3'),
    }).toEqual({
      added: [
        { code: 'BAD_USER_INPUT', argument: 'tags', tag: 'offline-extended' },
      ],
      registered: [
        { code: 'BAD_USER_INPUT', argument: 'tags', tag: 'offline-extended' },
      ],
      removed: { untagDevices: { matchedCount: 1, affectedCount: 1 } },
      asValue: [
        {
          code: 'BAD_USER_INPUT',
          argument: 'tags',
          tag: 'lifecycle',
          value: 'decommissioned',
        },
      ],
      tags: ['site-factory-a', 'staging'],
    });
  });

  it('refuses two values of one key in one request, writing nothing', async () => {
    const result = await server.request(TAG, {
      ids: ['tg-3'],
      tags: [
        { key: 'Line', value: 'x' },
        { key: 'line', value: 'y' },
      ],
    });
    expect({ errors: codes(result), tags: await tagsOf('tg-3') }).toEqual({
      errors: [{ code: 'BAD_USER_INPUT', argument: 'tags', key: 'line' }],
      tags: ['site-factory-a', 'staging'],
    });
  });

  it('removes only the given value of a key/value tag', async () => {
    const other = await server.request(UNTAG, {
      ids: ['tg-2'],
      tags: [{ key: 'line', value: 'a' }],
    });
    const given = await server.request(UNTAG, {
      ids: ['tg-2'],
      tags: [{ key: 'line', value: 'b' }],
    });
    expect({
      other: other.data,
      given: given.data,
      tags: await tagsOf('tg-2'),
    }).toEqual({
      other: { untagDevices: { matchedCount: 1, affectedCount: 0 } },
      given: { untagDevices: { matchedCount: 1, affectedCount: 1 } },
      tags: ['priority-high', 'production', 'site-factory-b'],
    });
  });

  it("moves the record's lastUpdated of the devices whose tags changed, only theirs", async () => {
    const updatedAt = async () => {
      const { rows } = await server.database.pool.query<{
        id: string;
        updated_at: Date;
      }>(
        `SELECT id, updated_at FROM devices WHERE id IN ('tg-1', 'tg-3')
         ORDER BY id`,
      );
      return rows.map((row) => [row.id, row.updated_at.toISOString()]);
    };
    const before = await updatedAt();
    const at = server.clock.advance(60_000).toISOString();

    await server.request(TAG, { ids: ['tg-1'], tags: [{ key: 'moved-on' }] });
    const afterTag = await updatedAt();
    server.clock.advance(60_000);
    await server.request(UNTAG, {
      ids: ['tg-3'],
      tags: [{ key: 'not-there' }],
    });

    expect({ afterTag, afterNoop: await updatedAt() }).toEqual({
      afterTag: [
        ['tg-1', at],
        ['tg-3', before[1]![1]],
      ],
      afterNoop: [
        ['tg-1', at],
        ['tg-3', before[1]![1]],
      ],
    });
  });

  it('writes one audit entry and one deviceChanged event per affected device', async () => {
    await server.request(TAG, {
      ids: ['tg-1', 'tg-2'],
      tags: [{ key: 'audited' }],
    });
    const audit = await server.database.pool.query(
      `SELECT entity_id, action, after FROM audit_log WHERE after::text LIKE '%audited%' ORDER BY entity_id`,
    );
    const events = await server.database.pool.query(
      `SELECT device_id, kind, payload->>'change' AS change FROM device_events
       WHERE kind = 'deviceChanged' AND id > (SELECT max(id) - 2 FROM device_events) ORDER BY device_id`,
    );
    expect([audit.rows, events.rows]).toEqual([
      [
        {
          entity_id: 'tg-1',
          action: 'device.tagged',
          after: { added: [{ key: 'audited', value: '' }] },
        },
        {
          entity_id: 'tg-2',
          action: 'device.tagged',
          after: { added: [{ key: 'audited', value: '' }] },
        },
      ],
      [
        { device_id: 'tg-1', kind: 'deviceChanged', change: 'tags' },
        { device_id: 'tg-2', kind: 'deviceChanged', change: 'tags' },
      ],
    ]);
  });

  it.each([
    [
      'both ids and where',
      { ids: ['tg-1'], where: 'tag:x', tags: [{ key: 'x' }] },
      { code: 'BAD_USER_INPUT', argument: 'where' },
    ],
    [
      'neither ids nor where',
      { tags: [{ key: 'x' }] },
      { code: 'BAD_USER_INPUT', argument: 'ids' },
    ],
    [
      'no tags',
      { ids: ['tg-1'], tags: [] },
      { code: 'BAD_USER_INPUT', argument: 'tags' },
    ],
    [
      'an invalid tag',
      { ids: ['tg-1'], tags: [{ key: 'a b' }] },
      { code: 'BAD_USER_INPUT', argument: 'tags', tag: 'a b' },
    ],
    [
      'the reserved tag',
      { ids: ['tg-1'], tags: [{ key: 'decommissioned' }] },
      { code: 'BAD_USER_INPUT', argument: 'tags', tag: 'decommissioned' },
    ],
    [
      'unknown ids, every one named',
      { ids: ['tg-1', 'tg-nope', 'tg-gone'], tags: [{ key: 'x' }] },
      {
        code: 'NOT_FOUND',
        kind: 'Device',
        id: 'tg-nope',
        ids: ['tg-nope', 'tg-gone'],
      },
    ],
    [
      'a decommissioned id',
      { ids: ['tg-4'], tags: [{ key: 'x' }] },
      { code: 'DEVICE_DECOMMISSIONED', deviceId: 'tg-4' },
    ],
  ])('refuses %s and writes nothing', async (_name, variables, extensions) => {
    const before = await tagsOf('tg-1');
    const result = await server.request(TAG, variables);
    expect([codes(result), await tagsOf('tg-1')]).toEqual([
      [extensions],
      before,
    ]);
  });

  it.each([
    ['tagDevices', TAG, { key: 'environment', value: 'staging' }],
    ['untagDevices', UNTAG, { key: 'environment' }],
  ])(
    'refuses %s on the environment key, which mirrors the record, and writes nothing',
    async (_name, mutation, tag) => {
      const before = await tagsOf('tg-1');
      const result = await server.request(mutation, {
        ids: ['tg-1'],
        tags: [tag],
      });
      expect([codes(result), await tagsOf('tg-1')]).toEqual([
        [{ code: 'BAD_USER_INPUT', argument: 'tags', tag: 'environment' }],
        before,
      ]);
    },
  );

  it.each([
    ['tagDevices', '', TAG],
    ['tagDevices', '   ', TAG],
    ['untagDevices', '', UNTAG],
    ['untagDevices', '  ', UNTAG],
  ])(
    'refuses %s with the blank where %j as a syntax error at offset 0 and writes nothing',
    async (_name, where, mutation) => {
      const before = await Promise.all(['tg-1', 'tg-2', 'tg-3'].map(tagsOf));
      const result = await server.request(mutation, {
        where,
        tags: [{ key: 'production' }],
      });
      expect([
        result.data,
        result.errors?.map((e) => [
          e.extensions?.code,
          e.message,
          e.extensions?.position,
        ]),
        await Promise.all(['tg-1', 'tg-2', 'tg-3'].map(tagsOf)),
      ]).toEqual([
        null,
        [
          [
            'QUERY_SYNTAX_ERROR',
            'Expected an expression, found end of query.',
            { offset: 0, line: 1, column: 1, length: 0 },
          ],
        ],
        before,
      ]);
    },
  );

  it('passes a query error through with its position', async () => {
    const result = await server.request(TAG, {
      where: 'tag:',
      tags: [{ key: 'x' }],
    });
    expect(
      result.errors?.map((e) => [e.extensions?.code, e.extensions?.position]),
    ).toEqual([
      ['QUERY_SYNTAX_ERROR', { offset: 4, line: 1, column: 5, length: 0 }],
    ]);
  });
});

describe('tags taxonomy', () => {
  let server: TestServer;
  const list = async (category?: string) =>
    (
      await server.request<{
        tags: Array<{ name: string; category: string; deviceCount: number }>;
      }>(
        'query ($category: String) { tags(category: $category) { name category description deviceCount } }',
        { category },
      )
    ).data!.tags;

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(server.database.pool, [
      {
        id: 'tx-1',
        tags: ['production', 'site-factory-a', 'environment=production'],
      },
      { id: 'tx-2', tags: ['production'] },
      {
        id: 'tx-3',
        tags: ['staging', 'decommissioned=20260101t000000z'],
        state: 'decommissioned',
      },
      { id: 'tx-4', tags: ['production'], state: 'decommissioned' },
    ]);
  });
  afterAll(() => server.close());

  it('lists a category with descriptions and device counts', async () => {
    expect(await list('environment')).toEqual([
      {
        name: 'canary',
        category: 'environment',
        description: 'Designated canary device',
        deviceCount: 0,
      },
      {
        name: 'development',
        category: 'environment',
        description: 'Development / testing',
        deviceCount: 0,
      },
      {
        name: 'production',
        category: 'environment',
        description: 'Production device',
        deviceCount: 2,
      },
      {
        name: 'staging',
        category: 'environment',
        description: 'Staging / pre-production',
        deviceCount: 0,
      },
    ]);
  });

  it('seeds the whole fleet taxonomy, counting decommissioned devices only for decommissioned', async () => {
    const all = await list();
    const decommissioned = all.find((tag) => tag.name === 'decommissioned');
    expect([
      all.length,
      new Set(all.map((t) => t.category)).size,
      decommissioned?.deviceCount,
    ]).toEqual([Object.keys(TAG_TAXONOMY).length, 5, 1]);
  });

  it('defines and redefines a tag, normalised, with audit entries', async () => {
    const define = (name: string, description: string) =>
      server.request(
        'mutation ($name: String!, $d: String) { defineTag(name: $name, category: "fleet", description: $d) { name category description deviceCount } }',
        { name, d: description },
      );
    const first = await define('Night-Shift', 'Runs at night');
    const second = await define('night-shift', 'Runs overnight');
    const audit = await server.database.pool.query(
      `SELECT before, after FROM audit_log WHERE entity_type = 'tag' ORDER BY id`,
    );
    expect([first.data, second.data, audit.rows]).toEqual([
      {
        defineTag: {
          name: 'night-shift',
          category: 'fleet',
          description: 'Runs at night',
          deviceCount: 0,
        },
      },
      {
        defineTag: {
          name: 'night-shift',
          category: 'fleet',
          description: 'Runs overnight',
          deviceCount: 0,
        },
      },
      [
        {
          before: null,
          after: {
            name: 'night-shift',
            category: 'fleet',
            description: 'Runs at night',
          },
        },
        {
          before: {
            name: 'night-shift',
            category: 'fleet',
            description: 'Runs at night',
          },
          after: {
            name: 'night-shift',
            category: 'fleet',
            description: 'Runs overnight',
          },
        },
      ],
    ]);
  });

  it('refuses an unknown category, naming the allowed ones', async () => {
    const result = await server.request(
      'mutation { defineTag(name: "x", category: "misc") { name } }',
    );
    expect(result.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        argument: 'category',
        expected: ['hardware', 'environment', 'location', 'role', 'fleet'],
      },
    ]);
  });

  it('gives device tags their category, key/value tags by value', async () => {
    const result = await server.request(
      '{ device(id: "tx-1") { tags { key value category } } }',
    );
    expect(result.data).toEqual({
      device: {
        tags: [
          { key: 'environment', value: 'production', category: 'environment' },
          { key: 'production', value: '', category: 'environment' },
          { key: 'site-factory-a', value: '', category: 'location' },
        ],
      },
    });
  });
});
