import type { RegistryEvent } from './registryEvent.ts';

/** The columns of a device_events row that readers select, in order. */
export const EVENT_ROW_COLUMNS = 'id, device_id, kind, at, payload';

/** A device_events row as selected with EVENT_ROW_COLUMNS. */
export interface EventRow {
  id: number;
  device_id: string;
  kind: string;
  at: Date;
  payload: Record<string, unknown>;
}

/**
 * The event's fields a device_events row records. Its kind, device and
 * time are columns; a payload may repeat them (`EventBus.publish` stores
 * whole events) or leave them out (the offline sweeper stores one shared
 * payload for thousands of rows), and what the payload holds wins.
 */
export function eventPayloadOfRow(row: EventRow): Record<string, unknown> {
  return {
    kind: row.kind,
    deviceId: row.device_id,
    at: row.at.toISOString(),
    ...row.payload,
  };
}

/** The event a device_events row records, its id the event's version. */
export function eventOfRow(row: EventRow): RegistryEvent {
  return { ...eventPayloadOfRow(row), version: row.id } as RegistryEvent;
}
