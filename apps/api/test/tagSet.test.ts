import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';
import { insertDevices, setTags } from './support/deviceFixtures.ts';

// devices.tag_set, kept by the statement triggers on device_tags, is what
// exact tag terms of the query language test (migration
// 20261207000000_query_columns).
describe('the tag set of a device', () => {
  let database: TestDatabase;

  const tagSet = async (deviceId: string) => {
    const { rows } = await database.pool.query<{ tag_set: string[] }>(
      'SELECT tag_set FROM devices WHERE id = $1',
      [deviceId],
    );
    return rows[0]?.tag_set;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await insertDevices(database.pool, [
      { id: 'edge-a', tags: [] },
      { id: 'edge-b', tags: [] },
    ]);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await setTags(database.pool, 'edge-a', []);
    await setTags(database.pool, 'edge-b', []);
  });

  it('holds every key, every non-empty value and every pair', async () => {
    await setTags(database.pool, 'edge-a', ['production', 'region=factory-a']);

    expect(await tagSet('edge-a')).toEqual([
      'n:factory-a',
      'n:production',
      'n:region',
      'p:10:production=',
      'p:6:region=factory-a',
    ]);
    expect(await tagSet('edge-b')).toEqual([]);
  });

  it('follows updates and deletes of many devices in one statement', async () => {
    await setTags(database.pool, 'edge-a', ['region=factory-a', 'gpu']);
    await setTags(database.pool, 'edge-b', ['region=factory-a']);

    await database.pool.query(
      `UPDATE device_tags SET value = 'factory-b' WHERE key = 'region'`,
    );
    expect(await tagSet('edge-a')).toEqual([
      'n:factory-b',
      'n:gpu',
      'n:region',
      'p:3:gpu=',
      'p:6:region=factory-b',
    ]);
    expect(await tagSet('edge-b')).toEqual([
      'n:factory-b',
      'n:region',
      'p:6:region=factory-b',
    ]);

    await database.pool.query(`DELETE FROM device_tags WHERE key = 'region'`);
    expect(await tagSet('edge-a')).toEqual(['n:gpu', 'p:3:gpu=']);
    expect(await tagSet('edge-b')).toEqual([]);
  });

  it('keeps both tags when two transactions tag one device at once', async () => {
    const first = await database.pool.connect();
    const second = await database.pool.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      await first.query(
        `INSERT INTO device_tags (device_id, key) VALUES ('edge-a', 'one')`,
      );
      // Blocks on the first transaction's lock of the device until it ends.
      const secondInsert = second.query(
        `INSERT INTO device_tags (device_id, key) VALUES ('edge-a', 'two')`,
      );
      await first.query('COMMIT');
      await secondInsert;
      await second.query('COMMIT');
    } finally {
      first.release();
      second.release();
    }

    expect(await tagSet('edge-a')).toEqual([
      'n:one',
      'n:two',
      'p:3:one=',
      'p:3:two=',
    ]);
  });
});
