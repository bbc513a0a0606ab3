import { isTagQueryError, parse as parseTagQuery } from '@rollcall/tag-query';
import { compare } from './deviceDocument.ts';
import { FieldReader } from './fieldReader.ts';

/**
 * One group file, `groups/<name>.yaml`: the spec's group format, the
 * group's name as the single top-level key (as in the spec's `groups:`
 * block) with description, membership, and `query` (dynamic) or `devices`
 * (static), and optionally `deploy_policy`.
 */
export interface GroupDocument {
  name: string;
  description: string | null;
  membership: 'static' | 'dynamic';
  /** Dynamic groups: the tag query, checked by the tag-query parser. */
  query?: string;
  /** Static groups: member device ids, sorted. */
  devices?: string[];
  deploy_policy?: string;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** Checks a group name (also a file name). Returns the reason or null. */
export function groupNameProblem(name: string): string | null {
  return NAME_PATTERN.test(name)
    ? null
    : `"${name}" must be 1-128 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit`;
}

/**
 * Parses and checks one group file; `fileName` is the file name without
 * `.yaml`, which must equal the group's name.
 *
 * @throws RegistryFileError naming the field and the reason
 */
export function parseGroupDocument(
  file: string,
  fileName: string,
  root: unknown,
): GroupDocument {
  const top = FieldReader.of(file, '', root);
  const keys = top.keys();
  if (keys.length !== 1) {
    throw top.fail(
      '',
      `expected one key, the group's name (${fileName}), got ${keys.length === 0 ? 'none' : keys.join(', ')}`,
    );
  }
  const name = keys[0]!;
  if (name !== fileName) {
    throw top.fail(
      name,
      `the group "${name}" does not match the file name ${fileName}.yaml`,
    );
  }
  const problem = groupNameProblem(name);
  if (problem) throw top.fail(name, problem);

  const group = top.requiredObject(name);
  const membership = group.choice('membership', ['static', 'dynamic'] as const);
  if (membership === null)
    throw group.fail('membership', 'is required ("static" or "dynamic")');

  const description = group.string('description', {
    maxLength: 1000,
    isMultiline: true,
  });
  const policy = group.string('deploy_policy', { maxLength: 200 });
  const document: GroupDocument = { name, description, membership };

  if (membership === 'dynamic') {
    if (group.has('devices')) {
      throw group.fail(
        'devices',
        'is only for a static group; a dynamic group has a query',
      );
    }
    const query = group.requiredString('query', {
      maxLength: 4000,
      isMultiline: true,
    });
    try {
      parseTagQuery(query);
    } catch (error) {
      if (!isTagQueryError(error)) throw error;
      const { line, column } = error.position;
      throw group.fail(
        'query',
        `${error.code} at line ${line}, column ${column}: ${error.message}`,
      );
    }
    document.query = query;
  } else {
    if (group.has('query')) {
      throw group.fail(
        'query',
        'is only for a dynamic group; a static group lists devices',
      );
    }
    const devices = group.stringList('devices', { maxItems: 100_000 }) ?? [];
    document.devices = [...new Set(devices)].sort(compare);
  }
  if (policy !== null) document.deploy_policy = policy;

  group.done();
  return document;
}
