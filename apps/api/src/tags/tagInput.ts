import {
  recordFieldTag,
  STATUS_TAG_KEYS,
  unaddableTag,
  unwritableTag,
  type NormalizedTag,
  type TagRuleViolation,
} from '@rollcall/fleet';
import { normalizeTag } from '@rollcall/tag-query';
import { RollcallError } from '../errors.ts';
import { INPUT_LIMITS } from '../server/inputLimits.ts';

/** A tag as a client sends it: a plain tag has no value. */
export interface TagInput {
  key: string;
  value?: string | null;
}

/** A tag as stored: both parts normalised, a plain tag's value ''. */
export type StoredTag = NormalizedTag;

/**
 * Throws a broken tag rule (@rollcall/fleet's tagWriteRules.ts) as
 * BAD_USER_INPUT about `argument`.
 */
export function throwTagRuleViolation(
  violation: TagRuleViolation | null,
  argument: string,
): void {
  if (violation === null) return;

  throw new RollcallError('BAD_USER_INPUT', violation.message, {
    argument,
    ...violation.details,
  });
}

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
  throwTagRuleViolation(unwritableTag(tag), argument);
}

/**
 * Refuses adding a tag the registry adds on its own, or a value naming
 * one (`unaddableTag`). An operator may still remove `offline-extended`.
 */
export function assertAddableTag(tag: StoredTag, argument: string): void {
  throwTagRuleViolation(unaddableTag(tag), argument);
}

/** Refuses tagging or untagging a key that mirrors a record field. */
export function assertNotRecordTag(tag: StoredTag, argument: string): void {
  throwTagRuleViolation(recordFieldTag(tag), argument);
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
