import type {
  ReportedHardware,
  ReportedSoftware,
} from '../liveness/heartbeatTypes.ts';

type HardwareField = keyof ReportedHardware;
type SoftwareField = keyof ReportedSoftware;

/** Record fields registry sync compares, with their devices column. */
export const HARDWARE_COLUMNS: ReadonlyArray<[HardwareField, string]> = [
  ['hardwareType', 'hardware_type'],
  ['architecture', 'architecture'],
  ['cpuCores', 'cpu_cores'],
  ['ramMb', 'ram_mb'],
  ['gpu', 'gpu'],
  ['diskTotalMb', 'disk_total_mb'],
  ['hasGpu', 'has_gpu'],
  ['storageType', 'storage_type'],
  ['cameras', 'cameras'],
  ['sensors', 'sensors'],
];

export const SOFTWARE_COLUMNS: ReadonlyArray<[SoftwareField, string]> = [
  ['os', 'os'],
  ['kernel', 'kernel'],
  ['jetpackVersion', 'jetpack_version'],
  ['cudaVersion', 'cuda_version'],
  ['containerRuntime', 'container_runtime'],
  ['containerRuntimeVersion', 'container_runtime_version'],
];

/**
 * A column's name in the device record (`hardware.ram_mb`), as the query
 * language's field paths and the registry files name it.
 */
function recordField(section: 'hardware' | 'software', column: string) {
  return `${section}.${column === 'hardware_type' ? 'type' : column}`;
}

/** One field where what the device reports differs from the registry. */
export interface Discrepancy {
  deviceId: string;
  /** `hardware.<field>` or `software.<field>`, in the record's names. */
  field: string;
  column: string;
  registryValue: unknown;
  reportedValue: unknown;
}

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The discrepancies of one device: every field the device reported (a
 * field it left out is not judged) whose value differs from the record.
 */
export function findDiscrepancies(
  deviceId: string,
  record: Record<string, unknown>,
  hardware: ReportedHardware | null,
  software: ReportedSoftware | null,
): Discrepancy[] {
  const found: Discrepancy[] = [];
  const compare = <K extends string>(
    section: 'hardware' | 'software',
    reported: Partial<Record<K, unknown>> | null,
    columns: ReadonlyArray<[K, string]>,
  ) => {
    if (!reported) return;
    for (const [field, column] of columns) {
      const value = reported[field];
      if (value === undefined || value === null) continue;
      if (same(record[column], value)) continue;

      found.push({
        deviceId,
        field: recordField(section, column),
        column,
        registryValue: record[column] ?? null,
        reportedValue: value,
      });
    }
  };
  compare(
    'hardware',
    hardware as Partial<Record<HardwareField, unknown>> | null,
    HARDWARE_COLUMNS,
  );
  compare(
    'software',
    software as Partial<Record<SoftwareField, unknown>> | null,
    SOFTWARE_COLUMNS,
  );
  return found;
}
