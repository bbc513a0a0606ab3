/**
 * What a client may write as a device's tags, besides the tag charset
 * (the tag query language's `normalizeTag`): the API refuses a tag change
 * that breaks one of these rules, and the dashboard checks a change with
 * the same rules before it asks the operator to confirm it.
 */
import { OFFLINE_EXTENDED_TAG } from './offlineTiers.ts';

/** A tag as stored: both parts normalised, a plain tag's value ''. */
export interface NormalizedTag {
  key: string;
  value: string;
}

/** A broken tag rule: why, and what it is about (the API's extensions). */
export interface TagRuleViolation {
  message: string;
  /** `tag` (a key), and `value` for a refused value; or the `key` given two values. */
  details: { tag: string; value?: string } | { key: string };
}

/**
 * The tag the registry adds when a device leaves the fleet (spec: "Add
 * 'decommissioned' tag with timestamp").
 */
export const DECOMMISSIONED_TAG = 'decommissioned';

/**
 * Tags only the registry sets: `decommissioned` marks the end of a
 * device's life and carries its time, so a client may neither add nor
 * remove it.
 */
export const RESERVED_TAG_KEYS: ReadonlySet<string> = new Set([
  DECOMMISSIONED_TAG,
]);

/**
 * The tags the registry sets on its own as a device's life goes on:
 * `decommissioned` when it leaves the fleet, `offline-extended` when it
 * enters decommission review (30 days offline; removed when it returns).
 * The API does not count them in a device's tag limit, so that adding one
 * never fails (decommissioning, the offline sweeper) and the device's
 * export still imports.
 */
export const STATUS_TAG_KEYS: readonly string[] = [
  DECOMMISSIONED_TAG,
  OFFLINE_EXTENDED_TAG,
];

/**
 * The key/value tag that mirrors a record field: `environment=<value>`
 * is the device's environment (registration writes both, import reads
 * the field from the tag). Tagging it apart from the record would let
 * the two disagree, and the next export and import rewrite the field.
 */
export const RECORD_TAG_KEYS: ReadonlySet<string> = new Set(['environment']);

/** Why a client may not add or remove `tag`; null when it may. */
export function unwritableTag(tag: NormalizedTag): TagRuleViolation | null {
  if (!RESERVED_TAG_KEYS.has(tag.key)) return null;

  return {
    message: `The tag "${tag.key}" is set by the registry only`,
    details: { tag: tag.key },
  };
}

/**
 * Why a client may not add `tag`; null when it may. Besides the reserved
 * tags: `offline-extended`, which the registry adds on its own (it marks
 * a device for decommission review and is not counted in the tag limit),
 * and a value naming a status tag, since `tag:NAME` matches a tag's key or
 * value: `lifecycle=decommissioned` would make a healthy device look
 * decommissioned to every query and group.
 */
export function unaddableTag(tag: NormalizedTag): TagRuleViolation | null {
  const unwritable = unwritableTag(tag);
  if (unwritable) return unwritable;

  if (tag.key === OFFLINE_EXTENDED_TAG) {
    return {
      message: `The tag "${tag.key}" is added by the registry only, to a device 30 days offline`,
      details: { tag: tag.key },
    };
  }
  if (STATUS_TAG_KEYS.includes(tag.value)) {
    return {
      message:
        `The value "${tag.value}" names a status the registry sets; ` +
        `tag:${tag.value} would select this device`,
      details: { tag: tag.key, value: tag.value },
    };
  }

  return null;
}

/** Why a client may not tag or untag `tag` (it mirrors a record field); null when it may. */
export function recordFieldTag(tag: NormalizedTag): TagRuleViolation | null {
  if (!RECORD_TAG_KEYS.has(tag.key)) return null;

  return {
    message:
      `The tag "${tag.key}" mirrors the device record's ${tag.key}; ` +
      'it changes with the record (registration or import), not by tagging',
    details: { tag: tag.key },
  };
}

/**
 * The first key `tags` give two values; null when none does. A device's
 * key/value tags are a map, as its record and registry files hold them:
 * one value per key, so two values of one key cannot both be kept.
 */
export function twoValuesOfOneKey(
  tags: readonly NormalizedTag[],
): TagRuleViolation | null {
  const values = new Map<string, string>();
  for (const { key, value } of tags) {
    if (value === '') continue;

    const other = values.get(key);
    if (other !== undefined) {
      return {
        message: `"tags" gives "${key}" two values ("${other}" and "${value}"); a key holds one value`,
        details: { key },
      };
    }
    values.set(key, value);
  }

  return null;
}

/**
 * The first rule that adding (`add`) or removing (`remove`) `tags` on
 * devices breaks, in the order the API checks them: each tag's
 * writability and record field, then (adding) each tag's addability, then
 * one value per key. Null when the change may be written.
 */
export function tagChangeViolation(
  tags: readonly NormalizedTag[],
  change: 'add' | 'remove',
): TagRuleViolation | null {
  for (const tag of tags) {
    const violation = unwritableTag(tag) ?? recordFieldTag(tag);
    if (violation) return violation;
  }
  if (change === 'remove') return null;

  for (const tag of tags) {
    const violation = unaddableTag(tag);
    if (violation) return violation;
  }
  return twoValuesOfOneKey(tags);
}
