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
  tagNames,
} from './support/tagLimitFixtures.ts';
import { capturedLogger } from './support/capturedLog.ts';
import {
  insertLivenessDevices,
  sendHeartbeat,
} from './support/livenessFixtures.ts';

const AT = '2026-03-01T09:30:00.000Z';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };

/** Exports the registry and imports it again: the import's summary. */
async function exportThenImport(server: TestServer, directory: string) {
  await exportRegistry(server.database.pool, directory);
  const summary = await importRegistry(server.database.pool, {
    directory,
    now: server.clock.now(),
    timing: TIMING,
  });
  return [summary.devices, summary.failures];
}

async function tagKeys(server: TestServer, id: string): Promise<string[]> {
  const { rows } = await server.database.pool.query<{ key: string }>(
    'SELECT key FROM device_tags WHERE device_id = $1 ORDER BY key',
    [id],
  );
  return rows.map((row) => row.key);
}

describe('offline-extended on a device at the 128-tag limit', () => {
  let server: TestServer;
  let directory: string;

  const tag = (names: string[]) => tagFullHouse(server, names);
  const sweep = () => server.server.services.liveness.sweeper.runOnce();

  beforeAll(async () => {
    server = await startTestServer();
    server.clock.set(AT);
    directory = mkdtempSync(join(tmpdir(), 'rollcall-status-tags-'));
    await registerAtTagLimit(server);
    await server.request(
      'mutation { activateDevice(id: "full-house") { id } }',
    );
  });
  afterAll(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('tags the device offline-extended after 30 days offline, as its 129th tag', async () => {
    server.clock.advance(4 * MINUTE);
    await sweep();
    server.clock.advance(30 * DAY);
    await sweep();

    const keys = await tagKeys(server, 'full-house');
    expect([keys.length, keys.filter((key) => key.startsWith('off'))]).toEqual([
      129,
      ['offline-extended'],
    ]);
  });

  it('refuses an operator tag past 128 besides offline-extended', async () => {
    const result = await tag(['one-too-many']);

    expect([
      result.errors?.map((error) => [error.extensions?.code, error.message]),
      (await tagKeys(server, 'full-house')).length,
    ]).toEqual([
      [
        [
          'BAD_USER_INPUT',
          'Device "full-house" would hold 130 tags; ' +
            'the limit is 128 besides its offline-extended tag',
        ],
      ],
      129,
    ]);
  });

  it('exports the device in a form that imports unchanged', async () => {
    expect(await exportThenImport(server, directory)).toEqual([
      { created: 0, updated: 0, unchanged: 1 },
      [],
    ]);
  });
});

describe('registry sync on a device at the 128-tag limit', () => {
  let server: TestServer;
  let directory: string;
  const log = capturedLogger('info');

  const warnings = () =>
    log.lines
      .map(
        (line) =>
          JSON.parse(line) as { level: number; msg: string; deviceId?: string },
      )
      .filter((entry) => entry.level === 40)
      .map((entry) => [entry.msg, entry.deviceId]);

  beforeAll(async () => {
    server = await startTestServer({ logger: log.logger });
    server.clock.set(AT);
    directory = mkdtempSync(join(tmpdir(), 'rollcall-status-tags-sync-'));
    await insertLivenessDevices(
      server.database.pool,
      [
        {
          id: 'sync-full',
          tags: tagNames(1, 128).map((key): [string, string] => [key, '']),
        },
      ],
      server.clock.now(),
    );
  });
  afterAll(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('leaves the record as it was when the new capability tags would pass the limit, and reports the difference', async () => {
    server.clock.advance(MINUTE);
    const beat = await sendHeartbeat(server, {
      deviceId: 'sync-full',
      sequence: 1,
      hardware: { cameras: ['usb'] },
    });
    server.clock.advance(MINUTE);
    log.lines.length = 0;

    const result = await server.request<{
      runRegistrySync: { discrepancies: unknown[] };
    }>(
      `mutation { runRegistrySync {
        discrepancies { deviceId field registryValue reportedValue } } }`,
    );
    const { rows } = await server.database.pool.query(
      `SELECT cameras FROM devices WHERE id = 'sync-full'`,
    );

    expect([
      beat.errors,
      result.errors,
      result.data?.runRegistrySync.discrepancies,
      rows,
      (await tagKeys(server, 'sync-full')).length,
      warnings(),
    ]).toEqual([
      undefined,
      undefined,
      [
        {
          deviceId: 'sync-full',
          field: 'hardware.cameras',
          registryValue: [],
          reportedValue: ['usb'],
        },
      ],
      [{ cameras: [] }],
      128,
      [
        [
          'registry sync left a device record as it was: its new ' +
            'capability tags would pass the tag limit',
          'sync-full',
        ],
      ],
    ]);
  });

  it('exports the device in a form that imports unchanged', async () => {
    expect(await exportThenImport(server, directory)).toEqual([
      { created: 0, updated: 0, unchanged: 1 },
      [],
    ]);
  });
});
