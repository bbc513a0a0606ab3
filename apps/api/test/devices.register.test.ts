import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';

const DEVICE_FIELDS = `
  id hostname serialNumber macAddress ipAddress environment
  hardware { type architecture cpuCores ramMb gpu diskTotalMb hasGpu storageType cameras sensors }
  software { os kernel jetpackVersion cudaVersion containerRuntime containerRuntimeVersion }
  deployment { currentVersion previousVersion lastDeployed deploymentSlot rollbackAvailable rollbackVersion }
  status { state stateSince lastHeartbeat uptimeSeconds connectivity offlineTier tierSince offlineSince lastKnownState appVersion metrics reportedStatus }
  tags { key value category } tagMap groups
  metadata { registered lastUpdated decommissioned notes physicalLocation }
  heartbeatIntervalSeconds allowedActions`;

const REGISTER = `mutation ($input: RegisterDeviceInput!) {
  registerDevice(input: $input) { deviceToken device { ${DEVICE_FIELDS} } }
}`;

const JETSON = {
  hostname: 'jetson-042.factory-a.local',
  serialNumber: '1425000012345',
  macAddress: '00:04:4B:E6:A3:12',
  ipAddress: '10.0.4.42',
  environment: 'production',
  role: 'inference-server',
  locationTags: ['region-us-east', 'Site-Factory-A'],
  tagMap: { Region: 'Factory-A', line: 'assembly-3' },
  tags: [{ key: 'priority-high' }],
  hardware: {
    type: 'jetson-orin-nano',
    architecture: 'aarch64',
    cpuCores: 6,
    ramMb: 8192,
    gpu: 'NVIDIA Orin (1024 CUDA cores)',
    diskTotalMb: 65536,
    hasGpu: true,
    storageType: 'nvme',
    cameras: ['csi:imx219'],
    sensors: ['imu'],
  },
  software: {
    os: 'Ubuntu 22.04',
    kernel: '5.15.136-tegra',
    jetpackVersion: '6.0',
  },
  notes: 'Installed on assembly line 3, camera mount position B',
  physicalLocation: 'Building 4, Floor 2, Rack 7, Slot 3',
};

type Input = Record<string, unknown>;

function minimal(overrides: Input = {}): Input {
  return {
    hostname: 'device.local',
    environment: 'production',
    hardware: { type: 'jetson-orin-nano' },
    ...overrides,
  };
}

async function countRows(server: TestServer): Promise<Record<string, number>> {
  const tables = [
    'devices',
    'device_status',
    'device_tags',
    'state_transitions',
    'audit_log',
    'device_tokens',
    'group_members',
    'device_events',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await server.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table}`,
    );
    counts[table] = rows[0]!.n;
  }
  const seq = await server.database.pool.query<{ s: string }>(
    `SELECT coalesce(string_agg(device_type || '/' || environment || '=' || next, ','
       ORDER BY device_type, environment), '') AS s FROM device_id_sequences`,
  );
  counts[`sequences:${seq.rows[0]!.s}`] = 1;
  return counts;
}

describe('registerDevice', () => {
  let server: TestServer;
  const register = (input: Input) =>
    server.request<{
      registerDevice: { deviceToken: string; device: Record<string, unknown> };
    }>(REGISTER, { input });
  const idOf = async (input: Input) =>
    (await register(input)).data?.registerDevice.device.id;

  beforeAll(async () => {
    server = await startTestServer();
    await server.database.pool.query(
      `INSERT INTO groups (id, name, membership, query) VALUES
         (gen_random_uuid(), 'critical-devices', 'static', NULL),
         (gen_random_uuid(), 'jetson-orin-fleet', 'dynamic', 'tag:gpu-jetson-orin')`,
    );
  });
  afterAll(() => server.close());

  it('creates the whole record in PROVISIONING with derived and given tags', async () => {
    const result = await register({ ...JETSON, groups: ['critical-devices'] });
    const at = '2026-01-01T00:00:00.000Z';
    expect(result.errors).toBeUndefined();
    const { device, deviceToken } = result.data!.registerDevice;
    expect(deviceToken).toMatch(/^rc_dev_[A-Za-z0-9_-]{43}$/);
    expect(device).toEqual({
      id: 'edge-jetson-prod-001',
      hostname: 'jetson-042.factory-a.local',
      serialNumber: '1425000012345',
      macAddress: '00:04:4b:e6:a3:12',
      ipAddress: '10.0.4.42',
      environment: 'production',
      hardware: { ...JETSON.hardware },
      software: {
        os: 'Ubuntu 22.04',
        kernel: '5.15.136-tegra',
        jetpackVersion: '6.0',
        cudaVersion: null,
        containerRuntime: null,
        containerRuntimeVersion: null,
      },
      deployment: {
        currentVersion: null,
        previousVersion: null,
        lastDeployed: null,
        deploymentSlot: null,
        rollbackAvailable: false,
        rollbackVersion: null,
      },
      status: {
        state: 'PROVISIONING',
        stateSince: at,
        lastHeartbeat: null,
        uptimeSeconds: null,
        connectivity: 'offline',
        offlineTier: null,
        tierSince: null,
        offlineSince: null,
        lastKnownState: null,
        appVersion: null,
        metrics: null,
        reportedStatus: null,
      },
      tags: [
        { key: 'camera-csi', value: '', category: 'hardware' },
        { key: 'environment', value: 'production', category: 'environment' },
        { key: 'gpu-capable', value: '', category: 'hardware' },
        { key: 'gpu-jetson-orin', value: '', category: 'hardware' },
        { key: 'inference-server', value: '', category: 'role' },
        { key: 'line', value: 'assembly-3', category: null },
        { key: 'memory-8gb', value: '', category: 'hardware' },
        { key: 'priority-high', value: '', category: 'fleet' },
        { key: 'production', value: '', category: 'environment' },
        { key: 'region', value: 'factory-a', category: null },
        { key: 'region-us-east', value: '', category: 'location' },
        { key: 'role', value: 'inference-server', category: 'role' },
        { key: 'sensor-imu', value: '', category: 'hardware' },
        { key: 'site-factory-a', value: '', category: 'location' },
        { key: 'storage-ssd', value: '', category: 'hardware' },
      ],
      tagMap: {
        'camera-csi': '',
        environment: 'production',
        'gpu-capable': '',
        'gpu-jetson-orin': '',
        'inference-server': '',
        line: 'assembly-3',
        'memory-8gb': '',
        'priority-high': '',
        production: '',
        region: 'factory-a',
        'region-us-east': '',
        role: 'inference-server',
        'sensor-imu': '',
        'site-factory-a': '',
        'storage-ssd': '',
      },
      groups: ['critical-devices', 'jetson-orin-fleet'],
      metadata: {
        registered: at,
        lastUpdated: at,
        decommissioned: null,
        notes: 'Installed on assembly line 3, camera mount position B',
        physicalLocation: 'Building 4, Floor 2, Rack 7, Slot 3',
      },
      heartbeatIntervalSeconds: 60,
      allowedActions: ['ACTIVATE', 'DECOMMISSION'],
    });
  });

  it('records the REGISTRATION transition and an audit entry', async () => {
    const history = await server.request(
      `{ stateTransitions(deviceId: "edge-jetson-prod-001") {
           totalCount edges { node { deviceId from to cause actor reason at } } }
         auditLog(entityType: "device", entityId: "edge-jetson-prod-001") {
           totalCount edges { node { actor action entityType entityId before } } } }`,
    );
    expect(history.data).toEqual({
      stateTransitions: {
        totalCount: 1,
        edges: [
          {
            node: {
              deviceId: 'edge-jetson-prod-001',
              from: null,
              to: 'PROVISIONING',
              cause: 'REGISTRATION',
              actor: 'operator:bootstrap-admin',
              reason: null,
              at: '2026-01-01T00:00:00.000Z',
            },
          },
        ],
      },
      auditLog: {
        totalCount: 1,
        edges: [
          {
            node: {
              actor: 'operator:bootstrap-admin',
              action: 'device.registered',
              entityType: 'device',
              entityId: 'edge-jetson-prod-001',
              before: null,
            },
          },
        ],
      },
    });
  });

  it('draws ids per type and environment, zero-padded, skipping taken ones', async () => {
    const ids = [
      await idOf(minimal()),
      await idOf(minimal({ id: 'edge-jetson-prod-003' })),
      await idOf(minimal()),
      await idOf(minimal({ hardware: { type: 'raspberry-pi-4' } })),
      await idOf(minimal({ environment: 'staging' })),
      await idOf(minimal({ hardware: { type: 'jetson-xavier-nx' } })),
    ];
    expect(ids).toEqual([
      'edge-jetson-prod-002',
      'edge-jetson-prod-003',
      'edge-jetson-prod-004',
      'edge-rpi-prod-001',
      'edge-jetson-staging-001',
      'edge-jetson-prod-005',
    ]);
  });

  it.each([
    ['id', { id: 'edge-jetson-prod-001' }, 'edge-jetson-prod-001'],
    ['serialNumber', { serialNumber: '1425000012345' }, '1425000012345'],
    ['macAddress', { macAddress: '00-04-4b-E6-a3-12' }, '00:04:4b:e6:a3:12'],
  ])(
    'refuses a duplicate %s with DUPLICATE_DEVICE and writes nothing',
    async (field, overrides, value) => {
      const before = await countRows(server);
      const result = await register(minimal(overrides));
      expect(result.errors?.map((e) => e.extensions)).toEqual([
        { code: 'DUPLICATE_DEVICE', field, value },
      ]);
      expect(await countRows(server)).toEqual(before);
    },
  );

  it('refuses an unknown group with NOT_FOUND and writes nothing', async () => {
    const before = await countRows(server);
    const result = await register(minimal({ groups: ['no-such-group'] }));
    expect(result.errors?.map((e) => e.extensions)).toEqual([
      { code: 'NOT_FOUND', kind: 'Group', id: 'no-such-group' },
    ]);
    expect(await countRows(server)).toEqual(before);
  });

  it('refuses to join a dynamic group by name', async () => {
    const result = await register(minimal({ groups: ['jetson-orin-fleet'] }));
    expect(result.errors?.map((e) => e.extensions)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        argument: 'groups',
        group: 'jetson-orin-fleet',
      },
    ]);
  });

  it.each([
    ['an invalid tag', { tags: [{ key: 'bad tag' }] }, 'tags'],
    [
      'the reserved decommissioned tag',
      { tags: [{ key: 'Decommissioned' }] },
      'tags',
    ],
    ['a tagMap value that is not a string', { tagMap: { line: 3 } }, 'tagMap'],
    ['a malformed MAC address', { macAddress: '00:04:4b' }, 'macAddress'],
    ['an invalid id', { id: 'edge/jetson' }, 'id'],
    [
      'a zero heartbeat interval',
      { heartbeatIntervalSeconds: 0 },
      'heartbeatIntervalSeconds',
    ],
  ])('refuses %s with BAD_USER_INPUT', async (_name, overrides, argument) => {
    const result = await register(minimal(overrides));
    expect(
      result.errors?.map((e) => [e.extensions?.code, e.extensions?.argument]),
    ).toEqual([['BAD_USER_INPUT', argument]]);
  });

  it('returns a token that authenticates as the device and nothing more', async () => {
    const result = await register(minimal({ serialNumber: 'token-test' }));
    const { deviceToken, device } = result.data!.registerDevice;
    const me = await server.request(
      '{ me { kind deviceId } }',
      {},
      deviceToken,
    );
    const list = await server.request(
      '{ devices { totalCount } }',
      {},
      deviceToken,
    );
    expect([me.data, list.errors?.map((e) => e.extensions?.code)]).toEqual([
      { me: { kind: 'DEVICE', deviceId: device.id } },
      ['FORBIDDEN'],
    ]);
  });

  it('stores only the hash of the token', async () => {
    const result = await register(minimal({ serialNumber: 'hash-test' }));
    const { deviceToken, device } = result.data!.registerDevice;
    const { rows } = await server.database.pool.query<{ token_hash: string }>(
      'SELECT token_hash FROM device_tokens WHERE device_id = $1',
      [device.id],
    );
    expect(rows.map((row) => row.token_hash.length)).toEqual([64]);
    expect(rows[0]!.token_hash).not.toContain(deviceToken);
  });
});
