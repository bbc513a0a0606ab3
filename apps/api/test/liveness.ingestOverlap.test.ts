import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/loadConfig.ts';
import type { EventBus } from '../src/events/eventBus.ts';
import { heartbeatSettings } from '../src/liveness/applyHeartbeat.ts';
import { createIngestWriter } from '../src/liveness/ingestWriter.ts';
import {
  createTestDatabase,
  testLogger,
  type TestDatabase,
} from '../src/testing/index.ts';
import { insertDevices } from './support/deviceFixtures.ts';
import { operatorHeartbeat } from './support/heartbeatEntries.ts';

const IDS = Array.from({ length: 9 }, (_, i) => `ov-${i + 1}`);

const entry = (deviceId: string) => operatorHeartbeat(deviceId, new Date());

// Events are not this test's subject: the writer gets them back unchanged.
const events = {
  publish: async (_client: unknown, published: unknown[]) => published,
} as unknown as EventBus;

describe('the heartbeat ingest writer', () => {
  let database: TestDatabase;
  let holder: pg.PoolClient | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    await insertDevices(
      database.pool,
      IDS.map((id) => ({ id })),
    );
  });
  afterAll(async () => {
    // Ends the lock even when an expectation failed before its release.
    await holder?.query('ROLLBACK').catch(() => undefined);
    holder?.release();
    await database.close();
  });

  it('holds a small backlog for the next batch while one commits, and overlaps a large one', async () => {
    const batches: string[][] = [];
    const writer = createIngestWriter({
      pool: database.pool,
      events,
      logger: testLogger(),
      settings: heartbeatSettings(loadConfig({})),
      webhookUrls: [],
      overlapAt: 5,
      observers: () => [
        {
          name: 'batches',
          afterHeartbeats: async (applied) => {
            batches.push(applied.map((a) => a.deviceId));
          },
        },
      ],
    });
    // The first batch waits on a row lock that this test holds.
    holder = await database.pool.connect();
    await holder.query('BEGIN');
    await holder.query(
      `SELECT 1 FROM device_status WHERE device_id = 'ov-1' FOR UPDATE`,
    );
    const first = writer.submit([entry('ov-1')]);
    await until(() => locksWaiting(database.pool), 1);

    // Four waiting: fewer than overlapAt, so they wait for the next batch.
    const small = IDS.slice(1, 5).map((id) => writer.submit([entry(id)]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([]);

    // Four more make eight waiting: a batch starts beside the blocked one.
    const large = IDS.slice(5).map((id) => writer.submit([entry(id)]));
    await Promise.all([...small, ...large]);
    expect(batches).toEqual([IDS.slice(1)]);

    await holder.query('COMMIT');
    await first;
    expect(batches).toEqual([IDS.slice(1), ['ov-1']]);
    await writer.stop();
  });
});

async function locksWaiting(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE wait_event_type = 'Lock' AND datname = current_database()`,
  );
  return rows[0]!.n;
}

/** Polls the database (no timers) until `read` gives `expected`. */
async function until(
  read: () => Promise<number>,
  expected: number,
): Promise<void> {
  while ((await read()) !== expected) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
