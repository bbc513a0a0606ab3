import type pg from 'pg';
import { foldTag } from '@rollcall/tag-query';
import {
  clearOfflineAlerts,
  raiseAlerts,
  type NewAlert,
} from '../alerts/alertStore.ts';
import type { RegistryEvent } from '../events/registryEvent.ts';
import { applyHeartbeat, type HeartbeatSettings } from './applyHeartbeat.ts';
import type { AppliedHeartbeat } from './heartbeatObserver.ts';
import type {
  HeartbeatEntry,
  HeartbeatFailure,
  HeartbeatResult,
} from './heartbeatTypes.ts';
import { writeBatch, type BatchWrite } from './batchWrite.ts';
import {
  caseTwinIds,
  liveTokenIds,
  lockDevices,
  type LockedDevice,
} from './ingestStatements.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** What a committed batch hands back to its waiting requests. */
export interface BatchOutcome {
  results: HeartbeatResult[];
  applied: AppliedHeartbeat[];
  events: RegistryEvent[];
  /** Devices whose transitions to log, as `{ deviceId, from, to }`. */
  transitions: BatchWrite['transitions'];
  /**
   * False when no device of the batch has a desired version, an assigned
   * deployment part or open catch-up entries: then no observer can change
   * an instruction, and the answers need no second read.
   */
  mayChangeInstructions: boolean;
}

const fail = (
  code: HeartbeatFailure['code'],
  message: string,
): HeartbeatResult => ({ kind: 'error', error: { code, message } });

/** Null when the reporter may send this entry; else the refusal. */
function rightsProblem(
  entry: HeartbeatEntry,
  device: LockedDevice,
  liveGatewayTokens: Set<string>,
  caseTwins: Map<string, string[]>,
): HeartbeatResult | null {
  const reporter = entry.reporter;
  switch (reporter.kind) {
    case 'operator':
      return null;
    case 'device':
      return device.liveTokens.includes(reporter.tokenId)
        ? null
        : fail('UNAUTHENTICATED', 'The device token is unknown or revoked');
    case 'gateway': {
      if (!liveGatewayTokens.has(reporter.tokenId)) {
        return fail(
          'UNAUTHENTICATED',
          'The gateway token is unknown or revoked',
        );
      }
      if (reporter.gatewayId === entry.deviceId) return null;
      const tagValue = foldTag(reporter.gatewayId);
      const refusal = `Gateway "${reporter.gatewayId}" may not report for "${entry.deviceId}"`;
      if (!device.gateways.includes(tagValue)) {
        return fail(
          'FORBIDDEN',
          `${refusal} (tag gateway=${tagValue} missing)`,
        );
      }
      const twins = caseTwins.get(tagValue);
      return twins
        ? fail(
            'FORBIDDEN',
            `${refusal}: its tag gateway=${tagValue} names more than one device (${twins.join(', ')})`,
          )
        : null;
    }
  }
}

/** The folded ids of gateways reporting for devices other than themselves. */
function foldedGatewayIds(entries: HeartbeatEntry[]): string[] {
  const ids = entries.flatMap(({ reporter, deviceId }) =>
    reporter.kind === 'gateway' && reporter.gatewayId !== deviceId
      ? [foldTag(reporter.gatewayId)]
      : [],
  );
  return [...new Set(ids)];
}

/**
 * Applies a batch of heartbeats inside the caller's transaction: locks
 * the devices' liveness rows, decides each entry in arrival order with the
 * pure rules, and writes everything with one statement (plus alerts and
 * returns, which are rare). Returns one result per entry, in order.
 */
export async function processBatch(
  client: Queryable,
  entries: HeartbeatEntry[],
  settings: HeartbeatSettings,
  webhookUrls: readonly string[],
): Promise<BatchOutcome> {
  const deviceIds = [...new Set(entries.map((e) => e.deviceId))].sort();
  const locked = await lockDevices(client, deviceIds, {
    tokens: entries.some((e) => e.reporter.kind === 'device'),
    gateways: entries.some((e) => e.reporter.kind === 'gateway'),
  });
  const gatewayTokens = entries.flatMap((e) =>
    e.reporter.kind === 'gateway' ? [e.reporter.tokenId] : [],
  );
  const liveGateways = await liveTokenIds(client, [...new Set(gatewayTokens)]);
  const caseTwins = await caseTwinIds(client, foldedGatewayIds(entries));

  const write: BatchWrite = {
    rows: [],
    history: [],
    transitions: [],
    inventory: [],
  };
  const changedRows = new Map<string, LockedDevice['row']>();
  const alerts: NewAlert[] = [];
  const returned: string[] = [];
  const events: RegistryEvent[] = [];
  const applied: AppliedHeartbeat[] = [];

  const results = entries.map((entry): HeartbeatResult => {
    const device = locked.get(entry.deviceId);
    if (!device) {
      return fail('NOT_FOUND', `Device "${entry.deviceId}" does not exist`);
    }
    const problem = rightsProblem(entry, device, liveGateways, caseTwins);
    if (problem) return problem;

    const before = device.row;
    const { row, outcome } = applyHeartbeat(
      before,
      entry,
      device.intervalSeconds,
      settings,
    );
    const ack = (notAppliedReason: string | null = null): HeartbeatResult => ({
      kind: 'ack',
      ack: {
        deviceId: entry.deviceId,
        accepted: notAppliedReason === null,
        duplicate: outcome.kind === 'duplicate',
        notAppliedReason,
        state: row.state,
        offlineTier: row.offlineTier,
        nextHeartbeatSeconds: device.intervalSeconds,
        instruction:
          device.instruction &&
          device.instruction.targetVersion !==
            (entry.appVersion ?? row.appVersion)
            ? device.instruction
            : null,
      },
    });
    const observed = (isApplied: boolean): AppliedHeartbeat => ({
      deviceId: entry.deviceId,
      receivedAt: entry.receivedAt,
      reportedStatus: entry.status,
      appVersion: entry.appVersion,
      previousState: before.state,
      state: row.state,
      applied: isApplied,
    });

    switch (outcome.kind) {
      case 'refused':
        write.history.push({ entry, status: 'refused' });
        return fail('DEVICE_DECOMMISSIONED', outcome.message);
      case 'duplicate':
      case 'stale':
        applied.push(observed(false));
        return ack(outcome.reason);
      case 'applied':
        break;
    }

    device.row = row;
    changedRows.set(entry.deviceId, row);
    write.history.push({ entry, status: entry.status });
    if (entry.hardware || entry.software) write.inventory.push(entry);
    const at = entry.receivedAt.toISOString();
    if (outcome.changed) {
      write.transitions.push({
        deviceId: entry.deviceId,
        from: outcome.previousState,
        to: outcome.state,
        actor: entry.actor,
        reason: outcome.reason,
        at: entry.receivedAt,
      });
      events.push({
        kind: 'stateChanged',
        deviceId: entry.deviceId,
        from: outcome.previousState,
        to: outcome.state,
        cause: 'heartbeat',
        actor: entry.actor,
        reason: outcome.reason,
        at,
      });
    }
    if (outcome.leftTier) {
      events.push({
        kind: 'tierChanged',
        deviceId: entry.deviceId,
        from: outcome.leftTier,
        to: null,
        at,
      });
    }
    if (outcome.returned || outcome.leftTier) returned.push(entry.deviceId);
    if (outcome.raiseAlert) {
      alerts.push({
        deviceId: entry.deviceId,
        kind: 'failed',
        message: outcome.reason ?? 'reported failed',
        at: entry.receivedAt,
      });
    }
    events.push({
      kind: 'heartbeat',
      deviceId: entry.deviceId,
      status: entry.status,
      at,
    });
    applied.push(observed(true));
    return ack();
  });

  write.rows = [...changedRows.values()];
  await writeBatch(client, write);
  const now = entries[entries.length - 1]!.receivedAt;
  events.push(...(await raiseAlerts(client, alerts, webhookUrls)));
  if (returned.length > 0) {
    events.push(...(await clearOfflineAlerts(client, returned, now)));
    events.push(...(await removeOfflineExtendedTag(client, returned, now)));
  }
  let mayChangeInstructions = false;
  for (const device of locked.values()) {
    if (device.hasPendingWork) mayChangeInstructions = true;
  }
  return {
    results,
    applied,
    events,
    transitions: write.transitions,
    mayChangeInstructions,
  };
}

/** A returning device is no longer `offline-extended`. */
async function removeOfflineExtendedTag(
  client: Queryable,
  deviceIds: string[],
  at: Date,
): Promise<RegistryEvent[]> {
  const { rows } = await client.query<{
    device_id: string;
    key: string;
    value: string;
  }>(
    `DELETE FROM device_tags
     WHERE device_id = ANY($1::text[]) AND key = 'offline-extended'
     RETURNING device_id, key, value`,
    [deviceIds],
  );
  return rows.map((r) => ({
    kind: 'deviceChanged',
    deviceId: r.device_id,
    change: 'tags',
    tags: [{ key: r.key, value: r.value }],
    at: at.toISOString(),
  }));
}
