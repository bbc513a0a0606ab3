import pg from 'pg';
import type { Logger } from '../logger.ts';
import { createDeliveredVersions } from './eventReplay.ts';
import { EVENT_ROW_COLUMNS, eventOfRow, type EventRow } from './eventRows.ts';
import {
  expandHeartbeats,
  toPayloads,
  toWireItems,
  type WireItem,
} from './eventWire.ts';
import {
  RECORDED_KINDS,
  type RegistryEvent,
  type RegistryEventKind,
} from './registryEvent.ts';

const CHANNEL = 'rollcall_events';
// Rows of device_events read per query when expanding a `@recorded` item,
// so that a sweep of 30,000 transitions never blocks the event loop long.
const RECORDED_PAGE = 2000;
// After a lost LISTEN connection, retry every second until the database
// is back; each attempt gives up after five seconds.
const RECONNECT_DELAY_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;
/** The application_name of every process's LISTEN connection. */
export const LISTENER_NAME = 'rollcall-events';

type Queryable = Pick<pg.PoolClient, 'query'>;
type Handler = (event: RegistryEvent) => void;

export interface EventBus {
  /**
   * Records and announces events inside the caller's transaction: recorded
   * kinds get a device_events row (their `version`, also written to
   * device_status.version), and NOTIFY delivers them to every API process
   * only when the transaction commits. Returns the events with versions.
   */
  publish(client: Queryable, events: RegistryEvent[]): Promise<RegistryEvent[]>;
  /**
   * Calls `handler` for each event of these kinds from any process; with
   * `stateChangedTo`, only for the stateChanged events into those states,
   * and recorded events that can hold no such event are not even read.
   */
  subscribe(
    kinds: RegistryEventKind[] | 'all',
    handler: Handler,
    filter?: { stateChangedTo: readonly string[] },
  ): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function recordVersions(
  client: Queryable,
  events: RegistryEvent[],
): Promise<RegistryEvent[]> {
  const recorded = events.filter(
    (event) => RECORDED_KINDS.has(event.kind) && 'deviceId' in event,
  ) as Array<RegistryEvent & { deviceId: string }>;
  if (recorded.length === 0) return events;

  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO device_events (device_id, kind, payload, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[])
     RETURNING id`,
    [
      recorded.map((e) => e.deviceId),
      recorded.map((e) => e.kind),
      recorded.map((e) => JSON.stringify(e)),
      recorded.map((e) => e.at),
    ],
  );
  recorded.forEach((event, index) => {
    (event as { version?: number }).version = rows[index]!.id;
  });
  await client.query(
    `UPDATE device_status s SET version = v.version
     FROM (SELECT device_id, max(id) AS version
           FROM unnest($1::text[], $2::bigint[]) AS t(device_id, id)
           GROUP BY device_id) v
     WHERE s.device_id = v.device_id AND s.version < v.version`,
    [recorded.map((e) => e.deviceId), rows.map((row) => row.id)],
  );
  return events;
}

interface HandlerEntry {
  kinds: Set<string> | 'all';
  /** States whose stateChanged events the handler wants; null: all. */
  stateChangedTo: Set<string> | null;
  handler: Handler;
}

/** Whether `entry` wants an event of `kind` into one of `to` (any: null). */
function wantsKind(
  entry: HandlerEntry,
  kind: string,
  to: readonly string[] | null,
): boolean {
  if (entry.kinds !== 'all' && !entry.kinds.has(kind)) return false;
  if (kind !== 'stateChanged' || !entry.stateChangedTo || to === null) {
    return true;
  }
  return to.some((state) => entry.stateChangedTo!.has(state));
}

/** The event bus over PostgreSQL LISTEN/NOTIFY. */
export function createEventBus(options: {
  url: string;
  logger: Logger;
}): EventBus {
  const { logger } = options;
  const handlers = new Set<HandlerEntry>();
  let listener: pg.Client | null = null;
  let stopped = false;

  const delivered = createDeliveredVersions();

  const deliver = (event: RegistryEvent) => {
    if (!delivered.admit(event)) return;
    const to = event.kind === 'stateChanged' ? [event.to] : null;
    for (const entry of handlers) {
      if (!wantsKind(entry, event.kind, to)) continue;
      try {
        entry.handler(event);
      } catch (error) {
        logger.error({ err: error, kind: event.kind }, 'event handler failed');
      }
    }
  };

  const wants = (item: Extract<WireItem, { kind: '@recorded' }>) => {
    for (const entry of handlers) {
      const to = item.to ?? null;
      if (item.kinds.some((kind) => wantsKind(entry, kind, to))) return true;
    }
    return false;
  };

  // Reads the rows of a `@recorded` item in id order, page by page.
  const expandRecorded = async (
    item: Extract<WireItem, { kind: '@recorded' }>,
  ) => {
    if (!wants(item)) return;
    for (const [from, to] of item.ranges) {
      let after = from - 1;
      for (;;) {
        const client = listener;
        if (!client) {
          logger.warn({ from, to }, 'recorded events lost with the listener');
          return;
        }
        const { rows } = await client.query<EventRow>(
          `SELECT ${EVENT_ROW_COLUMNS} FROM device_events
           WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`,
          [after, to, RECORDED_PAGE],
        );
        for (const row of rows) deliver(eventOfRow(row));
        if (rows.length < RECORDED_PAGE) break;
        after = rows[rows.length - 1]!.id;
      }
    }
  };

  // Payloads are handled in arrival order; one that needs a read holds
  // back the ones behind it, so every subscriber sees events in order.
  let backlog: Promise<void> | null = null;
  let pendingReads = 0;

  const handleItems = (items: WireItem[], from: number): Promise<void> => {
    for (let i = from; i < items.length; i += 1) {
      const item = items[i]!;
      if (item.kind === '@heartbeats') {
        expandHeartbeats(item).forEach(deliver);
      } else if (item.kind === '@recorded') {
        return expandRecorded(item)
          .catch((error: unknown) =>
            logger.error({ err: error }, 'reading recorded events failed'),
          )
          .then(() => handleItems(items, i + 1));
      } else {
        deliver(item);
      }
    }
    return Promise.resolve();
  };

  const dispatch = (payload: string | undefined) => {
    if (!payload) return;
    let items: WireItem[];
    try {
      items = JSON.parse(payload) as WireItem[];
    } catch (error) {
      logger.error({ err: error }, 'unreadable event payload');
      return;
    }
    const needsRead = items.some((item) => item.kind === '@recorded');
    if (!backlog && !needsRead) {
      void handleItems(items, 0);
      return;
    }
    pendingReads += 1;
    backlog = (backlog ?? Promise.resolve())
      .then(() => handleItems(items, 0))
      .finally(() => {
        pendingReads -= 1;
        if (pendingReads === 0) backlog = null;
      });
  };

  let reconnectTimer: NodeJS.Timeout | null = null;

  // One pending reconnect at most: a lost connection may report both an
  // error and its end, and two listeners would deliver every event twice.
  const scheduleReconnect = () => {
    if (stopped || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void reconnect();
    }, RECONNECT_DELAY_MS);
    reconnectTimer.unref();
  };

  const connect = async (isReconnect: boolean): Promise<void> => {
    const client = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // Names the LISTEN session in pg_stat_activity.
      application_name: LISTENER_NAME,
    });
    let isLost = false;
    const lose = (reason: string) => {
      if (isLost) return;
      isLost = true;
      if (listener === client) listener = null;
      client.end().catch(() => undefined);
      if (stopped) return;
      logger.warn({ err: reason }, 'event listener lost its connection');
      scheduleReconnect();
    };
    client.on('notification', (message) => dispatch(message.payload));
    client.on('error', (error) => lose(error.message));
    client.on('end', () => lose('connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      await delivered.start(client);
    } catch (error) {
      isLost = true;
      client.end().catch(() => undefined);
      throw error;
    }
    if (stopped) {
      isLost = true;
      await client.end().catch(() => undefined);
      return;
    }
    listener = client;
    if (!isReconnect) return;
    // Recorded events committed while no listener was connected were
    // announced to nobody: replay them ahead of the new notifications.
    pendingReads += 1;
    backlog = (backlog ?? Promise.resolve())
      .then(() => delivered.replay(client, deliver))
      .then((count) => {
        if (count > 0) logger.info({ count }, 'replayed missed events');
      })
      .catch((error: unknown) =>
        logger.error({ err: error }, 'replaying missed events failed'),
      )
      .finally(() => {
        pendingReads -= 1;
        if (pendingReads === 0) backlog = null;
      });
  };

  const reconnect = async (): Promise<void> => {
    try {
      await connect(true);
      logger.info('event listener reconnected');
    } catch (error) {
      logger.warn(
        { err: (error as Error).message },
        'event listener reconnect failed',
      );
      scheduleReconnect();
    }
  };

  return {
    async publish(client, events) {
      if (events.length === 0) return events;
      const withVersions = await recordVersions(client, events);
      // One round trip for every payload, in order.
      await client.query(
        `SELECT pg_notify($1, payload)
         FROM unnest($2::text[]) WITH ORDINALITY AS p(payload, n)
         ORDER BY n`,
        [CHANNEL, toPayloads(toWireItems(withVersions))],
      );
      return withVersions;
    },
    subscribe(kinds, handler, filter) {
      const entry: HandlerEntry = {
        kinds: kinds === 'all' ? 'all' : new Set<string>(kinds),
        stateChangedTo: filter ? new Set(filter.stateChangedTo) : null,
        handler,
      };
      handlers.add(entry);
      return () => handlers.delete(entry);
    },
    start: () => connect(false),
    async stop() {
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      await listener?.end().catch(() => undefined);
      listener = null;
    },
  };
}
