import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { HEARTBEAT_RECEIVED } from '../../api/documents/live.ts';
import type {
  DevicesPageQuery,
  HeartbeatReceivedSubscription,
  HeartbeatReceivedSubscriptionVariables,
} from '../../api/generated.ts';
import { subscribe } from '../../api/wsClient.ts';
import { idQueries } from '../../query/idQueries.ts';

type HeartbeatEvent = HeartbeatReceivedSubscription['heartbeatReceived'];

/** Moves a device's last heartbeat forward in every cached devices page. */
function applyHeartbeat(queryClient: QueryClient, event: HeartbeatEvent) {
  queryClient.setQueriesData<DevicesPageQuery>(
    { queryKey: ['devices', 'page'] },
    (page) => {
      if (!page) return page;

      const edges = page.devices.edges.map((edge) => {
        const { status } = edge.node;
        const isNewer =
          edge.node.id === event.deviceId &&
          (status.lastHeartbeat === null ||
            Date.parse(event.at) > Date.parse(status.lastHeartbeat));
        if (!isNewer) return edge;

        const node = {
          ...edge.node,
          status: { ...status, lastHeartbeat: event.at },
        };
        return { ...edge, node };
      });
      return { ...page, devices: { ...page.devices, edges } };
    },
  );
}

/**
 * Keeps the shown devices' last heartbeats live, as the device page does:
 * a heartbeat subscription for exactly the visible rows (never the whole
 * query, which may match a fleet of 100,000), written into the cached
 * page without a refetch. State changes that a heartbeat causes come as
 * state events, which already refetch the page.
 */
export function useDevicesHeartbeatLive(ids: readonly string[]): void {
  const queryClient = useQueryClient();
  // A key of the ids, so that a refetched page with the same devices
  // keeps its subscriptions.
  const shown = ids.join('\n');

  useEffect(() => {
    const queries = idQueries(shown === '' ? [] : shown.split('\n'));
    const unsubscribers = queries.map((where) =>
      subscribe<HeartbeatReceivedSubscription>(
        HEARTBEAT_RECEIVED,
        { where } satisfies HeartbeatReceivedSubscriptionVariables,
        (data) => applyHeartbeat(queryClient, data.heartbeatReceived),
      ),
    );
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [shown, queryClient]);
}
