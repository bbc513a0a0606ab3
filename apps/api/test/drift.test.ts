import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

const SCHEMA_SQL_TOOL = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../prisma/tools/schemaSql.mjs',
);

// The parts of a schema that schema.prisma describes. Functions, triggers,
// expression and partial indexes, and generated columns with their indexes
// (which Prisma cannot model) are left out on purpose.
async function catalog(pool: pg.Pool) {
  const columns = await pool.query(`
    SELECT table_name, column_name, data_type, udt_name, is_nullable,
           column_default, character_maximum_length
    FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      AND is_generated = 'NEVER'
    ORDER BY table_name, column_name`);
  const indexes = await pool.query(`
    SELECT c.relname AS table_name, i.relname AS index_name,
           pg_get_indexdef(x.indexrelid) AS definition
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class c ON c.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND x.indexprs IS NULL AND x.indpred IS NULL
      AND c.relname <> '_prisma_migrations'
      AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attnum = ANY(x.indkey)
                        AND a.attgenerated <> '')
    ORDER BY 1, 2`);
  const constraints = await pool.query(`
    SELECT conrelid::regclass::text AS table_name, conname,
           pg_get_constraintdef(oid) AS definition
    FROM pg_constraint
    WHERE connamespace = 'public'::regnamespace
      AND conrelid::regclass::text <> '_prisma_migrations'
    ORDER BY 1, 2`);
  const enums = await pool.query(`
    SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
    GROUP BY t.typname ORDER BY t.typname`);
  return {
    columns: columns.rows,
    indexes: indexes.rows,
    constraints: constraints.rows,
    enums: enums.rows,
  };
}

describe('the migrations', () => {
  let migrated: TestDatabase;
  let fromSchema: TestDatabase;

  beforeAll(async () => {
    migrated = await createTestDatabase();
    fromSchema = await createTestDatabase();
    await fromSchema.pool.query('DROP SCHEMA public CASCADE');
    const sql = execFileSync('node', [SCHEMA_SQL_TOOL], {
      encoding: 'utf8',
      env: { ...process.env, SCHEMA_SQL_DATABASE_URL: fromSchema.url },
    });
    await fromSchema.pool.query(sql);
  }, 120_000);
  afterAll(async () => {
    await migrated.close();
    await fromSchema.close();
  });

  it('produce exactly the database that schema.prisma describes (no drift)', async () => {
    expect(await catalog(migrated.pool)).toEqual(
      await catalog(fromSchema.pool),
    );
  });
});
