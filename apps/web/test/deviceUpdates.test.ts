import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { DeviceQuery } from '../src/api/generated.ts';
import {
  applyDeviceUpdate,
  newerDeviceData,
  type DeviceUpdate,
} from '../src/views/device/deviceUpdates.ts';

type DeviceRecord = NonNullable<DeviceQuery['device']>;

const SECTIONS = ['record', 'heartbeats', 'transitions', 'deployments'];

/**
 * A device record with the given connectivity and plain tags, at event
 * `version` and with its last heartbeat at minute `heartbeatMinute`.
 */
function deviceRecord(
  connectivity: string,
  tags: string[],
  { version = 7, heartbeatMinute = 1 } = {},
): DeviceRecord {
  return {
    id: 'edge-1',
    hostname: 'edge-1.local',
    serialNumber: null,
    macAddress: null,
    ipAddress: null,
    environment: 'production',
    heartbeatIntervalSeconds: 60,
    version,
    groups: [],
    hardware: {
      type: 'jetson-orin-nano',
      architecture: null,
      cpuCores: null,
      ramMb: null,
      gpu: null,
      diskTotalMb: null,
      hasGpu: false,
      storageType: null,
      cameras: [],
      sensors: [],
    },
    software: {
      os: null,
      kernel: null,
      jetpackVersion: null,
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
      state: 'MAINTENANCE',
      stateSince: '2026-01-01T00:00:00.000Z',
      lastHeartbeat: `2026-01-01T00:${String(heartbeatMinute).padStart(2, '0')}:00.000Z`,
      uptimeSeconds: null,
      connectivity,
      offlineTier: null,
      tierSince: null,
      offlineSince: null,
      lastKnownState: null,
      appVersion: null,
      reportedStatus: null,
      metrics: null,
    },
    metadata: {
      registered: '2026-01-01T00:00:00.000Z',
      lastUpdated: '2026-01-01T00:00:00.000Z',
      decommissioned: null,
      notes: null,
      physicalLocation: null,
    },
    tags: tags.map((key) => ({ key, value: '' })),
  };
}

/**
 * Applies `update` to a cache holding every section of the device page;
 * returns the cached record and the sections marked for a refetch.
 */
async function afterUpdate(update: Omit<DeviceUpdate, 'deviceId' | 'at'>) {
  const queryClient = new QueryClient();
  for (const section of SECTIONS) {
    queryClient.setQueryData(['device', 'edge-1', section], {});
  }
  queryClient.setQueryData<DeviceQuery>(['device', 'edge-1', 'record'], {
    device: deviceRecord('online', []),
  });

  await applyDeviceUpdate(queryClient, {
    deviceId: 'edge-1',
    at: '2026-01-01T00:05:00.000Z',
    ...update,
  });
  return {
    record: queryClient.getQueryData<DeviceQuery>([
      'device',
      'edge-1',
      'record',
    ])?.device,
    refetched: SECTIONS.filter(
      (section) =>
        queryClient.getQueryState(['device', 'edge-1', section])?.isInvalidated,
    ),
  };
}

describe('applyDeviceUpdate', () => {
  it('writes the record of a connectivity change over the cached one and refetches nothing', async () => {
    expect(
      await afterUpdate({
        kind: 'deviceChanged',
        change: 'connectivity',
        device: deviceRecord('offline', []),
      }),
    ).toEqual({ record: deviceRecord('offline', []), refetched: [] });
  });

  it('writes the tags of a tag change', async () => {
    expect(
      await afterUpdate({
        kind: 'deviceChanged',
        change: 'tags',
        device: deviceRecord('online', ['rack-9']),
      }),
    ).toEqual({ record: deviceRecord('online', ['rack-9']), refetched: [] });
  });

  it('refetches the timeline after a state change', async () => {
    expect(
      (
        await afterUpdate({
          kind: 'stateChanged',
          change: null,
          device: deviceRecord('offline', []),
        })
      ).refetched,
    ).toEqual(['transitions']);
  });

  it('refetches the charts and the deployment log after a heartbeat', async () => {
    expect(
      (
        await afterUpdate({
          kind: 'heartbeat',
          change: null,
          device: deviceRecord('online', []),
        })
      ).refetched,
    ).toEqual(['heartbeats', 'deployments']);
  });
});

const RECORD_KEY = ['device', 'edge-1', 'record'];

/** A connectivity change of edge-1 whose record is `device`. */
function connectivityUpdate(device: DeviceRecord): DeviceUpdate {
  return {
    deviceId: 'edge-1',
    at: '2026-01-01T00:05:00.000Z',
    kind: 'deviceChanged',
    change: 'connectivity',
    device,
  };
}

/** A cache holding edge-1's record `device`. */
function cacheHolding(device: DeviceRecord): QueryClient {
  const queryClient = new QueryClient();
  queryClient.setQueryData<DeviceQuery>(RECORD_KEY, { device });
  return queryClient;
}

describe('applyDeviceUpdate, in order with fetches', () => {
  it('keeps a live update when a refetch sent before it answers the older state', async () => {
    const queryClient = cacheHolding(
      deviceRecord('online', [], { version: 6 }),
    );
    let answer: (data: DeviceQuery) => void = () => undefined;
    const refetch = queryClient.fetchQuery({
      queryKey: RECORD_KEY,
      queryFn: () =>
        new Promise<DeviceQuery>((resolve) => {
          answer = resolve;
        }),
    });

    await applyDeviceUpdate(
      queryClient,
      connectivityUpdate(deviceRecord('offline', [], { version: 8 })),
    );
    answer({ device: deviceRecord('online', [], { version: 7 }) });
    await refetch;

    expect(queryClient.getQueryData(RECORD_KEY)).toEqual({
      device: deviceRecord('offline', [], { version: 8 }),
    });
  });

  it('keeps the cached record when an update of an older version arrives after it', async () => {
    const queryClient = cacheHolding(
      deviceRecord('offline', [], { version: 8 }),
    );

    await applyDeviceUpdate(
      queryClient,
      connectivityUpdate(deviceRecord('online', [], { version: 7 })),
    );

    expect(queryClient.getQueryData(RECORD_KEY)).toEqual({
      device: deviceRecord('offline', [], { version: 8 }),
    });
  });

  it('writes a later heartbeat, which keeps the version, over the cached record', async () => {
    const queryClient = cacheHolding(
      deviceRecord('online', [], { version: 7, heartbeatMinute: 1 }),
    );

    await applyDeviceUpdate(queryClient, {
      ...connectivityUpdate(
        deviceRecord('online', [], { version: 7, heartbeatMinute: 2 }),
      ),
      kind: 'heartbeat',
      change: null,
    });

    expect(queryClient.getQueryData(RECORD_KEY)).toEqual({
      device: deviceRecord('online', [], { version: 7, heartbeatMinute: 2 }),
    });
  });
});

describe('newerDeviceData', () => {
  it('keeps the cached record over a fetch that answers an older version', () => {
    const cached = { device: deviceRecord('offline', [], { version: 8 }) };
    const fetched = { device: deviceRecord('online', [], { version: 7 }) };

    expect(newerDeviceData(cached, fetched)).toBe(cached);
  });

  it('keeps the cached record over a fetch of the same version with an earlier heartbeat', () => {
    const cached = {
      device: deviceRecord('online', [], { heartbeatMinute: 3 }),
    };
    const fetched = {
      device: deviceRecord('online', [], { heartbeatMinute: 2 }),
    };

    expect(newerDeviceData(cached, fetched)).toBe(cached);
  });

  it('takes a fetched record of a newer version', () => {
    const cached = { device: deviceRecord('online', [], { version: 7 }) };
    const fetched = { device: deviceRecord('failed', [], { version: 9 }) };

    expect(newerDeviceData(cached, fetched)).toBe(fetched);
  });

  it('takes a fetched record when nothing is cached, or the device is gone', () => {
    const fetched = { device: deviceRecord('online', []) };
    const gone = { device: null };

    expect([
      newerDeviceData(undefined, fetched),
      newerDeviceData(fetched, gone),
    ]).toEqual([fetched, gone]);
  });
});
