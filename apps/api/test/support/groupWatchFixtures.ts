import { loadEventDevice } from '../../src/live/eventDevice.ts';
import type { MembershipPayload } from '../../src/live/groupWatches.ts';
import type { TestServer } from '../../src/testing/index.ts';

const EMPTY = Symbol('empty');

/** What `iterator` holds now, without waiting for more. */
export function buffered<T>(iterator: AsyncIterableIterator<T>) {
  let pending: Promise<IteratorResult<T>> | null = null;
  return async (): Promise<T[]> => {
    const values: T[] = [];
    for (;;) {
      pending ??= iterator.next();
      // A queued value is already resolved and wins; an empty queue
      // leaves `pending` waiting for the next drain.
      const step = await Promise.race([pending, Promise.resolve(EMPTY)]);
      if (step === EMPTY || step.done === true) return values;

      pending = null;
      values.push(step.value);
    }
  };
}

let barriers = 0;

/**
 * Resolves once every event `server` published so far has been handled
 * by its live hub: a barrier event follows them through the bus.
 */
export async function settled(server: TestServer): Promise<void> {
  const services = server.server.services;
  barriers += 1;
  const alertId = `barrier-${barriers}`;
  const arrived = new Promise<void>((resolve) => {
    const off = services.events.subscribe(['alert'], (event) => {
      if (event.kind !== 'alert' || event.alertId !== alertId) return;

      off();
      resolve();
    });
  });
  await services.events.publish(server.database.pool, [
    {
      kind: 'alert',
      alertId,
      deviceId: 'no-device',
      alertKind: 'barrier',
      cleared: true,
      at: server.clock.now().toISOString(),
    },
  ]);
  await arrived;
  await services.live.idle();
}

/**
 * The payload a device event's recheck announces for `deviceId` joining
 * or leaving `group` at the clock's time: the device as loaded for it.
 */
export async function membershipPayload(
  server: TestServer,
  group: string,
  deviceId: string,
  change: 'joined' | 'left',
): Promise<MembershipPayload> {
  const device = await loadEventDevice(server.database.pool, deviceId);
  return {
    group,
    deviceId,
    change,
    at: server.clock.now().toISOString(),
    device: device?.record ?? null,
  };
}
