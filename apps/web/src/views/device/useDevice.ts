import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { OperatorAction } from '@rollcall/fleet';
import {
  ACTION_DOCUMENTS,
  DEVICE,
  HEARTBEATS,
  STATE_TRANSITIONS,
} from '../../api/documents/device.ts';
import { DEVICE_UPDATED } from '../../api/documents/live.ts';
import type {
  ActivateDeviceMutationVariables,
  DeviceQuery,
  DeviceQueryVariables,
  DeviceUpdatedSubscription,
  DeviceUpdatedSubscriptionVariables,
  HeartbeatsQuery,
  HeartbeatsQueryVariables,
  StateTransitionsQuery,
  StateTransitionsQueryVariables,
} from '../../api/generated.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';
import { subscribe } from '../../api/wsClient.ts';
import {
  applyDeviceUpdate,
  deviceRecordKey,
  newerDeviceData,
} from './deviceUpdates.ts';

/**
 * The device's whole record (null when there is no such device). A fetch
 * that answers an older state than a live update already wrote keeps
 * the update's record.
 */
export function useDevice(id: string) {
  const queryClient = useQueryClient();
  const queryKey = deviceRecordKey(id);
  return useQuery({
    queryKey,
    queryFn: async () => {
      const fetched = await graphqlRequest<DeviceQuery, DeviceQueryVariables>(
        DEVICE,
        { id },
      );
      return newerDeviceData(queryClient.getQueryData(queryKey), fetched);
    },
    select: (data) => data.device,
  });
}

/** The latest heartbeats, oldest first, for the metric charts. */
export function useHeartbeats(deviceId: string) {
  return useQuery({
    queryKey: ['device', deviceId, 'heartbeats'],
    queryFn: () =>
      graphqlRequest<HeartbeatsQuery, HeartbeatsQueryVariables>(HEARTBEATS, {
        deviceId,
        first: 100,
      }),
    select: (data) =>
      data.heartbeats.edges
        .map((edge) => edge.node)
        .sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt)),
  });
}

/** The state timeline, newest first. */
export function useStateTransitions(deviceId: string) {
  return useQuery({
    queryKey: ['device', deviceId, 'transitions'],
    queryFn: () =>
      graphqlRequest<StateTransitionsQuery, StateTransitionsQueryVariables>(
        STATE_TRANSITIONS,
        {
          deviceId,
          first: 50,
        },
      ),
    select: (data) =>
      data.stateTransitions.edges
        .map((edge) => edge.node)
        .sort((a, b) => Date.parse(b.at) - Date.parse(a.at)),
  });
}

/**
 * Keeps the device page live: every change to the device (its state, the
 * sweeper finding it silent, tags, heartbeats...) is written into the
 * cached record as it arrives, without a refetch.
 */
export function useDeviceLive(deviceId: string): void {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      subscribe<DeviceUpdatedSubscription>(
        DEVICE_UPDATED,
        { id: deviceId } satisfies DeviceUpdatedSubscriptionVariables,
        (data) => void applyDeviceUpdate(queryClient, data.deviceUpdated),
      ),
    [deviceId, queryClient],
  );
}

/** Runs one operator action on the device, with an optional reason. */
export function useDeviceAction(deviceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // Every action's document takes the same variables as ActivateDevice.
    mutationFn: (input: { action: OperatorAction; reason: string | null }) =>
      graphqlRequest<unknown, ActivateDeviceMutationVariables>(
        ACTION_DOCUMENTS[input.action],
        { id: deviceId, reason: input.reason },
      ),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['device', deviceId] });
      void queryClient.invalidateQueries({ queryKey: ['fleet'] });
    },
  });
}
