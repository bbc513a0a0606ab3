import { describe, expect, it } from 'vitest';
import { actionsFor } from '../src/views/catchUp/entryActions.ts';

describe('actionsFor', () => {
  it('offers only what the API accepts for each status', () => {
    const statuses = [
      'PENDING',
      'INVESTIGATION',
      'DELIVERING',
      'COMPLETED',
      'SUPERSEDED',
      'SKIPPED',
      'REMOVED',
      'CANCELLED',
    ];
    expect(Object.fromEntries(statuses.map((s) => [s, actionsFor(s)]))).toEqual(
      {
        PENDING: ['retry', 'skip', 'remove'],
        INVESTIGATION: ['retry', 'skip', 'remove'],
        DELIVERING: ['skip', 'remove'],
        COMPLETED: [],
        SUPERSEDED: [],
        SKIPPED: [],
        REMOVED: [],
        CANCELLED: [],
      },
    );
  });
});
