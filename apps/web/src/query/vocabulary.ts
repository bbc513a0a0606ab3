import { DEVICE_STATES, OFFLINE_TIERS } from '@rollcall/fleet';
import { FIELD_NAMES } from '@rollcall/tag-query';
import type { Vocabulary } from './queryBoxLogic.ts';

/** The query box's vocabulary: known tags and groups plus the language's names. */
export function buildVocabulary(
  tags: Vocabulary['tags'],
  groups: readonly string[],
): Vocabulary {
  return {
    tags,
    fields: FIELD_NAMES,
    states: DEVICE_STATES,
    tiers: OFFLINE_TIERS,
    groups,
  };
}
