import type { DeploymentDocument } from './deploymentDocument.ts';
import type { FromFile } from './readRegistryDirectory.ts';
import { RegistryFileError } from './registryFileError.ts';

// States whose deployment still resolves its groups (to start, resume or
// start a wave); a finished one keeps its history whatever became of them.
const UNFINISHED = new Set(['planned', 'running', 'paused']);

/** Every group a deployment file's manifest names, with its field. */
function namedGroups(
  document: DeploymentDocument,
): Array<{ field: string; name: string }> {
  const named = [
    ...document.target.groups.map((name, i) => ({
      field: `deployment.target.groups[${i}]`,
      name,
    })),
    ...document.target.exclude_groups.map((name, i) => ({
      field: `deployment.target.exclude_groups[${i}]`,
      name,
    })),
    ...document.waves.flatMap((wave, w) => [
      ...wave.groups.map((name, i) => ({
        field: `deployment.waves[${w}].groups[${i}]`,
        name,
      })),
      ...wave.exclude_groups.map((name, i) => ({
        field: `deployment.waves[${w}].exclude_groups[${i}]`,
        name,
      })),
    ]),
  ];
  if (document.canary) {
    named.push({
      field: 'deployment.canary.source_group',
      name: document.canary.source_group,
    });
  }
  return named;
}

/**
 * Leaves out (with their errors) the unfinished deployment files naming a
 * group that neither the files nor the registry define: createDeployment
 * refuses such a manifest (INVALID_MANIFEST), and an imported one could
 * never start.
 */
export function checkDeploymentGroups(
  files: Array<FromFile<DeploymentDocument>>,
  knownGroups: ReadonlySet<string>,
  failures: RegistryFileError[],
): Array<FromFile<DeploymentDocument>> {
  return files.filter((entry) => {
    if (!UNFINISHED.has(entry.value.status.state)) return true;
    const unknown = namedGroups(entry.value).find(
      ({ name }) => !knownGroups.has(name),
    );
    if (!unknown) return true;
    failures.push(
      new RegistryFileError(
        entry.file,
        unknown.field,
        `group "${unknown.name}" is defined neither in groups/ nor in the ` +
          'registry; an unfinished deployment naming it could never start',
      ),
    );
    return false;
  });
}
