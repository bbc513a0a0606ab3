import { createMatcher, type GroupResolver } from '@rollcall/tag-query';
import type pg from 'pg';
import type { Clock } from '../clock.ts';
import { findDevices } from '../devices/deviceList.ts';
import { DEVICE_FROM, type DeviceRecord } from '../devices/deviceRecord.ts';
import type { RegistryEvent } from '../events/registryEvent.ts';
import { loadGroups, memberCondition } from '../groups/groupMembership.ts';
import type { GroupService } from '../groups/groupService.ts';
import type { EventDevice } from './eventDevice.ts';
import { createEventStream, type EventStream } from './eventStream.ts';
import {
  factChangeOf,
  isMembershipEvent,
  mayChangeMembership,
  membershipInputs,
  type MembershipInputs,
} from './membershipChanges.ts';

/** A device joining or leaving a group. */
export interface MembershipPayload {
  group: string;
  deviceId: string;
  change: 'joined' | 'left';
  at: string;
  device: DeviceRecord | null;
}

interface GroupWatch {
  members: Set<string>;
  streams: Set<EventStream<MembershipPayload>>;
}

/** A watch with the members its group has now. */
interface WatchMembers {
  name: string;
  watch: GroupWatch;
  members: Set<string>;
}

/**
 * The `groupMembershipChanged` subscribers of this process, by group,
 * with each watched group's member set. A device event rechecks only the
 * groups whose definition reads a fact the event changed, so a heartbeat
 * state change or a tag no query names costs no read; the recheck runs
 * the group's query in memory on the event's device, as SQL would. A
 * group that time or heartbeats move with no event is also rechecked
 * whole, periodically (`recheckVolatile`).
 */
export interface GroupWatches {
  /** Opens a watch on a group (NOT_FOUND when unknown). */
  open(name: string): Promise<AsyncIterableIterator<MembershipPayload>>;
  /** The watched groups `event` may move its device into or out of. */
  concerned(event: RegistryEvent): Promise<string[]>;
  /** Rechecks `groups` for the event's device; announces the changes. */
  recheck(
    event: { deviceId: string; at: string },
    device: EventDevice | null,
    groups: readonly string[],
  ): Promise<void>;
  /** Recomputes every watched group after a group edit. */
  reload(at: string): Promise<void>;
  /**
   * Recomputes, at `now`, the watched groups whose membership moves with
   * no event of the device (relative times, durations, fields heartbeats
   * rewrite: `MembershipInputs.isVolatile`), one member query each, and
   * announces who joined and left as a device event's recheck does.
   */
  recheckVolatile(now: Date): Promise<void>;
  /** Open watches, over all groups. */
  count(): number;
}

export function createGroupWatches(deps: {
  pool: pg.Pool;
  clock: Clock;
  groups: GroupService;
  /** The saved groups, as the hub resolves them until the next edit. */
  groupResolver: () => Promise<GroupResolver>;
}): GroupWatches {
  const { pool, clock, groups, groupResolver } = deps;
  const watches = new Map<string, GroupWatch>();
  // Per group, what decides its membership, for the resolver it was
  // analysed with (a group edit brings a new resolver).
  const inputs = new Map<string, MembershipInputs | null>();
  let inputsOf: GroupResolver | null = null;

  const announce = (name: string, payload: MembershipPayload) => {
    for (const stream of watches.get(name)?.streams ?? []) {
      stream.push(payload);
    }
  };

  const inputsFor = (name: string, current: GroupResolver) => {
    if (inputsOf !== current) {
      inputs.clear();
      inputsOf = current;
    }
    let own = inputs.get(name);
    if (own === undefined) {
      own = membershipInputs(name, current);
      inputs.set(name, own);
    }
    return own;
  };

  // The member condition of memberCondition (groupMembership.ts), in
  // memory: the group's query, and not decommissioned.
  const isMember = (
    name: string,
    device: EventDevice | null,
    current: GroupResolver,
  ) => {
    if (device === null || device.record.metadata.decommissioned !== null) {
      return false;
    }
    const matches = createMatcher(
      { kind: 'Group', name },
      { now: clock.now(), groups: current },
    );
    return matches(device.queryable);
  };

  /**
   * Gives each watch its members now and announces who joined, then who
   * left, each in id order, with every device that moved in any of them
   * loaded in one read.
   */
  const replaceMembers = async (next: readonly WatchMembers[], at: string) => {
    const changes: Array<Omit<MembershipPayload, 'at' | 'device'>> = [];
    for (const { name, watch, members } of next) {
      const joined = [...members].filter((id) => !watch.members.has(id));
      const left = [...watch.members].filter((id) => !members.has(id));
      watch.members = members;
      for (const [ids, change] of [
        [joined, 'joined'],
        [left, 'left'],
      ] as const) {
        for (const deviceId of ids.sort()) {
          changes.push({ group: name, deviceId, change });
        }
      }
    }
    if (changes.length === 0) return;

    const moved = new Set(changes.map((change) => change.deviceId));
    const devices = await findDevices(pool, [...moved]);
    for (const change of changes) {
      const device = devices.get(change.deviceId) ?? null;
      announce(change.group, { ...change, at, device });
    }
  };

  return {
    async open(name) {
      let watch = watches.get(name);
      if (!watch) {
        const members = new Set(await groups.resolveMembers(name));
        watch = watches.get(name) ?? { members, streams: new Set() };
        watches.set(name, watch);
      }
      const current = watch;
      const stream = createEventStream<MembershipPayload>(() => {
        current.streams.delete(stream);
        if (current.streams.size === 0 && watches.get(name) === current) {
          watches.delete(name);
        }
      });
      current.streams.add(stream);
      return stream.iterator;
    },

    async concerned(event) {
      if (watches.size === 0 || !isMembershipEvent(event)) return [];

      const change = factChangeOf(event);
      const current = await groupResolver();
      const names: string[] = [];
      for (const name of watches.keys()) {
        const own = inputsFor(name, current);
        if (own !== null && mayChangeMembership(change, own)) names.push(name);
      }
      return names;
    },

    async recheck(event, device, names) {
      const { deviceId, at } = event;
      const current = await groupResolver();
      for (const name of names) {
        const watch = watches.get(name);
        if (!watch) continue;

        const isNowMember = isMember(name, device, current);
        if (isNowMember === watch.members.has(deviceId)) continue;

        if (isNowMember) watch.members.add(deviceId);
        else watch.members.delete(deviceId);
        announce(name, {
          group: name,
          deviceId,
          change: isNowMember ? 'joined' : 'left',
          at,
          device: device?.record ?? null,
        });
      }
    },

    async reload(at) {
      if (watches.size === 0) return;

      const saved = await loadGroups(pool);
      const next: WatchMembers[] = [];
      for (const [name, watch] of watches) {
        const exists = saved.has(name);
        const members = exists ? await groups.resolveMembers(name) : [];
        next.push({ name, watch, members: new Set(members) });
      }
      await replaceMembers(next, at);
    },

    async recheckVolatile(now) {
      if (watches.size === 0) return;

      const current = await groupResolver();
      const next: WatchMembers[] = [];
      for (const [name, watch] of watches) {
        if (inputsFor(name, current)?.isVolatile !== true) continue;

        // The same condition the event-driven recheck evaluates in memory,
        // over every device at once.
        const condition = memberCondition(
          { group: name },
          { resolver: current, now },
        );
        const { rows } = await pool.query<{ id: string }>(
          `SELECT d.id FROM ${DEVICE_FROM} WHERE ${condition.text}`,
          condition.values,
        );
        next.push({ name, watch, members: new Set(rows.map((r) => r.id)) });
      }
      await replaceMembers(next, now.toISOString());
    },

    count() {
      let count = 0;
      for (const watch of watches.values()) count += watch.streams.size;
      return count;
    },
  };
}
