import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthService } from '../src/auth/authService.ts';
import { issueDeviceToken } from '../src/auth/deviceTokens.ts';
import { MAX_PAYLOAD_BYTES, toPayloads } from '../src/events/eventWire.ts';
import type { RegistryEvent } from '../src/events/registryEvent.ts';
import { withDeviceTokenCache } from '../src/liveness/deviceTokenCache.ts';
import {
  startTestServer,
  testLogger,
  type TestServer,
} from '../src/testing/index.ts';

// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more, and fails
// the whole transaction that sent it.
const POSTGRES_LIMIT = 8000;

/** `count` distinct UUID-shaped ids. */
const uuids = (count: number) =>
  Array.from(
    { length: count },
    (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  );

/** The size of each payload in bytes and the items they carry. */
function unpack(payloads: string[]) {
  return {
    largest: Math.max(...payloads.map((p) => Buffer.byteLength(p, 'utf8'))),
    items: payloads.flatMap(
      (p) => JSON.parse(p) as Array<{ kind: string; ids?: string[] }>,
    ),
  };
}

/** 64 tags of 128 two-byte letters each: about 33,000 bytes of tags. */
const LONG_TAGS = Array.from({ length: 64 }, (_, i) => ({
  key: `${'é'.repeat(125)}${String(i).padStart(3, '0')}`,
  value: 'ü'.repeat(128),
}));

describe('event payloads', () => {
  it('split revoked credentials over payloads under the limit, every id kept', () => {
    const ids = uuids(400);
    const { largest, items } = unpack(
      toPayloads([
        {
          kind: 'credentialRevoked',
          credential: 'deviceToken',
          ids,
          at: '2026-12-20T09:00:00.000Z',
        },
      ]),
    );

    expect({
      fits: largest <= MAX_PAYLOAD_BYTES,
      kinds: [...new Set(items.map((item) => item.kind))],
      ids: items.flatMap((item) => item.ids ?? []),
    }).toEqual({ fits: true, kinds: ['credentialRevoked'], ids });
  });

  it('count bytes, not characters, for multi-byte heartbeat statuses', () => {
    const status = 'é'.repeat(100);
    const { largest, items } = unpack(
      toPayloads([
        {
          kind: '@heartbeats',
          status,
          at: '2026-12-20T09:00:00.000Z',
          ids: Array.from({ length: 600 }, (_, i) => `edge-rpi-prod-${i}`),
        },
      ]),
    );

    expect({
      fits: largest <= MAX_PAYLOAD_BYTES,
      ids: items.flatMap((item) => item.ids ?? []).length,
    }).toEqual({ fits: true, ids: 600 });
  });

  it('name a recorded event too large on its own by its row', () => {
    const payloads = toPayloads([
      {
        kind: 'deviceChanged',
        deviceId: 'edge-rpi-prod-001',
        change: 'tags',
        tags: LONG_TAGS,
        at: '2026-12-20T09:00:00.000Z',
        version: 42,
      },
    ]);

    expect(payloads).toEqual([
      '[{"kind":"@recorded","kinds":["deviceChanged"],"ranges":[[42,42]]}]',
    ]);
  });

  it('refuse an oversized event that has no row and no id list', () => {
    const huge: RegistryEvent = {
      kind: 'groupChanged',
      group: 'g'.repeat(8000),
      at: '2026-12-20T09:00:00.000Z',
    };

    expect(() => toPayloads([huge])).toThrow(
      'A groupChanged event of 8066 bytes exceeds the 7000-byte NOTIFY payload and cannot be split',
    );
  });
});

describe('announcing a large change through PostgreSQL', () => {
  let server: TestServer;
  const revoked: string[] = [];
  const tagged: RegistryEvent[] = [];

  const services = () => server.server.services;

  beforeAll(async () => {
    server = await startTestServer();
    services().events.subscribe(['credentialRevoked'], (event) => {
      if (event.kind === 'credentialRevoked') revoked.push(...event.ids);
    });
    services().events.subscribe(['deviceChanged'], (event) => {
      if (event.kind === 'deviceChanged' && event.change === 'tags') {
        tagged.push(event);
      }
    });
    const registered = await server.request(
      `mutation { registerDevice(input: {
         id: "many-tokens", hostname: "many-tokens.local",
         environment: "production", hardware: { type: "raspberry-pi-4" }
       }) { device { id } } }`,
    );
    expect(registered.errors).toBeUndefined();
  });
  afterAll(() => server.close());

  it('revokes 300 device tokens at decommission and drops each from the token cache', async () => {
    const { pool } = server.database;
    const tokens: string[] = [];
    for (let i = 0; i < 299; i += 1) {
      tokens.push(
        (await issueDeviceToken(pool, 'many-tokens', new Date())).token,
      );
    }
    // An hour-long cache: only the revocations can empty it in this test.
    const cached = withDeviceTokenCache(createAuthService(pool, testLogger()), {
      ttlMs: 3_600_000,
      revocations: services().events,
    });
    for (const token of tokens) await cached.authenticate(token);

    const result = await server.request<{
      decommissionDevice: { revokedTokens: number };
    }>('mutation { decommissionDevice(id: "many-tokens") { revokedTokens } }');
    await vi.waitFor(() => expect(revoked).toHaveLength(300));
    const stillAccepted = [];
    for (const token of tokens) {
      const principal = await cached.authenticate(token).catch(() => null);
      if (principal) stillAccepted.push(token);
    }

    const { rows } = await pool.query<{ id: string }>(
      `SELECT id::text FROM device_tokens WHERE device_id = 'many-tokens'
       ORDER BY id`,
    );
    expect({
      errors: result.errors,
      revokedTokens: result.data?.decommissionDevice.revokedTokens,
      announced: [...revoked].sort(),
      stillAccepted,
    }).toEqual({
      errors: undefined,
      revokedTokens: 300,
      announced: rows.map((row) => row.id),
      stillAccepted: [],
    });
    expect(Buffer.byteLength(JSON.stringify(revoked))).toBeGreaterThan(
      POSTGRES_LIMIT,
    );
  });

  it('announces a tagging of 64 long tags whole', async () => {
    await server.request(
      `mutation { registerDevice(input: {
         id: "long-tags", hostname: "long-tags.local",
         environment: "production", hardware: { type: "raspberry-pi-4" }
       }) { device { id } } }`,
    );

    const result = await server.request(
      `mutation ($tags: [TagInput!]!) {
         tagDevices(ids: ["long-tags"], tags: $tags) { __typename }
       }`,
      { tags: LONG_TAGS },
    );
    await vi.waitFor(() => expect(tagged).toHaveLength(1));

    expect({
      errors: result.errors,
      deviceId: 'deviceId' in tagged[0]! && tagged[0].deviceId,
      tags: 'tags' in tagged[0]! && tagged[0].tags,
    }).toEqual({
      errors: undefined,
      deviceId: 'long-tags',
      tags: LONG_TAGS,
    });
  });
});
