import { tagChangeViolation, type NormalizedTag } from '@rollcall/fleet';
import { isTagQueryError, normalizeTag } from '@rollcall/tag-query';
import { toTagInput } from '../../api/documents/devices.ts';

function normalized(text: string): NormalizedTag {
  const { key, value } = toTagInput(text);
  return {
    key: normalizeTag(key),
    value: value === null || value === '' ? '' : normalizeTag(value),
  };
}

/**
 * Why the API would refuse adding (or, with `remove`, removing) the tags
 * typed in the bulk tag form (`name` or `key=value` each), in the API's
 * own words: the tag charset (`normalizeTag`), then @rollcall/fleet's tag
 * rules, in the order the API applies them. Null when it would accept
 * them. Checked before the confirmation, so that the operator is not
 * asked to confirm a change that cannot be written.
 */
export function bulkTagProblem(
  tags: readonly string[],
  remove: boolean,
): string | null {
  const stored: NormalizedTag[] = [];
  for (const text of tags) {
    try {
      stored.push(normalized(text));
    } catch (error) {
      if (!isTagQueryError(error)) throw error;

      return error.message;
    }
  }

  return tagChangeViolation(stored, remove ? 'remove' : 'add')?.message ?? null;
}
