import { normalizeTag } from '@rollcall/tag-query';
import { RollcallError } from '../errors.ts';
import { INPUT_LIMITS } from '../server/inputLimits.ts';
import { DECOMMISSIONED_TAG } from './decommissionedTag.ts';

/** A tag as a client sends it: a plain tag has no value. */
export interface TagInput {
  key: string;
  value?: string | null;
}

/** A tag as stored: both parts normalised, a plain tag's value ''. */
export interface StoredTag {
  key: string;
  value: string;
}

/**
 * Tags only the registry sets: `decommissioned` marks the end of a
 * device's life and carries its time, so a client may neither add nor
 * remove it.
 */
export const RESERVED_TAG_KEYS: ReadonlySet<string> = new Set([
  DECOMMISSIONED_TAG,
]);

/**
 * A tag name normalised by the query language's own rule (`normalizeTag`:
 * NFC, ASCII lowercase, the tag charset), so that what is written is what
 * `tag:NAME` finds. An invalid name is BAD_USER_INPUT.
 */
export function normalizeTagName(text: string, argument: string): string {
  try {
    return normalizeTag(text);
  } catch (error) {
    throw new RollcallError('BAD_USER_INPUT', (error as Error).message, {
      argument,
      tag: text,
    });
  }
}

/** Normalises one tag input; plain when the value is null or empty. */
export function normalizeTagInput(
  input: TagInput,
  argument: string,
): StoredTag {
  const key = normalizeTagName(input.key, argument);
  const value =
    input.value == null || input.value === ''
      ? ''
      : normalizeTagName(input.value, argument);
  return { key, value };
}

/** Refuses a tag whose key only the registry may set. */
export function assertWritableTag(tag: StoredTag, argument: string): void {
  if (!RESERVED_TAG_KEYS.has(tag.key)) return;

  throw new RollcallError(
    'BAD_USER_INPUT',
    `The tag "${tag.key}" is set by the registry only`,
    { argument, tag: tag.key },
  );
}

/**
 * The key/value tag that mirrors a record field: `environment=<value>`
 * is the device's environment (registration writes both, import reads
 * the field from the tag). Tagging it apart from the record would let
 * the two disagree, and the next export and import rewrite the field.
 */
export const RECORD_TAG_KEYS: ReadonlySet<string> = new Set(['environment']);

/** Refuses tagging or untagging a key that mirrors a record field. */
export function assertNotRecordTag(tag: StoredTag, argument: string): void {
  if (!RECORD_TAG_KEYS.has(tag.key)) return;

  throw new RollcallError(
    'BAD_USER_INPUT',
    `The tag "${tag.key}" mirrors the device record's ${tag.key}; ` +
      'it changes with the record (registration or import), not by tagging',
    { argument, tag: tag.key },
  );
}

/** Distinct tags, in first-seen order. */
export function uniqueTags(tags: StoredTag[]): StoredTag[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const id = `${tag.key}\u0000${tag.value}`;
    if (seen.has(id)) return false;

    seen.add(id);
    return true;
  });
}

/**
 * Refuses a device that would hold more than `INPUT_LIMITS.tagsPerDevice`
 * tags (the registry's own capability tags included), so that tagging in
 * a loop cannot grow one record without bound. A decommissioned device
 * may hold one more: its `decommissioned` tag, which decommissioning adds
 * whatever the count, since it must never fail on tags (its tags are
 * frozen from then on).
 */
export function assertTagCount(
  count: number,
  argument: string,
  deviceId: string | null = null,
  isDecommissioned = false,
): void {
  const max = INPUT_LIMITS.tagsPerDevice + (isDecommissioned ? 1 : 0);
  if (count <= max) return;

  const who = deviceId === null ? 'The device' : `Device "${deviceId}"`;
  const limit = isDecommissioned
    ? `${INPUT_LIMITS.tagsPerDevice} besides its decommissioned tag`
    : `${max}`;
  throw new RollcallError(
    'BAD_USER_INPUT',
    `${who} would hold ${count} tags; the limit is ${limit}`,
    {
      argument,
      field: argument,
      maxItems: max,
      ...(deviceId ? { deviceId } : {}),
    },
  );
}
