import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const API_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_KEY = 'rc_key_persistence_test';

// Node itself (not a pnpm or tsx wrapper) so that signals reach Rollcall.

interface RunningProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function startRollcall(dataDir: string): Promise<RunningProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_ROOT,
    env: {
      ...process.env,
      ROLLCALL_DATA_DIR: dataDir,
      ROLLCALL_DEMO: 'off',
      ROLLCALL_ADMIN_TOKEN: ADMIN_KEY,
      PORT: '0',
      LOG_LEVEL: 'warn',
      // As in production: vitest's NODE_ENV=test changes Apollo's defaults.
      NODE_ENV: 'production',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /Rollcall dashboard: (http:\/\/[^/\s]+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    });
    child.on('exit', (code) =>
      reject(new Error(`Rollcall exited with ${code}: ${output}`)),
    );
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.exitCode);
      return;
    }
    child.once('exit', (code) => resolve(code));
  });
}

async function embeddedUrl(dataDir: string): Promise<string> {
  const lock = JSON.parse(
    readFileSync(join(dataDir, 'rollcall.lock'), 'utf8'),
  ) as {
    port: number;
  };
  return `postgresql://postgres@127.0.0.1:${lock.port}/postgres`;
}

async function sql<T extends pg.QueryResultRow>(
  dataDir: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({
    connectionString: await embeddedUrl(dataDir),
  });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function health(url: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${ADMIN_KEY}`,
    },
    body: JSON.stringify({ query: '{ health { ok database } }' }),
  });
  return response.json();
}

describe('Rollcall with its embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-persistence-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers GraphQL on a fresh data directory', async () => {
    const server = await startRollcall(dataDir);
    expect(await health(server.url)).toEqual({
      data: { health: { ok: true, database: 'embedded' } },
    });
    await sql(
      dataDir,
      `INSERT INTO tag_definitions (name, category) VALUES ('survives-sigint', 'fleet')`,
    );
    server.child.kill('SIGINT');
    expect(await exitOf(server.child)).toBe(0);
  }, 60_000);

  it('comes back with the data intact after SIGINT', async () => {
    const server = await startRollcall(dataDir);
    const rows = await sql(
      dataDir,
      `SELECT name FROM tag_definitions WHERE name = 'survives-sigint'`,
    );
    expect(rows).toEqual([{ name: 'survives-sigint' }]);

    await sql(
      dataDir,
      `INSERT INTO tag_definitions (name, category) VALUES ('survives-kill', 'fleet')`,
    );
    server.child.kill('SIGKILL');
    await exitOf(server.child);
  }, 60_000);

  it('comes back with the data intact after kill -9, taking over the stale lock', async () => {
    const server = await startRollcall(dataDir);
    const rows = await sql<{ name: string }>(
      dataDir,
      `SELECT name FROM tag_definitions WHERE name LIKE 'survives-%' ORDER BY name`,
    );
    expect(rows.map((row) => row.name)).toEqual([
      'survives-kill',
      'survives-sigint',
    ]);
    expect(await health(server.url)).toEqual({
      data: { health: { ok: true, database: 'embedded' } },
    });

    const second = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: API_ROOT,
      env: {
        ...process.env,
        ROLLCALL_DATA_DIR: dataDir,
        ROLLCALL_DEMO: 'off',
        PORT: '0',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let secondOutput = '';
    second.stdout.on(
      'data',
      (chunk: Buffer) => (secondOutput += chunk.toString()),
    );
    second.stderr.on(
      'data',
      (chunk: Buffer) => (secondOutput += chunk.toString()),
    );
    expect(await exitOf(second)).toBe(1);
    expect(secondOutput).toContain(
      `Data directory ${dataDir} is in use by process ${server.child.pid}`,
    );

    server.child.kill('SIGINT');
    expect(await exitOf(server.child)).toBe(0);
  }, 90_000);
});
