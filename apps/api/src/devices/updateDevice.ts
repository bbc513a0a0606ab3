import type pg from 'pg';
import { withTransaction } from '../db/transaction.ts';
import { RollcallError } from '../errors.ts';
import { rescheduleLiveness } from '../liveness/reschedule.ts';
import { assertStoredTagCounts } from '../tags/storedTagCount.ts';
import { recordAudit } from './auditLog.ts';
import { refreshCapabilityTags } from './capabilityTagRefresh.ts';
import {
  MAX_LENGTHS,
  checkInteger,
  checkText,
  hardwareColumns,
  softwareColumns,
  type HardwareInput,
  type SoftwareInput,
} from './deviceInput.ts';
import { findDevice } from './deviceList.ts';
import type { DeviceRecord } from './deviceRecord.ts';
import { lockStatus, type StateChangeDeps } from './stateChange.ts';

/** `updateDevice`'s input: every field optional; the id is immutable. */
export interface UpdateDeviceInput {
  hostname?: string | null;
  ipAddress?: string | null;
  notes?: string | null;
  physicalLocation?: string | null;
  hardware?: HardwareInput | null;
  software?: SoftwareInput | null;
  heartbeatIntervalSeconds?: number | null;
}

type Row = Record<string, unknown>;

function requestedColumns(input: UpdateDeviceInput): Row {
  const columns: Row = {};
  if (input.hostname !== undefined) {
    columns.hostname = checkText(
      input.hostname,
      'hostname',
      MAX_LENGTHS.hostname,
      {
        required: true,
      },
    );
  }
  if (input.ipAddress !== undefined) {
    columns.ip_address = checkText(
      input.ipAddress,
      'ipAddress',
      MAX_LENGTHS.short,
    );
  }
  if (input.notes !== undefined) {
    columns.notes = checkText(input.notes, 'notes', MAX_LENGTHS.notes);
  }
  if (input.physicalLocation !== undefined) {
    columns.physical_location = checkText(
      input.physicalLocation,
      'physicalLocation',
      MAX_LENGTHS.location,
    );
  }
  if (input.heartbeatIntervalSeconds !== undefined) {
    const interval = checkInteger(
      input.heartbeatIntervalSeconds,
      'heartbeatIntervalSeconds',
      1,
      86_400,
    );
    if (interval === null) {
      throw new RollcallError(
        'BAD_USER_INPUT',
        '"heartbeatIntervalSeconds" cannot be null',
        {
          argument: 'heartbeatIntervalSeconds',
        },
      );
    }
    columns.heartbeat_interval_seconds = interval;
  }
  Object.assign(columns, hardwareColumns(input.hardware ?? {}));
  Object.assign(columns, softwareColumns(input.software ?? {}));
  return columns;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The capability tags after a hardware change (`refreshCapabilityTags`).
 * A device left with more than `INPUT_LIMITS.tagsPerDevice` tags is
 * BAD_USER_INPUT at `hardware`.
 */
async function refreshTagsWithinLimit(
  client: pg.PoolClient,
  deviceId: string,
  before: Row,
  after: Row,
  at: Date,
) {
  const change = await refreshCapabilityTags(
    client,
    deviceId,
    before,
    after,
    at,
  );
  // Checked after the insert, inside the transaction (as tagDevices does):
  // new hardware must not take the device past the tag limit, and a
  // refusal rolls the whole update back.
  if (change.added.length > 0) {
    await assertStoredTagCounts(client, [deviceId], 'hardware');
  }
  return change;
}

/**
 * Updates the record's editable fields in one transaction, with an audit
 * entry holding each changed column before and after, and a
 * `deviceChanged` event. A decommissioned device is DEVICE_DECOMMISSIONED.
 * Nothing changed means nothing written.
 */
export async function updateDevice(
  pool: pg.Pool,
  deps: StateChangeDeps,
  request: {
    deviceId: string;
    input: UpdateDeviceInput;
    actor: string;
    at: Date;
  },
): Promise<DeviceRecord> {
  const { deviceId, at } = request;
  const requested = requestedColumns(request.input);
  return withTransaction(pool, async (client) => {
    const status = await lockStatus(client, deviceId);
    if (status.state === 'decommissioned') {
      throw new RollcallError(
        'DEVICE_DECOMMISSIONED',
        `Device "${deviceId}" is decommissioned`,
        {
          deviceId,
        },
      );
    }

    const { rows } = await client.query<Row>(
      'SELECT * FROM devices WHERE id = $1 FOR UPDATE',
      [deviceId],
    );
    const current = rows[0]!;
    const changed = Object.keys(requested).filter(
      (column) => !same(current[column], requested[column]),
    );
    if (changed.length === 0) return (await findDevice(client, deviceId))!;

    const values = changed.map((column) => requested[column]);
    await client.query(
      `UPDATE devices SET ${changed.map((column, i) => `${column} = $${i + 2}`).join(', ')},
         updated_at = $${changed.length + 2}
       WHERE id = $1`,
      [deviceId, ...values, at],
    );
    if (changed.includes('heartbeat_interval_seconds')) {
      await rescheduleLiveness(client, [deviceId]);
    }
    const tags = await refreshTagsWithinLimit(
      client,
      deviceId,
      current,
      { ...current, ...requested },
      at,
    );

    const before = Object.fromEntries(
      changed.map((column) => [column, current[column]]),
    );
    const after = Object.fromEntries(
      changed.map((column) => [column, requested[column]]),
    );
    const tagChange =
      tags.added.length + tags.removed.length > 0
        ? { capabilityTags: tags }
        : {};
    await recordAudit(client, [
      {
        actor: request.actor,
        action: 'device.updated',
        entityType: 'device',
        entityId: deviceId,
        before,
        after: { ...after, ...tagChange },
        at,
      },
    ]);
    await deps.events.publish(client, [
      {
        kind: 'deviceChanged',
        deviceId,
        change: 'record',
        at: at.toISOString(),
      },
    ]);
    return (await findDevice(client, deviceId))!;
  });
}
