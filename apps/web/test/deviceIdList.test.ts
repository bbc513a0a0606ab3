import { describe, expect, it } from 'vitest';
import { parseDeviceIds } from '../src/views/groups/deviceIdList.ts';

describe('parseDeviceIds', () => {
  it('splits ids at spaces, commas and new lines', () => {
    expect(parseDeviceIds('edge-a, edge-b\nedge-c\tedge-d,,edge-e')).toEqual([
      'edge-a',
      'edge-b',
      'edge-c',
      'edge-d',
      'edge-e',
    ]);
  });

  it('keeps each id once, where it was first given', () => {
    expect(parseDeviceIds('edge-b edge-a edge-b')).toEqual([
      'edge-b',
      'edge-a',
    ]);
  });

  it('finds no ids in blank text', () => {
    expect(parseDeviceIds(' \n , ')).toEqual([]);
  });
});
