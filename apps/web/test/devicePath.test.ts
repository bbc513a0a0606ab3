import { describe, expect, it } from 'vitest';
import { deviceIdOfPath } from '../src/router/devicePath.ts';

describe('deviceIdOfPath', () => {
  it('is the decoded id of a device page path', () => {
    expect(deviceIdOfPath('/devices/edge%20rpi%2F1')).toBe('edge rpi/1');
  });

  it('is null for a malformed escape, which shows page not found', () => {
    expect(deviceIdOfPath('/devices/%E0%A4%A')).toBeNull();
  });

  it('is null for the device list and other paths', () => {
    expect([
      deviceIdOfPath('/devices'),
      deviceIdOfPath('/devices/'),
      deviceIdOfPath('/groups'),
    ]).toEqual([null, null, null]);
  });
});
