import type { QueryClient } from '@tanstack/react-query';
import type {
  DeviceQuery,
  DeviceUpdatedSubscription,
} from '../../api/generated.ts';

/** One `deviceUpdated` event as the device page receives it. */
export type DeviceUpdate = DeviceUpdatedSubscription['deviceUpdated'];

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
 * heartbeat, tags...), and the sections it may have changed are refetched.
 */
export function applyDeviceUpdate(
  queryClient: QueryClient,
  update: DeviceUpdate,
): void {
  const { deviceId } = update;
  queryClient.setQueryData<DeviceQuery>(['device', deviceId, 'record'], {
    device: update.device,
  });

  for (const section of staleSections(update)) {
    void queryClient.invalidateQueries({
      queryKey: ['device', deviceId, section],
    });
  }
}
