import type { DeviceRecord } from '../devices/deviceRecord.ts';
import type {
  RegistryEvent,
  RegistryEventKind,
} from '../events/registryEvent.ts';
import { createEventStream, type EventStream } from './eventStream.ts';

/** An event a device watch can receive: one about a single device. */
export type WatchedEvent = Extract<RegistryEvent, { deviceId: string }>;

/** What a `deviceUpdated` subscriber receives: the event and its device. */
export type DeviceUpdatePayload = WatchedEvent & {
  device: DeviceRecord | null;
};

// Everything a device's page shows: its state, its offline tier, its
// connectivity, tags, groups and record (deviceChanged), and its last
// heartbeat and metrics. Alerts and catch-up entries have their own feeds.
const UPDATE_KINDS: ReadonlySet<RegistryEventKind> = new Set([
  'stateChanged',
  'tierChanged',
  'deviceChanged',
  'heartbeat',
]);

/**
 * The `deviceUpdated` subscribers of this process, by device id. Whether
 * an event concerns a watched device is decided from the event alone, so
 * that a bulk change of 10,000 other devices loads nothing.
 */
export interface DeviceWatches {
  /** True when some subscriber watches the device this event changed. */
  isWatched(event: RegistryEvent): event is WatchedEvent;
  /**
   * Hands the event and its device to every watcher of the device, as one
   * payload object, so that like subscribers share one execution.
   */
  announce(event: WatchedEvent, device: DeviceRecord | null): void;
  /** Opens a watch on one device; it ends when the subscriber goes. */
  open(deviceId: string): AsyncIterableIterator<DeviceUpdatePayload>;
  /** Open watches, over all devices. */
  count(): number;
}

export function createDeviceWatches(): DeviceWatches {
  const watchers = new Map<string, Set<EventStream<DeviceUpdatePayload>>>();

  return {
    isWatched(event): event is WatchedEvent {
      return (
        UPDATE_KINDS.has(event.kind) &&
        'deviceId' in event &&
        watchers.has(event.deviceId)
      );
    },

    announce(event, device) {
      const streams = watchers.get(event.deviceId);
      if (!streams) return;

      const payload: DeviceUpdatePayload = { ...event, device };
      for (const stream of streams) stream.push(payload);
    },

    open(deviceId) {
      const streams = watchers.get(deviceId) ?? new Set();
      watchers.set(deviceId, streams);
      const stream = createEventStream<DeviceUpdatePayload>(() => {
        streams.delete(stream);
        if (streams.size === 0 && watchers.get(deviceId) === streams) {
          watchers.delete(deviceId);
        }
      });
      streams.add(stream);
      return stream.iterator;
    },

    count() {
      let count = 0;
      for (const streams of watchers.values()) count += streams.size;
      return count;
    },
  };
}
