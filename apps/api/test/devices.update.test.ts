import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/index.ts';

const UPDATE = `mutation ($id: ID!, $input: UpdateDeviceInput!) {
  updateDevice(id: $id, input: $input) {
    id hostname ipAddress heartbeatIntervalSeconds
    hardware { ramMb storageType cameras }
    software { os }
    metadata { notes physicalLocation lastUpdated }
    tags { key }
  }
}`;

describe('updateDevice', () => {
  let server: TestServer;
  const codes = (result: {
    errors?: Array<{ extensions?: Record<string, unknown> }>;
  }) => result.errors?.map((e) => e.extensions);

  beforeAll(async () => {
    server = await startTestServer();
    await server.request(
      `mutation { registerDevice(input: {
         id: "upd-1", hostname: "old.local", environment: "staging",
         hardware: { type: "raspberry-pi-4", ramMb: 4096, storageType: "sdcard", hasGpu: false }
       }) { device { id } } }`,
    );
    server.clock.set('2026-04-01T08:00:00.000Z');
  });
  afterAll(() => server.close());

  it('changes the given fields, re-derives capability tags and keeps the rest', async () => {
    const result = await server.request(UPDATE, {
      id: 'upd-1',
      input: {
        hostname: 'new.local',
        notes: 'moved to line 4',
        physicalLocation: 'Building 2',
        heartbeatIntervalSeconds: 120,
        hardware: { ramMb: 8192, storageType: 'emmc', cameras: [] },
        software: { os: 'Raspberry Pi OS 12' },
      },
    });
    expect(result.data).toEqual({
      updateDevice: {
        id: 'upd-1',
        hostname: 'new.local',
        ipAddress: null,
        heartbeatIntervalSeconds: 120,
        hardware: { ramMb: 8192, storageType: 'emmc', cameras: [] },
        software: { os: 'Raspberry Pi OS 12' },
        metadata: {
          notes: 'moved to line 4',
          physicalLocation: 'Building 2',
          lastUpdated: '2026-04-01T08:00:00.000Z',
        },
        tags: [
          { key: 'camera-none' },
          { key: 'environment' },
          { key: 'gpu-none' },
          { key: 'memory-8gb' },
          { key: 'staging' },
          { key: 'storage-emmc' },
        ],
      },
    });
  });

  it('audits each changed column before and after, and publishes deviceChanged', async () => {
    const audit = await server.request(
      `{ auditLog(entityType: "device", entityId: "upd-1", first: 1) {
           edges { node { action actor before after } } } }`,
    );
    const events = await server.database.pool.query(
      `SELECT kind, payload->>'change' AS change FROM device_events
       WHERE device_id = 'upd-1' ORDER BY id DESC LIMIT 1`,
    );
    expect([audit.data, events.rows]).toEqual([
      {
        auditLog: {
          edges: [
            {
              node: {
                action: 'device.updated',
                actor: 'operator:bootstrap-admin',
                before: {
                  hostname: 'old.local',
                  notes: null,
                  physical_location: null,
                  heartbeat_interval_seconds: 60,
                  ram_mb: 4096,
                  storage_type: 'sdcard',
                  cameras: null,
                  os: null,
                },
                after: {
                  hostname: 'new.local',
                  notes: 'moved to line 4',
                  physical_location: 'Building 2',
                  heartbeat_interval_seconds: 120,
                  ram_mb: 8192,
                  storage_type: 'emmc',
                  cameras: [],
                  os: 'Raspberry Pi OS 12',
                  capabilityTags: {
                    added: ['memory-8gb', 'storage-emmc', 'camera-none'],
                    removed: ['memory-4gb', 'storage-sdcard'],
                  },
                },
              },
            },
          ],
        },
      },
      [{ kind: 'deviceChanged', change: 'record' }],
    ]);
  });

  it('writes nothing when nothing changes', async () => {
    const before = await server.database.pool.query(
      'SELECT count(*)::int AS n FROM audit_log',
    );
    await server.request(UPDATE, {
      id: 'upd-1',
      input: { hostname: 'new.local' },
    });
    const after = await server.database.pool.query(
      'SELECT count(*)::int AS n FROM audit_log',
    );
    expect(after.rows).toEqual(before.rows);
  });

  it('has no way to change the id', async () => {
    const result = await server.request(UPDATE, {
      id: 'upd-1',
      input: { id: 'other' },
    });
    expect([result.status, codes(result)]).toEqual([
      400,
      [{ code: 'BAD_USER_INPUT' }],
    ]);
  });

  it.each([
    ['an empty hostname', { hostname: ' ' }, 'hostname'],
    [
      'a null heartbeat interval',
      { heartbeatIntervalSeconds: null },
      'heartbeatIntervalSeconds',
    ],
    ['a negative RAM size', { hardware: { ramMb: -1 } }, 'hardware.ramMb'],
  ])('refuses %s with BAD_USER_INPUT', async (_name, input, argument) => {
    const result = await server.request(UPDATE, { id: 'upd-1', input });
    expect(codes(result)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
  });

  it('refuses hardware whose capability tags take the device past 128 tags and writes nothing', async () => {
    const id = 'upd-tags';
    await server.request(
      `mutation { registerDevice(input: {
         id: "${id}", hostname: "tags.local", environment: "staging",
         hardware: { type: "raspberry-pi-4", ramMb: 4096, storageType: "sdcard", hasGpu: false }
       }) { device { id } } }`,
    );
    const { rows } = await server.database.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM device_tags WHERE device_id = $1',
      [id],
    );
    await server.database.pool.query(
      `INSERT INTO device_tags (device_id, key, value, created_at)
       SELECT $1, 'filler-' || n, '', now()
       FROM generate_series(1, 128 - $2::int) AS n`,
      [id, rows[0]!.n],
    );
    const stored = async () => {
      const tags = await server.database.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM device_tags WHERE device_id = $1',
        [id],
      );
      const device = await server.database.pool.query(
        'SELECT cameras, sensors, updated_at FROM devices WHERE id = $1',
        [id],
      );
      const audit = await server.database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log
         WHERE entity_id = $1 AND action = 'device.updated'`,
        [id],
      );
      return { tags: tags.rows[0]!.n, device: device.rows, audit: audit.rows };
    };
    const before = await stored();

    const result = await server.request(UPDATE, {
      id,
      input: {
        hardware: { cameras: ['usb', 'csi'], sensors: ['imu', 'lidar'] },
      },
    });

    expect({
      errors: result.errors?.map((e) => ({
        message: e.message,
        extensions: e.extensions,
      })),
      before: before.tags,
      after: await stored(),
    }).toEqual({
      errors: [
        {
          message: `Device "${id}" would hold 132 tags; the limit is 128`,
          extensions: {
            code: 'BAD_USER_INPUT',
            argument: 'hardware',
            field: 'hardware',
            maxItems: 128,
            deviceId: id,
          },
        },
      ],
      before: 128,
      after: before,
    });
  });

  it('answers NOT_FOUND for an unknown device', async () => {
    const result = await server.request(UPDATE, {
      id: 'nope',
      input: { notes: 'x' },
    });
    expect(codes(result)).toEqual([
      { code: 'NOT_FOUND', kind: 'Device', id: 'nope' },
    ]);
  });
});
