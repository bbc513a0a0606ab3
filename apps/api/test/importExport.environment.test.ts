import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import {
  importRegistry,
  type ImportSummary,
} from '../src/importExport/importRegistry.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { registerThroughApi } from './support/deviceFixtures.ts';

const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };

const BACKFILL_MIGRATION = join(
  import.meta.dirname,
  '../../../prisma/migrations',
  '20261210000000_environment_key_value_tags/migration.sql',
);

const temporary: string[] = [];
let server: TestServer;

function register(id: string, environment: string): Promise<void> {
  return registerThroughApi(server, id, environment);
}

/** Leaves a device as registerDevice wrote it before bf3f0d8. */
async function dropKeyValueEnvironment(id: string): Promise<void> {
  await server.database.pool.query(
    `DELETE FROM device_tags
     WHERE device_id = $1 AND key IN ('environment', 'role')`,
    [id],
  );
}

async function environments(): Promise<Record<string, string | null>> {
  const { rows } = await server.database.pool.query<{
    id: string;
    environment: string | null;
  }>('SELECT id, environment FROM devices ORDER BY id');
  return Object.fromEntries(rows.map((row) => [row.id, row.environment]));
}

async function exportDirectory(): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), 'rollcall-environment-'));
  temporary.push(directory);
  await exportRegistry(server.database.pool, directory);
  return directory;
}

/** Rewrites one exported device file through `edit`. */
function editDevice(
  directory: string,
  id: string,
  edit: (device: Record<string, Record<string, unknown>>) => void,
): void {
  const file = join(directory, 'devices', `${id}.yaml`);
  const document = parse(readFileSync(file, 'utf8')) as {
    device: Record<string, Record<string, unknown>>;
  };
  edit(document.device);
  writeFileSync(file, stringify(document));
}

async function importDirectory(directory: string, dryRun: boolean) {
  const summary = await importRegistry(server.database.pool, {
    directory,
    now: server.clock.now(),
    timing: TIMING,
    dryRun,
  });
  return reported(summary);
}

function reported(summary: ImportSummary) {
  const { dryRun: _dryRun, failures, ...rest } = summary;
  return { ...rest, failures: failures.map((f) => f.toJSON()) };
}

beforeEach(async () => {
  server = await startTestServer();
  return () => server.close();
});

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('the environment key/value tag backfill', () => {
  it('gives a device registered before the fix environment=<its environment>, once', async () => {
    await register('edge-old', 'production');
    await register('edge-new', 'staging');
    await dropKeyValueEnvironment('edge-old');

    await server.database.pool.query(readFileSync(BACKFILL_MIGRATION, 'utf8'));
    const { rows } = await server.database.pool.query(
      `SELECT t.device_id, t.value,
              rollcall_tag_pair(t.key, t.value) = ANY(d.tag_set) AS in_tag_set
       FROM device_tags t JOIN devices d ON d.id = t.device_id
       WHERE t.key = 'environment' ORDER BY t.device_id`,
    );

    expect(rows).toEqual([
      { device_id: 'edge-new', value: 'staging', in_tag_set: true },
      { device_id: 'edge-old', value: 'production', in_tag_set: true },
    ]);
  });
});

describe('import --dry-run', () => {
  it('reports exactly the changes the import then makes to environments', async () => {
    await register('edge-moved', 'production');
    await register('edge-retagged', 'production');
    await server.database.pool.query(
      `UPDATE device_tags SET value = 'staging'
       WHERE device_id = 'edge-retagged' AND key = 'environment'`,
    );
    const directory = await exportDirectory();
    editDevice(directory, 'edge-moved', (device) => {
      device.tags!.environment = 'staging';
    });

    const preview = await importDirectory(directory, true);
    const imported = await importDirectory(directory, false);

    expect(preview).toEqual({
      devices: { created: 0, updated: 2, unchanged: 0 },
      groups: { created: 0, updated: 0, unchanged: 0 },
      deployments: { created: 0, updated: 0, unchanged: 0 },
      catchUpEntries: { created: 0, updated: 0, unchanged: 0 },
      failures: [],
      changed: {
        devices: ['edge-moved', 'edge-retagged'],
        groups: [],
        deployments: [],
      },
    });
    expect(imported).toEqual(preview);
    expect(await environments()).toEqual({
      'edge-moved': 'staging',
      'edge-retagged': 'staging',
    });
  });
});

describe('export, edit of an unrelated field, import', () => {
  it('keeps the environment of devices registered through the API, before the fix too', async () => {
    await register('edge-api', 'production');
    await register('edge-legacy', 'staging');
    await dropKeyValueEnvironment('edge-legacy');
    await server.database.pool.query(readFileSync(BACKFILL_MIGRATION, 'utf8'));
    const directory = await exportDirectory();
    for (const id of ['edge-api', 'edge-legacy']) {
      editDevice(directory, id, (device) => {
        device.metadata!.notes = 'moved to line 4';
      });
    }

    const imported = await importDirectory(directory, false);

    expect(imported.changed.devices).toEqual(['edge-api', 'edge-legacy']);
    expect(await environments()).toEqual({
      'edge-api': 'production',
      'edge-legacy': 'staging',
    });
  });
});
