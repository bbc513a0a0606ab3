import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import {
  importRegistry,
  type ImportSummary,
} from '../src/importExport/importRegistry.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

const DEMO_FLEET = join(import.meta.dirname, '..', 'demo-fleet');
const NOW = new Date('2025-01-16T16:00:00Z');
const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };

let database: TestDatabase;
const temporary: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-registry-'));
  temporary.push(dir);
  return dir;
}

function load(
  directory: string,
  options: { continueOnError?: boolean; dryRun?: boolean } = {},
) {
  return importRegistry(database.pool, {
    directory,
    now: NOW,
    timing: TIMING,
    ...options,
  });
}

function counts(summary: ImportSummary) {
  return {
    devices: summary.devices,
    groups: summary.groups,
    deployments: summary.deployments,
    catchUpEntries: summary.catchUpEntries,
    failures: summary.failures.map((failure) => failure.toJSON()),
  };
}

/** Every file of a registry directory, parsed, by relative path. */
function parsedTree(directory: string): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const folder of ['devices', 'groups', 'deployments']) {
    for (const name of readdirSync(join(directory, folder)).sort()) {
      tree[`${folder}/${name}`] = parse(
        readFileSync(join(directory, folder, name), 'utf8'),
      );
    }
  }
  tree['catch-up-queue.yaml'] = parse(
    readFileSync(join(directory, 'catch-up-queue.yaml'), 'utf8'),
  );
  return tree;
}

const all = (n: number) => ({ created: 0, updated: 0, unchanged: n });

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('importRegistry with the demo fleet', () => {
  it('imports the demo fleet into a fresh database with exact counts', async () => {
    const summary = await load(DEMO_FLEET);

    expect(counts(summary)).toEqual({
      devices: { created: 300, updated: 0, unchanged: 0 },
      groups: { created: 9, updated: 0, unchanged: 0 },
      deployments: { created: 1, updated: 0, unchanged: 0 },
      catchUpEntries: { created: 4, updated: 0, unchanged: 0 },
      failures: [],
    });
    const { rows } = await database.pool.query(
      `SELECT (SELECT count(*) FROM devices)::int AS devices,
              (SELECT count(*) FROM device_status WHERE state = 'offline')::int AS offline,
              (SELECT count(*) FROM group_members)::int AS members,
              (SELECT count(*) FROM deployment_waves)::int AS waves,
              (SELECT count(*) FROM state_transitions)::int AS transitions`,
    );
    expect(rows[0]).toEqual({
      devices: 300,
      offline: 12,
      members: 9,
      waves: 3,
      transitions: 300,
    });
  });

  it('changes nothing when the same files are imported again', async () => {
    const summary = await load(DEMO_FLEET);

    expect(counts(summary)).toEqual({
      devices: all(300),
      groups: all(9),
      deployments: all(1),
      catchUpEntries: all(4),
      failures: [],
    });
  });

  it('exports exactly the data of the imported files', async () => {
    const out = tempDir();
    const summary = await exportRegistry(database.pool, out);

    expect(summary).toEqual({
      devices: 300,
      groups: 9,
      deployments: 1,
      catchUpEntries: 4,
      written: 311,
      removed: 0,
    });
    expect(parsedTree(out)).toEqual(parsedTree(DEMO_FLEET));
  });

  it('writes byte-identical files, so a registry in git shows no diff', async () => {
    const out = tempDir();
    await exportRegistry(database.pool, out);

    const sample = 'devices/edge-jetson-prod-042.yaml';
    expect(readFileSync(join(out, sample), 'utf8')).toBe(
      readFileSync(join(DEMO_FLEET, sample), 'utf8'),
    );
    expect(await exportRegistry(database.pool, out)).toMatchObject({
      written: 0,
      removed: 0,
    });
  });

  it('imports its own export as a no-op', async () => {
    const out = tempDir();
    await exportRegistry(database.pool, out);

    expect(counts(await load(out))).toEqual({
      devices: all(300),
      groups: all(9),
      deployments: all(1),
      catchUpEntries: all(4),
      failures: [],
    });
  });

  it('reports an edited record as updated and writes only that one', async () => {
    const dir = tempDir();
    cpSync(DEMO_FLEET, dir, { recursive: true });
    const file = join(dir, 'devices', 'edge-jetson-prod-042.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Slot 3', 'Slot 4'));

    const summary = await load(dir, { dryRun: true });
    expect([summary.devices, summary.changed.devices, summary.dryRun]).toEqual([
      { created: 0, updated: 1, unchanged: 299 },
      ['edge-jetson-prod-042'],
      true,
    ]);
    expect((await load(dir)).devices).toEqual({
      created: 0,
      updated: 1,
      unchanged: 299,
    });
    const { rows } = await database.pool.query(
      `SELECT physical_location FROM devices WHERE id = 'edge-jetson-prod-042'`,
    );
    expect(rows).toEqual([
      { physical_location: 'Building 4, Floor 2, Rack 7, Slot 4' },
    ]);
  });
});
