import { describe, expect, it } from 'vitest';

import {
  canDeliverCatchUp,
  catchUpAgeAction,
  compareCatchUpEntries,
  deliveryTimeoutFailure,
  DEVICE_STATES,
  isDeliveryOverdue,
  latestEntry,
  nextAttemptDecision,
  planCatchUp,
  supersededBy,
} from '../src/index.ts';
import type {
  AttemptDecision,
  CatchUpAgeAction,
  CatchUpOrderable,
  CatchUpPlan,
  DeliveryTimeoutReport,
} from '../src/index.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function entry(
  deploymentId: string,
  targetVersion: string,
  queuedAt = '2025-01-16T14:30:00Z',
): CatchUpOrderable {
  return { deploymentId, targetVersion, queuedAt };
}

const OLD = entry('deploy-20250110-001', '2.3.0', '2025-01-10T09:00:00Z');
const NEW = entry('deploy-20250116-001', '2.3.1');
const NEWER_MINOR = entry(
  'deploy-20250112-001',
  '2.10.0',
  '2025-01-12T00:00:00Z',
);
const SAME_LATER = entry(
  'deploy-20250117-001',
  '2.3.1',
  '2025-01-17T08:00:00Z',
);
const SAME_TIME_B = entry('deploy-b', '2.3.1');

describe('compareCatchUpEntries', () => {
  const cases: [string, CatchUpOrderable, CatchUpOrderable, number][] = [
    ['by version first', OLD, NEW, -1],
    ['semantically, not lexically', NEWER_MINOR, NEW, 1],
    ['then by queued time', NEW, SAME_LATER, -1],
    ['then by deployment id', NEW, SAME_TIME_B, -1],
    ['equal entries', NEW, { ...NEW }, 0],
    [
      'a Date against an ISO string',
      { ...SAME_LATER, queuedAt: new Date('2025-01-17T08:00:00Z') },
      SAME_LATER,
      0,
    ],
  ];

  it.each(cases)('orders %s', (_name, a, b, sign) => {
    expect(Math.sign(compareCatchUpEntries(a, b))).toBe(sign);
  });
});

describe('latestEntry', () => {
  const cases: [string, CatchUpOrderable[], CatchUpOrderable | null][] = [
    ['none of none', [], null],
    ['the only one', [OLD], OLD],
    [
      'the highest version, not the last queued',
      [NEWER_MINOR, OLD, NEW],
      NEWER_MINOR,
    ],
    ['the later of one version', [SAME_LATER, NEW], SAME_LATER],
    ['the same whatever the queue order', [NEW, SAME_LATER, OLD], SAME_LATER],
  ];

  it.each(cases)('picks %s', (_name, entries, expected) => {
    expect(latestEntry(entries)).toBe(expected);
  });
});

describe('supersededBy', () => {
  const cases: [
    string,
    CatchUpOrderable,
    CatchUpOrderable[],
    CatchUpOrderable | null,
  ][] = [
    ['an old entry by the latest', OLD, [OLD, NEW, SAME_LATER], SAME_LATER],
    ['the latest by nothing', SAME_LATER, [OLD, NEW, SAME_LATER], null],
    ['a lone entry by nothing', OLD, [], null],
  ];

  it.each(cases)('supersedes %s', (_name, target, entries, expected) => {
    expect(supersededBy(target, entries)).toBe(expected);
  });
});

describe('planCatchUp', () => {
  const cases: [
    string,
    CatchUpOrderable[],
    string | null,
    CatchUpPlan<CatchUpOrderable>,
  ][] = [
    ['nothing queued', [], '2.3.0', { deliver: null, close: [] }],
    [
      'one entry for a device behind it',
      [NEW],
      '2.3.0',
      { deliver: NEW, close: [] },
    ],
    [
      'the latest only, closing older ones as superseded',
      [NEW, OLD],
      '2.2.1',
      {
        deliver: NEW,
        close: [
          {
            entry: OLD,
            status: 'superseded',
            reason: 'superseded by 2.3.1 (deploy-20250116-001)',
          },
        ],
      },
    ],
    [
      'the latest for a device of unknown version',
      [OLD, NEW],
      null,
      {
        deliver: NEW,
        close: [
          {
            entry: OLD,
            status: 'superseded',
            reason: 'superseded by 2.3.1 (deploy-20250116-001)',
          },
        ],
      },
    ],
    [
      'nothing for a device already on the target',
      [OLD, NEW],
      '2.3.1',
      {
        deliver: null,
        close: [
          {
            entry: OLD,
            status: 'superseded',
            reason: 'superseded by 2.3.1 (deploy-20250116-001)',
          },
          {
            entry: NEW,
            status: 'completed',
            reason: 'device already runs 2.3.1',
          },
        ],
      },
    ],
    [
      'nothing for a device already past the target',
      [NEW],
      'v2.4.0',
      {
        deliver: null,
        close: [
          {
            entry: NEW,
            status: 'superseded',
            reason: 'device already runs newer v2.4.0',
          },
        ],
      },
    ],
  ];

  it.each(cases)('plans %s', (_name, entries, current, expected) => {
    expect(planCatchUp(entries, current)).toEqual(expected);
  });
});

describe('canDeliverCatchUp', () => {
  it('delivers only to healthy devices', () => {
    expect(DEVICE_STATES.filter(canDeliverCatchUp)).toEqual(['healthy']);
  });
});

describe('catchUpAgeAction', () => {
  const cases: [string, number, CatchUpAgeAction][] = [
    ['just offline', 0, 'keep'],
    ['offline 3 hours', 3 * HOUR, 'keep'],
    ['offline just under a day', DAY - 1, 'keep'],
    ['offline a day', DAY, 'escalate'],
    ['offline just under 7 days', 7 * DAY - 1, 'escalate'],
    ['offline 7 days', 7 * DAY, 'investigate'],
    ['offline 30 days', 30 * DAY, 'investigate'],
  ];

  it.each(cases)('answers a device %s', (_name, offlineFor, action) => {
    expect(catchUpAgeAction(offlineFor)).toBe(action);
  });
});

describe('nextAttemptDecision', () => {
  const cases: [number, number, AttemptDecision][] = [
    [1, 3, { action: 'retry', attemptsLeft: 2 }],
    [2, 3, { action: 'retry', attemptsLeft: 1 }],
    [3, 3, { action: 'investigate', reason: 'max attempts reached (3 of 3)' }],
    [4, 3, { action: 'investigate', reason: 'max attempts reached (4 of 3)' }],
    [0, 0, { action: 'investigate', reason: 'max attempts reached (0 of 0)' }],
  ];

  it.each(cases)(
    'decides after %d of %d attempts',
    (attempts, max, expected) => {
      expect(nextAttemptDecision(attempts, max)).toEqual(expected);
    },
  );
});

describe('isDeliveryOverdue', () => {
  const started = new Date('2025-01-16T15:00:00Z');
  const cases: [string, number, boolean][] = [
    ['at the start', 0, false],
    ['exactly at the timeout', 30 * MINUTE, false],
    ['a millisecond past the timeout', 30 * MINUTE + 1, true],
    ['an hour later', HOUR, true],
  ];

  it.each(cases)('answers a delivery %s', (_name, elapsed, expected) => {
    const at = new Date(started.getTime() + elapsed);
    expect(isDeliveryOverdue(started, at, 30 * MINUTE)).toBe(expected);
  });
});

describe('deliveryTimeoutFailure', () => {
  const cases: [string, number, DeliveryTimeoutReport, string][] = [
    [
      'a device still on its old version',
      30 * MINUTE,
      { state: 'healthy', version: '2.3.0' },
      'delivery timed out after 30m: device still reports 2.3.0',
    ],
    [
      'a device that went silent',
      90 * MINUTE,
      { state: 'offline', version: '2.3.0' },
      'delivery timed out after 1h30m: device offline, last reported 2.3.0',
    ],
    [
      'a degraded device on the target',
      MINUTE / 2,
      { state: 'degraded', version: '2.3.1' },
      'delivery timed out after 30s: device reports 2.3.1 but is degraded',
    ],
    [
      'a healthy device on the target',
      DAY,
      { state: 'healthy', version: '2.3.1' },
      'delivery timed out after 1d: device reported 2.3.1 too late',
    ],
    [
      'a device without a version',
      30 * MINUTE,
      { state: 'healthy', version: null },
      'delivery timed out after 30m: device reports no version',
    ],
  ];

  it.each(cases)('describes %s', (_name, timeout, device, expected) => {
    expect(deliveryTimeoutFailure(timeout, '2.3.1', device)).toBe(expected);
  });
});
