import { MAX_LENGTHS, MAX_LIST_ENTRIES } from '../devices/deviceInput.ts';
import { RollcallError } from '../errors.ts';
import { checkList, checkText } from '../server/inputLimits.ts';
import type { ReportedHardware, ReportedSoftware } from './heartbeatTypes.ts';

// Registry sync copies reported values into the device record, so a report
// is held to the record's own limits (registration's `hardwareColumns`):
// what a heartbeat may say, an operator could have written.
const TEXT_FIELDS = {
  hardwareType: ['hardware.type', MAX_LENGTHS.short],
  architecture: ['hardware.architecture', MAX_LENGTHS.short],
  gpu: ['hardware.gpu', MAX_LENGTHS.location],
  storageType: ['hardware.storageType', MAX_LENGTHS.short],
} as const;

const INTEGER_FIELDS = {
  cpuCores: ['hardware.cpuCores', 4096],
  ramMb: ['hardware.ramMb', 2 ** 31 - 1],
  diskTotalMb: ['hardware.diskTotalMb', 2 ** 31 - 1],
} as const;

const LIST_FIELDS = {
  cameras: 'hardware.cameras',
  sensors: 'hardware.sensors',
} as const;

const SOFTWARE_FIELDS = {
  os: 'software.os',
  kernel: 'software.kernel',
  jetpackVersion: 'software.jetpackVersion',
  cudaVersion: 'software.cudaVersion',
  containerRuntime: 'software.containerRuntime',
  containerRuntimeVersion: 'software.containerRuntimeVersion',
} as const;

function integer(value: number, field: string, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      `${field} must be a whole number from 0 to ${max}`,
      { field, min: 0, max },
    );
  }
  return value;
}

function list(values: readonly string[], field: string): string[] {
  checkList(values, field, MAX_LIST_ENTRIES);
  for (const value of values) checkText(value, field, MAX_LENGTHS.short);
  return [...values];
}

/**
 * Checks the hardware block of a heartbeat: strings within the record's
 * lengths and free of control or invisible characters, whole numbers
 * from 0, at most 64 cameras and 64 sensors. Throws BAD_USER_INPUT naming
 * the field (as the GraphQL input spells it) and the limit.
 */
export function parseReportedHardware(
  input: ReportedHardware | null | undefined,
): ReportedHardware | null {
  if (!input) return null;

  const hardware: ReportedHardware = { ...input };
  for (const [key, [field, max]] of Object.entries(TEXT_FIELDS)) {
    const value = input[key as keyof typeof TEXT_FIELDS];
    if (value != null) checkText(value, field, max);
  }
  for (const [key, [field, max]] of Object.entries(INTEGER_FIELDS)) {
    const value = input[key as keyof typeof INTEGER_FIELDS];
    if (value != null) integer(value, field, max);
  }
  for (const [key, field] of Object.entries(LIST_FIELDS)) {
    const value = input[key as keyof typeof LIST_FIELDS];
    if (value != null)
      hardware[key as keyof typeof LIST_FIELDS] = list(value, field);
  }
  return hardware;
}

/**
 * Checks the software block of a heartbeat: each string at most 128
 * characters, free of control or invisible characters (PostgreSQL refuses
 * a NUL in the stored JSON). Throws BAD_USER_INPUT naming the field.
 */
export function parseReportedSoftware(
  input: ReportedSoftware | null | undefined,
): ReportedSoftware | null {
  if (!input) return null;

  for (const [key, field] of Object.entries(SOFTWARE_FIELDS)) {
    const value = input[key as keyof typeof SOFTWARE_FIELDS];
    if (value != null) checkText(value, field, MAX_LENGTHS.short);
  }
  return { ...input };
}
