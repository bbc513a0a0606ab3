import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';

describe('Rollcall server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers a GraphQL query against its database', async () => {
    const result = await server.request('{ health { ok database } }');
    expect(result).toEqual({
      status: 200,
      data: { health: { ok: true, database: 'external' } },
    });
  });

  it('refuses an unknown bearer token with UNAUTHENTICATED', async () => {
    const result = await server.request('{ health { ok } }', {}, 'nope');
    expect(result.status).toBe(401);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('refuses a request body over the size limit with PAYLOAD_TOO_LARGE', async () => {
    const huge = 'x'.repeat(2_000_000);
    const result = await server.request(`{ health { ok } } # ${huge}`);
    expect(result.status).toBe(413);
    expect(result.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('blocks a simple cross-site GET request (CSRF prevention)', async () => {
    const response = await fetch(
      `${server.graphqlUrl}?query=${encodeURIComponent('{ health { ok } }')}`,
    );
    expect(response.status).toBe(400);
  });

  it('sends no CORS headers to an origin that is not configured', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
