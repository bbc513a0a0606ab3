import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/loadConfig.ts';
import { readMigrations } from '../src/db/migrator.ts';
import {
  startRollcallServer,
  type RollcallServer,
} from '../src/server/rollcallServer.ts';
import { testLogger } from '../src/testing/index.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'rollcall.mjs');
const DEMO_FLEET = join(import.meta.dirname, '..', 'demo-fleet');
const run = promisify(execFile);

let root: string;

function dataDir(name: string): string {
  return join(root, name);
}

/** Runs the rollcall program as a child process; never throws. */
async function rollcall(dir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ROLLCALL_DATA_DIR: dir,
    LOG_LEVEL: 'error',
  };
  delete env.DATABASE_URL;
  delete env.ROLLCALL_CONFIG;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const IMPORTED = `Imported ${DEMO_FLEET}
  devices         created   300  updated     0  unchanged     0
  groups          created     9  updated     0  unchanged     0
  deployments     created     1  updated     0  unchanged     0
  catch-up queue  created     4  updated     0  unchanged     0
`;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rollcall-cli-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('rollcall without a running server', () => {
  it('migrates, imports, exports and refuses an unknown command', async () => {
    const dir = dataDir('alone');
    const out = join(root, 'export-alone');

    const results = [
      await rollcall(dir, 'migrate'),
      await rollcall(dir, 'import', DEMO_FLEET),
      await rollcall(dir, 'export', out),
      await rollcall(dir, 'frobnicate'),
    ];
    expect(
      results.map((r) => [
        r.code,
        r.stdout.split('\n')[0],
        r.stderr.split('\n')[0],
      ]),
    ).toEqual([
      [0, `Applied ${readMigrations().length} migration(s):`, ''],
      [0, `Imported ${DEMO_FLEET}`, ''],
      [
        0,
        `Exported to ${out}: 300 devices, 9 groups, 1 deployments, 4 catch-up entries (311 files written, 0 removed)`,
        '',
      ],
      [2, '', 'Unknown command "frobnicate"'],
    ]);
    expect(results[1]!.stdout).toBe(IMPORTED);
  }, 120_000);

  it('imports nothing from an invalid directory and exits with 1', async () => {
    const result = await rollcall(
      dataDir('alone'),
      'import',
      join(root, 'missing'),
    );

    expect([result.code, result.stdout, result.stderr]).toEqual([
      1,
      '',
      `Import failed; nothing was imported. 1 invalid file(s):\n  ${join(root, 'missing')}: (file): is not a directory\n`,
    ]);
  }, 60_000);
});

describe('rollcall with a running server', () => {
  let server: RollcallServer;

  beforeAll(async () => {
    const config = loadConfig(
      {},
      {
        server: { host: '127.0.0.1', port: 0 },
        database: { url: '', data_dir: dataDir('shared') },
        auth: { admin_token: 'rc_key_cli_test_0123456789' },
        demo: { mode: 'off' },
      },
    );
    server = await startRollcallServer({
      config,
      logger: testLogger(),
      backgroundWorkers: false,
    });
  }, 60_000);

  afterAll(async () => {
    await server.stop();
  });

  it("imports through the running server's PostgreSQL, which then sees the devices", async () => {
    const result = await rollcall(dataDir('shared'), 'import', DEMO_FLEET);
    const { rows } = await server.db.pool.query(
      `SELECT count(*)::int AS n FROM devices`,
    );

    expect([result.code, result.stdout, result.stderr, rows[0].n]).toEqual([
      0,
      IMPORTED,
      '',
      300,
    ]);
  }, 60_000);
});
