import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';

describe('device fields loaded per page', () => {
  let server: TestServer;

  /** Runs `work` and returns the first words of each statement it sent. */
  async function countQueries(work: () => Promise<unknown>): Promise<string[]> {
    const pool = server.server.db.pool;
    const original = pool.query.bind(pool);
    const seen: string[] = [];
    pool.query = ((text: unknown, ...rest: unknown[]) => {
      seen.push(
        String(
          typeof text === 'string' ? text : (text as { text: string }).text,
        )
          .trim()
          .split(/\s+/)
          .slice(0, 3)
          .join(' '),
      );
      return (original as (...args: unknown[]) => unknown)(text, ...rest);
    }) as typeof pool.query;
    try {
      await work();
    } finally {
      pool.query = original;
    }
    return seen;
  }

  beforeAll(async () => {
    server = await startTestServer();
    await insertDevices(
      server.database.pool,
      Array.from({ length: 60 }, (_, i) => ({
        id: `edge-load-${String(i).padStart(3, '0')}`,
        tags: i % 2 === 0 ? ['production', 'gpu-capable'] : ['staging'],
      })),
    );
    await server.database.pool.query(
      `INSERT INTO groups (id, name, membership, query) VALUES
         ('00000000-0000-0000-0000-000000000001', 'critical-devices', 'static', NULL),
         (gen_random_uuid(), 'production-fleet', 'dynamic', 'tag:production AND NOT tag:decommissioned'),
         (gen_random_uuid(), 'gpu-capable', 'dynamic', 'tag:gpu-capable AND group:production-fleet');
       INSERT INTO group_members (group_id, device_id)
       VALUES ('00000000-0000-0000-0000-000000000001', 'edge-load-001'),
              ('00000000-0000-0000-0000-000000000001', 'edge-gone-999')`,
    );
    // Warm the taxonomy seed so that it is not counted below.
    await server.request('{ tags { name } }');
  });
  afterAll(() => server.close());

  it('resolves tags and groups of a 50-device page in a fixed number of statements', async () => {
    let names: string[] = [];
    const statements = await countQueries(async () => {
      const result = await server.request<{
        devices: {
          edges: Array<{
            node: { id: string; tags: unknown[]; groups: string[] };
          }>;
        };
      }>(
        '{ devices(first: 50) { edges { node { id tags { key } tagMap groups } } } }',
      );
      names = result
        .data!.devices.edges.slice(0, 3)
        .flatMap((e) => [e.node.id, ...e.node.groups]);
    });
    expect(names).toEqual([
      'edge-load-000',
      'gpu-capable',
      'production-fleet',
      'edge-load-001',
      'critical-devices',
      'edge-load-002',
      'gpu-capable',
      'production-fleet',
    ]);
    // Authentication, page, tags, static groups, dynamic group list,
    // group resolver, dynamic membership: none of them per device, and no
    // count, since totalCount is not selected.
    expect(statements.sort()).toEqual([
      'SELECT $2::text AS',
      "SELECT 'operator' AS",
      'SELECT d.id, d.hostname,',
      'SELECT gm.device_id, g.name',
      'SELECT name, membership,',
      'SELECT name, query',
      'SELECT t.device_id, t.key,',
    ]);
  });

  it('answers device(id) with its groups, and null for an unknown id', async () => {
    const result = await server.request(
      `{ one: device(id: "edge-load-001") { id groups tags { key value category } }
         none: device(id: "edge-nope") { id } }`,
    );
    expect(result.data).toEqual({
      one: {
        id: 'edge-load-001',
        groups: ['critical-devices'],
        tags: [{ key: 'staging', value: '', category: 'environment' }],
      },
      none: null,
    });
  });
});
