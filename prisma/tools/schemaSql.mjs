// Prints the SQL that creates schema.prisma from nothing, using Prisma 6's
// CLI with its wasm schema engine (engine: "js"), which works offline. Prisma
// 7's `migrate` needs a native engine that cannot be downloaded here.
// Used to author migrations and by the drift test (apps/api/test/drift.test.ts).
// The wasm engine connects through a driver adapter even for a diff from
// nothing: SCHEMA_SQL_DATABASE_URL names any reachable PostgreSQL database
// (nothing is written to it).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (!process.env.SCHEMA_SQL_DATABASE_URL) {
  process.stderr.write(
    'Set SCHEMA_SQL_DATABASE_URL to a PostgreSQL database\n',
  );
  process.exit(2);
}
const prismaDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'rollcall-schema-sql-'));

// Prisma 6 wants a url in the datasource block and a classic generator.
const schema = readFileSync(join(prismaDir, 'schema.prisma'), 'utf8')
  .replace(
    /generator client \{[^}]*\}/,
    'generator client {\n  provider = "prisma-client-js"\n}',
  )
  .replace(
    'provider = "postgresql"',
    'provider = "postgresql"\n  url      = env("SCHEMA_SQL_URL")',
  );
writeFileSync(join(work, 'schema.prisma'), schema);
writeFileSync(
  join(work, 'prisma.config.mjs'),
  `import { PrismaPg } from '${join(prismaDir, 'node_modules/@prisma/adapter-pg/dist/index.mjs')}';
export default {
  experimental: { adapter: true },
  engine: 'js',
  schema: './schema.prisma',
  adapter: async () => new PrismaPg({ connectionString: process.env.SCHEMA_SQL_DATABASE_URL }),
};
`,
);
const stub = join(work, 'engine-stub');
writeFileSync(stub, '#!/bin/sh\nexit 1\n');
chmodSync(stub, 0o755);

const result = spawnSync(
  join(prismaDir, 'node_modules/.bin/prisma'),
  [
    'migrate',
    'diff',
    '--config',
    'prisma.config.mjs',
    '--from-empty',
    '--to-schema-datamodel',
    'schema.prisma',
    '--script',
  ],
  {
    cwd: work,
    encoding: 'utf8',
    env: {
      ...process.env,
      SCHEMA_SQL_URL: 'postgresql://unused@127.0.0.1:1/unused',
      PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
      PRISMA_QUERY_ENGINE_LIBRARY: stub,
      PRISMA_SCHEMA_ENGINE_BINARY: stub,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  },
);
if (result.status !== 0) {
  process.stderr.write(result.stderr);
  process.exit(result.status ?? 1);
}
process.stdout.write(result.stdout);
