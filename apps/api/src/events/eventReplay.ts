import type pg from 'pg';
import { EVENT_ROW_COLUMNS, eventOfRow, type EventRow } from './eventRows.ts';
import type { RegistryEvent } from './registryEvent.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;

// Versions remembered to deliver each recorded event once; the oldest are
// forgotten first (they raise the floor instead).
const REMEMBERED_VERSIONS = 10_000;
// device_events rows read per replay query.
const REPLAY_PAGE = 2000;

/**
 * What a listener delivered of the recorded events (device_events rows,
 * their id the event's `version`), so that after a lost LISTEN connection
 * it replays the rows committed meanwhile, each exactly once: a replayed
 * event is not delivered again when its NOTIFY also arrives, nor a
 * notified one when the replay reads it.
 */
export interface DeliveredVersions {
  /** False when the event's version was delivered already. */
  admit(event: RegistryEvent): boolean;
  /** On the first connection: rows up to the newest id predate the bus. */
  start(client: Queryable): Promise<void>;
  /**
   * Reads every row after the floor that was not delivered, in id order,
   * and hands it to `deliver` (which calls `admit`). Returns the count.
   */
  replay(
    client: Queryable,
    deliver: (event: RegistryEvent) => void,
  ): Promise<number>;
}

export function createDeliveredVersions(
  capacity = REMEMBERED_VERSIONS,
): DeliveredVersions {
  const remembered = new Set<number>();
  // The remembered versions in arrival order, as a ring: `next` is the
  // oldest once it is full. Not the Set's own first entry: a Set whose
  // oldest entries are deleted one by one keeps their slots until it
  // rehashes, and finding its first live entry walks them all (a sweep of
  // 30,000 events spent a fifth of a second of the event loop that way).
  const order: number[] = [];
  let next = 0;
  // Ids at or below were delivered, forgotten, or predate the bus.
  let floor: number | null = null;

  return {
    admit(event) {
      const version = (event as { version?: unknown }).version;
      if (typeof version !== 'number') return true;
      if (remembered.has(version)) return false;
      if (order.length < capacity) {
        order.push(version);
      } else {
        const oldest = order[next]!;
        remembered.delete(oldest);
        floor = Math.max(floor ?? 0, oldest);
        order[next] = version;
        next = (next + 1) % capacity;
      }
      remembered.add(version);
      return true;
    },
    async start(client) {
      if (floor !== null) return;
      const { rows } = await client.query<{ id: number }>(
        'SELECT coalesce(max(id), 0)::bigint AS id FROM device_events',
      );
      floor = Math.max(floor ?? 0, rows[0]?.id ?? 0);
    },
    async replay(client, deliver) {
      if (floor === null) return 0;
      let after = floor;
      let count = 0;
      for (;;) {
        const { rows } = await client.query<EventRow>(
          `SELECT ${EVENT_ROW_COLUMNS} FROM device_events
           WHERE id > $1 ORDER BY id LIMIT $2`,
          [after, REPLAY_PAGE],
        );
        for (const row of rows) {
          if (remembered.has(row.id)) continue;
          count += 1;
          deliver(eventOfRow(row));
        }
        if (rows.length < REPLAY_PAGE) return count;
        after = rows[rows.length - 1]!.id;
      }
    },
  };
}
