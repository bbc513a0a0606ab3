import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import {
  CATCH_UP_QUEUE_CHANGED,
  DEVICE_STATE_CHANGED,
  OFFLINE_TIER_CHANGED,
} from '../api/documents/live.ts';
import { onReconnect, subscribe } from '../api/wsClient.ts';
import { followServerClock } from './serverClock.ts';

interface DeviceEvent {
  deviceId: string;
}

// Many devices can change at once (a sweep marks hundreds offline); one
// refetch per view per second is enough to keep every view current.
const COALESCE_MS = 1_000;

function createInvalidator(queryClient: QueryClient) {
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    timer = null;
    for (const key of pending) {
      void queryClient.invalidateQueries({
        queryKey: JSON.parse(key) as unknown[],
      });
    }
    pending.clear();
  };

  return {
    invalidate(...keys: unknown[][]) {
      for (const key of keys) pending.add(JSON.stringify(key));
      timer ??= setTimeout(flush, COALESCE_MS);
    },
    dispose() {
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * Keeps every view live: state and tier events invalidate the queries that
 * show them, and after a reconnect everything is refetched, because events
 * sent while the socket was down are lost.
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    const invalidator = createInvalidator(queryClient);
    const onDeviceEvent = (event: DeviceEvent | undefined) => {
      const id = event?.deviceId;
      invalidator.invalidate(
        ['fleet'],
        ['escalation'],
        ['devices'],
        ['catchUp'],
        ['deployments'],
        ...(id ? [['device', id]] : []),
      );
    };

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
