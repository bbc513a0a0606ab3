// Runs `prisma generate` without network access. Prisma 7's CLI insists on
// locating a schema engine binary even though generate never executes it, and
// would try to download one; pointing it at a stub keeps installs offline.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const apiRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const stubDir = mkdtempSync(join(tmpdir(), 'rollcall-prisma-'));
const stub = join(stubDir, 'schema-engine');
writeFileSync(stub, '#!/bin/sh\nexit 1\n');
chmodSync(stub, 0o755);

const result = spawnSync('pnpm', ['exec', 'prisma', 'generate'], {
  cwd: apiRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
