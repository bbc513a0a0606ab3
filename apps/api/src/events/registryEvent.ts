import type {
  DeviceState,
  OfflineTier,
  TransitionCause,
} from '@rollcall/fleet';

/**
 * Everything that happens in the registry that a live view may care about.
 * Events travel between API processes through PostgreSQL NOTIFY, so they
 * carry ids and small facts only; subscribers load what else they need.
 * `version` is the device's event sequence number (device_events.id) for
 * kinds that are recorded for `changesSince`.
 */
export type RegistryEvent =
  | {
      kind: 'stateChanged';
      deviceId: string;
      from: DeviceState | null;
      to: DeviceState;
      cause: TransitionCause;
      actor: string;
      reason: string | null;
      at: string;
      version?: number;
    }
  | {
      kind: 'tierChanged';
      deviceId: string;
      from: OfflineTier | null;
      to: OfflineTier | null;
      at: string;
      version?: number;
    }
  | {
      kind: 'deviceChanged';
      deviceId: string;
      /** What changed: 'tags', 'record', 'registered', 'groups', ... */
      change: string;
      /**
       * With change 'tags': the tags added, removed or replaced, as
       * stored (a plain tag has value ''). Absent: any tag may have
       * changed. Live views use it to skip groups the change cannot move.
       */
      tags?: Array<{ key: string; value: string }>;
      at: string;
      version?: number;
    }
  | {
      kind: 'heartbeat';
      deviceId: string;
      status: string;
      at: string;
    }
  | {
      kind: 'groupChanged';
      group: string;
      at: string;
    }
  | {
      kind: 'alert';
      alertId: string;
      deviceId: string;
      alertKind: string;
      cleared: boolean;
      at: string;
    }
  | {
      kind: 'deploymentChanged';
      deploymentId: string;
      at: string;
    }
  | {
      kind: 'catchUpChanged';
      deviceId: string;
      entryId: string;
      at: string;
    }
  | {
      /**
       * API keys or device tokens revoked (never their secrets): each
       * process closes the WebSockets that authenticated with them. One
       * revocation of many ids may arrive as several of these events,
       * each naming some of them (a NOTIFY payload holds 8000 bytes).
       */
      kind: 'credentialRevoked';
      credential: RevokedCredential;
      ids: string[];
      at: string;
    };

/** What `credentialRevoked` ids name: api_keys or device_tokens rows. */
export type RevokedCredential = 'apiKey' | 'deviceToken';

export type RegistryEventKind = RegistryEvent['kind'];

/** Kinds written to device_events so `changesSince` can replay them. */
export const RECORDED_KINDS: ReadonlySet<RegistryEventKind> = new Set([
  'stateChanged',
  'tierChanged',
  'deviceChanged',
]);
