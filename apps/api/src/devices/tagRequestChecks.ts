// The rules of a bulk tag request (tagDevices, untagDevices) beside the
// device reads and writes of deviceTagging.ts.
import { RollcallError } from '../errors.ts';
import type { StoredTag } from '../tags/tagInput.ts';
import type { TagTarget } from './deviceTagging.ts';

/** `expectedCount` goes with a query only, and is 0 or more. */
export function checkExpectedCount({ ids, expectedCount }: TagTarget): void {
  if (expectedCount == null) return;

  if (ids != null) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      '"expectedCount" goes with "where" only',
      { argument: 'expectedCount' },
    );
  }
  if (expectedCount < 0) {
    throw new RollcallError(
      'BAD_USER_INPUT',
      `"expectedCount" must be 0 or more; got ${expectedCount}`,
      { argument: 'expectedCount', min: 0 },
    );
  }
}

// The devices a query matches can change between the confirmation an
// operator saw and the write: the count is taken from the locked rows,
// which are exactly what this transaction writes.
export function assertExpectedCount(
  expected: number | null | undefined,
  actual: number,
): void {
  if (expected == null || expected === actual) return;

  const devices = actual === 1 ? '1 device' : `${actual} devices`;
  throw new RollcallError(
    'CONFLICT',
    `The query matches ${devices} now, not the ${expected} expected; nothing was written`,
    { expectedCount: expected, actualCount: actual },
  );
}

// A device's key/value tags are a map, as its record and registry files
// hold them: one value per key. Two values of one key in one request
// cannot both be kept.
export function assertOneValuePerKey(tags: StoredTag[]): void {
  const values = new Map<string, string>();
  for (const { key, value } of tags) {
    if (value === '') continue;

    const other = values.get(key);
    if (other !== undefined) {
      throw new RollcallError(
        'BAD_USER_INPUT',
        `"tags" gives "${key}" two values ("${other}" and "${value}"); a key holds one value`,
        { argument: 'tags', key },
      );
    }
    values.set(key, value);
  }
}
