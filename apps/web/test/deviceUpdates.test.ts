import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { DeviceQuery } from '../src/api/generated.ts';
import {
  applyDeviceUpdate,
  type DeviceUpdate,
} from '../src/views/device/deviceUpdates.ts';

type DeviceRecord = NonNullable<DeviceQuery['device']>;

const SECTIONS = ['record', 'heartbeats', 'transitions', 'deployments'];

/** A device record with the given connectivity and plain tags. */
function deviceRecord(connectivity: string, tags: string[]): DeviceRecord {
  return {
    id: 'edge-1',
    hostname: 'edge-1.local',
    serialNumber: null,
    macAddress: null,
    ipAddress: null,
    environment: 'production',
    heartbeatIntervalSeconds: 60,
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
      lastHeartbeat: '2026-01-01T00:01:00.000Z',
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
function afterUpdate(update: Omit<DeviceUpdate, 'deviceId' | 'at'>) {
  const queryClient = new QueryClient();
  for (const section of SECTIONS) {
    queryClient.setQueryData(['device', 'edge-1', section], {});
  }
  queryClient.setQueryData<DeviceQuery>(['device', 'edge-1', 'record'], {
    device: deviceRecord('online', []),
  });

  applyDeviceUpdate(queryClient, {
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
  it('writes the record of a connectivity change over the cached one and refetches nothing', () => {
    expect(
      afterUpdate({
        kind: 'deviceChanged',
        change: 'connectivity',
        device: deviceRecord('offline', []),
      }),
    ).toEqual({ record: deviceRecord('offline', []), refetched: [] });
  });

  it('writes the tags of a tag change', () => {
    expect(
      afterUpdate({
        kind: 'deviceChanged',
        change: 'tags',
        device: deviceRecord('online', ['rack-9']),
      }),
    ).toEqual({ record: deviceRecord('online', ['rack-9']), refetched: [] });
  });

  it('refetches the timeline after a state change', () => {
    expect(
      afterUpdate({
        kind: 'stateChanged',
        change: null,
        device: deviceRecord('offline', []),
      }).refetched,
    ).toEqual(['transitions']);
  });

  it('refetches the charts and the deployment log after a heartbeat', () => {
    expect(
      afterUpdate({
        kind: 'heartbeat',
        change: null,
        device: deviceRecord('online', []),
      }).refetched,
    ).toEqual(['heartbeats', 'deployments']);
  });
});
