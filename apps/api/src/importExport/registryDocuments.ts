import type { CatchUpDocument } from './catchUpDocument.ts';
import type { DeviceDocument } from './deviceDocument.ts';
import type { DeploymentDocument } from './deploymentDocument.ts';
import type { GroupDocument } from './groupDocument.ts';

/** The YAML root of a device file. */
export function deviceFileRoot(document: DeviceDocument): {
  device: DeviceDocument;
} {
  return { device: document };
}

/** The YAML root of a group file: the group's name as the one key. */
export function groupFileRoot(document: GroupDocument): Record<string, object> {
  const { name, ...group } = document;
  return { [name]: group };
}

/** The YAML root of a deployment file. */
export function deploymentFileRoot(document: DeploymentDocument): {
  deployment: DeploymentDocument;
} {
  return { deployment: document };
}

/** The YAML root of the catch-up queue file. */
export function catchUpFileRoot(entries: CatchUpDocument[]): {
  catch_up_queue: CatchUpDocument[];
} {
  return { catch_up_queue: entries };
}
