import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { exportRegistry } from '../src/importExport/exportRegistry.ts';
import { importRegistry } from '../src/importExport/importRegistry.ts';
import { startTestServer, type TestServer } from '../src/testing/index.ts';
import { matchingDeviceIds } from './support/deviceFixtures.ts';

const TIMING = { intervalSeconds: 60, timeoutSeconds: 180 };

const REGISTER = `mutation ($input: RegisterDeviceInput!) {
  registerDevice(input: $input) { device { id } }
}`;

const IMPORTED = `device:
  id: imported-jetson
  hostname: imported-jetson.local
  hardware:
    type: jetson-orin-nano
  tags:
    environment: production
    role: inference-server
  labels:
    - inference-server
    - production
`;

let server: TestServer;
const temporary: string[] = [];

function tempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'rollcall-register-tags-'));
  temporary.push(directory);
  return directory;
}

function register(input: Record<string, unknown>) {
  return server.request(REGISTER, {
    input: { hostname: `${String(input.id)}.local`, ...input },
  });
}

async function importDirectory(directory: string) {
  const summary = await importRegistry(server.database.pool, {
    directory,
    now: server.clock.now(),
    timing: TIMING,
  });
  return summary.failures.map((failure) => failure.toJSON());
}

async function deviceIds(where: string): Promise<string[]> {
  return (await matchingDeviceIds(server, where)).sort();
}

beforeAll(async () => {
  server = await startTestServer();
  const jetson = { type: 'jetson-orin-nano' };
  for (const input of [
    {
      id: 'api-jetson',
      environment: 'production',
      role: 'inference-server',
      hardware: jetson,
    },
    {
      id: 'api-gateway',
      environment: 'staging',
      role: 'gateway',
      hardware: { type: 'x86-gateway' },
    },
  ]) {
    expect((await register(input)).errors).toBeUndefined();
  }
  const directory = tempDir();
  mkdirSync(join(directory, 'devices'));
  writeFileSync(join(directory, 'devices', 'imported-jetson.yaml'), IMPORTED);
  expect(await importDirectory(directory)).toEqual([]);
});

afterAll(async () => {
  await server.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('registerDevice environment and role tags', () => {
  it('finds a registered device by plain and key=value environment and role, as an imported one', async () => {
    const found = {
      plainEnvironment: await deviceIds('tag:production'),
      environment: await deviceIds('tag:environment=production'),
      plainRole: await deviceIds('tag:inference-server'),
      role: await deviceIds('tag:role=inference-server'),
      staging: await deviceIds('tag:environment=staging AND tag:role=gateway'),
    };

    expect(found).toEqual({
      plainEnvironment: ['api-jetson', 'imported-jetson'],
      environment: ['api-jetson', 'imported-jetson'],
      plainRole: ['api-jetson', 'imported-jetson'],
      role: ['api-jetson', 'imported-jetson'],
      staging: ['api-gateway'],
    });
  });

  it('keeps the environment of a registered device through export, edit and import', async () => {
    const directory = tempDir();
    await exportRegistry(server.database.pool, directory);
    const file = join(directory, 'devices', 'api-jetson.yaml');
    const data = parse(readFileSync(file, 'utf8'));
    data.device.metadata.notes = 'moved to line 4';
    writeFileSync(file, stringify(data));

    const failures = await importDirectory(directory);
    const result = await server.request(
      '{ device(id: "api-jetson") { environment metadata { notes } } }',
    );

    expect([failures, data.device.tags, result.data]).toEqual([
      [],
      { environment: 'production', role: 'inference-server' },
      {
        device: {
          environment: 'production',
          metadata: { notes: 'moved to line 4' },
        },
      },
    ]);
  });

  it.each([
    ['tagMap', { tagMap: { Environment: 'staging' } }],
    ['tags', { tags: [{ key: 'role', value: 'gateway' }] }],
  ])(
    'refuses a %s entry that contradicts the environment or role with BAD_USER_INPUT',
    async (argument, overrides) => {
      const result = await register({
        id: `contradicting-${argument}`,
        environment: 'production',
        role: 'inference-server',
        hardware: { type: 'jetson-orin-nano' },
        ...overrides,
      });

      expect(
        result.errors?.map((e) => [e.extensions?.code, e.extensions?.argument]),
      ).toEqual([['BAD_USER_INPUT', argument]]);
    },
  );

  it('accepts a tagMap entry that repeats the environment, storing it once', async () => {
    const result = await server.request<{
      registerDevice: {
        device: { tags: Array<{ key: string; value: string }> };
      };
    }>(
      `mutation ($input: RegisterDeviceInput!) {
         registerDevice(input: $input) { device { tags { key value } } }
       }`,
      {
        input: {
          id: 'repeating',
          hostname: 'repeating.local',
          environment: 'Staging',
          tagMap: { environment: 'staging' },
          hardware: { type: 'x86-gateway' },
        },
      },
    );

    expect(result.data?.registerDevice.device.tags).toEqual([
      { key: 'environment', value: 'staging' },
      { key: 'gpu-none', value: '' },
      { key: 'staging', value: '' },
    ]);
  });
});
