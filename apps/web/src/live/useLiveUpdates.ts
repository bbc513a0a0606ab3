import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import {
  CATCH_UP_QUEUE_CHANGED,
  DEVICE_STATE_CHANGED,
  OFFLINE_TIER_CHANGED,
} from '../api/documents/live.ts';
import { onReconnect, subscribe } from '../api/wsClient.ts';
import { createLiveInvalidator } from './liveInvalidator.ts';
import { followServerClock } from './serverClock.ts';

interface DeviceEvent {
  deviceId: string;
}

/**
 * Keeps every view live: state and tier events invalidate the queries that
 * show them (liveInvalidator.ts), and after a reconnect everything is
 * refetched, because events sent while the socket was down are lost.
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    const invalidator = createLiveInvalidator(queryClient);
    const onDeviceEvent = (event: DeviceEvent | undefined) =>
      invalidator.onDeviceEvent(event?.deviceId);

    const unsubscribers = [
      subscribe<{ deviceStateChanged: DeviceEvent }>(
        DEVICE_STATE_CHANGED,
        {},
        (data) => onDeviceEvent(data.deviceStateChanged),
      ),
      subscribe<{ offlineTierChanged: DeviceEvent }>(
        OFFLINE_TIER_CHANGED,
        {},
        (data) => onDeviceEvent(data.offlineTierChanged),
      ),
      subscribe<{ catchUpQueueChanged: DeviceEvent }>(
        CATCH_UP_QUEUE_CHANGED,
        {},
        (data) => onDeviceEvent(data.catchUpQueueChanged),
      ),
      followServerClock(),
      onReconnect(() => void queryClient.invalidateQueries()),
    ];
    return () => {
      invalidator.dispose();
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [queryClient]);
}
