import { defineConfig } from 'prisma/config';

// Prisma's CLI is used for `generate` only; migrations are plain SQL applied
// by Rollcall's own migrator (src/db/migrator.ts).
export default defineConfig({
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations' },
});
