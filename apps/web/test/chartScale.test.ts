import { describe, expect, it } from 'vitest';
import {
  formatTick,
  niceTicks,
  timeLabels,
} from '../src/components/chartScale.ts';

describe('niceTicks', () => {
  it('covers the data with round steps from zero', () => {
    expect(niceTicks(0, 36245.5)).toEqual({
      min: 0,
      max: 40000,
      values: [0, 10000, 20000, 30000, 40000],
    });
  });

  it('uses whole-number steps for counts', () => {
    expect([niceTicks(0, 1, { integer: true }).values]).toEqual([[0, 1]]);
    expect(niceTicks(0, 7, { integer: true }).values).toEqual([0, 2, 4, 6, 8]);
  });

  it('allows fractional steps for measurements', () => {
    expect(niceTicks(0, 0.9).values).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('reaches below zero for negative data and spans one for flat zero', () => {
    expect(niceTicks(-5, 15).values).toEqual([-5, 0, 5, 10, 15]);
    expect(niceTicks(0, 0, { integer: true }).values).toEqual([0, 1]);
  });
});

describe('formatTick', () => {
  it('shortens thousands and keeps small numbers plain', () => {
    expect([36245.5, 40000, 1500000, 12.5, 0.25, 0].map(formatTick)).toEqual([
      '36.2K',
      '40K',
      '1.5M',
      '12.5',
      '0.25',
      '0',
    ]);
  });
});

describe('timeLabels', () => {
  it('gives the two ends of a 24-hour span different labels', () => {
    const end = Date.parse('2026-12-04T15:00:00.000Z');
    const labels = timeLabels(end - 24 * 3_600_000, end, 'en-US');
    expect(labels.start === labels.end).toBe(false);
    expect(labels.end).toMatch(/^Dec [45], /);
  });

  it('shows only the time for a span of hours within one day', () => {
    const end = Date.parse('2026-12-04T12:30:00.000Z');
    const labels = timeLabels(end - 3_600_000, end, 'en-US');
    expect(labels.end).not.toMatch(/Dec/);
  });

  it('adds seconds to a span of seconds', () => {
    const end = Date.parse('2026-12-04T12:30:20.000Z');
    const labels = timeLabels(end - 15_000, end, 'en-US');
    expect(labels.start === labels.end).toBe(false);
    expect(labels.end).toMatch(/:30:20/);
  });
});
