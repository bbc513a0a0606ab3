import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import {
  importRegistry,
  type ImportSummary,
} from '../src/importExport/importRegistry.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';

const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };
const DECOMMISSIONED_AT = '2026-12-04T17:09:05.894Z';

let server: TestServer;
const temporary: string[] = [];

/** Exports the registry, then imports that export (a dry run by default). */
async function exportThenImport(dryRun = true) {
  const directory = mkdtempSync(join(tmpdir(), 'rollcall-api-records-'));
  temporary.push(directory);
  await exportRegistry(server.database.pool, directory);
  return importRegistry(server.database.pool, {
    directory,
    now: server.clock.now(),
    timing: TIMING,
    dryRun,
  });
}

function counts(summary: ImportSummary) {
  return {
    devices: summary.devices,
    groups: summary.groups,
    deployments: summary.deployments,
    failures: summary.failures.map((failure) => failure.toJSON()),
    changed: summary.changed,
  };
}

async function deviceIds(where: string): Promise<string[]> {
  const result = await server.request<{
    devices: { edges: Array<{ node: { id: string } }> };
  }>(
    'query ($where: String) { devices(where: $where) { edges { node { id } } } }',
    {
      where,
    },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.devices.edges.map((edge) => edge.node.id);
}

async function register(id: string): Promise<void> {
  const result = await server.request(
    `mutation ($input: RegisterDeviceInput!) {
       registerDevice(input: $input) { device { id } }
     }`,
    {
      input: {
        id,
        hostname: `${id}.local`,
        environment: 'production',
        hardware: { type: 'raspberry-pi-4', hasGpu: false },
      },
    },
  );
  expect(result.errors).toBeUndefined();
}

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('export then import of a device decommissioned through the API', () => {
  beforeAll(async () => {
    await register('api-retired');
    await register('api-active');
    server.clock.set(DECOMMISSIONED_AT);
    const result = await server.request(
      'mutation { decommissionDevice(id: "api-retired") { device { id } } }',
    );
    expect(result.errors).toBeUndefined();
  });

  it('reports every record unchanged and no failure', async () => {
    const summary = await exportThenImport();

    expect(counts(summary)).toEqual({
      devices: { created: 0, updated: 0, unchanged: 2 },
      groups: { created: 0, updated: 0, unchanged: 0 },
      deployments: { created: 0, updated: 0, unchanged: 0 },
      failures: [],
      changed: { devices: [], groups: [], deployments: [] },
    });
  });

  it('finds the device by its decommissioned tag value, quoted or not', async () => {
    expect([
      await deviceIds('tag:decommissioned=20261204t170905z'),
      await deviceIds('tag:decommissioned="20261204T170905Z"'),
      await deviceIds('tag:production AND NOT tag:decommissioned'),
    ]).toEqual([['api-retired'], ['api-retired'], ['api-active']]);
  });
});
