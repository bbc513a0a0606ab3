import { OFFLINE_EXTENDED_TAG } from '@rollcall/fleet';
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
 * Refuses adding a tag the registry adds on its own: besides the reserved
 * ones, `offline-extended`, which marks a device for decommission review
 * and is not counted in the tag limit; a client adding it could pass the
 * limit and flag a device that was never offline. An operator may still
 * remove it.
 */
export function assertAddableTag(tag: StoredTag, argument: string): void {
  assertWritableTag(tag, argument);
  if (tag.key === OFFLINE_EXTENDED_TAG) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      `The tag "${tag.key}" is added by the registry only, to a device 30 days offline`,
      { argument, tag: tag.key },
    );
  }
  // `tag:NAME` matches a tag's key or its value, so `lifecycle=
  // decommissioned` would make a healthy device look decommissioned to
  // every query and group (`NOT tag:decommissioned`).
  if (STATUS_TAG_KEYS.includes(tag.value)) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      `The value "${tag.value}" names a status the registry sets; ` +
        `tag:${tag.value} would select this device`,
      { argument, tag: tag.key, value: tag.value },
    );
  }
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
 * The tags the registry sets on its own as a device's life goes on:
 * `decommissioned` when it leaves the fleet, `offline-extended` when it
 * enters decommission review (30 days offline; removed when it returns).
 * They are not counted in the tag limit, so that adding one never fails
 * (decommissioning, the offline sweeper) and the device's export still
 * imports: a device holds up to `INPUT_LIMITS.tagsPerDevice` other tags.
 */
export const STATUS_TAG_KEYS: readonly string[] = [
  DECOMMISSIONED_TAG,
  OFFLINE_EXTENDED_TAG,
];

/** The status tags (`STATUS_TAG_KEYS`) among tag keys, in that order. */
export function statusTagsAmong(keys: Iterable<string>): string[] {
  const present = new Set(keys);
  return STATUS_TAG_KEYS.filter((key) => present.has(key));
}

/** Most tags a device holding `statusTags` may hold in all. */
export function tagLimitFor(statusTags: readonly string[]): number {
  return INPUT_LIMITS.tagsPerDevice + statusTags.length;
}

/**
 * Refuses a device that would hold more than `INPUT_LIMITS.tagsPerDevice`
 * tags (the registry's own capability tags included), so that tagging in
 * a loop cannot grow one record without bound. `count` is every tag the
 * device would hold; `statusTags` are the registry's status tags among
 * them (`statusTagsAmong`), which come on top of the limit.
 */
export function assertTagCount(
  count: number,
  argument: string,
  deviceId: string | null = null,
  statusTags: readonly string[] = [],
): void {
  const max = tagLimitFor(statusTags);
  if (count <= max) return;

  const who = deviceId === null ? 'The device' : `Device "${deviceId}"`;
  const besides =
    statusTags.length === 0
      ? ''
      : ` besides its ${statusTags.join(' and ')} ` +
        (statusTags.length === 1 ? 'tag' : 'tags');
  throw new RollcallError(
    'BAD_USER_INPUT',
    `${who} would hold ${count} tags; the limit is ` +
      `${INPUT_LIMITS.tagsPerDevice}${besides}`,
    {
      argument,
      field: argument,
      maxItems: max,
      ...(deviceId ? { deviceId } : {}),
    },
  );
}
