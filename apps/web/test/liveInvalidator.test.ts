import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLiveInvalidator } from '../src/live/liveInvalidator.ts';

const KEYS = {
  deviceRecord: ['device', 'edge-1', 'record'],
  deviceTimeline: ['device', 'edge-1', 'transitions'],
  otherDevice: ['device', 'edge-2', 'record'],
  devicesPage: ['devices', 'page', '', null],
  fleetHealth: ['fleet', 'health'],
};
type Name = keyof typeof KEYS;

/**
 * A cache where every query of KEYS is shown (observed); counts the
 * fetches of each after the first.
 */
function shownQueries() {
  const queryClient = new QueryClient();
  const refetches = new Map<Name, number>();
  for (const [name, queryKey] of Object.entries(KEYS) as [Name, unknown[]][]) {
    let fetches = 0;
    queryClient.setQueryData(queryKey, {});
    new QueryObserver(queryClient, {
      queryKey,
      staleTime: Infinity,
      queryFn: () => {
        fetches += 1;
        refetches.set(name, fetches);
        return {};
      },
    }).subscribe(() => undefined);
  }
  return { queryClient, refetches };
}

describe('createLiveInvalidator', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refetches the device lists once a second later, however many devices changed', async () => {
    const { queryClient, refetches } = shownQueries();
    const invalidator = createLiveInvalidator(queryClient);

    invalidator.onDeviceEvent('edge-1');
    invalidator.onDeviceEvent('edge-2');
    await vi.advanceTimersByTimeAsync(999);
    const before = Object.fromEntries(refetches);
    await vi.advanceTimersByTimeAsync(1);

    expect({ before, after: Object.fromEntries(refetches) }).toEqual({
      before: {},
      after: { devicesPage: 1, fleetHealth: 1 },
    });
  });

  it('marks the changed device page stale without refetching it, since deviceUpdated writes into it', async () => {
    const { queryClient, refetches } = shownQueries();
    const invalidator = createLiveInvalidator(queryClient);

    invalidator.onDeviceEvent('edge-1');
    await vi.advanceTimersByTimeAsync(1_000);

    const isStale = (name: Name) =>
      queryClient.getQueryState(KEYS[name])?.isInvalidated;
    expect({
      refetched:
        refetches.has('deviceRecord') || refetches.has('deviceTimeline'),
      stale: [isStale('deviceRecord'), isStale('deviceTimeline')],
      otherDeviceStale: isStale('otherDevice'),
    }).toEqual({
      refetched: false,
      stale: [true, true],
      otherDeviceStale: false,
    });
  });
});
