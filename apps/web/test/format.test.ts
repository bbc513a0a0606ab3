import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatCountOf,
  formatDuration,
} from '../src/components/format.ts';

describe('formatDuration', () => {
  it('shows the two largest units of a duration', () => {
    expect(
      [
        40_000,
        12 * 60_000 + 5_000,
        3 * 86_400_000 + 4 * 3_600_000 + 60_000,
      ].map(formatDuration),
    ).toEqual(['40 s', '12 min 5 s', '3 d 4 h']);
  });

  it('shows zero seconds for a negative or empty duration', () => {
    expect([0, -5_000].map(formatDuration)).toEqual(['0 s', '0 s']);
  });
});

describe('formatAge', () => {
  it('measures from now and shows a dash for a missing time', () => {
    const now = Date.parse('2026-01-01T00:10:00.000Z');
    expect([
      formatAge('2026-01-01T00:04:00.000Z', now),
      formatAge(null, now),
    ]).toEqual(['6 min ago', '—']);
  });
});

describe('formatCountOf', () => {
  it('makes the noun agree with the count', () => {
    expect([
      formatCountOf(1, 'device'),
      formatCountOf(0, 'device'),
      formatCountOf(1200, 'entry', 'entries'),
    ]).toEqual(['1 device', '0 devices', '1,200 entries']);
  });
});
