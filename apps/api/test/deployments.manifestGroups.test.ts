import { describe, expect, it } from 'vitest';
import { resolveManifestGroup } from '../src/deployments/groupMembers.ts';
import type { RollcallError } from '../src/errors.ts';
import { notFound } from '../src/errors.ts';

const failing = (error: Error) => ({
  resolveMembers: () => Promise.reject(error),
});

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: RollcallError) => ({ code: error.code, details: error.details }),
  );

describe('resolving a group a manifest names', () => {
  it('answers a group deleted since the manifest was checked as the manifest error', async () => {
    const source = failing(notFound('Group', 'qa-d'));
    expect(await outcome(resolveManifestGroup(source, 'qa-d'))).toEqual({
      code: 'INVALID_MANIFEST',
      details: { path: 'groups', group: 'qa-d', unknownGroups: ['qa-d'] },
    });
  });

  it('passes any other failure through unchanged', async () => {
    const source = failing(notFound('Device', 'x'));
    expect(await outcome(resolveManifestGroup(source, 'qa-d'))).toEqual({
      code: 'NOT_FOUND',
      details: { kind: 'Device', id: 'x' },
    });
  });

  it('answers the members of a group that exists', async () => {
    const source = { resolveMembers: () => Promise.resolve(['a', 'b']) };
    expect(await outcome(resolveManifestGroup(source, 'g'))).toEqual({
      value: ['a', 'b'],
    });
  });
});
