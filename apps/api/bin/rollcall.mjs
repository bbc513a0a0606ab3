#!/usr/bin/env node
// Runs the rollcall command-line program (src/cli/main.ts) with tsx, so
// that the TypeScript sources run as they are, without a build step.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const tsx = join(
  dirname(require.resolve('tsx/package.json')),
  'dist',
  'cli.mjs',
);
const result = spawnSync(
  process.execPath,
  [tsx, join(here, '..', 'src', 'cli', 'main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exitCode = result.status ?? 1;
