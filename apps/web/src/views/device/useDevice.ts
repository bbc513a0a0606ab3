import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { OperatorAction } from '@rollcall/fleet';
import {
  DEVICE,
  HEARTBEATS,
  STATE_TRANSITIONS,
  type DeviceData,
  type HeartbeatsData,
  type StateTransitionsData,
} from '../../api/documents/device.ts';
import { HEARTBEAT_RECEIVED } from '../../api/documents/live.ts';
import { graphqlRequest } from '../../api/graphqlClient.ts';
import { subscribe } from '../../api/wsClient.ts';
import { quoteValue } from '../../query/queryBoxLogic.ts';

/** The device's whole record (null when there is no such device). */
export function useDevice(id: string) {
  return useQuery({
    queryKey: ['device', id, 'record'],
    queryFn: () => graphqlRequest<DeviceData>(DEVICE, { id }),
    select: (data) => data.device,
  });
}

/** The latest heartbeats, oldest first, for the metric charts. */
export function useHeartbeats(deviceId: string) {
  return useQuery({
    queryKey: ['device', deviceId, 'heartbeats'],
    queryFn: () =>
      graphqlRequest<HeartbeatsData>(HEARTBEATS, { deviceId, first: 100 }),
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
      graphqlRequest<StateTransitionsData>(STATE_TRANSITIONS, {
        deviceId,
        first: 50,
      }),
    select: (data) =>
      data.stateTransitions.edges
        .map((edge) => edge.node)
        .sort((a, b) => Date.parse(b.at) - Date.parse(a.at)),
  });
}

/** Refetches the device's queries whenever it sends a heartbeat. */
export function useDeviceHeartbeatLive(deviceId: string): void {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      subscribe(
        HEARTBEAT_RECEIVED,
        { where: `id = ${quoteValue(deviceId)}` },
        () => {
          void queryClient.invalidateQueries({
            queryKey: ['device', deviceId],
          });
        },
      ),
    [deviceId, queryClient],
  );
}

// The mutation field of each operator action. The documents in
// api/documents take no reason yet, so the reasoned ones are built here.
// TODO(#7): move these into api/documents (with codegen) and drop this.
const ACTION_MUTATIONS: Record<OperatorAction, string> = {
  activate: 'activateDevice',
  enterMaintenance: 'enterMaintenance',
  exitMaintenance: 'exitMaintenance',
  markFailed: 'markFailed',
  repair: 'repairDevice',
  decommission: 'decommissionDevice',
};

/**
 * The mutation of one action with its optional reason (recorded on the
 * state transition); decommission answers a payload around the device.
 */
function actionWithReason(field: string): string {
  const device = 'id status { state }';
  const selection =
    field === 'decommissionDevice' ? `device { ${device} }` : device;
  return `mutation DeviceAction($id: ID!, $reason: String) {
    ${field}(id: $id, reason: $reason) { ${selection} }
  }`;
}

/** Runs one operator action on the device, with an optional reason. */
export function useDeviceAction(deviceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { action: OperatorAction; reason: string | null }) =>
      graphqlRequest(actionWithReason(ACTION_MUTATIONS[input.action]), {
        id: deviceId,
        reason: input.reason,
      }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['device', deviceId] });
      void queryClient.invalidateQueries({ queryKey: ['fleet'] });
    },
  });
}
