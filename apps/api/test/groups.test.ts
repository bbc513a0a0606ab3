import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices, setTags } from './support/deviceFixtures.ts';

const CREATE = /* GraphQL */ `
  mutation ($input: CreateGroupInput!) {
    createGroup(input: $input) {
      name
      membership
      query
      deployPolicy
    }
  }
`;
const GROUP = /* GraphQL */ `
  query ($name: String!) {
    group(name: $name) {
      name
      memberCount
      missingDevices
      members(first: 10) {
        totalCount
        edges {
          node {
            id
          }
        }
      }
    }
  }
`;

const SPEC_GROUPS = [
  {
    name: 'production-fleet',
    description: 'All production devices',
    membership: 'DYNAMIC',
    query: 'tag:production AND NOT tag:decommissioned',
  },
  {
    name: 'factory-a-gpu',
    description: 'GPU-capable devices at factory A',
    membership: 'DYNAMIC',
    query: 'tag:production AND tag:gpu-capable AND tag:site-factory-a',
  },
  {
    name: 'canary-pool',
    description: 'Devices eligible for canary deployment',
    membership: 'DYNAMIC',
    query: 'tag:canary-eligible AND tag:production AND status:healthy',
  },
  {
    name: 'critical-devices',
    description: 'High-priority devices requiring careful deployment',
    membership: 'STATIC',
    devices: [
      'edge-jetson-prod-001',
      'edge-jetson-prod-002',
      'edge-gateway-prod-001',
    ],
    deployPolicy: 'canary-only-first-wave',
  },
  {
    name: 'jetson-orin-fleet',
    description: 'All Jetson Orin Nano devices',
    membership: 'DYNAMIC',
    query: 'tag:gpu-jetson-orin',
  },
];

function codes(result: { errors?: Array<{ extensions?: { code?: string } }> }) {
  return result.errors?.map((error) => error.extensions?.code);
}

describe('groups', () => {
  let server: TestServer;

  async function members(name: string) {
    const result = await server.request<{
      group: {
        name: string;
        memberCount: number;
        missingDevices: string[];
        members: { totalCount: number; edges: Array<{ node: { id: string } }> };
      } | null;
    }>(GROUP, { name });
    const group = result.data?.group;
    if (!group) return result;
    return {
      count: group.memberCount,
      ids: group.members.edges.map((edge) => edge.node.id),
      missing: group.missingDevices,
    };
  }

  beforeAll(async () => {
    server = await startTestServer();
    const gpu = [
      'production',
      'gpu-capable',
      'gpu-jetson-orin',
      'site-factory-a',
    ];
    await insertDevices(server.database.pool, [
      { id: 'edge-jetson-prod-001', tags: [...gpu, 'canary-eligible'] },
      { id: 'edge-jetson-prod-002', tags: gpu, state: 'degraded' },
      {
        id: 'edge-jetson-prod-003',
        tags: [...gpu, 'canary-eligible'],
        state: 'offline',
      },
      {
        id: 'edge-rpi-prod-001',
        tags: ['production', 'gpu-none', 'site-factory-b'],
      },
      { id: 'edge-rpi-dev-001', tags: ['development'] },
      { id: 'edge-bare-dev-001', tags: [] },
      { id: 'edge-jetson-prod-099', tags: gpu, state: 'decommissioned' },
      { id: 'edge-gateway-prod-001', tags: ['production'] },
    ]);
    await server.database.pool.query(
      `UPDATE devices SET decommissioned_at = '2026-01-01T00:00:00Z'
       WHERE id = 'edge-jetson-prod-099'`,
    );
  });
  afterAll(() => server.close());

  it('creates the spec example groups as written', async () => {
    const results = [];
    for (const input of SPEC_GROUPS) {
      results.push((await server.request(CREATE, { input })).data);
    }
    expect(results).toEqual([
      {
        createGroup: {
          name: 'production-fleet',
          membership: 'DYNAMIC',
          query: 'tag:production AND NOT tag:decommissioned',
          deployPolicy: null,
        },
      },
      {
        createGroup: {
          name: 'factory-a-gpu',
          membership: 'DYNAMIC',
          query: 'tag:production AND tag:gpu-capable AND tag:site-factory-a',
          deployPolicy: null,
        },
      },
      {
        createGroup: {
          name: 'canary-pool',
          membership: 'DYNAMIC',
          query: 'tag:canary-eligible AND tag:production AND status:healthy',
          deployPolicy: null,
        },
      },
      {
        createGroup: {
          name: 'critical-devices',
          membership: 'STATIC',
          query: null,
          deployPolicy: 'canary-only-first-wave',
        },
      },
      {
        createGroup: {
          name: 'jetson-orin-fleet',
          membership: 'DYNAMIC',
          query: 'tag:gpu-jetson-orin',
          deployPolicy: null,
        },
      },
    ]);
  });

  it('resolves each group at query time, a member decommissioned since as missing', async () => {
    await server.database.pool.query(
      `UPDATE devices SET decommissioned_at = '2026-01-02T00:00:00Z'
       WHERE id = 'edge-gateway-prod-001'`,
    );
    expect({
      production: await members('production-fleet'),
      factoryA: await members('factory-a-gpu'),
      canary: await members('canary-pool'),
      critical: await members('critical-devices'),
      jetson: await members('jetson-orin-fleet'),
    }).toEqual({
      production: {
        count: 4,
        ids: [
          'edge-jetson-prod-001',
          'edge-jetson-prod-002',
          'edge-jetson-prod-003',
          'edge-rpi-prod-001',
        ],
        missing: [],
      },
      factoryA: {
        count: 3,
        ids: [
          'edge-jetson-prod-001',
          'edge-jetson-prod-002',
          'edge-jetson-prod-003',
        ],
        missing: [],
      },
      canary: { count: 1, ids: ['edge-jetson-prod-001'], missing: [] },
      critical: {
        count: 2,
        ids: ['edge-jetson-prod-001', 'edge-jetson-prod-002'],
        missing: ['edge-gateway-prod-001'],
      },
      jetson: {
        count: 3,
        ids: [
          'edge-jetson-prod-001',
          'edge-jetson-prod-002',
          'edge-jetson-prod-003',
        ],
        missing: [],
      },
    });
  });

  it('follows tag changes at once in dynamic groups', async () => {
    await setTags(server.database.pool, 'edge-rpi-dev-001', [
      'gpu-jetson-orin',
    ]);
    const after = await members('jetson-orin-fleet');
    await setTags(server.database.pool, 'edge-rpi-dev-001', ['development']);
    expect(after).toEqual({
      count: 4,
      ids: [
        'edge-jetson-prod-001',
        'edge-jetson-prod-002',
        'edge-jetson-prod-003',
        'edge-rpi-dev-001',
      ],
      missing: [],
    });
  });

  it('pages members by cursor', async () => {
    const page = await server.request<{
      group: {
        members: {
          edges: Array<{ node: { id: string } }>;
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    }>(
      `query ($after: String) { group(name: "production-fleet") {
         members(first: 3, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`,
    );
    const first = page.data!.group.members;
    const next = await server.request<{
      group: {
        members: {
          edges: Array<{ node: { id: string } }>;
          pageInfo: { hasNextPage: boolean };
        };
      };
    }>(
      `query ($after: String) { group(name: "production-fleet") {
         members(first: 3, after: $after) { edges { node { id } } pageInfo { hasNextPage } } } }`,
      { after: first.pageInfo.endCursor },
    );
    expect([
      first.edges.map((edge) => edge.node.id),
      first.pageInfo.hasNextPage,
      next.data!.group.members.edges.map((edge) => edge.node.id),
      next.data!.group.members.pageInfo.hasNextPage,
    ]).toEqual([
      ['edge-jetson-prod-001', 'edge-jetson-prod-002', 'edge-jetson-prod-003'],
      true,
      ['edge-rpi-prod-001'],
      false,
    ]);
  });

  it('adds and removes static members', async () => {
    await server.request(
      'mutation { addGroupMembers(name: "critical-devices", deviceIds: ["edge-rpi-prod-001"]) { name } }',
    );
    const added = await members('critical-devices');
    await server.request(
      'mutation { removeGroupMembers(name: "critical-devices", deviceIds: ["edge-rpi-prod-001"]) { name } }',
    );
    expect([added, await members('critical-devices')]).toEqual([
      {
        count: 3,
        ids: [
          'edge-jetson-prod-001',
          'edge-jetson-prod-002',
          'edge-rpi-prod-001',
        ],
        missing: ['edge-gateway-prod-001'],
      },
      {
        count: 2,
        ids: ['edge-jetson-prod-001', 'edge-jetson-prod-002'],
        missing: ['edge-gateway-prod-001'],
      },
    ]);
  });

  it('refuses unknown device ids as static members, naming them, and adds none', async () => {
    const result = await server.request(
      'mutation { addGroupMembers(name: "critical-devices", deviceIds: ["edge-rpi-prod-001", "edge-ghost-002", "edge-ghost-001"]) { name } }',
    );
    expect([
      result.errors?.map((error) => [error.message, error.extensions]),
      await members('critical-devices'),
    ]).toEqual([
      [
        [
          'Devices "edge-ghost-001", "edge-ghost-002" do not exist',
          {
            code: 'NOT_FOUND',
            kind: 'Device',
            id: 'edge-ghost-001',
            ids: ['edge-ghost-001', 'edge-ghost-002'],
          },
        ],
      ],
      {
        count: 2,
        ids: ['edge-jetson-prod-001', 'edge-jetson-prod-002'],
        missing: ['edge-gateway-prod-001'],
      },
    ]);
  });

  it('refuses to create a static group listing an unknown device, creating nothing', async () => {
    const result = await server.request(CREATE, {
      input: {
        name: 'typo-group',
        membership: 'STATIC',
        devices: ['edge-rpi-prod-001', 'edge-typo-001'],
      },
    });
    expect([
      result.errors?.map((error) => [error.message, error.extensions]),
      await members('typo-group'),
    ]).toEqual([
      [
        [
          'Device "edge-typo-001" does not exist',
          {
            code: 'NOT_FOUND',
            kind: 'Device',
            id: 'edge-typo-001',
            ids: ['edge-typo-001'],
          },
        ],
      ],
      { status: 200, data: { group: null } },
    ]);
  });

  it('refuses a decommissioned device as a static member', async () => {
    const result = await server.request(
      'mutation { addGroupMembers(name: "critical-devices", deviceIds: ["edge-jetson-prod-099"]) { name } }',
    );
    expect(result.errors?.[0]?.extensions).toEqual({
      code: 'DEVICE_DECOMMISSIONED',
      ids: ['edge-jetson-prod-099'],
    });
  });

  it('refuses member lists for dynamic groups', async () => {
    const result = await server.request(
      'mutation { addGroupMembers(name: "canary-pool", deviceIds: ["edge-rpi-prod-001"]) { name } }',
    );
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses an empty dynamic query and an invalid one with its position', async () => {
    const blank = await server.request(CREATE, {
      input: { name: 'everything', membership: 'DYNAMIC', query: '   ' },
    });
    const missing = await server.request(CREATE, {
      input: { name: 'everything', membership: 'DYNAMIC' },
    });
    const unknownState = await server.request(CREATE, {
      input: {
        name: 'bad-state',
        membership: 'DYNAMIC',
        query: 'tag:production AND status:healthyy',
      },
    });
    const unknownGroup = await server.request(CREATE, {
      input: { name: 'bad-group', membership: 'DYNAMIC', query: 'group:nope' },
    });
    const saved = await server.request<{ groups: Array<{ name: string }> }>(
      '{ groups { name } }',
    );
    expect({
      blank: codes(blank),
      missing: codes(missing),
      state: [
        codes(unknownState),
        unknownState.errors?.[0]?.extensions?.position,
      ],
      group: [
        codes(unknownGroup),
        unknownGroup.errors?.[0]?.extensions?.position,
      ],
      names: saved.data!.groups.map((group) => group.name),
    }).toEqual({
      blank: ['QUERY_SYNTAX_ERROR'],
      missing: ['QUERY_SYNTAX_ERROR'],
      state: [
        ['QUERY_VALIDATION_ERROR'],
        { offset: 26, line: 1, column: 27, length: 8 },
      ],
      group: [
        ['QUERY_VALIDATION_ERROR'],
        { offset: 6, line: 1, column: 7, length: 4 },
      ],
      names: [
        'canary-pool',
        'critical-devices',
        'factory-a-gpu',
        'jetson-orin-fleet',
        'production-fleet',
      ],
    });
  });

  it('refuses a group reference cycle at save time', async () => {
    await server.request(CREATE, {
      input: { name: 'loop-a', membership: 'DYNAMIC', query: 'tag:production' },
    });
    await server.request(CREATE, {
      input: {
        name: 'loop-b',
        membership: 'DYNAMIC',
        query: 'group:loop-a AND tag:gpu-capable',
      },
    });
    const cycle = await server.request(
      'mutation { updateGroup(name: "loop-a", input: { query: "group:loop-b" }) { query } }',
    );
    const self = await server.request(
      'mutation { updateGroup(name: "loop-a", input: { query: "tag:x OR group:loop-a" }) { query } }',
    );
    const kept = await server.request('{ group(name: "loop-a") { query } }');
    expect({
      cycle: [codes(cycle), cycle.errors?.[0]?.extensions?.position],
      self: [codes(self), self.errors?.[0]?.extensions?.position],
      kept: kept.data,
    }).toEqual({
      cycle: [
        ['QUERY_VALIDATION_ERROR'],
        { offset: 6, line: 1, column: 7, length: 6 },
      ],
      self: [
        ['QUERY_VALIDATION_ERROR'],
        { offset: 15, line: 1, column: 16, length: 6 },
      ],
      kept: { group: { query: 'tag:production' } },
    });
  });

  it('resolves a dynamic group that refers to another group', async () => {
    expect(await members('loop-b')).toEqual({
      count: 3,
      ids: [
        'edge-jetson-prod-001',
        'edge-jetson-prod-002',
        'edge-jetson-prod-003',
      ],
      missing: [],
    });
  });

  it('refuses to delete a group another group refers to, and deletes it otherwise', async () => {
    const refused = await server.request(
      'mutation { deleteGroup(name: "loop-a") { name } }',
    );
    const deletedB = await server.request(
      'mutation { deleteGroup(name: "loop-b") { name } }',
    );
    const deletedA = await server.request(
      'mutation { deleteGroup(name: "loop-a") { name } }',
    );
    const gone = await server.request('{ group(name: "loop-a") { name } }');
    expect([
      refused.errors?.[0]?.extensions,
      deletedB.data,
      deletedA.data,
      gone.data,
    ]).toEqual([
      { code: 'CONFLICT', referencedBy: ['loop-b'] },
      { deleteGroup: { name: 'loop-b' } },
      { deleteGroup: { name: 'loop-a' } },
      { group: null },
    ]);
  });

  it('previews a query against the saved group before saving', async () => {
    const result = await server.request(
      `{ previewGroup(query: "tag:canary-eligible AND tag:production", name: "canary-pool") {
           count sample { id } joining leaving comparedWith } }`,
    );
    expect(result.data).toEqual({
      previewGroup: {
        count: 2,
        sample: [
          { id: 'edge-jetson-prod-001' },
          { id: 'edge-jetson-prod-003' },
        ],
        joining: ['edge-jetson-prod-003'],
        leaving: [],
        comparedWith: 'canary-pool',
      },
    });
  });

  it('previews a narrower query as devices leaving, and a new name as all joining', async () => {
    const narrower = await server.request(
      `{ previewGroup(query: "tag:production AND status:degraded", name: "production-fleet") {
           count joining leaving } }`,
    );
    const fresh = await server.request(
      '{ previewGroup(query: "tag:development") { count joining leaving comparedWith } }',
    );
    expect([narrower.data, fresh.data]).toEqual([
      {
        previewGroup: {
          count: 1,
          joining: [],
          leaving: [
            'edge-jetson-prod-001',
            'edge-jetson-prod-003',
            'edge-rpi-prod-001',
          ],
        },
      },
      {
        previewGroup: {
          count: 1,
          joining: ['edge-rpi-dev-001'],
          leaving: [],
          comparedWith: null,
        },
      },
    ]);
  });

  it('refuses a duplicate name, a bad name and oversized input, writing nothing', async () => {
    const duplicate = await server.request(CREATE, {
      input: { name: 'canary-pool', membership: 'DYNAMIC', query: 'tag:x' },
    });
    const badName = await server.request(CREATE, {
      input: { name: 'Bad Name', membership: 'STATIC' },
    });
    const huge = await server.request(CREATE, {
      input: {
        name: 'huge',
        membership: 'STATIC',
        devices: Array.from({ length: 1001 }, (_, i) => `d-${i}`),
      },
    });
    const longText = await server.request(CREATE, {
      input: {
        name: 'long',
        membership: 'STATIC',
        description: 'x'.repeat(2001),
      },
    });
    const count = await server.database.pool.query(
      'SELECT count(*)::int AS n FROM groups',
    );
    expect([
      codes(duplicate),
      codes(badName),
      codes(huge),
      codes(longText),
      count.rows[0].n,
    ]).toEqual([
      ['CONFLICT'],
      ['BAD_USER_INPUT'],
      ['BAD_USER_INPUT'],
      ['BAD_USER_INPUT'],
      5,
    ]);
  });

  it('updates a description and deploy policy, keeping fields left out', async () => {
    const result = await server.request(
      `mutation { updateGroup(name: "critical-devices", input: { description: "Critical" }) {
           description deployPolicy membership } }`,
    );
    expect(result.data).toEqual({
      updateGroup: {
        description: 'Critical',
        deployPolicy: 'canary-only-first-wave',
        membership: 'STATIC',
      },
    });
  });

  it('exposes membership lookups to other services', async () => {
    const { groups } = server.server.services;
    expect({
      members: await groups.resolveMembers('canary-pool'),
      of: await groups.groupsOf('edge-jetson-prod-001'),
      isMember: await groups.isMember('canary-pool', 'edge-jetson-prod-002'),
    }).toEqual({
      members: ['edge-jetson-prod-001'],
      of: [
        'canary-pool',
        'critical-devices',
        'factory-a-gpu',
        'jetson-orin-fleet',
        'production-fleet',
      ],
      isMember: false,
    });
  });
});
