import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './harness.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    rollcallPostgres: { adminUrl: string; template: string };
  }
}

/** One PostgreSQL server and migrated template for the whole test run. */
export default async function setup(project: TestProject) {
  const postgres = await startTestPostgres();
  project.provide('rollcallPostgres', {
    adminUrl: postgres.adminUrl,
    template: postgres.template,
  });
  return () => postgres.stop();
}
