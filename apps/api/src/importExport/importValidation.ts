import { capabilityTags } from '@rollcall/fleet';
import { RollcallError } from '../errors.ts';
import { assertTagCount, statusTagsAmong } from '../tags/tagInput.ts';
import type { CatchUpDocument } from './catchUpDocument.ts';
import type { DeviceDocument, ParsedDevice } from './deviceDocument.ts';
import type { DeviceFill } from './fillDevice.ts';
import type { GroupDocument } from './groupDocument.ts';
import { checkDeploymentGroups } from './deploymentGroupCheck.ts';
import { checkGroupQueries } from './groupQueryCheck.ts';
import type { FromFile, RegistryFiles } from './readRegistryDirectory.ts';
import { RegistryFileError } from './registryFileError.ts';
import type { StoredRegistry } from './storedRegistry.ts';

/** The files that passed the cross-file checks, ready to compare. */
export interface ValidRegistry {
  devices: RegistryFiles['devices'];
  /** Groups to compare: the files' plus stored groups whose members moved. */
  groups: Array<FromFile<GroupDocument>>;
  deployments: RegistryFiles['deployments'];
  catchUp: RegistryFiles['catchUp'];
  failures: RegistryFileError[];
}

function fieldError(entry: FromFile<unknown>, field: string, reason: string) {
  return new RegistryFileError(entry.file, field, reason);
}

/**
 * Devices without `labels` get the capability tags registration derives
 * from their hardware, so that an imported device is what the API would
 * have written.
 */
function deriveLabels(parsed: ParsedDevice): void {
  if (parsed.hasLabels) return;
  const { hardware } = parsed.document;
  parsed.document.labels = capabilityTags({
    type: hardware.type,
    gpu: hardware.gpu,
    hasGpu: hardware.has_gpu,
    ramMb: hardware.ram_mb,
    storageType: hardware.storage_type ?? null,
    cameras: hardware.cameras ?? null,
    sensors: hardware.sensors ?? null,
  }).sort();
}

/**
 * The API's tag limit (`assertTagCount`, as tagDevices checks it) over the
 * tags and labels the device will hold once filled in: capability labels
 * included, and the registry's status tags (`decommissioned`, which
 * filling gives a decommissioned device, and `offline-extended`) on top,
 * as the registry adds them to a device at the limit, so that an
 * imported device holds neither more tags than the API lets it reach nor
 * fewer than an export of it can carry.
 */
function tagCountProblem(document: DeviceDocument): string | null {
  const tags = [
    ...Object.entries(document.tags),
    ...document.labels.map((label) => [label, ''] as const),
  ];
  const distinct = new Set(tags.map(([key, value]) => `${key}\u0000${value}`));
  try {
    assertTagCount(
      distinct.size,
      'device.tags',
      document.id,
      statusTagsAmong(tags.map(([key]) => key)),
    );
    return null;
  } catch (error) {
    if (error instanceof RollcallError) return error.message;
    throw error;
  }
}

function checkIdentity(
  devices: RegistryFiles['devices'],
  stored: StoredRegistry,
  failures: RegistryFileError[],
): RegistryFiles['devices'] {
  const fileIds = new Set(devices.map((entry) => entry.value.document.id));
  const owners = new Map<string, string>();
  for (const document of stored.devices.values()) {
    if (fileIds.has(document.id)) continue;
    if (document.serial_number)
      owners.set(`serial:${document.serial_number}`, document.id);
    if (document.mac_address)
      owners.set(`mac:${document.mac_address}`, document.id);
  }

  return devices.filter((entry) => {
    const { document } = entry.value;
    for (const [field, value] of [
      ['serial_number', document.serial_number],
      ['mac_address', document.mac_address],
    ] as const) {
      if (!value) continue;
      const key = `${field === 'serial_number' ? 'serial' : 'mac'}:${value}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== document.id) {
        failures.push(
          fieldError(
            entry,
            `device.${field}`,
            `"${value}" is already the ${field} of device "${owner}"`,
          ),
        );
        return false;
      }
      owners.set(key, document.id);
    }
    return true;
  });
}

/**
 * The cross-file checks, in dependency order: groups (dynamic queries
 * against the groups after the import), then devices (their
 * static groups must exist and agree with the group files, serial numbers
 * and MACs must be unique, at most `INPUT_LIMITS.tagsPerDevice` tags once
 * `fill` has completed them against the stored records),
 * then the catch-up queue (its devices and deployments must exist). A file that fails is left out and its error added to the
 * failures, so later checks see only valid files.
 */
export function validateRegistry(
  files: RegistryFiles,
  stored: StoredRegistry,
  fill: DeviceFill,
): ValidRegistry {
  const failures = [...files.failures];
  const validGroups = checkGroupQueries(files.groups, stored.groups, failures);
  const fileGroups = new Map(
    validGroups.map((entry) => [entry.value.name, entry]),
  );
  const merged = new Map<string, GroupDocument>(stored.groups);
  for (const [name, entry] of fileGroups) merged.set(name, entry.value);

  // Members of stored groups that device files move in or out.
  const storedMembers = new Map<string, Set<string>>();
  const devices = checkIdentity(files.devices, stored, failures).filter(
    (entry) => {
      const { document } = entry.value;
      deriveLabels(entry.value);
      const tooMany = tagCountProblem(
        fill(document, stored.devices.get(document.id)),
      );
      if (tooMany) {
        failures.push(fieldError(entry, 'device.tags', tooMany));
        return false;
      }
      const problem = groupProblem(
        document.id,
        document.groups,
        merged,
        fileGroups,
      );
      if (problem) {
        failures.push(fieldError(entry, problem.field, problem.reason));
        return false;
      }
      return true;
    },
  );

  for (const entry of devices) {
    const { document } = entry.value;
    for (const group of merged.values()) {
      if (group.membership !== 'static' || fileGroups.has(group.name)) continue;
      const members =
        storedMembers.get(group.name) ?? new Set(group.devices ?? []);
      if (document.groups.includes(group.name)) members.add(document.id);
      else members.delete(document.id);
      storedMembers.set(group.name, members);
    }
  }

  const groups = [...validGroups];
  for (const [name, members] of storedMembers) {
    const group = stored.groups.get(name)!;
    groups.push({
      file: `groups/${name}.yaml`,
      value: { ...group, devices: [...members].sort() },
    });
  }

  const deployments = checkDeploymentGroups(
    files.deployments,
    new Set(merged.keys()),
    failures,
  );

  let catchUp = files.catchUp;
  if (catchUp) {
    const known = new Set([
      ...stored.devices.keys(),
      ...devices.map((d) => d.value.document.id),
    ]);
    const deploymentIds = new Set([
      ...stored.deployments.keys(),
      ...deployments.map((d) => d.value.id),
    ]);
    const problem = catchUpProblem(catchUp.value, known, deploymentIds);
    if (problem) {
      failures.push(fieldError(catchUp, problem.field, problem.reason));
      catchUp = null;
    }
  }

  return { devices, groups, deployments, catchUp, failures };
}

/**
 * The first queue entry naming a device or a deployment that is neither in
 * the directory nor in the registry: a dangling entry could never be
 * delivered, and the catch-up timeline could not explain it.
 */
function catchUpProblem(
  entries: CatchUpDocument[],
  devices: Set<string>,
  deployments: Set<string>,
): { field: string; reason: string } | null {
  for (const [index, entry] of entries.entries()) {
    if (!devices.has(entry.device_id)) {
      return {
        field: `catch_up_queue[${index}].device_id`,
        reason: `device "${entry.device_id}" is neither in devices/ nor in the registry`,
      };
    }
    if (!deployments.has(entry.deployment_id)) {
      return {
        field: `catch_up_queue[${index}].deployment_id`,
        reason: `deployment "${entry.deployment_id}" is neither in deployments/ nor in the registry`,
      };
    }
  }
  return null;
}

function groupProblem(
  deviceId: string,
  names: string[],
  merged: Map<string, GroupDocument>,
  fileGroups: Map<string, FromFile<GroupDocument>>,
): { field: string; reason: string } | null {
  for (const [index, name] of names.entries()) {
    const group = merged.get(name);
    const field = `device.groups[${index}]`;
    if (!group) {
      return {
        field,
        reason: `group "${name}" is defined neither in groups/ nor in the registry`,
      };
    }
    if (group.membership === 'dynamic') {
      return {
        field,
        reason: `"${name}" is a dynamic group: its query decides membership, so it is not listed here`,
      };
    }
    if (fileGroups.has(name) && !group.devices?.includes(deviceId)) {
      return {
        field,
        reason: `lists "${name}", but groups/${name}.yaml does not list this device`,
      };
    }
  }
  for (const [name, entry] of fileGroups) {
    const group = entry.value;
    if (
      group.membership === 'static' &&
      group.devices?.includes(deviceId) &&
      !names.includes(name)
    ) {
      return {
        field: 'device.groups',
        reason: `does not list "${name}", but groups/${name}.yaml lists this device`,
      };
    }
  }
  return null;
}
