import {
  RECORDED_KINDS,
  type RegistryEvent,
  type RegistryEventKind,
} from './registryEvent.ts';

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

/** A wire item that lists ids, each of which stands on its own. */
type IdListItem = Extract<
  WireItem,
  { kind: '@heartbeats' } | { kind: 'credentialRevoked' }
>;

function isIdList(item: WireItem): item is IdListItem {
  return item.kind === '@heartbeats' || item.kind === 'credentialRevoked';
}

/** The UTF-8 size of a payload's text: what PostgreSQL's limit counts. */
function byteSize(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * A recorded event too large for a payload of its own (a tagging of 64
 * long tags, a long reason) as a `@recorded` item naming its row, which
 * the listener reads back whole. Throws for any other oversized item: an
 * event kind that can grow without bound needs its own way to split.
 */
function asReference(item: WireItem, text: string): WireItem {
  const event = item.kind.startsWith('@') ? null : (item as RegistryEvent);
  const version = event && 'version' in event ? event.version : undefined;
  if (!event || !RECORDED_KINDS.has(event.kind) || version === undefined) {
    throw new Error(
      `A ${item.kind} event of ${byteSize(text)} bytes exceeds the ` +
        `${MAX_PAYLOAD_BYTES}-byte NOTIFY payload and cannot be split`,
    );
  }

  return {
    kind: '@recorded',
    kinds: [event.kind],
    ...(event.kind === 'stateChanged' ? { to: [event.to] } : {}),
    ranges: [[version, version]],
  };
}

/**
 * Wire items as NOTIFY payloads of at most MAX_PAYLOAD_BYTES (UTF-8) each,
 * whatever their size: an item listing ids (a heartbeat run, revoked
 * credentials) is split across payloads, each part listing some of the
 * ids; a recorded event too large on its own travels as a reference to
 * its device_events row.
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
  const fits = (bytes: number) => size + bytes + 1 <= MAX_PAYLOAD_BYTES;
  const push = (text: string) => {
    const bytes = byteSize(text);
    if (current.length > 0 && !fits(bytes)) flush();
    current.push(text);
    size += bytes + 1;
  };
  for (const item of items) {
    if (!isIdList(item)) {
      const text = JSON.stringify(item);
      const isAlone = byteSize(text) + 2 > MAX_PAYLOAD_BYTES;
      push(isAlone ? JSON.stringify(asReference(item, text)) : text);
      continue;
    }
    // Fill the current payload, then whole ones, with slices of the list.
    const head = byteSize(JSON.stringify({ ...item, ids: [] }));
    let ids: string[] = [];
    let bytes = head;
    for (const id of item.ids) {
      const idBytes = byteSize(JSON.stringify(id)) + 1;
      if (!fits(bytes + idBytes)) {
        if (ids.length > 0) push(JSON.stringify({ ...item, ids }));
        flush();
        ids = [];
        bytes = head;
      }
      ids.push(id);
      bytes += idBytes;
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
