/**
 * The catalogue of fields a query may compare: the spec's device record
 * paths (`hardware.ram_mb`), each with its type and the SQL expression it
 * reads (`d` is `devices`, `s` is `device_status`).
 */

/**
 * How a field compares. `string`, `boolean` and `state` allow `=` and `!=`
 * only; `integer`, `version`, `time` and `duration` allow every operator.
 * `version` compares as a semantic version (`compareVersions`), `time` as
 * an instant, `duration` as milliseconds.
 */
export type FieldType =
  'string' | 'integer' | 'boolean' | 'version' | 'time' | 'duration' | 'state';

/** One comparable field. */
export interface FieldDefinition {
  /** The record path, as the spec names it. */
  path: FieldPath;
  type: FieldType;
  /** The SQL expression over `d` (devices) and `s` (device_status). */
  column: string;
  /** Whether the column may be NULL (a comparison on NULL is false). */
  isNullable: boolean;
  /**
   * A stored `rollcall_version_key(column)` for a version field, so that a
   * query compares it without computing the key per device.
   */
  sortKey?: string;
}

// Version fields whose sort key the devices table stores.
const SORT_KEYS: Readonly<Partial<Record<string, string>>> = {
  'd.current_version': 'd.current_version_key',
};

const CATALOGUE = [
  ['id', 'string', 'd.id', false],
  ['hostname', 'string', 'd.hostname', false],
  ['serial_number', 'string', 'd.serial_number', true],
  ['mac_address', 'string', 'd.mac_address', true],
  ['hardware.type', 'string', 'd.hardware_type', false],
  ['hardware.architecture', 'string', 'd.architecture', true],
  ['hardware.cpu_cores', 'integer', 'd.cpu_cores', true],
  ['hardware.ram_mb', 'integer', 'd.ram_mb', true],
  ['hardware.gpu', 'string', 'd.gpu', true],
  ['hardware.disk_total_mb', 'integer', 'd.disk_total_mb', true],
  ['hardware.has_gpu', 'boolean', 'd.has_gpu', false],
  ['hardware.storage_type', 'string', 'd.storage_type', true],
  ['software.os', 'string', 'd.os', true],
  ['software.kernel', 'string', 'd.kernel', true],
  ['software.jetpack_version', 'version', 'd.jetpack_version', true],
  ['software.cuda_version', 'version', 'd.cuda_version', true],
  ['software.container_runtime', 'string', 'd.container_runtime', true],
  [
    'software.container_runtime_version',
    'version',
    'd.container_runtime_version',
    true,
  ],
  ['deployment.current_version', 'version', 'd.current_version', true],
  ['deployment.previous_version', 'version', 'd.previous_version', true],
  ['deployment.last_deployed', 'time', 'd.last_deployed_at', true],
  ['deployment.deployment_slot', 'string', 'd.deployment_slot', true],
  ['deployment.rollback_available', 'boolean', 'd.rollback_available', false],
  ['deployment.rollback_version', 'version', 'd.rollback_version', true],
  ['status.state', 'state', 's.state', false],
  ['status.last_heartbeat', 'time', 's.last_heartbeat_at', true],
  ['status.uptime_seconds', 'integer', 's.uptime_seconds', true],
  ['status.connectivity', 'string', 's.connectivity', false],
  ['metadata.registered', 'time', 'd.registered_at', false],
  ['metadata.last_updated', 'time', 'd.updated_at', false],
  ['metadata.physical_location', 'string', 'd.physical_location', true],
  ['metadata.notes', 'string', 'd.notes', true],
  [
    'heartbeat_interval_seconds',
    'integer',
    'd.heartbeat_interval_seconds',
    false,
  ],
  // now minus s.offline_since, for devices in state offline only.
  ['offline_for', 'duration', 's.offline_since', true],
] as const;

/** Every field path the catalogue knows. */
export type FieldPath = (typeof CATALOGUE)[number][0];

/**
 * The paths a `QueryableDevice` carries in `fields`; `id`, `status.state`
 * and `offline_for` come from its other properties.
 */
export type DeviceFieldPath = Exclude<
  FieldPath,
  'id' | 'status.state' | 'offline_for'
>;

/** The catalogue, in record order. */
export const FIELDS: readonly FieldDefinition[] = CATALOGUE.map(
  ([path, type, column, isNullable]) => {
    const sortKey = SORT_KEYS[column];
    return sortKey === undefined
      ? { path, type, column, isNullable }
      : { path, type, column, isNullable, sortKey };
  },
);

/** Short names accepted for fields: alias to catalogue path. */
export const FIELD_ALIASES: Readonly<Record<string, FieldPath>> = {
  last_heartbeat: 'status.last_heartbeat',
};

const BY_PATH: ReadonlyMap<string, FieldDefinition> = new Map(
  FIELDS.map((field) => [field.path, field]),
);

/** Every name a query may use for a field: paths, then aliases. */
export const FIELD_NAMES: readonly string[] = [
  ...FIELDS.map((field) => field.path),
  ...Object.keys(FIELD_ALIASES),
];

/** The field a path or alias names, or undefined. */
export function lookupField(name: string): FieldDefinition | undefined {
  const alias = Object.hasOwn(FIELD_ALIASES, name)
    ? FIELD_ALIASES[name]
    : undefined;
  return BY_PATH.get(alias ?? name);
}

/** The operators a field type allows. */
export function operatorsFor(type: FieldType): readonly string[] {
  switch (type) {
    case 'string':
    case 'boolean':
    case 'state':
      return ['=', '!='];
    default:
      return ['=', '!=', '<', '<=', '>', '>='];
  }
}
