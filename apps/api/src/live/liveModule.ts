import { requireRole } from '../auth/authService.ts';
import type { RequestContext } from '../server/context.ts';
import type { GraphqlModule } from '../server/graphqlModule.ts';
import {
  checkQueryText,
  checkText,
  INPUT_LIMITS,
} from '../server/inputLimits.ts';
import { changesSince } from './changeFeed.ts';
import type { LiveChannel } from './liveHub.ts';

const typeDefs = /* GraphQL */ `
  "A state transition of a device."
  type DeviceStateEvent {
    deviceId: String!
    "The device now; null when it no longer exists."
    device: Device
    from: DeviceState
    to: DeviceState!
    cause: TransitionCause!
    actor: String!
    reason: String
    at: DateTime!
    "The device's event version (see changesSince)."
    version: Int
  }

  "A heartbeat a device sent."
  type HeartbeatEvent {
    deviceId: String!
    device: Device
    status: ReportedStatus!
    at: DateTime!
  }

  "A device moving on the offline escalation ladder (null: back online)."
  type OfflineTierEvent {
    deviceId: String!
    device: Device
    from: OfflineTier
    to: OfflineTier
    at: DateTime!
    version: Int
  }

  enum MembershipChange {
    JOINED
    LEFT
  }

  "A device joining or leaving a group."
  type GroupMembershipEvent {
    group: String!
    deviceId: String!
    device: Device
    change: MembershipChange!
    at: DateTime!
  }

  "A change to one device, with the device as it is after the change."
  type DeviceUpdateEvent {
    deviceId: String!
    "stateChanged, tierChanged, deviceChanged (see change) or heartbeat."
    kind: String!
    """
    What a deviceChanged event changed: connectivity (the offline sweeper
    found the device silent), tags, record, groups, deployment, registered
    or decommissioned; null for the other kinds.
    """
    change: String
    "The device now; null when it no longer exists."
    device: Device
    at: DateTime!
    "The device's event version (see changesSince); null for heartbeats."
    version: Int
  }

  "One recorded device event."
  type DeviceChange {
    version: Int!
    deviceId: String!
    "stateChanged, tierChanged or deviceChanged."
    kind: String!
    at: DateTime!
    "The event as it was published."
    payload: JSON!
  }

  type ChangeFeed {
    "Events after the requested version, oldest first."
    changes: [DeviceChange!]!
    "The newest version now; subscribe, then catch up to here."
    latestVersion: Int!
    hasMore: Boolean!
  }

  extend type Query {
    """
    The recorded device events after \`version\`, for a client that was
    disconnected (viewer). \`where\` keeps events of matching devices.
    """
    changesSince(version: Int!, where: String, first: Int): ChangeFeed!
  }

  extend type Subscription {
    "Every state transition of devices matching \`where\` (viewer)."
    deviceStateChanged(where: String): DeviceStateEvent!
    "Heartbeats of devices matching \`where\` (viewer)."
    heartbeatReceived(where: String): HeartbeatEvent!
    "Offline tier changes of devices matching \`where\` (viewer)."
    offlineTierChanged(where: String): OfflineTierEvent!
    """
    Devices joining or leaving a static or dynamic group (viewer), as the
    change happens. A dynamic group whose query moves with the clock or
    with heartbeats alone (a relative time such as \`now-15m\`,
    \`offline_for\`, \`status.last_heartbeat\`, \`status.uptime_seconds\`,
    \`status.connectivity\`) is also rechecked every 10 seconds, so such a
    device joins or leaves within about 10 seconds.
    """
    groupMembershipChanged(group: String!): GroupMembershipEvent!
    """
    Every change to one device (viewer): state transitions, offline tier,
    connectivity, tags, record and groups, and its heartbeats. NOT_FOUND
    when no device has this id.
    """
    deviceUpdated(id: ID!): DeviceUpdateEvent!
  }
`;

type Ctx = RequestContext;

function deviceChannel(channel: LiveChannel) {
  return {
    subscribe: async (
      _parent: unknown,
      args: { where?: string | null },
      context: Ctx,
    ) => {
      requireRole(context.principal, 'viewer');
      if (args.where != null) checkQueryText(args.where, 'where');
      return context.services.live.subscribe(channel, args.where ?? null);
    },
    resolve: (payload: unknown) => payload,
  };
}

/** Live updates over graphql-ws, and the change feed to catch up. */
export const liveModule: GraphqlModule = {
  name: 'live',
  typeDefs,
  resolvers: {
    MembershipChange: { JOINED: 'joined', LEFT: 'left' },
    Query: {
      changesSince: (
        _parent,
        args: { version: number; where?: string | null; first?: number | null },
        context,
      ) => {
        requireRole(context.principal, 'viewer');
        if (args.where != null) checkQueryText(args.where, 'where');
        return changesSince(
          context.db.pool,
          context.config,
          context.clock.now(),
          args,
        );
      },
    },
    Subscription: {
      deviceStateChanged: deviceChannel('state'),
      heartbeatReceived: deviceChannel('heartbeat'),
      offlineTierChanged: deviceChannel('tier'),
      groupMembershipChanged: {
        subscribe: async (
          _parent: unknown,
          args: { group: string },
          context: Ctx,
        ) => {
          requireRole(context.principal, 'viewer');
          checkText(args.group, 'group', INPUT_LIMITS.name);
          return context.services.live.watchGroup(args.group);
        },
        resolve: (payload: unknown) => payload,
      },
      deviceUpdated: {
        subscribe: async (
          _parent: unknown,
          args: { id: string },
          context: Ctx,
        ) => {
          requireRole(context.principal, 'viewer');
          return context.services.live.watchDevice(args.id);
        },
        resolve: (payload: unknown) => payload,
      },
    },
  },
};
