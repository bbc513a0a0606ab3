// The rules of a bulk tag request (tagDevices, untagDevices) beside the
// device reads and writes of deviceTagging.ts.
import { twoValuesOfOneKey } from '@rollcall/fleet';
import { RollcallError } from '../errors.ts';
import { throwTagRuleViolation, type StoredTag } from '../tags/tagInput.ts';
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

// A device's key/value tags are a map: one value per key (@rollcall/fleet).
export function assertOneValuePerKey(tags: StoredTag[]): void {
  throwTagRuleViolation(twoValuesOfOneKey(tags), 'tags');
}
