import { describe, expect, it } from 'vitest';
import { GraphqlRequestError } from '../src/api/graphqlClient.ts';
import {
  bulkTagVariables,
  describeMatchConflict,
  matchConflict,
} from '../src/views/devices/bulkTagWrite.ts';

const conflictError = (extensions: Record<string, unknown>) =>
  new GraphqlRequestError(200, [
    {
      message: 'The query matches 4 devices now, not the 3 expected',
      extensions: { code: 'CONFLICT', ...extensions },
    },
  ]);

describe('bulkTagVariables', () => {
  it('sends the count the confirmation showed as expectedCount', () => {
    expect(
      bulkTagVariables({
        query: 'tag:site-factory-a',
        matchCount: 3,
        tags: ['canary-eligible', 'line=assembly-3'],
        remove: false,
      }),
    ).toEqual({
      where: 'tag:site-factory-a',
      tags: [
        { key: 'canary-eligible', value: null },
        { key: 'line', value: 'assembly-3' },
      ],
      expectedCount: 3,
    });
  });
});

describe('matchConflict', () => {
  it('reads both counts from the API conflict and nothing from other errors', () => {
    expect([
      matchConflict(conflictError({ expectedCount: 3, actualCount: 4 })),
      matchConflict(conflictError({ referencedBy: ['canary-pool'] })),
      matchConflict(
        new GraphqlRequestError(200, [
          { message: 'x', extensions: { code: 'FORBIDDEN' } },
        ]),
      ),
      matchConflict(new Error('network down')),
      matchConflict(null),
    ]).toEqual([{ expectedCount: 3, actualCount: 4 }, null, null, null, null]);
  });
});

describe('describeMatchConflict', () => {
  it('says nothing changed, both counts, and how to go on', () => {
    expect([
      describeMatchConflict({ expectedCount: 3, actualCount: 4 }, false),
      describeMatchConflict({ expectedCount: 2, actualCount: 1 }, true),
    ]).toEqual([
      'Nothing was changed: the query now matches 4 devices, not the 3 you ' +
        'confirmed. Press Add tags again to add them to the 4 devices ' +
        'matching now, or cancel.',
      'Nothing was changed: the query now matches 1 device, not the 2 you ' +
        'confirmed. Press Remove tags again to remove them from the 1 device ' +
        'matching now, or cancel.',
    ]);
  });
});
