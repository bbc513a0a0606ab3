/**
 * Test helpers for vitest suites: each call gets a fresh database on the
 * run's PostgreSQL server (see globalSetup.ts).
 */
import { inject } from 'vitest';
import {
  createDatabaseFrom,
  startTestServerOn,
  type TestDatabase,
  type TestServer,
  type TestServerOptions,
} from './harness.ts';

export * from './harness.ts';

/** A fresh, migrated database for this test file. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabaseFrom(inject('rollcallPostgres'));
}

/** A Rollcall server with a manual clock on a fresh database. */
export function startTestServer(
  options: Omit<TestServerOptions, 'postgres'> = {},
): Promise<TestServer> {
  return startTestServerOn({
    ...options,
    postgres: inject('rollcallPostgres'),
  });
}
