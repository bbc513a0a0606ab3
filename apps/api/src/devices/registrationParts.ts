import {
  capabilityTags,
  deviceTypeShortName,
  environmentShortName,
  formatDeviceId,
} from '@rollcall/fleet';
import type pg from 'pg';
import { RollcallError } from '../errors.ts';
import { checkList, INPUT_LIMITS } from '../server/inputLimits.ts';
import {
  assertTagCount,
  assertAddableTag,
  normalizeTagInput,
  normalizeTagName,
  statusTagsAmong,
  uniqueTags,
  type StoredTag,
  type TagInput,
} from '../tags/tagInput.ts';
import type { RegisterDeviceInput } from './registerDevice.ts';

type Client = pg.PoolClient;

function tagMapEntries(tagMap: unknown): TagInput[] {
  if (tagMap == null) return [];

  if (typeof tagMap !== 'object' || Array.isArray(tagMap)) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      '"tagMap" must be an object of strings',
      {
        argument: 'tagMap',
      },
    );
  }
  const entries = Object.entries(tagMap);
  checkList(entries, 'tagMap', INPUT_LIMITS.tags);
  return entries.map(([key, value]) => {
    if (typeof value !== 'string') {
      throw new RollcallError(
        'BAD_USER_INPUT',
        `"tagMap.${key}" must be a string`,
        {
          argument: 'tagMap',
        },
      );
    }
    return { key, value };
  });
}

/**
 * The environment and the role each as a plain tag and as a key/value
 * tag, the way imported records carry them (`environment: production` in
 * the tags map, `production` among the labels), so that `tag:production`
 * and `tag:environment=production` find a registered device as they find
 * an imported one.
 */
function classifyingTags(input: RegisterDeviceInput): StoredTag[] {
  const fields = [
    ['environment', input.environment],
    ['role', input.role],
  ] as const;
  return fields.flatMap(([key, name]) => {
    if (!name) return [];

    const value = normalizeTagName(name, key);
    return [
      { key: value, value: '' },
      { key, value },
    ];
  });
}

/**
 * Refuses a `tags` or `tagMap` entry that gives the environment or the
 * role another value: a record has one of each (import reads the
 * environment from the tags map, which holds one value per key).
 */
function assertNoContradiction(
  classifying: StoredTag[],
  given: StoredTag[],
  argument: string,
): void {
  for (const tag of given) {
    const own = classifying.find((c) => c.key === tag.key && c.value !== '');
    if (!own || tag.value === '' || own.value === tag.value) continue;

    throw new RollcallError(
      'BAD_USER_INPUT',
      `"${argument}" gives ${tag.key} "${tag.value}", but the device's ${tag.key} is "${own.value}"`,
      { argument, field: argument, tag: tag.key },
    );
  }
}

/**
 * Every tag of a new device: step 3, "assign tags based on hardware and
 * role". `tags`, `tagMap` and `locationTags` each hold at most 64 entries,
 * and the device at most 128 tags in all; more is BAD_USER_INPUT.
 */
export function registrationTags(input: RegisterDeviceInput): StoredTag[] {
  checkList(input.tags ?? [], 'tags', INPUT_LIMITS.tags);
  checkList(input.locationTags ?? [], 'locationTags', INPUT_LIMITS.tags);
  const plain = (name: string, argument: string): StoredTag => ({
    key: normalizeTagName(name, argument),
    value: '',
  });
  const classifying = classifyingTags(input);
  const located = (input.locationTags ?? []).map((name) =>
    plain(name, 'locationTags'),
  );
  const given = (input.tags ?? []).map((tag) => normalizeTagInput(tag, 'tags'));
  const mapped = tagMapEntries(input.tagMap).map((tag) =>
    normalizeTagInput(tag, 'tagMap'),
  );
  assertNoContradiction(classifying, given, 'tags');
  assertNoContradiction(classifying, mapped, 'tagMap');

  const tags = [
    ...capabilityTags(input.hardware).map((name) => plain(name, 'hardware')),
    ...classifying,
    ...located,
    ...given,
    ...mapped,
  ];
  for (const tag of tags) assertAddableTag(tag, 'tags');
  const unique = uniqueTags(tags);
  assertTagCount(
    unique.length,
    'tags',
    null,
    statusTagsAmong(unique.map((tag) => tag.key)),
  );
  return unique;
}

function shortNames(type: string, environment: string) {
  try {
    return {
      type: deviceTypeShortName(type),
      environment: environmentShortName(environment),
    };
  } catch (error) {
    throw new RollcallError('BAD_USER_INPUT', (error as Error).message, {
      argument: 'hardware.type',
    });
  }
}

/**
 * Draws `edge-{type}-{environment}-{sequence}` from device_id_sequences
 * with one atomic UPSERT ... RETURNING (the row stays locked until commit,
 * so concurrent registrations queue). A number whose id is already taken,
 * by a device registered with that id given, is skipped.
 */
export async function generateId(
  client: Client,
  type: string,
  environment: string,
) {
  const names = shortNames(type, environment);
  for (;;) {
    const { rows } = await client.query<{ sequence: number }>(
      `INSERT INTO device_id_sequences (device_type, environment, next)
       VALUES ($1, $2, 2)
       ON CONFLICT (device_type, environment)
       DO UPDATE SET next = device_id_sequences.next + 1
       RETURNING next - 1 AS sequence`,
      [names.type, names.environment],
    );
    const id = formatDeviceId(type, environment, rows[0]!.sequence);
    const taken = await client.query('SELECT 1 FROM devices WHERE id = $1', [
      id,
    ]);
    if (taken.rowCount === 0) return id;
  }
}
