import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  registerAtTagLimit,
  tagFullHouse,
} from './support/tagLimitFixtures.ts';

const AT = '2026-03-01T09:30:00.000Z';
const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };

describe('decommissionDevice at the 128-tag limit', () => {
  let server: TestServer;
  let directory: string;

  const tag = (names: string[]) => tagFullHouse(server, names);
  const tagCount = async () => {
    const { rows } = await server.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM device_tags
       WHERE device_id = 'full-house'`,
    );
    return rows[0]!.n;
  };

  beforeAll(async () => {
    server = await startTestServer();
    server.clock.set(AT);
    directory = mkdtempSync(join(tmpdir(), 'rollcall-decommission-'));
    await registerAtTagLimit(server);
  });
  afterAll(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses an operator tag past 128', async () => {
    const result = await tag(['one-too-many']);

    expect([
      result.errors?.map((error) => [error.extensions?.code, error.message]),
      await tagCount(),
    ]).toEqual([
      [
        [
          'BAD_USER_INPUT',
          'Device "full-house" would hold 129 tags; the limit is 128',
        ],
      ],
      128,
    ]);
  });

  it('still decommissions the device, keeping its 128 tags and adding decommissioned as the 129th', async () => {
    const result = await server.request<{
      decommissionDevice: {
        device: {
          status: { state: string };
          tags: Array<{ key: string; value: string }>;
        };
      };
    }>(
      `mutation { decommissionDevice(id: "full-house") {
        device { status { state } tags { key value } } } }`,
    );
    const { device } = result.data!.decommissionDevice;

    expect([
      result.errors,
      device.status.state,
      device.tags.length,
      device.tags.filter((t) => t.key === 'decommissioned'),
    ]).toEqual([
      undefined,
      'DECOMMISSIONED',
      129,
      [{ key: 'decommissioned', value: '20260301t093000z' }],
    ]);
  });

  it('exports the decommissioned device in a form that imports unchanged', async () => {
    await exportRegistry(server.database.pool, directory);

    const summary = await importRegistry(server.database.pool, {
      directory,
      now: new Date(AT),
      timing: TIMING,
    });

    expect([summary.devices, summary.failures, await tagCount()]).toEqual([
      { created: 0, updated: 0, unchanged: 1 },
      [],
      129,
    ]);
  });
});
