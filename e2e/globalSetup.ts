/**
 * Playwright's global setup: builds the dashboard when its sources are newer
 * than dist/, starts the e2e server (server/startServer.ts, under tsx, in a
 * child process so the harness's TypeScript loads as it does in the API),
 * and hands its URL and admin key to the tests through the environment.
 * Returns the teardown that stops the server (by closing its stdin).
 */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const e2eRoot = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(e2eRoot, '..');

/** What the e2e server prints once it is listening. */
export interface E2eServerInfo {
  url: string;
  graphqlUrl: string;
  adminKey: string;
  controlUrl: string;
}

function buildDashboard(): void {
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'apps/web/scripts/build-if-stale.mjs')],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('The dashboard build failed');
}

async function startServer(): Promise<{
  info: E2eServerInfo;
  stop(): Promise<void>;
}> {
  const child = spawn(
    join(e2eRoot, 'node_modules/.bin/tsx'),
    [join(e2eRoot, 'server/startServer.ts')],
    { cwd: e2eRoot, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise<E2eServerInfo>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`The e2e server exited with ${code}`)),
    );
    lines.once('line', (line) => resolve(JSON.parse(line) as E2eServerInfo));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin.end();
    });
  return { info, stop };
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  // Screenshots of this run only: a view whose test was removed leaves none.
  rmSync(join(e2eRoot, 'test-results/screenshots'), {
    recursive: true,
    force: true,
  });
  buildDashboard();
  const { info, stop } = await startServer();
  process.env.ROLLCALL_E2E_SERVER = JSON.stringify(info);
  return stop;
}
