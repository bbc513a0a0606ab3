import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveredVersions } from '../src/events/eventReplay.ts';
import type { RegistryEvent } from '../src/events/registryEvent.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

const event = (version: number) =>
  ({
    kind: 'stateChanged',
    deviceId: `dev-${version}`,
    version,
  }) as unknown as RegistryEvent;

describe('delivered versions', () => {
  it('admits each version once and events without a version always', () => {
    const delivered = createDeliveredVersions(3);
    const unversioned = { kind: 'heartbeat' } as unknown as RegistryEvent;

    expect([1, 2, 1, 3, 2].map((v) => delivered.admit(event(v)))).toEqual([
      true,
      true,
      false,
      true,
      false,
    ]);
    expect([
      delivered.admit(unversioned),
      delivered.admit(unversioned),
    ]).toEqual([true, true]);
  });

  describe('on a database', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.close());

    const record = async (count: number): Promise<number[]> => {
      const { rows } = await database.pool.query<{ id: number }>(
        `INSERT INTO device_events (device_id, kind, payload, at)
         SELECT 'dev-' || n, 'stateChanged', '{}', now()
         FROM generate_series(1, $1) AS n
         RETURNING id`,
        [count],
      );
      return rows.map((row) => row.id).sort((a, b) => a - b);
    };

    it('forgets the oldest past its capacity and replays only above it', async () => {
      await record(2);
      const delivered = createDeliveredVersions(2);
      await delivered.start(database.pool);
      const ids = await record(5);
      for (const id of ids.slice(0, 4)) delivered.admit(event(id));
      const replayed: number[] = [];

      const count = await delivered.replay(database.pool, (e) =>
        replayed.push((e as { version: number }).version),
      );

      // The first two were forgotten, the next two are remembered: only
      // the last is replayed, and a remembered one is still refused.
      expect({ replayed, count }).toEqual({ replayed: [ids[4]], count: 1 });
      expect(delivered.admit(event(ids[3]!))).toBe(false);
    });
  });
});
