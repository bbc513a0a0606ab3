import { describe, expect, it } from 'vitest';

import {
  canaryCandidates,
  canaryExclusionReason,
  deploymentEligibility,
  offlineWarning,
  pickWavePercentage,
  selectCanaries,
} from '../src/index.ts';
import type {
  CanaryCandidate,
  DeploymentEligibility,
  DeviceState,
  OfflineWarning,
} from '../src/index.ts';

function device(
  id: string,
  type = 'jetson-orin-nano',
  state: DeviceState = 'healthy',
  tags: string[] = [],
): CanaryCandidate {
  return { id, type, state, tags };
}

function ids(devices: readonly CanaryCandidate[]): string[] {
  return devices.map((d) => d.id);
}

const FLEET: CanaryCandidate[] = [
  device('j-3'),
  device('j-1'),
  device('j-2', 'jetson-orin-nano', 'degraded'),
  device('r-2', 'raspberry-pi-4'),
  device('r-1', 'raspberry-pi-4', 'healthy', ['single-point-failure']),
  device('g-1', 'gateway'),
  device('g-2', 'gateway', 'offline'),
  device('j-4', 'jetson-orin-nano', 'healthy', ['decommissioned']),
];

describe('deploymentEligibility', () => {
  const cases: [DeviceState, DeploymentEligibility][] = [
    ['healthy', { eligible: true, caution: false, reason: null }],
    [
      'degraded',
      {
        eligible: true,
        caution: true,
        reason: 'degraded: eligible with caution, excluded from canary',
      },
    ],
    [
      'provisioning',
      {
        eligible: false,
        caution: false,
        reason: 'provisioning: not yet ready for deployments',
      },
    ],
    [
      'failed',
      {
        eligible: false,
        caution: false,
        reason: 'failed: not eligible for new deployments',
      },
    ],
    [
      'offline',
      {
        eligible: false,
        caution: false,
        reason: 'offline: queued for catch-up when it returns',
      },
    ],
    [
      'maintenance',
      {
        eligible: false,
        caution: false,
        reason: 'maintenance: excluded until returned to healthy',
      },
    ],
    [
      'decommissioned',
      {
        eligible: false,
        caution: false,
        reason: 'decommissioned: can never be targeted',
      },
    ],
  ];

  it.each(cases)('judges %s', (state, expected) => {
    expect(deploymentEligibility(state)).toEqual(expected);
  });
});

describe('canaryExclusionReason', () => {
  const cases: [string, CanaryCandidate, string | null][] = [
    ['a healthy device', device('a'), null],
    ['a degraded device', device('a', 't', 'degraded'), 'state degraded'],
    ['an offline device', device('a', 't', 'offline'), 'state offline'],
    [
      'a single point of failure',
      device('a', 't', 'healthy', ['single-point-failure']),
      'tagged single-point-failure',
    ],
    [
      'a device tagged decommissioned',
      device('a', 't', 'healthy', ['decommissioned']),
      'tagged decommissioned',
    ],
  ];

  it.each(cases)('judges %s', (_name, candidate, reason) => {
    expect(canaryExclusionReason(candidate)).toBe(reason);
  });
});

describe('canaryCandidates', () => {
  it('keeps healthy, non-critical devices sorted by id', () => {
    expect(ids(canaryCandidates(FLEET))).toEqual(['g-1', 'j-1', 'j-3', 'r-2']);
  });
});

describe('selectCanaries', () => {
  const cases: [string, Parameters<typeof selectCanaries>[1], string[]][] = [
    ['the first by id', { count: 2, selection: 'first' }, ['g-1', 'j-1']],
    [
      'one per device type',
      { count: 3, selection: 'one-per-device-type' },
      ['g-1', 'j-1', 'r-2'],
    ],
    ['one per device type by default', { count: 2 }, ['g-1', 'j-1']],
    [
      'a second round when types run out',
      { count: 4, selection: 'one-per-device-type' },
      ['g-1', 'j-1', 'r-2', 'j-3'],
    ],
    [
      'no more than there are candidates',
      { count: 10, selection: 'first' },
      ['g-1', 'j-1', 'j-3', 'r-2'],
    ],
    ['none for count 0', { count: 0 }, []],
  ];

  it.each(cases)('picks %s', (_name, options, expected) => {
    expect(ids(selectCanaries(FLEET, options))).toEqual(expected);
  });

  it('picks random canaries by seed, whatever the input order', () => {
    const options = {
      count: 2,
      selection: 'random',
      seed: 'deploy-1',
    } as const;
    expect([
      ids(selectCanaries(FLEET, options)),
      ids(selectCanaries([...FLEET].reverse(), options)),
    ]).toEqual([
      ['j-3', 'j-1'],
      ['j-3', 'j-1'],
    ]);
  });

  it('picks random canaries only among candidates', () => {
    const picked = ids(
      selectCanaries(FLEET, { count: 4, selection: 'random', seed: 'other' }),
    );
    expect(picked).toEqual(['r-2', 'j-1', 'g-1', 'j-3']);
  });

  it('throws on a fractional count', () => {
    expect(() => selectCanaries(FLEET, { count: 1.5 })).toThrow(
      new RangeError('Canary count must be an integer >= 0; got 1.5'),
    );
  });
});

describe('pickWavePercentage', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => `d-${i}`);

  const cases: [string, string[], number, number][] = [
    ['all of them at 100 %', hundred, 100, 100],
    ['none at 0 %', hundred, 0, 0],
    ['a quarter at 25 %', hundred, 25, 25],
    ['one of five at 10 %, rounding up', hundred.slice(0, 5), 10, 1],
    ['none of none', [], 50, 0],
  ];

  it.each(cases)('picks %s', (_name, deviceIds, percentage, size) => {
    expect(pickWavePercentage(deviceIds, percentage).length).toBe(size);
  });

  it('picks by a seeded hash of the ids', () => {
    const letters = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    expect(pickWavePercentage(letters, 30, 'deploy-1')).toEqual([
      'd',
      'f',
      'g',
    ]);
  });

  it('picks the same devices whatever the input order', () => {
    const picked = pickWavePercentage(hundred, 30, 'deploy-1');
    expect(pickWavePercentage([...hundred].reverse(), 30, 'deploy-1')).toEqual(
      picked,
    );
  });

  it('returns ids sorted and ignores duplicates', () => {
    expect(pickWavePercentage(['b', 'a', 'b', 'c'], 100)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('keeps earlier picks when a device joins', () => {
    const before = pickWavePercentage(hundred, 50);
    const after = pickWavePercentage([...hundred, 'd-new'], 50);
    expect(before.filter((id) => !after.includes(id))).toEqual([]);
  });

  it('throws outside 0-100', () => {
    expect(() => pickWavePercentage(hundred, 101)).toThrow(
      new RangeError('Wave percentage must be within 0-100; got 101'),
    );
  });
});

describe('offlineWarning', () => {
  const cases: [number, number, OfflineWarning][] = [
    [0, 10, { warn: false, ratio: 0, message: null }],
    [2, 10, { warn: false, ratio: 0.2, message: null }],
    [
      3,
      10,
      {
        warn: true,
        ratio: 0.3,
        message:
          '3 of 10 target devices are offline (30%), above the 20% threshold',
      },
    ],
    [
      1,
      3,
      {
        warn: true,
        ratio: 1 / 3,
        message:
          '1 of 3 target devices are offline (33.3%), above the 20% threshold',
      },
    ],
    [0, 0, { warn: false, ratio: 0, message: null }],
  ];

  it.each(cases)('judges %d offline of %d', (offline, target, expected) => {
    expect(offlineWarning(offline, target)).toEqual(expected);
  });
});
