import { describe, expect, it } from 'vitest';

import {
  deviceIdPrefix,
  deviceTypeShortName,
  environmentShortName,
  formatDeviceId,
  parseDeviceId,
} from '../src/index.ts';
import type { DeviceIdParts } from '../src/index.ts';

describe('deviceTypeShortName', () => {
  const cases: [string, string][] = [
    ['jetson-orin-nano', 'jetson'],
    ['jetson-xavier-nx', 'jetson'],
    ['Jetson Nano', 'jetson'],
    ['jetson', 'jetson'],
    ['raspberry-pi-4', 'rpi'],
    ['Raspberry Pi 5', 'rpi'],
    ['rpi', 'rpi'],
    ['gateway', 'gateway'],
    ['edge-gateway-x1', 'gateway'],
    ['industrial_gateway', 'gateway'],
    ['Intel NUC 12', 'intel-nuc-12'],
    ['jetsonic', 'jetsonic'],
  ];

  it.each(cases)('shortens %s to %s', (type, short) => {
    expect(deviceTypeShortName(type)).toBe(short);
  });

  it('throws on a type without letters or digits', () => {
    expect(() => deviceTypeShortName('--')).toThrow(
      new RangeError('Device type "--" has no letters or digits'),
    );
  });
});

describe('environmentShortName', () => {
  const cases: [string, string][] = [
    ['production', 'prod'],
    ['Production', 'prod'],
    ['prod', 'prod'],
    ['staging', 'staging'],
    ['stage', 'staging'],
    ['development', 'dev'],
    ['dev', 'dev'],
    ['qa-lab', 'qalab'],
  ];

  it.each(cases)('shortens %s to %s', (environment, short) => {
    expect(environmentShortName(environment)).toBe(short);
  });

  it('throws on an environment without letters or digits', () => {
    expect(() => environmentShortName(' ')).toThrow(RangeError);
  });
});

describe('formatDeviceId', () => {
  const cases: [string, string, number, string][] = [
    ['jetson-orin-nano', 'production', 42, 'edge-jetson-prod-042'],
    ['jetson-orin-nano', 'production', 43, 'edge-jetson-prod-043'],
    ['raspberry-pi-4', 'production', 17, 'edge-rpi-prod-017'],
    ['gateway', 'production', 1, 'edge-gateway-prod-001'],
    ['raspberry-pi-4', 'development', 999, 'edge-rpi-dev-999'],
    ['raspberry-pi-4', 'development', 1000, 'edge-rpi-dev-1000'],
    ['Intel NUC', 'staging', 7, 'edge-intel-nuc-staging-007'],
  ];

  it.each(cases)('formats %s in %s #%d as %s', (type, env, seq, id) => {
    expect(formatDeviceId(type, env, seq)).toBe(id);
  });

  it.each([0, -1, 1.5, Number.NaN])('throws on sequence %d', (sequence) => {
    expect(() => formatDeviceId('rpi', 'prod', sequence)).toThrow(
      new RangeError(
        `Device id sequence must be an integer >= 1; got ${sequence}`,
      ),
    );
  });
});

describe('deviceIdPrefix', () => {
  it('shares one prefix across a hardware family', () => {
    expect([
      deviceIdPrefix('jetson-orin-nano', 'production'),
      deviceIdPrefix('jetson-xavier-nx', 'prod'),
    ]).toEqual(['edge-jetson-prod-', 'edge-jetson-prod-']);
  });
});

describe('parseDeviceId', () => {
  const cases: [string, DeviceIdParts | null][] = [
    [
      'edge-jetson-prod-042',
      { type: 'jetson', environment: 'prod', sequence: 42 },
    ],
    ['edge-rpi-dev-1000', { type: 'rpi', environment: 'dev', sequence: 1000 }],
    [
      'edge-intel-nuc-staging-007',
      { type: 'intel-nuc', environment: 'staging', sequence: 7 },
    ],
    ['edge-jetson-prod-42', null],
    ['edge-jetson-prod-0042', null],
    ['edge-jetson-prod-000', null],
    ['edge-jetson-orin-prod-001', null],
    ['edge-jetson-production-001', null],
    ['Edge-jetson-prod-001', null],
    ['jetson-042.factory-a.local', null],
    ['', null],
  ];

  it.each(cases)('parses %s', (id, parts) => {
    expect(parseDeviceId(id)).toEqual(parts);
  });
});
