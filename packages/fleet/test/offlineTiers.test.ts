import { describe, expect, it } from 'vitest';

import {
  assertTierConfig,
  DEFAULT_TIER_CONFIG,
  isActiveFleet,
  nextTierAt,
  offlineTierFor,
  tierAlerts,
  timeoutMsFor,
} from '../src/index.ts';
import type {
  DeviceState,
  OfflineTier,
  TierAlerts,
  TierConfig,
} from '../src/index.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('offlineTierFor', () => {
  const cases: [string, number, OfflineTier | null][] = [
    ['just offline', 0, null],
    ['a negative duration', -5 * MINUTE, null],
    ['one millisecond before 5 min', 5 * MINUTE - 1, null],
    ['exactly 5 min', 5 * MINUTE, 'warning'],
    ['one millisecond before 15 min', 15 * MINUTE - 1, 'warning'],
    ['exactly 15 min', 15 * MINUTE, 'alert'],
    ['one millisecond before 60 min', 60 * MINUTE - 1, 'alert'],
    ['exactly 60 min', 60 * MINUTE, 'critical'],
    ['one millisecond before 2 h', 2 * HOUR - 1, 'critical'],
    ['exactly 2 h', 2 * HOUR, 'monitor'],
    ['one millisecond before 24 h', DAY - 1, 'monitor'],
    ['exactly 24 h', DAY, 'escalate'],
    ['one millisecond before 7 days', 7 * DAY - 1, 'escalate'],
    ['exactly 7 days', 7 * DAY, 'investigate'],
    ['one millisecond before 30 days', 30 * DAY - 1, 'investigate'],
    ['exactly 30 days', 30 * DAY, 'decommission_review'],
    ['a year', 365 * DAY, 'decommission_review'],
  ];

  it.each(cases)('places %s in its tier', (_name, offlineFor, tier) => {
    expect(offlineTierFor(offlineFor)).toBe(tier);
  });

  it('follows a configured ladder', () => {
    const config: TierConfig = { ...DEFAULT_TIER_CONFIG, warning: 1 };
    expect(offlineTierFor(MINUTE, config)).toBe('warning');
  });

  it('throws on a ladder that is not increasing', () => {
    const config: TierConfig = { ...DEFAULT_TIER_CONFIG, monitor: 60 };
    expect(() => offlineTierFor(0, config)).toThrow(
      new RangeError(
        'Offline tier monitor must start after the tier before it, at a finite minute >= 0; got 60',
      ),
    );
  });
});

describe('assertTierConfig', () => {
  it('accepts the default ladder', () => {
    expect(() => assertTierConfig(DEFAULT_TIER_CONFIG)).not.toThrow();
  });

  it('rejects a negative first tier', () => {
    expect(() =>
      assertTierConfig({ ...DEFAULT_TIER_CONFIG, warning: -1 }),
    ).toThrow(RangeError);
  });
});

describe('nextTierAt', () => {
  const cases: [number, { tier: OfflineTier; atMs: number } | null][] = [
    [0, { tier: 'warning', atMs: 5 * MINUTE }],
    [5 * MINUTE, { tier: 'alert', atMs: 15 * MINUTE }],
    [90 * MINUTE, { tier: 'monitor', atMs: 2 * HOUR }],
    [29 * DAY, { tier: 'decommission_review', atMs: 30 * DAY }],
    [30 * DAY, null],
  ];

  it.each(cases)('looks ahead from %d ms', (offlineFor, expected) => {
    expect(nextTierAt(offlineFor)).toEqual(expected);
  });
});

describe('timeoutMsFor', () => {
  const cases: [string, number | null | undefined, number][] = [
    ['the configured interval', 60, 180 * SECOND],
    ['a 120 s interval', 120, 360 * SECOND],
    ['a 30 s interval', 30, 90 * SECOND],
    ['a 10 s interval', 10, 30 * SECOND],
    ['no interval', null, 180 * SECOND],
    ['an undefined interval', undefined, 180 * SECOND],
    ['a zero interval', 0, 180 * SECOND],
    ['a non-finite interval', Number.POSITIVE_INFINITY, 180 * SECOND],
  ];

  it.each(cases)('scales the timeout for %s', (_name, interval, expected) => {
    expect(timeoutMsFor(interval)).toBe(expected);
  });

  it('scales a configured timeout by a configured interval', () => {
    expect(timeoutMsFor(60, { intervalSeconds: 30, timeoutSeconds: 100 })).toBe(
      200 * SECOND,
    );
  });
});

describe('isActiveFleet', () => {
  const cases: [DeviceState, OfflineTier | null, boolean][] = [
    ['healthy', null, true],
    ['offline', 'investigate', true],
    ['offline', 'decommission_review', false],
    ['decommissioned', null, false],
    ['maintenance', null, true],
  ];

  it.each(cases)('counts %s at tier %s as %s', (state, tier, active) => {
    expect(isActiveFleet(state, tier)).toBe(active);
  });
});

describe('tierAlerts', () => {
  const none: TierAlerts = {
    raiseAlert: null,
    clearAlerts: false,
    flagDecommissionReview: false,
  };
  const cases: [OfflineTier | null, OfflineTier | null, TierAlerts][] = [
    [null, null, none],
    [null, 'warning', { ...none, raiseAlert: 'offline_warning' }],
    ['warning', 'alert', { ...none, raiseAlert: 'offline_alert' }],
    ['critical', 'monitor', { ...none, raiseAlert: 'offline_monitor' }],
    [null, 'critical', { ...none, raiseAlert: 'offline_critical' }],
    ['alert', 'alert', none],
    ['critical', 'alert', none],
    ['critical', null, { ...none, clearAlerts: true }],
    [
      'investigate',
      'decommission_review',
      {
        raiseAlert: 'offline_decommission_review',
        clearAlerts: false,
        flagDecommissionReview: true,
      },
    ],
  ];

  it.each(cases)('answers %s -> %s', (previous, next, expected) => {
    expect(tierAlerts(previous, next)).toEqual(expected);
  });
});
