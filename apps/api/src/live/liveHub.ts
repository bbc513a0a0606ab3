import {
  createMatcher,
  selectedIds,
  validate,
  type GroupResolver,
} from '@rollcall/tag-query';
import type { ServiceDependencies } from '../server/services.ts';
import { findDevice } from '../devices/deviceList.ts';
import { parseCached } from '../devices/deviceQuery.ts';
import type { DeviceRecord } from '../devices/deviceRecord.ts';
import { notFound } from '../errors.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { RegistryEvent } from '../events/registryEvent.ts';
import { loadGroups, resolverOver } from '../groups/groupMembership.ts';
import { createGroupService } from '../groups/groupService.ts';
import {
  createDeviceWatches,
  type DeviceUpdatePayload,
} from './deviceWatches.ts';
import { loadEventDevice, type EventDevice } from './eventDevice.ts';
import { createEventStream, type EventStream } from './eventStream.ts';
import { createGroupWatches, type MembershipPayload } from './groupWatches.ts';

/** The device event channels a subscription can follow. */
export type LiveChannel = 'state' | 'heartbeat' | 'tier';

/** What a device channel subscriber receives: the event and its device. */
export type DevicePayload = RegistryEvent & { device: DeviceRecord | null };

const CHANNEL_OF: Partial<Record<RegistryEvent['kind'], LiveChannel>> = {
  stateChanged: 'state',
  heartbeat: 'heartbeat',
  tierChanged: 'tier',
};

interface Subscriber<T> {
  filter: string | null;
  stream: EventStream<T>;
}

/**
 * The fan-out of registry events to subscriptions in this process. Each
 * event's device is loaded once; each distinct `where` filter is
 * evaluated once on it, in memory, and the result shared by every
 * subscriber with that filter. Group watches keep the member set of each
 * watched group and re-evaluate the changed device only for the groups
 * the change can concern (groupWatches.ts). Device watches load a device
 * only for events of that device.
 */
export interface LiveHub {
  /** Checks the filter (TagQueryError) and opens a device channel. */
  subscribe(
    channel: LiveChannel,
    filter: string | null,
  ): Promise<AsyncIterableIterator<DevicePayload>>;
  /** Opens a membership watch on a group (NOT_FOUND when unknown). */
  watchGroup(name: string): Promise<AsyncIterableIterator<MembershipPayload>>;
  /** Opens a watch on one device's changes (NOT_FOUND when unknown). */
  watchDevice(id: string): Promise<AsyncIterableIterator<DeviceUpdatePayload>>;
  /**
   * Rechecks the watched groups that time or heartbeats move without an
   * event (groupWatches.recheckVolatile), in turn with the events, so a
   * recheck never overtakes an event's announcement. The
   * `group-watch-recheck` worker calls it every
   * `VOLATILE_GROUP_RECHECK_MS`: that bounds how late such a group's
   * joins and leaves are announced.
   */
  recheckVolatileGroups(): Promise<void>;
  /** Open subscriptions in this process (for tests and metrics). */
  subscriberCount(): number;
  /** Resolves when the events received so far have been fanned out. */
  idle(): Promise<void>;
}

/** Builds the hub; it listens to the event bus from its first subscriber. */
export function createLiveHub(
  deps: ServiceDependencies & { events: EventBus },
): LiveHub {
  const { db, clock, logger, events } = deps;
  const groups = createGroupService({ ...deps, pool: db.pool });
  const channels = new Map<LiveChannel, Set<Subscriber<DevicePayload>>>();
  const deviceWatches = createDeviceWatches();
  let resolver: Promise<GroupResolver> | null = null;
  let chain: Promise<void> = Promise.resolve();
  let isListening = false;

  // Per filter, the ids outside which it selects nothing (null: any id),
  // so that an event of another device costs no read. Cleared with the
  // group resolver: a dynamic group's query may name ids.
  const filterIds = new Map<string, ReadonlySet<string> | null>();

  const groupResolver = () =>
    (resolver ??= loadGroups(db.pool).then((g) => resolverOver(g)));
  const groupWatches = createGroupWatches({
    pool: db.pool,
    clock,
    groups,
    groupResolver,
  });

  /** Whether any subscriber of `channel` may want `deviceId`'s event. */
  const mayConcern = async (channel: LiveChannel, deviceId: string) => {
    for (const subscriber of channels.get(channel) ?? []) {
      const { filter } = subscriber;
      if (filter === null) return true;

      let ids = filterIds.get(filter);
      if (ids === undefined) {
        ids = selectedIds(parseCached(filter), {
          now: clock.now(),
          groups: await groupResolver(),
        });
        filterIds.set(filter, ids);
      }
      if (ids === null || ids.has(deviceId)) return true;
    }
    return false;
  };

  const fanOut = async (event: RegistryEvent, device: EventDevice | null) => {
    const channel = CHANNEL_OF[event.kind];
    const subscribers = channel ? channels.get(channel) : undefined;
    if (!subscribers || subscribers.size === 0) return;

    const payload: DevicePayload = { ...event, device: device?.record ?? null };
    const verdicts = new Map<string | null, boolean>([[null, true]]);
    const now = clock.now();
    for (const subscriber of subscribers) {
      let verdict = verdicts.get(subscriber.filter);
      if (verdict === undefined) {
        const matches = createMatcher(parseCached(subscriber.filter!), {
          now,
          groups: await groupResolver(),
        });
        verdict = device !== null && matches(device.queryable);
        verdicts.set(subscriber.filter, verdict);
      }
      if (verdict) subscriber.stream.push(payload);
    }
  };

  const reloadGroups = async (at: string) => {
    resolver = null;
    filterIds.clear();
    await groupWatches.reload(at);
  };

  const handle = async (event: RegistryEvent) => {
    if (event.kind === 'groupChanged') {
      if (groupWatches.count() > 0 || resolver) await reloadGroups(event.at);
      return;
    }
    if (!('deviceId' in event)) return;

    const channel = CHANNEL_OF[event.kind];
    const hasChannel =
      channel !== undefined && (await mayConcern(channel, event.deviceId));
    const groupsToRecheck = await groupWatches.concerned(event);
    const hasWatch = groupsToRecheck.length > 0;
    const isWatched = deviceWatches.isWatched(event);
    if (!hasChannel && !hasWatch && !isWatched) return;

    // Filters and group checks need the evaluator's view of the device; a
    // device watch alone needs only the record, one read instead of three.
    const needsView = hasChannel || hasWatch;
    const device = needsView
      ? await loadEventDevice(db.pool, event.deviceId)
      : null;
    if (hasChannel) await fanOut(event, device);
    if (hasWatch) await groupWatches.recheck(event, device, groupsToRecheck);
    if (isWatched) {
      const record = needsView
        ? (device?.record ?? null)
        : await findDevice(db.pool, event.deviceId);
      deviceWatches.announce(event, record);
    }
  };

  const listen = () => {
    if (isListening) return;
    isListening = true;
    // Events are handled one at a time, in arrival order, so that a
    // subscriber sees a device's changes in the order they happened.
    events.subscribe('all', (event) => {
      chain = chain
        .then(() => handle(event))
        .catch((error: unknown) =>
          logger.error({ err: error, kind: event.kind }, 'live fan-out failed'),
        );
    });
  };

  return {
    async subscribe(channel, filter) {
      const where = filter !== null && filter.trim() !== '' ? filter : null;
      if (where !== null) {
        const [first] = validate(parseCached(where), {
          groups: await groupResolver(),
        });
        if (first) throw first;
      }
      listen();
      const subscribers = channels.get(channel) ?? new Set();
      channels.set(channel, subscribers);
      const subscriber: Subscriber<DevicePayload> = {
        filter: where,
        stream: createEventStream(() => subscribers.delete(subscriber)),
      };
      subscribers.add(subscriber);
      return subscriber.stream.iterator;
    },

    async watchGroup(name) {
      listen();
      return groupWatches.open(name);
    },

    async watchDevice(id) {
      if (!(await findDevice(db.pool, id))) throw notFound('Device', id);

      listen();
      return deviceWatches.open(id);
    },

    recheckVolatileGroups() {
      const run = chain.then(() => groupWatches.recheckVolatile(clock.now()));
      // The worker logs a failure; the events after it still run.
      chain = run.catch(() => undefined);
      return run;
    },

    subscriberCount() {
      let count = deviceWatches.count();
      count += groupWatches.count();
      for (const set of channels.values()) count += set.size;
      return count;
    },

    idle: () => chain,
  };
}
