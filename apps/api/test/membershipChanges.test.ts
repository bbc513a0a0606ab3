import type { GroupResolver } from '@rollcall/tag-query';
import { parse } from '@rollcall/tag-query';
import { describe, expect, it } from 'vitest';
import type { RegistryEvent } from '../src/events/registryEvent.ts';
import {
  factChangeOf,
  mayChangeMembership,
  membershipInputs,
  type MembershipEvent,
} from '../src/live/membershipChanges.ts';

const AT = '2026-01-01T00:00:00.000Z';

const GROUPS: GroupResolver = (name) => {
  const queries: Record<string, string> = {
    'factory-gpu': 'tag:site-factory-a AND tag:gpu-capable',
    racked: 'tag:rack*',
    regional: 'tag:region=factory-b',
    'not-troubled': 'NOT status IN (degraded, failed)',
    warned: 'tier:warning',
    'pinned-or-gpu': 'group:pinned OR group:factory-gpu',
    'big-ram': 'hardware.ram_mb >= 8192',
    'seen-recently': 'status.last_heartbeat > now-1m',
    online: 'status.connectivity = online',
    'edited-lately': 'metadata.last_updated > 2026-01-01',
  };
  if (name === 'pinned') return { membership: 'static' };
  const query = queries[name];
  return query === undefined
    ? undefined
    : { membership: 'dynamic', query: parse(query) };
};

const state = (from: string, to: string, cause = 'operator') =>
  ({
    kind: 'stateChanged',
    deviceId: 'd',
    from,
    to,
    cause,
    actor: 'test',
    reason: null,
    at: AT,
  }) as MembershipEvent;
const tier = (from: string | null, to: string | null) =>
  ({ kind: 'tierChanged', deviceId: 'd', from, to, at: AT }) as MembershipEvent;
const changed = (change: string, tags?: string[]): MembershipEvent => {
  const event: RegistryEvent = {
    kind: 'deviceChanged',
    deviceId: 'd',
    change,
    at: AT,
  };
  if (tags) {
    event.tags = tags.map((tag) => {
      const [key, value = ''] = tag.split('=');
      return { key: key!, value };
    });
  }
  return event;
};

/** Whether `event` makes a watch recheck `group`. */
function rechecks(group: string, event: MembershipEvent): boolean {
  const inputs = membershipInputs(group, GROUPS);
  if (inputs === null) throw new Error(`unknown group ${group}`);
  return mayChangeMembership(factChangeOf(event), inputs);
}

describe('membershipChanges', () => {
  it('rechecks a tag query only for tags it names as a name, key, value or prefix', () => {
    expect({
      otherTag: rechecks('factory-gpu', changed('tags', ['rack-1'])),
      namedTag: rechecks('factory-gpu', changed('tags', ['gpu-capable'])),
      namedValue: rechecks('factory-gpu', changed('tags', ['v=gpu-capable'])),
      unsaidTags: rechecks('factory-gpu', changed('tags')),
      prefixed: rechecks('racked', changed('tags', ['rack-1'])),
      prefixedValue: rechecks('racked', changed('tags', ['at=rack-1'])),
      unprefixed: rechecks('racked', changed('tags', ['gpu-capable'])),
      namedKey: rechecks('regional', changed('tags', ['region=factory-a'])),
      otherKey: rechecks('regional', changed('tags', ['zone=factory-a'])),
      // Conservative: analysis does not tell keys from values.
      sameValue: rechecks('regional', changed('tags', ['zone=factory-b'])),
    }).toEqual({
      otherTag: false,
      namedTag: true,
      namedValue: true,
      unsaidTags: true,
      prefixed: true,
      prefixedValue: true,
      unprefixed: false,
      namedKey: true,
      otherKey: false,
      sameValue: true,
    });
  });

  it('rechecks a state query only for changes to or from a state it names', () => {
    expect({
      noState: rechecks('factory-gpu', state('healthy', 'degraded')),
      unnamed: rechecks('not-troubled', state('healthy', 'maintenance')),
      named: rechecks('not-troubled', state('healthy', 'degraded')),
      fromNamed: rechecks('not-troubled', state('failed', 'healthy')),
    }).toEqual({
      noState: false,
      unnamed: false,
      named: true,
      fromNamed: true,
    });
  });

  it('rechecks a tier query for tiers it names and for entering or leaving OFFLINE', () => {
    expect({
      named: rechecks('warned', tier('warning', 'alert')),
      unnamed: rechecks('warned', tier('alert', 'critical')),
      noTier: rechecks('not-troubled', tier(null, 'warning')),
      online: rechecks('warned', state('healthy', 'degraded')),
      leavingOffline: rechecks('warned', state('offline', 'maintenance')),
    }).toEqual({
      named: true,
      unnamed: false,
      noTier: false,
      online: false,
      leavingOffline: true,
    });
  });

  it('rechecks static groups, and groups that refer to one, on member edits', () => {
    expect({
      pinned: rechecks('pinned', changed('groups')),
      pinnedTags: rechecks('pinned', changed('tags')),
      referring: rechecks('pinned-or-gpu', changed('groups')),
      referredDynamic: rechecks(
        'pinned-or-gpu',
        changed('tags', ['gpu-capable']),
      ),
      dynamic: rechecks('factory-gpu', changed('groups')),
    }).toEqual({
      pinned: true,
      pinnedTags: false,
      referring: true,
      referredDynamic: true,
      dynamic: false,
    });
  });

  it('rechecks a field query on record edits and on the fields an event writes', () => {
    expect({
      record: rechecks('big-ram', changed('record')),
      deployment: rechecks('big-ram', changed('deployment')),
      connectivity: rechecks('big-ram', changed('connectivity')),
    }).toEqual({ record: true, deployment: false, connectivity: false });
  });

  it('rechecks a query on the last update for any tag change, which moves it', () => {
    expect({
      tagged: rechecks('edited-lately', changed('tags', ['rack-1'])),
      members: rechecks('edited-lately', changed('groups')),
    }).toEqual({ tagged: true, members: false });
  });

  it('rechecks every group after registration, decommissioning, sync and import', () => {
    expect({
      registered: rechecks('factory-gpu', changed('registered')),
      decommissioned: rechecks('factory-gpu', changed('decommissioned')),
      retiring: rechecks('factory-gpu', state('maintenance', 'decommissioned')),
      sync: rechecks('factory-gpu', state('healthy', 'offline', 'sync')),
      imported: rechecks(
        'factory-gpu',
        state('offline', 'healthy', 'registration'),
      ),
    }).toEqual({
      registered: true,
      decommissioned: true,
      retiring: true,
      sync: true,
      imported: true,
    });
  });

  it('rechecks a query on the clock or on heartbeat-written fields after any change', () => {
    expect({
      relativeTime: rechecks('seen-recently', changed('tags', ['rack-1'])),
      connectivity: rechecks('online', state('healthy', 'degraded')),
    }).toEqual({ relativeTime: true, connectivity: true });
  });

  it('has no inputs for a group the resolver does not know', () => {
    expect(membershipInputs('deleted', GROUPS)).toBeNull();
  });
});
