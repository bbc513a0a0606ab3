import { isDeepStrictEqual } from 'node:util';
import {
  DECOMMISSIONED_TAG,
  timeoutMsFor,
  type HeartbeatTiming,
} from '@rollcall/fleet';
import { decommissionedTagValue } from '../tags/decommissionedTag.ts';
import { compare, type DeviceDocument } from './deviceDocument.ts';
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
  // DECOMMISSIONED is terminal: no file brings a device back.
  const isNewer =
    status.state !== 'decommissioned' &&
    isNewerHeartbeat(document.status.last_heartbeat, status.last_heartbeat);
  if (isNewer) return;
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
 * The stored deployment fields (versions, last deployed, slot, rollback)
 * in place of the file's when the stored `last_deployed` is later: an
 * older snapshot must not undo an install recorded since.
 */
function keepStoredDeployment(
  document: DeviceDocument,
  previous: DeviceDocument,
): void {
  const stored = previous.deployment.last_deployed;
  if (stored === null) return;
  const file = document.deployment.last_deployed;
  if (file !== null && Date.parse(file) >= Date.parse(stored)) return;
  document.deployment = { ...previous.deployment };
}

/**
 * A decommissioned device keeps the registry-only `decommissioned` tag and
 * its time, as the API does (`assertWritableTag` refuses removing it): a
 * file that drops the tag gets the stored one back, and a new
 * decommissioned device gets the tag decommissionDevice would add, so that
 * `NOT tag:decommissioned` never selects it.
 */
function keepDecommissionedTag(
  document: DeviceDocument,
  previous: DeviceDocument | undefined,
  now: string,
): void {
  if (document.status.state !== 'decommissioned') return;

  const at = (document.metadata.decommissioned ??=
    previous?.metadata.decommissioned ?? now);
  const hasTag =
    Object.hasOwn(document.tags, DECOMMISSIONED_TAG) ||
    document.labels.includes(DECOMMISSIONED_TAG);
  if (hasTag) return;

  const storedValue = previous?.tags[DECOMMISSIONED_TAG];
  if (
    storedValue === undefined &&
    previous?.labels.includes(DECOMMISSIONED_TAG)
  ) {
    document.labels = [...document.labels, DECOMMISSIONED_TAG].sort(compare);
    return;
  }
  const tags = {
    ...document.tags,
    [DECOMMISSIONED_TAG]: storedValue ?? decommissionedTagValue(new Date(at)),
  };
  document.tags = Object.fromEntries(
    Object.entries(tags).sort(([a], [b]) => compare(a, b)),
  );
}

/** Completes one device file against its stored record (`fillDevice`). */
export type DeviceFill = (
  document: DeviceDocument,
  previous: DeviceDocument | undefined,
) => DeviceDocument;

/**
 * Completes a device file against the stored record: absent times, the
 * stored liveness unless the file's is newer (`keepStoredLiveness`), the
 * stored deployment fields when theirs are (`keepStoredDeployment`), the
 * `decommissioned` tag of a decommissioned device (`keepDecommissionedTag`).
 */
export function fillDevice(now: string, timing: HeartbeatTiming): DeviceFill {
  return (document, previous) => {
    const filled = structuredClone(document);
    if (previous !== undefined) {
      keepStoredLiveness(filled, previous);
      keepStoredDeployment(filled, previous);
    }
    filled.metadata.registered ??= previous?.metadata.registered ?? now;
    keepDecommissionedTag(filled, previous, now);
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
