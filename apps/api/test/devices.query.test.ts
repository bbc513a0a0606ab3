import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';

const FLEET = [
  {
    id: 'edge-a-01',
    tags: [
      'production',
      'gpu-jetson-orin',
      'site-factory-a',
      'canary-eligible',
      'region=factory-a',
    ],
  },
  {
    id: 'edge-a-02',
    tags: ['production', 'gpu-jetson-orin', 'site-factory-a', 'maintenance'],
  },
  {
    id: 'edge-a-03',
    tags: [
      'production',
      'gpu-jetson-orin',
      'site-factory-a',
      'single-point-failure',
    ],
  },
  {
    id: 'edge-b-01',
    tags: ['production', 'site-factory-b', 'canary-eligible'],
    state: 'degraded',
  },
  { id: 'edge-b-02', tags: ['staging', 'site-factory-b'] },
  { id: 'edge-c-01', tags: [] },
  { id: 'edge-c-02', tags: ['not', 'and-gate'] },
  {
    id: 'edge-d-01',
    tags: ['production', 'decommissioned=20260101t000000z'],
    state: 'decommissioned',
  },
];

type Connection = {
  devices: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: { id: string } }>;
  };
};

const DEVICES = `query ($where: String, $first: Int, $after: String, $all: Boolean) {
  devices(where: $where, first: $first, after: $after, includeDecommissioned: $all) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
  }
}`;

describe('devices(where:)', () => {
  let server: TestServer;
  const select = async (
    where: string | null,
    extra: Record<string, unknown> = {},
  ) => {
    const result = await server.request<Connection>(DEVICES, {
      where,
      ...extra,
    });
    if (result.errors) return result.errors.map((e) => e.extensions);
    return result.data!.devices.edges.map((edge) => edge.node.id);
  };

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(server.database.pool, FLEET);
    await server.database.pool.query(
      `UPDATE devices SET decommissioned_at = '2026-01-01T00:00:00Z' WHERE id = 'edge-d-01'`,
    );
  });
  afterAll(() => server.close());

  it.each([
    [
      null,
      [
        'edge-a-01',
        'edge-a-02',
        'edge-a-03',
        'edge-b-01',
        'edge-b-02',
        'edge-c-01',
        'edge-c-02',
      ],
    ],
    [
      '   ',
      [
        'edge-a-01',
        'edge-a-02',
        'edge-a-03',
        'edge-b-01',
        'edge-b-02',
        'edge-c-01',
        'edge-c-02',
      ],
    ],
    [
      '(tag:production AND tag:gpu-jetson-orin AND tag:site-factory-a) AND NOT (tag:maintenance OR tag:single-point-failure)',
      ['edge-a-01'],
    ],
    [
      'tag:canary-eligible AND tag:production AND status:healthy',
      ['edge-a-01'],
    ],
    [
      'tag:site-factory-a OR tag:site-factory-b',
      ['edge-a-01', 'edge-a-02', 'edge-a-03', 'edge-b-01', 'edge-b-02'],
    ],
    ['NOT tag:production', ['edge-b-02', 'edge-c-01', 'edge-c-02']],
    ['tag:not', ['edge-c-02']],
    ['tag:region=factory-a', ['edge-a-01']],
    [
      'tag:site-*',
      ['edge-a-01', 'edge-a-02', 'edge-a-03', 'edge-b-01', 'edge-b-02'],
    ],
    ['status IN (degraded)', ['edge-b-01']],
    ['status:decommissioned', ['edge-d-01']],
    ['tag:decommissioned', ['edge-d-01']],
    [
      'tag:production AND NOT status:decommissioned',
      ['edge-a-01', 'edge-a-02', 'edge-a-03', 'edge-b-01'],
    ],
  ])('selects exactly the matching devices for %j', async (where, ids) => {
    expect(await select(where)).toEqual(ids);
  });

  it('includes decommissioned devices only when asked', async () => {
    expect(await select('tag:production', { all: true })).toEqual([
      'edge-a-01',
      'edge-a-02',
      'edge-a-03',
      'edge-b-01',
      'edge-d-01',
    ]);
  });

  it('walks every page by keyset with exact ids, cursors and counts', async () => {
    const pages: Array<{ ids: string[]; total: number; hasNext: boolean }> = [];
    let after: string | null = null;
    for (;;) {
      const result: { data?: Connection | null } =
        await server.request<Connection>(DEVICES, {
          first: 3,
          after,
          all: true,
        });
      const { devices } = result.data!;
      pages.push({
        ids: devices.edges.map((edge) => edge.node.id),
        total: devices.totalCount,
        hasNext: devices.pageInfo.hasNextPage,
      });
      expect(devices.pageInfo.endCursor).toBe(
        devices.edges.at(-1)?.cursor ?? null,
      );
      if (!devices.pageInfo.hasNextPage) break;
      after = devices.pageInfo.endCursor;
    }
    expect(pages).toEqual([
      { ids: ['edge-a-01', 'edge-a-02', 'edge-a-03'], total: 8, hasNext: true },
      { ids: ['edge-b-01', 'edge-b-02', 'edge-c-01'], total: 8, hasNext: true },
      { ids: ['edge-c-02', 'edge-d-01'], total: 8, hasNext: false },
    ]);
  });

  it('answers an empty page, with the total, for first: 0', async () => {
    const result = await server.request<Connection>(DEVICES, { first: 0 });
    expect(result.data).toEqual({
      devices: {
        totalCount: 7,
        pageInfo: { hasNextPage: true, endCursor: null },
        edges: [],
      },
    });
  });

  it('counts the same selection whether totalCount comes directly or through fragments', async () => {
    const where = 'tag:production AND NOT tag:maintenance';
    const documents = [
      `query ($where: String) { devices(where: $where, first: 1) {
         totalCount edges { node { id } } } }`,
      `query ($where: String) { devices(where: $where, first: 1) {
         ...Counted edges { node { id } } } }
       fragment Counted on DeviceConnection { ... on DeviceConnection { totalCount } }`,
    ];
    const answers = [];
    for (const document of documents) {
      answers.push(
        (await server.request<Connection>(document, { where })).data,
      );
    }
    const expected = {
      devices: { totalCount: 3, edges: [{ node: { id: 'edge-a-01' } }] },
    };
    expect(answers).toEqual([expected, expected]);
  });

  it.each([[-1], [501]])(
    'refuses first: %i with BAD_USER_INPUT naming the cap',
    async (first) => {
      expect(await select(null, { first })).toEqual([
        { code: 'BAD_USER_INPUT', argument: 'first', max: 500 },
      ]);
    },
  );

  it('refuses a cursor that is not a device cursor', async () => {
    const foreign = Buffer.from('audit:12').toString('base64url');
    expect(await select(null, { after: foreign })).toEqual([
      { code: 'BAD_USER_INPUT', argument: 'after' },
    ]);
  });

  it('reports a syntax error with its code and position', async () => {
    const result = await server.request(DEVICES, {
      where: 'tag:production AND',
    });
    expect(
      result.errors?.map((e) => [e.extensions?.code, e.extensions?.position]),
    ).toEqual([
      ['QUERY_SYNTAX_ERROR', { offset: 18, line: 1, column: 19, length: 0 }],
    ]);
  });

  it('reads a query written over several lines and places an error by line and column', async () => {
    const split = await server.request(DEVICES, {
      where: 'tag:production\r\n\tAND NOT tag:maintenance',
    });
    const joined = await server.request(DEVICES, {
      where: 'tag:production AND NOT tag:maintenance',
    });
    const broken = await server.request(DEVICES, {
      where: 'tag:production\nAND\n  status:helthy',
    });

    expect(split).toEqual(joined);
    expect(split.errors).toBeUndefined();
    expect(
      broken.errors?.map((e) => [e.extensions?.code, e.extensions?.position]),
    ).toEqual([
      [
        'QUERY_VALIDATION_ERROR',
        { offset: 28, line: 3, column: 10, length: 6 },
      ],
    ]);
  });

  it('reports an unknown state with suggestions', async () => {
    const result = await server.request(DEVICES, { where: 'status:helthy' });
    expect(result.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'QUERY_VALIDATION_ERROR',
        position: { offset: 7, line: 1, column: 8, length: 6 },
        expected: [
          'provisioning',
          'healthy',
          'degraded',
          'failed',
          'offline',
          'maintenance',
          'decommissioned',
        ],
        suggestions: ['healthy'],
      },
    ]);
  });
});

describe('validateQuery', () => {
  let server: TestServer;
  const validate = async (query: string) =>
    (
      await server.request<{ validateQuery: unknown }>(
        `query ($query: String!) { validateQuery(query: $query) {
           valid canonical matchCount
           errors { code message position { offset line column length } expected suggestions } } }`,
        { query },
      )
    ).data?.validateQuery;

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(server.database.pool, FLEET);
  });
  afterAll(() => server.close());

  it('gives a valid query its canonical text and match count', async () => {
    expect(await validate('tag:PRODUCTION and not tag:maintenance')).toEqual({
      valid: true,
      canonical: 'tag:production AND NOT tag:maintenance',
      matchCount: 3,
      errors: [],
    });
  });

  it('gives an invalid query its errors with positions', async () => {
    const result = (await validate('tag:production AND (')) as {
      valid: boolean;
      errors: unknown[];
    };
    expect([result.valid, result.errors.length]).toEqual([false, 1]);
    expect(result.errors[0]).toMatchObject({
      code: 'QUERY_SYNTAX_ERROR',
      position: { offset: 20, line: 1, column: 21, length: 0 },
    });
  });

  it('reports an unknown group as a validation error', async () => {
    const result = (await validate('group:nowhere')) as {
      errors: Array<{ code: string }>;
    };
    expect(result.errors.map((e) => e.code)).toEqual([
      'QUERY_VALIDATION_ERROR',
    ]);
  });
});
