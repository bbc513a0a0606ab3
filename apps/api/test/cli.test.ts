import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/loadConfig.ts';
import { effectiveDataDir } from '../src/db/embeddedPostgres.ts';
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

/** A data directory as rollcall names it (mapped when run as root). */
function named(dir: string): string {
  const effective = effectiveDataDir(dir, testLogger());
  return effective === dir ? dir : `${dir} (mapped to ${effective})`;
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
    const database = `Database: embedded PostgreSQL in ${named(dir)}`;
    expect(
      results.map((r) => [
        r.code,
        r.stdout.split('\n').slice(0, 2),
        r.stderr.split('\n')[0],
      ]),
    ).toEqual([
      [
        0,
        [
          `Applied ${readMigrations().length} migration(s):`,
          `  ${readMigrations()[0]!.name}`,
        ],
        '',
      ],
      [0, [database, `Imported ${DEMO_FLEET}`], ''],
      [
        0,
        [
          database,
          `Exported to ${out}: 300 devices, 9 groups, 1 deployments, 4 catch-up entries (311 files written, 0 removed)`,
        ],
        '',
      ],
      [2, [''], 'Unknown command "frobnicate"'],
    ]);
    expect(results[1]!.stdout).toBe(`${database}\n${IMPORTED}`);
  }, 120_000);

  it('refuses to read from a data directory without a database, creating nothing', async () => {
    const dir = dataDir('never-started');
    const out = join(root, 'export-never-started');
    const missing =
      `no Rollcall database in ${named(dir)}: no ${join(effectiveDataDir(dir, testLogger()), 'pg', 'PG_VERSION')}, ` +
      `and DATABASE_URL is not set; nothing was created. Run the command with ` +
      `the server's settings, as for \`pnpm start\`: ROLLCALL_DATA_DIR=<the ` +
      `server's data directory> (or DATABASE_URL=postgresql://...)\n`;

    const results = [
      await rollcall(dir, 'export', out),
      await rollcall(dir, 'import', '--dry-run', DEMO_FLEET),
      await rollcall(dir, 'simulate', '--duration', '1'),
    ];
    expect([
      results.map((r) => [r.code, r.stdout, r.stderr]),
      existsSync(dir),
      existsSync(effectiveDataDir(dir, testLogger())),
      existsSync(out),
    ]).toEqual([
      [
        [1, '', `rollcall export failed: ${missing}`],
        [1, '', `rollcall import failed: ${missing}`],
        [1, '', `rollcall simulate failed: ${missing}`],
      ],
      false,
      false,
      false,
    ]);
  }, 60_000);

  it('imports into a new data directory, saying it created the database there', async () => {
    const dir = dataDir('first-import');
    const result = await rollcall(dir, 'import', DEMO_FLEET);

    expect([result.code, result.stdout, result.stderr]).toEqual([
      0,
      `Database: created a new embedded PostgreSQL in ${named(dir)} ` +
        `(none was there; set ROLLCALL_DATA_DIR or DATABASE_URL as for \`pnpm start\` to use the server's)\n` +
        IMPORTED,
      '',
    ]);
  }, 60_000);

  it('imports nothing from an invalid directory and exits with 1', async () => {
    const result = await rollcall(
      dataDir('alone'),
      'import',
      join(root, 'missing'),
    );

    expect([result.code, result.stdout, result.stderr]).toEqual([
      1,
      `Database: embedded PostgreSQL in ${named(dataDir('alone'))}\n`,
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
      `Database: embedded PostgreSQL in ${named(dataDir('shared'))} (the running server's, pid ${process.pid})\n` +
        IMPORTED,
      '',
      300,
    ]);
  }, 60_000);

  it('simulates no device of a registry the demo did not seed unless told which', async () => {
    const result = await rollcall(
      dataDir('shared'),
      'simulate',
      '--duration',
      '1',
    );

    expect([result.code, result.stdout, result.stderr]).toEqual([
      1,
      '',
      'No devices to simulate: this registry was not seeded by the demo, and ' +
        'rollcall simulate drives only an explicit set (--ids ID[,ID], ' +
        '--devices-from DIR or --tokens FILE)\n',
    ]);
  }, 60_000);

  it('simulates exactly the devices of --ids or of --devices-from', async () => {
    const registry = join(root, 'two-devices');
    mkdirSync(join(registry, 'devices'), { recursive: true });
    for (const id of ['edge-jetson-prod-001', 'edge-rpi-prod-001']) {
      cpSync(
        join(DEMO_FLEET, 'devices', `${id}.yaml`),
        join(registry, 'devices', `${id}.yaml`),
      );
    }
    const common = ['--duration', '1', '--url', server.url];

    const results = [
      await rollcall(
        dataDir('shared'),
        'simulate',
        '--ids',
        'edge-gateway-prod-001',
        ...common,
      ),
      await rollcall(
        dataDir('shared'),
        'simulate',
        '--devices-from',
        registry,
        ...common,
      ),
    ];
    const { rows } = await server.db.pool.query(
      `SELECT count(*)::int AS n FROM device_tokens`,
    );

    expect([
      results.map((r) => [r.code, r.stdout.split('\n')[0], r.stderr]),
      rows[0].n,
    ]).toEqual([
      [
        [0, `Simulating 1 devices against ${server.url} (Ctrl-C to stop)`, ''],
        [0, `Simulating 2 devices against ${server.url} (Ctrl-C to stop)`, ''],
      ],
      0,
    ]);
  }, 60_000);
});
