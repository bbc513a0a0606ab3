import { toTagInput } from '../../api/documents/devices.ts';
import type { TagDevicesMutationVariables } from '../../api/generated.ts';
import { GraphqlRequestError } from '../../api/graphqlClient.ts';
import { formatCount, formatCountOf } from '../../components/format.ts';

/** A bulk tag change as the operator was asked to confirm it. */
export interface BulkTagWrite {
  /** The validated query, exactly as the confirmation named it. */
  query: string;
  /** How many devices the confirmation said the query matches. */
  matchCount: number;
  tags: string[];
  remove: boolean;
}

/** The two counts of a write refused because the match changed. */
export interface MatchConflict {
  expectedCount: number;
  actualCount: number;
}

/**
 * The variables of tagDevices or untagDevices for `write`: the count the
 * confirmation showed goes along as `expectedCount`, so that the API
 * writes nothing when the query matches another number of devices by then.
 */
export function bulkTagVariables(
  write: BulkTagWrite,
): TagDevicesMutationVariables {
  return {
    where: write.query,
    tags: write.tags.map(toTagInput),
    expectedCount: write.matchCount,
  };
}

/**
 * The counts of the API's CONFLICT for a match that changed since the
 * confirmation; null for any other error.
 */
export function matchConflict(error: unknown): MatchConflict | null {
  if (!(error instanceof GraphqlRequestError) || error.code !== 'CONFLICT') {
    return null;
  }

  const extensions = error.errors[0]?.extensions ?? {};
  const { expectedCount, actualCount } = extensions;
  if (typeof expectedCount !== 'number' || typeof actualCount !== 'number') {
    return null;
  }

  return { expectedCount, actualCount };
}

/** What the confirmation says after such a conflict. */
export function describeMatchConflict(
  conflict: MatchConflict,
  remove: boolean,
): string {
  const now = formatCountOf(conflict.actualCount, 'device');
  const action = remove
    ? 'Remove tags again to remove them from'
    : 'Add tags again to add them to';
  return (
    `Nothing was changed: the query now matches ${now}, not the ` +
    `${formatCount(conflict.expectedCount)} you confirmed. ` +
    `Press ${action} the ${now} matching now, or cancel.`
  );
}
