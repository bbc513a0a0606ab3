import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { insertLivenessDevices } from './support/livenessFixtures.ts';

const MINUTE = 60_000;

const PAGE = /* GraphQL */ `
  query ($tier: OfflineTier, $first: Int, $after: String) {
    offlineDevices(tier: $tier, first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          status {
            offlineTier
            offlineSince
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface PageData {
  offlineDevices: {
    totalCount: number;
    edges: {
      node: {
        id: string;
        status: { offlineTier: string | null; offlineSince: string };
      };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('offlineDevices', () => {
  let server: TestServer;
  let now: Date;
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);

  beforeAll(async () => {
    server = await startTestServer();
    now = server.clock.now();
    // Ids in the reverse of their offline order, and two devices silent
    // since the same instant, so that id order alone would be wrong.
    await insertLivenessDevices(
      server.database.pool,
      [
        { id: 'w-a', offlineSince: ago(6), offlineTier: 'warning' },
        { id: 'w-b', offlineSince: ago(9), offlineTier: 'warning' },
        { id: 'w-c', offlineSince: ago(12), offlineTier: 'warning' },
        { id: 'w-d', offlineSince: ago(12), offlineTier: 'warning' },
        { id: 'w-e', offlineSince: ago(14), offlineTier: 'warning' },
        { id: 'a-1', offlineSince: ago(20), offlineTier: 'alert' },
        { id: 'fresh', offlineSince: ago(1) },
      ].map((device) => ({
        ...device,
        state: 'offline',
        lastKnownState: 'healthy',
        dueAt: null,
      })),
      now,
    );
    await insertLivenessDevices(server.database.pool, [{ id: 'online' }], now);
  });
  afterAll(() => server.close());

  const page = (variables: Record<string, unknown>, token?: null) =>
    server.request<PageData>(PAGE, variables, token);

  it('lists a tier oldest first across pages, ties in id order', async () => {
    const seen: string[][] = [];
    let after: string | null = null;
    let hasNextPage = true;
    while (hasNextPage) {
      const result = await page({ tier: 'WARNING', first: 2, after });
      expect(result.errors).toBeUndefined();
      const connection = result.data!.offlineDevices;
      expect(connection.totalCount).toBe(5);
      seen.push(connection.edges.map((edge) => edge.node.id));
      ({ hasNextPage, endCursor: after } = connection.pageInfo);
    }
    expect(seen).toEqual([['w-e', 'w-c'], ['w-d', 'w-b'], ['w-a']]);
  });

  it('returns each device with its tier and offline-since time', async () => {
    const result = await page({ tier: 'ALERT' });
    expect(result.data!.offlineDevices).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            id: 'a-1',
            status: {
              offlineTier: 'ALERT',
              offlineSince: ago(20).toISOString(),
            },
          },
        },
      ],
      pageInfo: {
        hasNextPage: false,
        endCursor: expect.any(String) as string,
      },
    });
  });

  it('lists every offline device, tiered or not, without a tier', async () => {
    const result = await page({});
    expect(
      result.data!.offlineDevices.edges.map((edge) => edge.node.id),
    ).toEqual(['a-1', 'w-e', 'w-c', 'w-d', 'w-b', 'w-a', 'fresh']);
    expect(result.data!.offlineDevices.totalCount).toBe(7);
  });

  it('gives an empty page for a tier without devices', async () => {
    const result = await page({ tier: 'CRITICAL' });
    expect(result.data!.offlineDevices).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('refuses a cursor of another list with BAD_USER_INPUT', async () => {
    const devices = await server.request<{
      devices: { pageInfo: { endCursor: string } };
    }>('{ devices(first: 1) { pageInfo { endCursor } } }');
    const result = await page({
      tier: 'WARNING',
      after: devices.data!.devices.pageInfo.endCursor,
    });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
    const result = await page({ tier: 'WARNING' }, null);
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual([
      'UNAUTHENTICATED',
    ]);
  });
});
