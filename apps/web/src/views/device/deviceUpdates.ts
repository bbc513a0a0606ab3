import type { QueryClient } from '@tanstack/react-query';
import type {
  DeviceQuery,
  DeviceUpdatedSubscription,
} from '../../api/generated.ts';

/** One `deviceUpdated` event as the device page receives it. */
export type DeviceUpdate = DeviceUpdatedSubscription['deviceUpdated'];

/** The cache key of a device's record on the device page. */
export function deviceRecordKey(deviceId: string): readonly unknown[] {
  return ['device', deviceId, 'record'];
}

type DeviceRecord = NonNullable<DeviceQuery['device']>;

function lastHeartbeatTime(record: DeviceRecord): number {
  const { lastHeartbeat } = record.status;
  return lastHeartbeat === null ? -Infinity : Date.parse(lastHeartbeat);
}

/**
 * True when `candidate` is an older state of the device than `current`:
 * a lower event version, or the same version (heartbeats record no event)
 * with an earlier last heartbeat. A missing record is never older.
 */
function isOlderRecord(
  candidate: DeviceRecord | null,
  current: DeviceRecord | null,
): boolean {
  if (candidate === null || current === null) return false;
  if (candidate.version !== current.version) {
    return candidate.version < current.version;
  }

  return lastHeartbeatTime(candidate) < lastHeartbeatTime(current);
}

/**
 * The record the device page should show once `incoming` (a fetch's
 * answer or a live update's record) arrives while `cached` is shown: the
 * newer of the two, so that the page never goes back to an older state
 * of the device.
 */
export function newerDeviceData(
  cached: DeviceQuery | undefined,
  incoming: DeviceQuery,
): DeviceQuery {
  if (cached === undefined) return incoming;

  return isOlderRecord(incoming.device, cached.device) ? cached : incoming;
}

/**
 * The device page's other sections that an update may have changed, by the
 * update's kind (its `change` for deviceChanged). A heartbeat adds to the
 * metric charts and may complete a deployment step; a state change adds to
 * the timeline; a new deployed version shows in the deployment log.
 */
const STALE_SECTIONS: Record<string, readonly string[]> = {
  heartbeat: ['heartbeats', 'deployments'],
  stateChanged: ['transitions'],
  'deviceChanged:deployment': ['deployments'],
};

function staleSections(update: DeviceUpdate): readonly string[] {
  const key =
    update.change === null ? update.kind : `${update.kind}:${update.change}`;
  return STALE_SECTIONS[key] ?? [];
}

/**
 * Applies one update to the device page's cache: the record the update
 * carries replaces the cached one at once (state, connectivity, last
 * heartbeat, tags...) unless the cached one is newer, and the sections it
 * may have changed are refetched. A fetch of the record still in flight
 * was sent before the update arrived and may answer the state before it:
 * it is cancelled first (the cache keeps what it held).
 */
export async function applyDeviceUpdate(
  queryClient: QueryClient,
  update: DeviceUpdate,
): Promise<void> {
  const { deviceId } = update;
  const recordKey = deviceRecordKey(deviceId);
  await queryClient.cancelQueries({ queryKey: recordKey, exact: true });
  queryClient.setQueryData<DeviceQuery>(recordKey, (cached) =>
    newerDeviceData(cached, { device: update.device }),
  );

  for (const section of staleSections(update)) {
    void queryClient.invalidateQueries({
      queryKey: ['device', deviceId, section],
    });
  }
}
