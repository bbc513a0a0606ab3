import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import {
  importRegistry,
  type ImportSummary,
} from '../src/importExport/importRegistry.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import {
  matchingDeviceIds,
  registerThroughApi,
} from './support/deviceFixtures.ts';

const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };
const DECOMMISSIONED_AT = '2026-12-04T17:09:05.894Z';

let server: TestServer;
const temporary: string[] = [];

function exportDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'rollcall-api-records-'));
  temporary.push(directory);
  return directory;
}

/** Exports the registry, then imports that export (a dry run by default). */
async function exportThenImport(dryRun = true, directory = exportDirectory()) {
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

function deviceIds(where: string): Promise<string[]> {
  return matchingDeviceIds(server, where);
}

function register(id: string): Promise<void> {
  return registerThroughApi(server, id);
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

const CREATE_DEPLOYMENT = `mutation ($manifest: DeploymentManifestInput, $manifestYaml: String) {
  createDeployment(manifest: $manifest, manifestYaml: $manifestYaml) { id }
}`;

const MANIFEST_YAML = `deployment:
  artifact: "inference-app:v2.3.1"
  target:
    groups: ["line-a"]
    exclude_groups: ["critical"]
  canary:
    source_group: "canary-pool"
    count: 2
    selection: "first"
  waves:
    - name: "critical"
      groups: ["critical"]
      soak_minutes: 30
      require_approval: true
    - name: "main"
      groups: ["line-a"]
      exclude_groups: ["critical"]
      percentage: 50
      soak_minutes: 15
      timeout_minutes: 90
`;

/** The manifest part of an exported deployment file. */
function exportedManifest(directory: string, id: string) {
  const file = join(directory, 'deployments', `${id}.yaml`);
  const { deployment } = parse(readFileSync(file, 'utf8')) as {
    deployment: Record<string, unknown>;
  };
  const { status: _status, ...manifest } = deployment;
  return manifest;
}

describe('export then import of deployments created through the API', () => {
  const ids: string[] = [];

  beforeAll(async () => {
    await server.database.pool.query(
      `INSERT INTO groups (id, name, membership) VALUES
         (gen_random_uuid(), 'line-a', 'static'),
         (gen_random_uuid(), 'critical', 'static'),
         (gen_random_uuid(), 'canary-pool', 'static')`,
    );
    const fromYaml = await server.request<{ createDeployment: { id: string } }>(
      CREATE_DEPLOYMENT,
      { manifestYaml: MANIFEST_YAML },
    );
    const fromInput = await server.request<{
      createDeployment: { id: string };
    }>(CREATE_DEPLOYMENT, {
      manifest: {
        artifact: 'inference-app:v2.4.0',
        target: { groups: ['line-a'], excludeGroups: ['critical'] },
        canary: { sourceGroup: 'canary-pool', count: 1, soakMinutes: 10 },
        waves: [
          {
            name: 'main',
            groups: ['line-a'],
            excludeGroups: ['critical'],
            soakMinutes: 5,
            requireApproval: true,
          },
        ],
      },
    });
    expect([fromYaml.errors, fromInput.errors]).toEqual([undefined, undefined]);
    ids.push(
      fromYaml.data!.createDeployment.id,
      fromInput.data!.createDeployment.id,
    );
  });

  it('imports the export with every deployment unchanged and no failure', async () => {
    const summary = await exportThenImport(false);

    expect(counts(summary)).toEqual({
      devices: { created: 0, updated: 0, unchanged: 2 },
      groups: { created: 0, updated: 0, unchanged: 3 },
      deployments: { created: 0, updated: 0, unchanged: 2 },
      failures: [],
      changed: { devices: [], groups: [], deployments: [] },
    });
  });

  it("writes the spec's snake_case manifest fields", async () => {
    const directory = exportDirectory();
    await exportRegistry(server.database.pool, directory);

    expect(ids.map((id) => exportedManifest(directory, id))).toEqual([
      {
        id: ids[0],
        artifact: 'inference-app:v2.3.1',
        target_version: '2.3.1',
        target: { groups: ['line-a'], exclude_groups: ['critical'] },
        canary: { source_group: 'canary-pool', count: 2, selection: 'first' },
        waves: [
          {
            name: 'critical',
            groups: ['critical'],
            exclude_groups: [],
            percentage: 100,
            soak_minutes: 30,
            require_approval: true,
          },
          {
            name: 'main',
            groups: ['line-a'],
            exclude_groups: ['critical'],
            percentage: 50,
            soak_minutes: 15,
            require_approval: false,
            timeout_minutes: 90,
          },
        ],
      },
      {
        id: ids[1],
        artifact: 'inference-app:v2.4.0',
        target_version: '2.4.0',
        target: { groups: ['line-a'], exclude_groups: ['critical'] },
        canary: {
          source_group: 'canary-pool',
          count: 1,
          selection: 'one-per-device-type',
          soak_minutes: 10,
        },
        waves: [
          {
            name: 'main',
            groups: ['line-a'],
            exclude_groups: ['critical'],
            percentage: 100,
            soak_minutes: 5,
            require_approval: true,
          },
        ],
      },
    ]);
  });

  it('stores an imported manifest as createDeployment does', async () => {
    const before = await server.database.pool.query(
      'SELECT id, manifest FROM deployments ORDER BY id',
    );
    const directory = exportDirectory();
    await exportRegistry(server.database.pool, directory);
    await server.database.pool.query('DELETE FROM deployments');
    const summary = await importRegistry(server.database.pool, {
      directory,
      now: server.clock.now(),
      timing: TIMING,
    });
    const after = await server.database.pool.query(
      'SELECT id, manifest FROM deployments ORDER BY id',
    );

    expect([summary.deployments, after.rows]).toEqual([
      { created: 2, updated: 0, unchanged: 0 },
      before.rows,
    ]);
  });
});
