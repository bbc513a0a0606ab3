import { isDeepStrictEqual } from 'node:util';
import { timeoutMsFor, type HeartbeatTiming } from '@rollcall/fleet';
import type { DeviceDocument } from './deviceDocument.ts';
import { formatTimestamp } from './fieldReader.ts';

/** A device document without its static groups (compared separately). */
export function withoutGroups(
  document: DeviceDocument,
): Omit<DeviceDocument, 'groups'> {
  const { groups: _groups, ...rest } = document;
  return rest;
}

/**
 * When an offline device went offline, if its file does not say: as stored,
 * else one timeout after its last heartbeat (when the sweeper would have
 * marked it), else now.
 */
function offlineSince(
  document: DeviceDocument,
  previous: DeviceDocument | undefined,
  now: string,
  timing: HeartbeatTiming,
): string {
  if (previous?.status.offline_since) return previous.status.offline_since;
  const last = document.status.last_heartbeat;
  if (last === null) return now;
  const timeoutMs = timeoutMsFor(
    document.status.heartbeat_interval_seconds,
    timing,
  );
  return formatTimestamp(new Date(new Date(last).getTime() + timeoutMs));
}

/** Whether the file saw the device alive later than the registry did. */
function isNewerHeartbeat(file: string | null, stored: string | null): boolean {
  if (file === null) return false;
  return stored === null || Date.parse(file) > Date.parse(stored);
}

/**
 * The stored liveness (state, last heartbeat, uptime, connectivity,
 * offline since) in place of the file's, unless the file's last heartbeat
 * is newer: a snapshot exported earlier must not rewind a device that has
 * heartbeated since (the sweeper would then mark it offline, a false
 * alarm). The heartbeat interval is configuration and stays the file's.
 */
function keepStoredLiveness(
  document: DeviceDocument,
  previous: DeviceDocument,
): void {
  const { status } = previous;
  if (isNewerHeartbeat(document.status.last_heartbeat, status.last_heartbeat))
    return;
  const interval = document.status.heartbeat_interval_seconds;
  document.status = {
    state: status.state,
    last_heartbeat: status.last_heartbeat,
    uptime_seconds: status.uptime_seconds,
    connectivity: status.connectivity,
    ...(status.offline_since === undefined
      ? {}
      : { offline_since: status.offline_since }),
    ...(interval === undefined ? {} : { heartbeat_interval_seconds: interval }),
  };
}

/**
 * Completes a device file against the stored record: absent times, the
 * stored liveness unless the file's is newer (`keepStoredLiveness`).
 */
export function fillDevice(now: string, timing: HeartbeatTiming) {
  return (
    document: DeviceDocument,
    previous: DeviceDocument | undefined,
  ): DeviceDocument => {
    const filled = structuredClone(document);
    if (previous !== undefined) keepStoredLiveness(filled, previous);
    filled.metadata.registered ??= previous?.metadata.registered ?? now;
    if (
      filled.status.state === 'offline' &&
      filled.status.offline_since === undefined
    ) {
      filled.status.offline_since = offlineSince(filled, previous, now, timing);
    }
    if (filled.metadata.last_updated === null) {
      const candidate = structuredClone(filled);
      candidate.metadata.last_updated = previous?.metadata.last_updated ?? now;
      const isSame =
        previous !== undefined &&
        isDeepStrictEqual(withoutGroups(candidate), withoutGroups(previous));
      filled.metadata.last_updated = isSame
        ? previous.metadata.last_updated
        : now;
    }
    return filled;
  };
}
