import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  migrate,
  MigrationError,
  readMigrations,
  type Migration,
} from '../src/db/migrator.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

function migration(name: string, sql: string): Migration {
  return { name, sql, checksum: `${name}-checksum` };
}

describe('migrate', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = database.pool;
    // Start from an empty schema: the template is already migrated.
    await pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  });
  afterAll(() => database.close());

  it('applies every migration on disk once, in order, recorded as Prisma records them', async () => {
    const expected = readMigrations().map((m) => m.name);
    expect(await migrate(pool)).toEqual(expected);

    const { rows } = await pool.query(
      `SELECT migration_name, checksum, applied_steps_count,
              finished_at IS NOT NULL AS finished, rolled_back_at
       FROM _prisma_migrations ORDER BY started_at, migration_name`,
    );
    expect(rows).toEqual(
      readMigrations().map((m) => ({
        migration_name: m.name,
        checksum: m.checksum,
        applied_steps_count: 1,
        finished: true,
        rolled_back_at: null,
      })),
    );
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(pool)).toEqual([]);
  });

  it('serialises concurrent migrators so each migration runs once', async () => {
    const extra = [
      migration('29990101000000_extra', 'CREATE TABLE extra_table (id int)'),
    ];
    const all = [...readMigrations(), ...extra];
    const results = await Promise.all([migrate(pool, all), migrate(pool, all)]);
    expect(results.flat()).toEqual(['29990101000000_extra']);
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    const failing = migration(
      '29990102000000_broken',
      'CREATE TABLE half_done (id int); SELECT * FROM no_such_table',
    );
    await expect(migrate(pool, [failing])).rejects.toBeInstanceOf(
      MigrationError,
    );
    const table = await pool.query(`SELECT to_regclass('half_done') AS t`);
    const recorded = await pool.query(
      `SELECT 1 FROM _prisma_migrations WHERE migration_name = $1`,
      [failing.name],
    );
    expect({ table: table.rows[0].t, recorded: recorded.rowCount }).toEqual({
      table: null,
      recorded: 0,
    });
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const [first, ...rest] = readMigrations();
    const edited = { ...first!, checksum: 'different' };
    await expect(migrate(pool, [edited, ...rest])).rejects.toThrow(
      `Migration ${first!.name}: was modified after it was applied (checksum differs)`,
    );
  });
});
