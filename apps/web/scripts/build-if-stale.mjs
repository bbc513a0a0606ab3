// Builds the dashboard only when a source file is newer than the last build,
// so `pnpm start` stays quick after the first run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = join(webRoot, 'dist', 'index.html');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path)
    .filter((name) => name !== 'node_modules' && name !== 'dist')
    .reduce((max, name) => Math.max(max, newestMtime(join(path, name))), 0);
}

const sources = ['src', 'index.html', 'vite.config.ts', '../../packages'];
const newestSource = Math.max(
  ...sources
    .map((s) => join(webRoot, s))
    .filter(existsSync)
    .map(newestMtime),
);
if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= newestSource) {
  process.exit(0);
}
const result = spawnSync('pnpm', ['exec', 'vite', 'build'], {
  cwd: webRoot,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
