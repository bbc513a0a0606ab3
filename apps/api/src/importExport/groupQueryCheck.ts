import { isTagQueryError } from '@rollcall/tag-query';
import {
  checkGroupQuery,
  type GroupQuerySource,
} from '../groups/groupMembership.ts';
import type { GroupDocument } from './groupDocument.ts';
import type { FromFile } from './readRegistryDirectory.ts';
import { RegistryFileError } from './registryFileError.ts';

function querySource(group: GroupDocument): GroupQuerySource {
  return { membership: group.membership, query: group.query ?? null };
}

/**
 * The group files whose dynamic query is valid against the groups as they
 * will be after the import: the registry's, with the files' in their
 * place. The check is createGroup's (`checkGroupQuery`): an unknown
 * `group:NAME` or a cycle (`a` uses `b` uses `a`) is refused, since a
 * saved one would make every query that expands it fail. A refused file
 * is added to `failures` (field `<name>.query`) and the others checked
 * again without it, so that what is imported never names it.
 */
export function checkGroupQueries(
  files: Array<FromFile<GroupDocument>>,
  stored: ReadonlyMap<string, GroupDocument>,
  failures: RegistryFileError[],
): Array<FromFile<GroupDocument>> {
  let valid = files;
  for (;;) {
    const after = new Map<string, GroupQuerySource>();
    for (const [name, group] of stored) after.set(name, querySource(group));
    for (const { value } of valid) after.set(value.name, querySource(value));

    const refused = valid.flatMap((entry) => {
      const problem = queryProblem(entry.value, after);
      return problem === null
        ? []
        : [
            new RegistryFileError(
              entry.file,
              `${entry.value.name}.query`,
              problem,
            ),
          ];
    });
    if (refused.length === 0) return valid;

    failures.push(...refused);
    const files = new Set(refused.map((failure) => failure.file));
    valid = valid.filter((entry) => !files.has(entry.file));
  }
}

function queryProblem(
  group: GroupDocument,
  groups: ReadonlyMap<string, GroupQuerySource>,
): string | null {
  if (group.membership !== 'dynamic') return null;

  try {
    checkGroupQuery(group.query ?? '', groups, group.name);
    return null;
  } catch (error) {
    if (!isTagQueryError(error)) throw error;
    const { line, column } = error.position;
    return `${error.code} at line ${line}, column ${column}: ${error.message}`;
  }
}
