import type { QueryClient } from '@tanstack/react-query';

// Many devices can change at once (a sweep marks hundreds offline); one
// refetch per view per second is enough to keep every view current.
const COALESCE_MS = 1_000;

// Every view that lists devices by state, tier or queue entry.
const DEVICE_LIST_KEYS = [
  ['fleet'],
  ['escalation'],
  ['devices'],
  ['catchUp'],
  ['deployments'],
];

/** Turns device events into refetches of the views that show them. */
export interface LiveInvalidator {
  /** A device's state, offline tier or catch-up entry changed. */
  onDeviceEvent(deviceId: string | undefined): void;
  dispose(): void;
}

/**
 * Refetches the device lists at most once per `coalesceMs` (1 second)
 * however many devices change. The changed device's own page is not
 * refetched: while it is open, its deviceUpdated subscription writes each
 * change into it (a refetch would only race those writes), so its cached
 * sections are just marked stale, to be fetched when the page opens again.
 */
export function createLiveInvalidator(
  queryClient: QueryClient,
  coalesceMs = COALESCE_MS,
): LiveInvalidator {
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    timer = null;
    for (const queryKey of DEVICE_LIST_KEYS) {
      void queryClient.invalidateQueries({ queryKey });
    }
  };

  return {
    onDeviceEvent(deviceId) {
      timer ??= setTimeout(flush, coalesceMs);
      if (deviceId === undefined) return;

      void queryClient.invalidateQueries({
        queryKey: ['device', deviceId],
        refetchType: 'none',
      });
    },
    dispose() {
      if (timer) clearTimeout(timer);
    },
  };
}
