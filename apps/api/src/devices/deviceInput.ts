import { RollcallError } from '../errors.ts';
import { hasForbiddenCharacter } from '../server/inputLimits.ts';

/** The hardware block a client sends (registration and updates). */
export interface HardwareInput {
  type?: string | null;
  architecture?: string | null;
  cpuCores?: number | null;
  ramMb?: number | null;
  gpu?: string | null;
  diskTotalMb?: number | null;
  hasGpu?: boolean | null;
  storageType?: string | null;
  cameras?: string[] | null;
  sensors?: string[] | null;
}

/** The software block a client sends. */
export interface SoftwareInput {
  os?: string | null;
  kernel?: string | null;
  jetpackVersion?: string | null;
  cudaVersion?: string | null;
  containerRuntime?: string | null;
  containerRuntimeVersion?: string | null;
}

/** Record fields and the columns they are stored in. */
export const HARDWARE_COLUMNS = {
  type: 'hardware_type',
  architecture: 'architecture',
  cpuCores: 'cpu_cores',
  ramMb: 'ram_mb',
  gpu: 'gpu',
  diskTotalMb: 'disk_total_mb',
  hasGpu: 'has_gpu',
  storageType: 'storage_type',
  cameras: 'cameras',
  sensors: 'sensors',
} as const satisfies Record<keyof HardwareInput, string>;

export const SOFTWARE_COLUMNS = {
  os: 'os',
  kernel: 'kernel',
  jetpackVersion: 'jetpack_version',
  cudaVersion: 'cuda_version',
  containerRuntime: 'container_runtime',
  containerRuntimeVersion: 'container_runtime_version',
} as const satisfies Record<keyof SoftwareInput, string>;

function badInput(argument: string, message: string): RollcallError {
  return new RollcallError('BAD_USER_INPUT', message, { argument });
}

/** Longest accepted text per kind of field, in characters. */
export const MAX_LENGTHS = {
  short: 128,
  hostname: 253,
  location: 512,
  notes: 4096,
};

/** Most entries in a hardware list (cameras, sensors) or `groups`. */
export const MAX_LIST_ENTRIES = 64;

/** Trims text and checks its length; null stays null. */
export function checkText(
  value: string | null | undefined,
  argument: string,
  max: number,
  { required = false } = {},
): string | null {
  if (value == null) {
    if (required) throw badInput(argument, `"${argument}" is required`);
    return null;
  }

  const text = value.trim();
  if (required && text === '') {
    throw badInput(argument, `"${argument}" cannot be empty`);
  }
  if (text.length > max) {
    throw badInput(argument, `"${argument}" is longer than ${max} characters`);
  }
  if (hasForbiddenCharacter(text, { isMultiline: true })) {
    throw badInput(
      argument,
      `"${argument}" contains a control or invisible character`,
    );
  }
  return text === '' ? null : text;
}

/** Checks an integer against a range; null stays null. */
export function checkInteger(
  value: number | null | undefined,
  argument: string,
  min: number,
  max: number,
): number | null {
  if (value == null) return null;

  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(argument, `"${argument}" must be between ${min} and ${max}`);
  }
  return value;
}

const MAC_PATTERN = /^[0-9a-f]{2}([:-]?)[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;

/**
 * A MAC address in one canonical form (lower case, colon-separated), so
 * that `00:04:4B:E6:A3:12` and `00-04-4b-e6-a3-12` are the same device.
 */
export function normalizeMac(value: string | null | undefined): string | null {
  const text = checkText(value, 'macAddress', MAX_LENGTHS.short);
  if (text === null) return null;

  if (!MAC_PATTERN.test(text)) {
    throw badInput('macAddress', `"${text}" is not a MAC address`);
  }
  const hex = text.toLowerCase().replace(/[^0-9a-f]/g, '');
  return hex.match(/../g)!.join(':');
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A given device id: letters, digits, `.`, `_`, `-`, at most 128. */
export function checkDeviceId(value: string): string {
  if (!ID_PATTERN.test(value)) {
    throw badInput(
      'id',
      'A device id is 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit',
    );
  }
  return value;
}

/** Cleans a list of short texts (cameras, sensors). */
export function checkList(
  values: string[] | null | undefined,
  argument: string,
): string[] | null {
  if (values == null) return null;

  if (values.length > MAX_LIST_ENTRIES) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      `"${argument}" has ${values.length} entries; the limit is ${MAX_LIST_ENTRIES}`,
      { argument, field: argument, maxItems: MAX_LIST_ENTRIES },
    );
  }
  return values
    .map((value) => checkText(value, argument, MAX_LENGTHS.short) ?? '')
    .filter((value) => value !== '');
}

/** The checked hardware columns a client set, by column name. */
export function hardwareColumns(input: HardwareInput): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  const set = (key: keyof HardwareInput, value: () => unknown) => {
    if (input[key] !== undefined) columns[HARDWARE_COLUMNS[key]] = value();
  };
  set('type', () =>
    checkText(input.type, 'hardware.type', MAX_LENGTHS.short, {
      required: true,
    }),
  );
  set('architecture', () =>
    checkText(input.architecture, 'hardware.architecture', MAX_LENGTHS.short),
  );
  set('cpuCores', () =>
    checkInteger(input.cpuCores, 'hardware.cpuCores', 0, 4096),
  );
  set('ramMb', () =>
    checkInteger(input.ramMb, 'hardware.ramMb', 0, 2 ** 31 - 1),
  );
  set('gpu', () => checkText(input.gpu, 'hardware.gpu', MAX_LENGTHS.location));
  set('diskTotalMb', () =>
    checkInteger(input.diskTotalMb, 'hardware.diskTotalMb', 0, 2 ** 31 - 1),
  );
  set('hasGpu', () => input.hasGpu ?? false);
  set('storageType', () =>
    checkText(input.storageType, 'hardware.storageType', MAX_LENGTHS.short),
  );
  set('cameras', () => checkList(input.cameras, 'hardware.cameras') ?? []);
  set('sensors', () => checkList(input.sensors, 'hardware.sensors') ?? []);
  return columns;
}

/** The checked software columns a client set, by column name. */
export function softwareColumns(input: SoftwareInput): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const key of Object.keys(SOFTWARE_COLUMNS) as (keyof SoftwareInput)[]) {
    if (input[key] === undefined) continue;

    columns[SOFTWARE_COLUMNS[key]] = checkText(
      input[key],
      `software.${key}`,
      MAX_LENGTHS.short,
    );
  }
  return columns;
}
