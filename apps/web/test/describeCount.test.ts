import { describe, expect, it } from 'vitest';
import { describeCount } from '../src/views/devices/queryCountText.ts';

const state = {
  isFailed: false,
  hasError: false,
  isBlank: false,
  matchCount: 3,
  applied: 'tag:production',
};

describe('describeCount', () => {
  it('counts a valid query and calls a blank one all devices', () => {
    expect([
      describeCount(state),
      describeCount({ ...state, isBlank: true, matchCount: null }),
    ]).toEqual(['3 matching', 'All devices']);
  });

  it('says what the table still shows while the typed query is in error', () => {
    expect([
      describeCount({ ...state, hasError: true, applied: '' }),
      describeCount({ ...state, hasError: true }),
    ]).toEqual([
      'Showing all devices until the query is fixed',
      'Showing tag:production until the query is fixed',
    ]);
  });
});
