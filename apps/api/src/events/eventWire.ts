import type { RegistryEvent, RegistryEventKind } from './registryEvent.ts';

/**
 * The NOTIFY payload format of the event bus: a JSON array of items. An
 * item is a RegistryEvent, or one of two compact forms that the listening
 * process expands back into the same events, in the same order:
 *
 * - `@heartbeats`: consecutive heartbeat events with one status and one
 *   time, as their device ids. A batch of 1,000 heartbeats is 3 NOTIFYs
 *   instead of 18.
 * - `@recorded`: device_events rows by id ranges, which the listener reads
 *   (payload plus `version` = id). The offline sweeper announces a chunk
 *   of thousands of transitions with one of these instead of hundreds of
 *   NOTIFYs that every process had to parse at once.
 */
export type WireItem =
  | RegistryEvent
  | {
      kind: '@heartbeats';
      status: string;
      at: string;
      ids: string[];
    }
  | {
      kind: '@recorded';
      /** The kinds in the rows, so that a process without handlers skips. */
      kinds: RegistryEventKind[];
      /**
       * Every state the rows' stateChanged events move to, when known, so
       * that a process whose stateChanged handlers want none of them
       * skips the read (a sweep's 30,000 moves to OFFLINE concern no
       * handler that follows decommissioning).
       */
      to?: string[];
      /** Inclusive id ranges, ascending. */
      ranges: Array<[number, number]>;
    };

/** The wire name of the `@recorded` item, for SQL that builds it. */
export const RECORDED_ITEM = '@recorded';

// NOTIFY payloads are limited to 8000 bytes; stay well under it.
export const MAX_PAYLOAD_BYTES = 7000;

/** Events as wire items: runs of like heartbeats become one item. */
export function toWireItems(events: readonly RegistryEvent[]): WireItem[] {
  const items: WireItem[] = [];
  let run: Extract<WireItem, { kind: '@heartbeats' }> | null = null;
  for (const event of events) {
    if (event.kind !== 'heartbeat') {
      run = null;
      items.push(event);
      continue;
    }
    if (run && run.status === event.status && run.at === event.at) {
      run.ids.push(event.deviceId);
      continue;
    }
    run = {
      kind: '@heartbeats',
      status: event.status,
      at: event.at,
      ids: [event.deviceId],
    };
    items.push(run);
  }
  return items;
}

/**
 * Wire items as NOTIFY payloads under MAX_PAYLOAD_BYTES each; a long
 * heartbeat run is split across payloads.
 */
export function toPayloads(items: readonly WireItem[]): string[] {
  const payloads: string[] = [];
  let current: string[] = [];
  let size = 2;
  const flush = () => {
    if (current.length > 0) payloads.push(`[${current.join(',')}]`);
    current = [];
    size = 2;
  };
  const push = (text: string) => {
    if (current.length > 0 && size + text.length + 1 > MAX_PAYLOAD_BYTES) {
      flush();
    }
    current.push(text);
    size += text.length + 1;
  };
  for (const item of items) {
    if (item.kind !== '@heartbeats') {
      push(JSON.stringify(item));
      continue;
    }
    // Fill the current payload, then whole ones, with slices of the run.
    const head = JSON.stringify({ ...item, ids: [] }).length;
    let ids: string[] = [];
    let bytes = head + 1;
    for (const id of item.ids) {
      const text = JSON.stringify(id).length + 1;
      if (ids.length > 0 && size + bytes + text > MAX_PAYLOAD_BYTES) {
        push(JSON.stringify({ ...item, ids }));
        flush();
        ids = [];
        bytes = head + 1;
      } else if (ids.length === 0 && size + bytes + text > MAX_PAYLOAD_BYTES) {
        flush();
      }
      ids.push(id);
      bytes += text;
    }
    push(JSON.stringify({ ...item, ids }));
  }
  flush();
  return payloads;
}

/** The heartbeat events of a `@heartbeats` item. */
export function expandHeartbeats(
  item: Extract<WireItem, { kind: '@heartbeats' }>,
): RegistryEvent[] {
  return item.ids.map((deviceId) => ({
    kind: 'heartbeat',
    deviceId,
    status: item.status,
    at: item.at,
  }));
}
