import type pg from 'pg';
import { issueDeviceToken } from '../auth/deviceTokens.ts';
import { withTransaction } from '../db/transaction.ts';
import { RollcallError, notFound } from '../errors.ts';
import { normalizeTagName, type TagInput } from '../tags/tagInput.ts';
import { recordAudit } from './auditLog.ts';
import { generateId, registrationTags } from './registrationParts.ts';
import {
  MAX_LENGTHS,
  checkDeviceId,
  checkInteger,
  checkList,
  checkText,
  hardwareColumns,
  normalizeMac,
  softwareColumns,
  type HardwareInput,
  type SoftwareInput,
} from './deviceInput.ts';
import { findDevice } from './deviceList.ts';
import type { DeviceRecord } from './deviceRecord.ts';
import type { StateChangeDeps } from './stateChange.ts';

/** `registerDevice`'s input: the spec's registration protocol, step 2. */
export interface RegisterDeviceInput {
  id?: string | null;
  hostname: string;
  serialNumber?: string | null;
  macAddress?: string | null;
  ipAddress?: string | null;
  environment: string;
  role?: string | null;
  locationTags?: string[] | null;
  tags?: TagInput[] | null;
  tagMap?: unknown;
  groups?: string[] | null;
  hardware: HardwareInput & { type: string };
  software?: SoftwareInput | null;
  notes?: string | null;
  physicalLocation?: string | null;
  heartbeatIntervalSeconds?: number | null;
}

/** A registered device and its token, which is shown only this once. */
export interface Registration {
  device: DeviceRecord;
  deviceToken: string;
}

type Client = pg.PoolClient;

const DUPLICATE_CONSTRAINTS: Record<string, string> = {
  devices_pkey: 'id',
  devices_serial_number_key: 'serialNumber',
  devices_mac_address_key: 'macAddress',
};

function duplicate(field: string, value: string): RollcallError {
  return new RollcallError(
    'DUPLICATE_DEVICE',
    `A device with this ${field} is already registered`,
    { field, value },
  );
}

async function assertUnique(
  client: Client,
  identity: {
    id: string | null;
    serialNumber: string | null;
    macAddress: string | null;
  },
) {
  const { rows } = await client.query<{
    id: string;
    serial_number: string | null;
    mac_address: string | null;
  }>(
    `SELECT id, serial_number, mac_address FROM devices
     WHERE id = $1 OR serial_number = $2 OR mac_address = $3`,
    [identity.id, identity.serialNumber, identity.macAddress],
  );
  for (const field of ['id', 'serialNumber', 'macAddress'] as const) {
    const value = identity[field];
    const column = {
      id: 'id',
      serialNumber: 'serial_number',
      macAddress: 'mac_address',
    }[field];
    if (
      value !== null &&
      rows.some((row) => row[column as keyof typeof row] === value)
    ) {
      throw duplicate(field, value);
    }
  }
}

async function joinGroups(
  client: Client,
  deviceId: string,
  names: string[],
  at: Date,
) {
  if (names.length === 0) return [];

  const { rows } = await client.query<{
    id: string;
    name: string;
    membership: string;
  }>('SELECT id, name, membership FROM groups WHERE name = ANY($1)', [names]);
  for (const name of names) {
    const group = rows.find((row) => row.name === name);
    if (!group) throw notFound('Group', name);
    if (group.membership !== 'static') {
      throw new RollcallError(
        'BAD_USER_INPUT',
        `"${name}" is a dynamic group: its query decides who belongs`,
        { argument: 'groups', group: name },
      );
    }
  }
  await client.query(
    `INSERT INTO group_members (group_id, device_id, added_at)
     SELECT unnest($1::uuid[]), $2, $3 ON CONFLICT DO NOTHING`,
    [rows.map((row) => row.id), deviceId, at],
  );
  return rows.map((row) => row.name).sort();
}

/**
 * Registers a device (the spec's "Adding a New Device", step 3) in one
 * transaction: the record in PROVISIONING, its status row, a REGISTRATION
 * transition, its tags, its static groups, a hashed device token, an audit
 * entry and the events. A duplicate id, serial number or MAC address is
 * DUPLICATE_DEVICE naming the field, and nothing is written.
 */
export async function registerDevice(
  pool: pg.Pool,
  deps: StateChangeDeps,
  input: RegisterDeviceInput,
  actor: string,
  at: Date,
): Promise<Registration> {
  const hostname = checkText(input.hostname, 'hostname', MAX_LENGTHS.hostname, {
    required: true,
  });
  const environment = normalizeTagName(input.environment, 'environment');
  const givenId = input.id == null ? null : checkDeviceId(input.id);
  const serialNumber = checkText(
    input.serialNumber,
    'serialNumber',
    MAX_LENGTHS.short,
  );
  const macAddress = normalizeMac(input.macAddress);
  const hardware = hardwareColumns(input.hardware);
  const software = softwareColumns(input.software ?? {});
  const tags = registrationTags(input);
  const groups = [...new Set(checkList(input.groups, 'groups') ?? [])];
  const interval =
    checkInteger(
      input.heartbeatIntervalSeconds,
      'heartbeatIntervalSeconds',
      1,
      86_400,
    ) ?? deps.config.heartbeat.interval_seconds;

  try {
    return await withTransaction(pool, async (client) => {
      await assertUnique(client, { id: givenId, serialNumber, macAddress });
      const id =
        givenId ?? (await generateId(client, input.hardware.type, environment));

      const columns: Record<string, unknown> = {
        id,
        hostname,
        serial_number: serialNumber,
        mac_address: macAddress,
        ip_address: checkText(input.ipAddress, 'ipAddress', MAX_LENGTHS.short),
        environment,
        // Unknown cameras and sensors stay NULL (no capability tag), unlike an
        // empty list, which means "none" (camera-none).
        cameras: null,
        sensors: null,
        ...hardware,
        ...software,
        notes: checkText(input.notes, 'notes', MAX_LENGTHS.notes),
        physical_location: checkText(
          input.physicalLocation,
          'physicalLocation',
          MAX_LENGTHS.location,
        ),
        registered_at: at,
        updated_at: at,
        heartbeat_interval_seconds: interval,
      };
      const names = Object.keys(columns);
      await client.query(
        `INSERT INTO devices (${names.join(', ')})
         VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(columns),
      );
      await client.query(
        `INSERT INTO device_status (device_id, state, state_since, connectivity)
         VALUES ($1, 'provisioning', $2, 'offline')`,
        [id, at],
      );
      await client.query(
        `INSERT INTO state_transitions (device_id, from_state, to_state, cause, actor, reason, at)
         VALUES ($1, NULL, 'provisioning', 'registration', $2, NULL, $3)`,
        [id, actor, at],
      );
      await client.query(
        `INSERT INTO device_tags (device_id, key, value, created_at)
         SELECT $1, k, v, $4 FROM unnest($2::text[], $3::text[]) AS t(k, v)`,
        [id, tags.map((t) => t.key), tags.map((t) => t.value), at],
      );
      const joined = await joinGroups(client, id, groups, at);

      const { token: deviceToken } = await issueDeviceToken(client, id, at);

      await recordAudit(client, [
        {
          actor,
          action: 'device.registered',
          entityType: 'device',
          entityId: id,
          before: null,
          after: { ...columns, tags, groups: joined },
          at,
        },
      ]);
      const iso = at.toISOString();
      await deps.events.publish(client, [
        { kind: 'deviceChanged', deviceId: id, change: 'registered', at: iso },
        {
          kind: 'stateChanged',
          deviceId: id,
          from: null,
          to: 'provisioning',
          cause: 'registration',
          actor,
          reason: null,
          at: iso,
        },
      ]);
      deps.logger.info({ deviceId: id, actor }, 'device registered');

      const device = await findDevice(client, id);
      return { device: device!, deviceToken };
    });
  } catch (error) {
    // Two registrations racing past the duplicate check: the unique index
    // decides, and the loser gets the same typed error.
    const constraint = (error as { constraint?: string }).constraint;
    if (
      (error as { code?: string }).code === '23505' &&
      constraint &&
      DUPLICATE_CONSTRAINTS[constraint]
    ) {
      const field = DUPLICATE_CONSTRAINTS[constraint];
      const value =
        { id: givenId, serialNumber, macAddress }[field as 'id'] ?? '';
      throw duplicate(field, value);
    }
    throw error;
  }
}
