import type pg from 'pg';
import type { TestServer } from '../../src/testing/index.ts';

/** Every table of the schema except the migrator's own bookkeeping. */
export async function tableNames(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
     WHERE schemaname = 'public' AND tablename NOT LIKE '%migrations%'
     ORDER BY tablename`,
  );
  return rows.map((row) => row.name);
}

/**
 * Exact row counts of every table, so that a refused request can be shown
 * to have written nothing at all, wherever it might have written.
 */
export async function rowCounts(
  pool: pg.Pool,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tableNames(pool)) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${table}"`,
    );
    counts[table] = rows[0]!.n;
  }
  return counts;
}

export const REGISTER = `mutation ($input: RegisterDeviceInput!) {
  registerDevice(input: $input) { deviceToken device { id status { state } } }
}`;

export const ACTIVATE = `mutation ($id: ID!) {
  activateDevice(id: $id) { id status { state } }
}`;

export const HEARTBEAT = `mutation ($input: HeartbeatInput!) {
  heartbeat(input: $input) { deviceId accepted duplicate state }
}`;

/** A registration input with the required fields only. */
export function minimalDevice(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    hostname: 'device.local',
    environment: 'production',
    hardware: { type: 'jetson-orin-nano' },
    ...overrides,
  };
}

/** Registers and activates a device; returns its id and token. */
export async function registerActiveDevice(
  server: Pick<TestServer, 'request'>,
  id: string,
): Promise<{ id: string; token: string }> {
  const registered = await server.request<{
    registerDevice: { deviceToken: string; device: { id: string } };
  }>(REGISTER, { input: minimalDevice({ id, hostname: `${id}.local` }) });
  if (!registered.data) {
    throw new Error(`registration failed: ${JSON.stringify(registered)}`);
  }
  const activated = await server.request(ACTIVATE, { id });
  if (!activated.data) {
    throw new Error(`activation failed: ${JSON.stringify(activated)}`);
  }
  return { id, token: registered.data.registerDevice.deviceToken };
}

/** The error codes of a GraphQL answer, in order. */
export function codesOf(result: {
  errors?: Array<{ extensions?: { code?: string } }>;
}): string[] {
  return (result.errors ?? []).map((error) => error.extensions?.code ?? '?');
}

/**
 * Posts a request body as written, for what JSON.stringify cannot produce
 * (1e999, which JSON.parse reads as Infinity).
 */
export async function rawRequest(
  graphqlUrl: string,
  body: string,
  token: string | null,
): Promise<{ status: number; codes: string[] }> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body,
  });
  const json = (await response.json()) as {
    errors?: Array<{ extensions?: { code?: string } }>;
  };
  return { status: response.status, codes: codesOf(json) };
}
