import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ImportFailedError,
  importRegistry,
} from '../src/importExport/importRegistry.ts';
import { MAX_FILE_BYTES } from '../src/importExport/yamlFile.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

const NOW = new Date('2025-01-16T16:00:00Z');
const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };

let database: TestDatabase;
let root: string;
let directory: string;
let serial = 0;

function device(id: string, extra = ''): string {
  serial += 1;
  return `device:
  id: ${id}
  hostname: ${id}.local
  serial_number: "SN-${serial}"
  hardware:
    type: raspberry-pi-5
    ram_mb: 8192
  status:
    state: healthy
    last_heartbeat: 2025-01-16T15:59:00Z
  tags:
    environment: production
${extra}`;
}

function extraTags(count: number): string {
  return Array.from({ length: count }, (_, n) => `    tag-${n}: value\n`).join(
    '',
  );
}

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, name)), { recursive: true });
    writeFileSync(join(directory, name), text);
  }
}

async function failures(options: { continueOnError?: boolean } = {}) {
  try {
    const summary = await importRegistry(database.pool, {
      directory,
      now: NOW,
      timing: TIMING,
      ...options,
    });
    return { summary, failures: summary.failures.map((f) => f.toJSON()) };
  } catch (error) {
    if (!(error instanceof ImportFailedError)) throw error;
    return { summary: null, failures: error.failures.map((f) => f.toJSON()) };
  }
}

async function deviceIds(): Promise<string[]> {
  const { rows } = await database.pool.query<{ id: string }>(
    `SELECT id FROM devices ORDER BY id`,
  );
  return rows.map((row) => row.id);
}

beforeAll(async () => {
  database = await createTestDatabase();
  root = mkdtempSync(join(tmpdir(), 'rollcall-invalid-'));
});

beforeEach(async ({ task }) => {
  directory = join(root, task.id);
  mkdirSync(directory, { recursive: true });
  await database.pool.query(
    `TRUNCATE devices, groups, deployments, catch_up_queue CASCADE`,
  );
});

afterAll(async () => {
  await database.close();
  rmSync(root, { recursive: true, force: true });
});

describe('importRegistry on invalid files', () => {
  it('imports nothing when one file is invalid, naming the file, field and reason', async () => {
    write({
      'devices/edge-rpi-prod-001.yaml': device('edge-rpi-prod-001'),
      'devices/edge-rpi-prod-002.yaml': device('edge-rpi-prod-002').replace(
        'ram_mb: 8192',
        'ram_mb: "8 GB"',
      ),
    });

    expect(await failures()).toEqual({
      summary: null,
      failures: [
        {
          file: 'devices/edge-rpi-prod-002.yaml',
          field: 'device.hardware.ram_mb',
          reason: 'expected a whole number, got the string "8 GB"',
        },
      ],
    });
    expect(await deviceIds()).toEqual([]);
  });

  it('refuses a device file whose tags and capability labels pass 128, importing nothing', async () => {
    // 130 tags with environment, and two capability labels derived.
    const manyTags = extraTags(129);
    write({
      'devices/edge-rpi-prod-001.yaml': device('edge-rpi-prod-001'),
      'devices/edge-rpi-prod-002.yaml': device('edge-rpi-prod-002', manyTags),
    });

    expect(await failures()).toEqual({
      summary: null,
      failures: [
        {
          file: 'devices/edge-rpi-prod-002.yaml',
          field: 'device.tags',
          reason:
            'Device "edge-rpi-prod-002" would hold 132 tags; the limit is 128',
        },
      ],
    });
    expect(await deviceIds()).toEqual([]);
  });

  it('imports a device with exactly 128 tags and capability labels', async () => {
    write({
      'devices/edge-rpi-prod-001.yaml': device(
        'edge-rpi-prod-001',
        extraTags(125),
      ),
    });

    const result = await failures();
    const stored = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM device_tags
       WHERE device_id = 'edge-rpi-prod-001'`,
    );
    expect([result.failures, stored.rows]).toEqual([[], [{ n: 128 }]]);
  });

  it('imports a decommissioned device with 128 tags and its decommissioned tag on top, as decommissioning leaves it', async () => {
    const retired = (id: string, extra: number) =>
      device(id, extraTags(extra)).replace(
        'state: healthy',
        'state: decommissioned',
      );
    write({
      'devices/edge-rpi-prod-001.yaml': retired('edge-rpi-prod-001', 125),
      'devices/edge-rpi-prod-002.yaml': retired('edge-rpi-prod-002', 126),
    });

    const result = await failures({ continueOnError: true });
    const stored = await database.pool.query<{ id: string; n: number }>(
      `SELECT device_id AS id, count(*)::int AS n FROM device_tags
       GROUP BY device_id ORDER BY device_id`,
    );

    expect([result.failures, stored.rows]).toEqual([
      [
        {
          file: 'devices/edge-rpi-prod-002.yaml',
          field: 'device.tags',
          reason:
            'Device "edge-rpi-prod-002" would hold 130 tags; the limit is 128 besides its decommissioned tag',
        },
      ],
      [{ id: 'edge-rpi-prod-001', n: 129 }],
    ]);
  });

  it('refuses a file that would give a stored decommissioned device 129 tags besides its decommissioned tag', async () => {
    const file = 'devices/edge-rpi-prod-001.yaml';
    write({
      [file]: device('edge-rpi-prod-001').replace(
        'state: healthy',
        'state: decommissioned',
      ),
    });
    expect((await failures()).failures).toEqual([]);
    // Healthy in the file, yet still decommissioned: the state is terminal.
    write({ [file]: device('edge-rpi-prod-001', extraTags(126)) });

    expect((await failures()).failures).toEqual([
      {
        file,
        field: 'device.tags',
        reason:
          'Device "edge-rpi-prod-001" would hold 130 tags; the limit is 128 besides its decommissioned tag',
      },
    ]);
  });

  it('imports the valid rest with --continue and reports the failures', async () => {
    write({
      'devices/edge-rpi-prod-001.yaml': device('edge-rpi-prod-001'),
      'devices/edge-rpi-prod-002.yaml': device('edge-rpi-prod-002').replace(
        'state: healthy',
        'state: sleeping',
      ),
      'catch-up-queue.yaml':
        'catch_up_queue:\n  - device_id: edge-rpi-prod-002\n    target_version: 2.3.1\n    deployment_id: d1\n',
    });

    const result = await failures({ continueOnError: true });
    expect([result.summary?.devices, result.failures]).toEqual([
      { created: 1, updated: 0, unchanged: 0 },
      [
        {
          file: 'devices/edge-rpi-prod-002.yaml',
          field: 'device.status.state',
          reason:
            '"sleeping" is not one of "provisioning", "healthy", "degraded", "failed", "offline", "maintenance", "decommissioned"',
        },
        {
          file: 'catch-up-queue.yaml',
          field: 'catch_up_queue[0].device_id',
          reason:
            'device "edge-rpi-prod-002" is neither in devices/ nor in the registry',
        },
      ],
    ]);
    expect(await deviceIds()).toEqual(['edge-rpi-prod-001']);
  });

  it('refuses a catch-up entry whose deployment exists neither in deployments/ nor in the registry', async () => {
    write({
      'devices/edge-rpi-prod-001.yaml': device('edge-rpi-prod-001'),
      'catch-up-queue.yaml':
        'catch_up_queue:\n  - device_id: edge-rpi-prod-001\n    target_version: 2.3.1\n    deployment_id: deploy-20250116-002\n',
    });

    const result = await failures();
    expect([result.summary, result.failures]).toEqual([
      null,
      [
        {
          file: 'catch-up-queue.yaml',
          field: 'catch_up_queue[0].deployment_id',
          reason:
            'deployment "deploy-20250116-002" is neither in deployments/ nor in the registry',
        },
      ],
    ]);
    expect(await deviceIds()).toEqual([]);
  });

  it('refuses a planned deployment naming a group defined nowhere, and imports it once the group is given', async () => {
    const deployment = (group: string) => `deployment:
  id: deploy-20261204-099
  artifact: qa-app:v0.0.1
  target:
    groups: [qa-fleet]
  waves:
    - name: all
      groups: [qa-fleet]
      exclude_groups: [${group}]
`;
    const fleet = 'qa-fleet:\n  membership: dynamic\n  query: tag:production\n';
    write({
      'groups/qa-fleet.yaml': fleet,
      'deployments/deploy-20261204-099.yaml': deployment('qa-ghost'),
    });
    const refused = await failures();
    write({
      'groups/qa-ghost.yaml':
        'qa-ghost:\n  membership: dynamic\n  query: tag:staging\n',
    });
    const imported = await failures();

    expect([refused.summary, refused.failures]).toEqual([
      null,
      [
        {
          file: 'deployments/deploy-20261204-099.yaml',
          field: 'deployment.waves[0].exclude_groups[0]',
          reason:
            'group "qa-ghost" is defined neither in groups/ nor in the registry; an unfinished deployment naming it could never start',
        },
      ],
    ]);
    expect(imported.failures).toEqual([]);
    const { rows } = await database.pool.query(
      'SELECT id, state FROM deployments',
    );
    expect(rows).toEqual([{ id: 'deploy-20261204-099', state: 'planned' }]);
  });

  it('fails fast on an alias bomb', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [index, name] of [
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
      'h',
      'i',
    ].entries()) {
      const previous = String.fromCharCode(97 + index);
      lines.push(
        `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`,
      );
    }
    write({ 'devices/bomb.yaml': `${lines.join('\n')}\n` });

    const started = Date.now();
    const result = await failures();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.failures).toEqual([
      {
        file: 'devices/bomb.yaml',
        field: '(yaml)',
        reason:
          'Excessive alias count indicates a resource exhaustion attack (at most 50 alias uses per file)',
      },
    ]);
  });

  it('refuses a huge file before parsing it', async () => {
    write({
      'devices/huge.yaml': `device:\n  notes: "${'x'.repeat(MAX_FILE_BYTES)}"\n`,
    });

    expect((await failures()).failures).toEqual([
      {
        file: 'devices/huge.yaml',
        field: '(file)',
        reason: `is ${MAX_FILE_BYTES + 20} bytes; registry files are at most 1048576 bytes`,
      },
    ]);
  });

  it('names every wrong type, unknown field and broken cross-reference', async () => {
    write({
      'devices/edge-rpi-prod-001.yaml': device(
        'edge-rpi-prod-001',
        '  groups: [nowhere]\n',
      ),
      'devices/edge-rpi-prod-002.yaml': device(
        'edge-rpi-prod-002',
        '  colour: blue\n',
      ),
      'devices/edge-rpi-prod-003.yaml': device('edge-rpi-prod-003').replace(
        'hostname:',
        'hostname: [a]\n  x:',
      ),
      'devices/wrong-name.yaml': device('edge-rpi-prod-004'),
      'devices/edge-rpi-prod-005.yaml': device(
        'edge-rpi-prod-005',
        '  groups: [prod]\n',
      ),
      'devices/edge-rpi-prod-006.yaml': device('edge-rpi-prod-006').replace(
        'environment: production',
        'environment: "has space"',
      ),
      'devices/edge-rpi-prod-007.yaml':
        'device:\n  id: edge-rpi-prod-007\n  hostname: h\n  hardware:\n    type: x\n    has_gpu: "yes"\n',
      'devices/edge-rpi-prod-008.yaml': device('edge-rpi-prod-008').replace(
        '2025-01-16T15:59:00Z',
        '16/01/2025',
      ),
      'devices/edge-rpi-prod-010.yaml': device('edge-rpi-prod-010').replace(
        '2025-01-16T15:59:00Z',
        '2025-02-30 15:59:00Z',
      ),
      'groups/prod.yaml':
        'prod:\n  membership: dynamic\n  query: "tag:production AND"\n',
      'groups/fixed.yaml':
        'fixed:\n  membership: static\n  devices: [edge-rpi-prod-009]\n',
      'devices/edge-rpi-prod-009.yaml': device('edge-rpi-prod-009'),
      'deployments/deploy-1.yaml': 'deployment:\n  artifact: app\n',
      'catch-up-queue.yaml':
        'catch_up_queue:\n  - device_id: a\n    target_version: 1.0.0\n    deployment_id: d\n    attempts: -1\n',
    });

    const result = await failures();
    expect(result.failures).toEqual([
      {
        file: 'devices/edge-rpi-prod-002.yaml',
        field: 'device.colour',
        reason: 'is not a known field',
      },
      {
        file: 'devices/edge-rpi-prod-003.yaml',
        field: 'device.hostname',
        reason: 'expected a string, got a list',
      },
      {
        file: 'devices/edge-rpi-prod-006.yaml',
        field: 'device.tags.environment',
        reason:
          'Invalid tag "has space": " " is not allowed in a tag (letters, digits, "-", "_", ".", "/").',
      },
      {
        file: 'devices/edge-rpi-prod-007.yaml',
        field: 'device.hardware.has_gpu',
        reason: 'expected true or false, got the string "yes"',
      },
      {
        file: 'devices/edge-rpi-prod-008.yaml',
        field: 'device.status.last_heartbeat',
        reason:
          '"16/01/2025" is not an ISO 8601 time with a zone, such as 2025-01-16T10:45:00Z',
      },
      {
        file: 'devices/edge-rpi-prod-010.yaml',
        field: 'device.status.last_heartbeat',
        reason: '"2025-02-30 15:59:00Z" is not a valid time',
      },
      {
        file: 'devices/wrong-name.yaml',
        field: 'device.id',
        reason:
          '"edge-rpi-prod-004" does not match the file name wrong-name.yaml',
      },
      {
        file: 'groups/prod.yaml',
        field: 'prod.query',
        reason:
          'QUERY_SYNTAX_ERROR at line 1, column 19: Expected an expression, found end of query.',
      },
      {
        file: 'deployments/deploy-1.yaml',
        field: 'deployment.target_version',
        reason: 'is required when the artifact "app" has no version tag',
      },
      {
        file: 'catch-up-queue.yaml',
        field: 'catch_up_queue[0].attempts',
        reason: '-1 is outside 0..1000',
      },
      {
        file: 'devices/edge-rpi-prod-001.yaml',
        field: 'device.groups[0]',
        reason:
          'group "nowhere" is defined neither in groups/ nor in the registry',
      },
      {
        file: 'devices/edge-rpi-prod-005.yaml',
        field: 'device.groups[0]',
        reason:
          'group "prod" is defined neither in groups/ nor in the registry',
      },
      {
        file: 'devices/edge-rpi-prod-009.yaml',
        field: 'device.groups',
        reason:
          'does not list "fixed", but groups/fixed.yaml lists this device',
      },
    ]);
    expect(await deviceIds()).toEqual([]);
  });
});
