import { describe, expect, it } from 'vitest';
import {
  GraphqlRequestError,
  type GraphqlErrorEntry,
} from '../src/api/graphqlClient.ts';
import { groupWriteErrorOf } from '../src/views/groups/groupWriteError.ts';

function apiError(
  message: string,
  extensions: GraphqlErrorEntry['extensions'],
) {
  return groupWriteErrorOf(
    new GraphqlRequestError(200, [{ message, extensions }]),
  );
}

describe('groupWriteErrorOf', () => {
  it('puts a duplicate name beside the name', () => {
    expect(
      apiError('Group "critical-devices" already exists', {
        code: 'CONFLICT',
        name: 'critical-devices',
      }),
    ).toEqual({
      field: 'name',
      message: 'Group "critical-devices" already exists',
    });
  });

  it('puts unknown device ids beside the members, as the API names them', () => {
    expect(
      apiError('Devices "edge-x-1", "edge-x-2" do not exist', {
        code: 'NOT_FOUND',
        kind: 'Device',
        id: 'edge-x-1',
        ids: ['edge-x-1', 'edge-x-2'],
      }),
    ).toEqual({
      field: 'devices',
      message: 'Devices "edge-x-1", "edge-x-2" do not exist',
    });
  });

  it('puts decommissioned devices beside the members', () => {
    expect(
      apiError('Decommissioned devices cannot join a group: edge-old', {
        code: 'DEVICE_DECOMMISSIONED',
        ids: ['edge-old'],
      }),
    ).toEqual({
      field: 'devices',
      message: 'Decommissioned devices cannot join a group: edge-old',
    });
  });

  it('puts a refused input beside the field the API names', () => {
    expect([
      apiError('name must be lower-case letters', {
        code: 'BAD_USER_INPUT',
        field: 'name',
      }).field,
      apiError('deviceIds has more than 1000 items', {
        code: 'BAD_USER_INPUT',
        field: 'deviceIds',
      }).field,
      apiError('deployPolicy is too long', {
        code: 'BAD_USER_INPUT',
        field: 'deployPolicy',
      }).field,
    ]).toEqual(['name', 'devices', null]);
  });

  it('leaves other refusals and network failures to the whole form', () => {
    expect([
      apiError('This needs the operator role', {
        code: 'FORBIDDEN',
        requiredRole: 'operator',
      }),
      apiError('Group "gone" does not exist', {
        code: 'NOT_FOUND',
        kind: 'Group',
        id: 'gone',
      }),
      groupWriteErrorOf(new TypeError('Failed to fetch')),
    ]).toEqual([
      { field: null, message: 'This needs the operator role' },
      { field: null, message: 'Group "gone" does not exist' },
      { field: null, message: 'Failed to fetch' },
    ]);
  });
});
