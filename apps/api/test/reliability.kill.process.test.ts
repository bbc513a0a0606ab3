import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../src/db/dataDirectoryLock.ts';
import { graphqlRequest } from '../src/testing/index.ts';
import {
  ACTIVATE,
  HEARTBEAT,
  REGISTER,
  minimalDevice,
} from './support/reliabilityFixtures.ts';

const API_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_KEY = 'rc_key_kill_test_0123456789';
const DEVICES = 30;
const LOAD_MS = Number(process.env.RELIABILITY_LOAD_MS ?? 3_000);

// A short timeout makes the restart (several seconds) longer than every
// device's deadline: without the restart grace, the first sweep after it
// would mark the whole fleet offline.
const ENV = {
  ROLLCALL_DEMO: 'off',
  ROLLCALL_ADMIN_TOKEN: ADMIN_KEY,
  ROLLCALL_HEARTBEAT_INTERVAL_SECONDS: '1',
  ROLLCALL_HEARTBEAT_TIMEOUT_SECONDS: '3',
  ROLLCALL_SWEEPER_INTERVAL_SECONDS: '1',
  ROLLCALL_HEARTBEAT_RATE_LIMIT_PER_MINUTE: '1000000',
  ROLLCALL_AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
  PORT: '0',
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
};

interface Running {
  child: ChildProcess;
  graphqlUrl: string;
}

function startRollcall(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_ROOT,
    env: { ...process.env, ...ENV, ROLLCALL_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /Rollcall dashboard: (http:\/\/[^/\s]+)/.exec(output);
      if (match) resolve({ child, graphqlUrl: `${match[1]!}/graphql` });
    });
    child.once('exit', (code) =>
      reject(new Error(`Rollcall exited with ${code}: ${output}`)),
    );
  });
}

function embeddedUrl(dataDir: string): string {
  const lock = JSON.parse(
    readFileSync(join(dataDir, 'rollcall.lock'), 'utf8'),
  ) as { port: number };
  return `postgresql://postgres@127.0.0.1:${lock.port}/postgres`;
}

function postmasterPid(dataDir: string): number {
  const pidFile = readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8');
  return Number(pidFile.split('\n')[0]);
}

async function sql<T extends pg.QueryResultRow>(
  dataDir: string,
  text: string,
): Promise<T[]> {
  const client = new pg.Client({ connectionString: embeddedUrl(dataDir) });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const deviceId = (i: number) => `edge-kill-${String(i).padStart(3, '0')}`;

describe('kill -9 of Rollcall and its PostgreSQL during heartbeat load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-kill-'));
  const tokens = new Map<string, string>();
  const acked: Array<{ deviceId: string; sequence: number }> = [];
  const registered: string[] = [];
  let restarted: Running;

  beforeAll(async () => {
    const first = await startRollcall(dataDir);
    for (let i = 1; i <= DEVICES; i += 1) {
      const id = deviceId(i);
      const result = await graphqlRequest<{
        registerDevice: { deviceToken: string };
      }>(
        first.graphqlUrl,
        REGISTER,
        { input: minimalDevice({ id }) },
        ADMIN_KEY,
      );
      tokens.set(id, result.data!.registerDevice.deviceToken);
      await graphqlRequest(first.graphqlUrl, ACTIVATE, { id }, ADMIN_KEY);
    }

    // Heartbeats from every device and new registrations, acknowledged
    // ones recorded client-side, until the processes are killed.
    let isKilled = false;
    const sequences = new Map<string, number>();
    const heartbeats = async (worker: number) => {
      for (let n = worker; !isKilled; n += 6) {
        const id = deviceId((n % DEVICES) + 1);
        const sequence = (sequences.get(id) ?? 0) + 1;
        sequences.set(id, sequence);
        const result = await graphqlRequest<{
          heartbeat: { accepted: boolean; duplicate: boolean };
        }>(
          first.graphqlUrl,
          HEARTBEAT,
          { input: { deviceId: id, status: 'HEALTHY', sequence } },
          tokens.get(id)!,
        ).catch(() => null);
        if (result?.data?.heartbeat.accepted)
          acked.push({ deviceId: id, sequence });
      }
    };
    const registrations = async () => {
      for (let n = 1; !isKilled; n += 1) {
        const id = `edge-kill-new-${String(n).padStart(4, '0')}`;
        const result = await graphqlRequest<{
          registerDevice: { device: { id: string } };
        }>(
          first.graphqlUrl,
          REGISTER,
          { input: minimalDevice({ id }) },
          ADMIN_KEY,
        ).catch(() => null);
        if (result?.data?.registerDevice.device.id === id) registered.push(id);
      }
    };
    const load = [
      ...Array.from({ length: 6 }, (_, w) => heartbeats(w)),
      registrations(),
    ];
    await sleep(LOAD_MS);

    const postgres = postmasterPid(dataDir);
    first.child.kill('SIGKILL');
    process.kill(postgres, 'SIGKILL');
    isKilled = true;
    await Promise.all(load);
    while (isProcessAlive(postgres)) await sleep(50);

    restarted = await startRollcall(dataDir);
  }, 120_000);

  afterAll(async () => {
    restarted?.child.kill('SIGINT');
    await new Promise((r) => restarted?.child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('recovers its PostgreSQL and answers again', async () => {
    const health = await graphqlRequest(
      restarted.graphqlUrl,
      '{ health { ok database } }',
      {},
      ADMIN_KEY,
    );
    expect(health.data).toEqual({ health: { ok: true, database: 'embedded' } });
  });

  it('has every acknowledged heartbeat and registration', async () => {
    const stored = await sql<{ key: string }>(
      dataDir,
      `SELECT device_id || '#' || sequence AS key FROM heartbeats`,
    );
    const storedKeys = new Set(stored.map((row) => row.key));
    const devices = new Set(
      (await sql<{ id: string }>(dataDir, 'SELECT id FROM devices')).map(
        (row) => row.id,
      ),
    );
    expect({
      hadLoad: acked.length >= DEVICES && registered.length >= 3,
      missingHeartbeats: acked
        .map((a) => `${a.deviceId}#${a.sequence}`)
        .filter((key) => !storedKeys.has(key)),
      missingDevices: registered.filter((id) => !devices.has(id)),
    }).toEqual({ hadLoad: true, missingHeartbeats: [], missingDevices: [] });
  });

  it('marks no device offline because of its own outage', async () => {
    await sleep(1_500);
    const timedOut = await sql<{ device_id: string }>(
      dataDir,
      `SELECT device_id FROM state_transitions WHERE cause = 'timeout'`,
    );
    expect(timedOut).toEqual([]);
  });
});
