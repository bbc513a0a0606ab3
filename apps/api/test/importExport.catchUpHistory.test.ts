import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

const DEMO_FLEET = join(import.meta.dirname, '..', 'demo-fleet');
const NOW = new Date('2025-01-16T16:00:00Z');
const DEVICE = 'edge-rpi-prod-007';
const DEPLOYMENT = 'deploy-20250116-001';

const temporary: string[] = [];
const databases: TestDatabase[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-catch-up-history-'));
  temporary.push(dir);
  return dir;
}

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  return database;
}

function load(database: TestDatabase, directory: string) {
  return importRegistry(database.pool, {
    directory,
    now: NOW,
    timing: { intervalSeconds: 60, timeoutSeconds: 180 },
  });
}

/** The device's entries for the deployment, oldest queued first. */
async function entriesOf(database: TestDatabase) {
  const { rows } = await database.pool.query(
    `SELECT queued_at, status, attempts, last_attempt_at, closed_at,
            close_reason
     FROM catch_up_queue WHERE device_id = $1 AND deployment_id = $2
     ORDER BY queued_at`,
    [DEVICE, DEPLOYMENT],
  );
  return rows;
}

/** The queue file's entries of the device. */
function fileEntriesOf(directory: string): unknown[] {
  const root = parse(
    readFileSync(join(directory, 'catch-up-queue.yaml'), 'utf8'),
  ) as { catch_up_queue: Array<{ device_id: string }> };
  return root.catch_up_queue.filter((entry) => entry.device_id === DEVICE);
}

const HISTORY = [
  {
    queued_at: new Date('2025-01-16T14:30:00Z'),
    status: 'skipped',
    attempts: 1,
    last_attempt_at: new Date('2025-01-16T15:00:00Z'),
    closed_at: new Date('2025-01-16T15:10:00Z'),
    close_reason: 'skipped by an operator',
  },
  {
    queued_at: new Date('2025-01-16T15:30:00Z'),
    status: 'pending',
    attempts: 0,
    last_attempt_at: null,
    closed_at: null,
    close_reason: null,
  },
];

describe('exporting and importing the catch-up history', () => {
  let source: TestDatabase;
  let exported: string;

  beforeAll(async () => {
    source = await freshDatabase();
    await load(source, DEMO_FLEET);
    // The demo entry was skipped, and the device queued again.
    await source.pool.query(
      `UPDATE catch_up_queue SET status = 'skipped',
         closed_at = '2025-01-16T15:10:00Z',
         close_reason = 'skipped by an operator'
       WHERE device_id = $1 AND deployment_id = $2`,
      [DEVICE, DEPLOYMENT],
    );
    await source.pool.query(
      `INSERT INTO catch_up_queue (id, device_id, target_version,
         deployment_id, queued_at, reason, status)
       VALUES (gen_random_uuid(), $1, '2.3.1', $2, '2025-01-16T15:30:00Z',
               'device offline during deployment', 'pending')`,
      [DEVICE, DEPLOYMENT],
    );
    exported = tempDir();
    await exportRegistry(source.pool, exported);
  });

  afterAll(async () => {
    for (const database of databases) await database.close();
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  });

  it('writes every entry of a device and deployment, closed ones included', () => {
    expect(fileEntriesOf(exported)).toEqual([
      {
        device_id: DEVICE,
        target_version: '2.3.1',
        deployment_id: DEPLOYMENT,
        queued_at: '2025-01-16T14:30:00Z',
        reason: 'device offline during deployment',
        attempts: 1,
        max_attempts: 3,
        priority: 'normal',
        last_attempt: '2025-01-16T15:00:00Z',
        last_failure: 'device still offline',
        status: 'skipped',
        closed_at: '2025-01-16T15:10:00Z',
        close_reason: 'skipped by an operator',
      },
      {
        device_id: DEVICE,
        target_version: '2.3.1',
        deployment_id: DEPLOYMENT,
        queued_at: '2025-01-16T15:30:00Z',
        reason: 'device offline during deployment',
        attempts: 0,
        max_attempts: 3,
        priority: 'normal',
      },
    ]);
  });

  it('imports the whole history into a fresh registry, then changes nothing on a second import', async () => {
    const target = await freshDatabase();

    const first = await load(target, exported);
    const afterFirst = await entriesOf(target);
    const second = await load(target, exported);

    expect({
      first: first.catchUpEntries,
      second: second.catchUpEntries,
      entries: afterFirst,
      unchanged: await entriesOf(target),
    }).toEqual({
      first: { created: 5, updated: 0, unchanged: 0 },
      second: { created: 0, updated: 0, unchanged: 5 },
      entries: HISTORY,
      unchanged: HISTORY,
    });
  });

  it('exports the re-imported registry to the same queue file', async () => {
    const target = await freshDatabase();
    await load(target, exported);
    const again = tempDir();

    await exportRegistry(target.pool, again);

    expect(readFileSync(join(again, 'catch-up-queue.yaml'), 'utf8')).toBe(
      readFileSync(join(exported, 'catch-up-queue.yaml'), 'utf8'),
    );
  });

  it('keeps the history when an older queue file shows the closed entry open', async () => {
    const summary = await load(source, DEMO_FLEET);

    expect({
      catchUp: summary.catchUpEntries,
      entries: await entriesOf(source),
    }).toEqual({
      catchUp: { created: 0, updated: 0, unchanged: 4 },
      entries: HISTORY,
    });
  });

  it('refuses a file with two open entries of one device and deployment', async () => {
    const directory = tempDir();
    cpSync(exported, directory, { recursive: true });
    const file = join(directory, 'catch-up-queue.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('    status: skipped\n', ''),
    );

    const refused = await load(await freshDatabase(), directory).catch(
      (error: { failures: Array<{ toJSON(): unknown }> }) =>
        error.failures.map((failure) => failure.toJSON()),
    );

    expect(refused).toEqual([
      {
        file: 'catch-up-queue.yaml',
        field: 'catch_up_queue[4]',
        reason: `is a second open entry beside catch_up_queue[3] (device "${DEVICE}", deployment "${DEPLOYMENT}"); a device has one open entry per deployment`,
      },
    ]);
  });
});
