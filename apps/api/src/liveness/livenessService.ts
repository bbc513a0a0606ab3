import {
  createWebhookDispatcher,
  type WebhookDispatcher,
} from '../alerts/webhookDispatcher.ts';
import { actorName, type Principal } from '../auth/principal.ts';
import { createRateLimiter } from '../auth/rateLimiter.ts';
import { RollcallError } from '../errors.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { ServiceDependencies } from '../server/services.ts';
import { createRegistrySync, type RegistrySync } from '../sync/registrySync.ts';
import { heartbeatSettings } from './applyHeartbeat.ts';
import type { HeartbeatObserver } from './heartbeatObserver.ts';
import {
  parseHeartbeatInput,
  type HeartbeatInputArgs,
} from './heartbeatInput.ts';
import type {
  HeartbeatAck,
  HeartbeatEntry,
  HeartbeatFailure,
  HeartbeatReporter,
  HeartbeatResult,
} from './heartbeatTypes.ts';
import { pruneHeartbeats } from './heartbeatHistory.ts';
import { createIngestWriter, type IngestWriter } from './ingestWriter.ts';
import { createOfflineSweeper, type OfflineSweeper } from './offlineSweeper.ts';

/** Most entries one `heartbeatBatch` call may carry. */
export const MAX_HEARTBEAT_BATCH = 1000;

/** One entry of a batch answer: an ack or the entry's own error. */
export interface BatchEntryResult {
  deviceId: string;
  ack: HeartbeatAck | null;
  error: HeartbeatFailure | null;
}

/** Heartbeat ingestion and the observers that react to it. */
export interface LivenessService {
  /** One heartbeat with the device's own token; throws on refusal. */
  heartbeat(
    principal: Principal,
    input: HeartbeatInputArgs,
  ): Promise<HeartbeatAck>;
  /**
   * Many heartbeats from a gateway (for devices tagged `gateway=<its id>`
   * and itself) or an operator key (any device); errors per entry.
   */
  heartbeatBatch(
    principal: Principal,
    inputs: HeartbeatInputArgs[],
  ): Promise<BatchEntryResult[]>;
  /** Registers an observer called after each committed batch. */
  addObserver(observer: HeartbeatObserver): () => void;
  readonly ingest: IngestWriter;
  /** The offline sweeper; its worker calls `runOnce` every interval. */
  readonly sweeper: OfflineSweeper;
  /** Sends due alert webhooks; its worker calls `runOnce`. */
  readonly webhooks: WebhookDispatcher;
  /** The registry sync (daily worker and `runRegistrySync`). */
  readonly registrySync: RegistrySync;
  /** Deletes history past `history.retention_days`; returns the count. */
  pruneHistory(): Promise<number>;
}

export function createLivenessService(
  deps: ServiceDependencies,
  events: EventBus,
): LivenessService {
  const { config, clock } = deps;
  const observers: HeartbeatObserver[] = [];
  const ingest = createIngestWriter({
    pool: deps.db.pool,
    events,
    logger: deps.logger.child({ component: 'heartbeat-ingest' }),
    settings: heartbeatSettings(config),
    webhookUrls: config.alerts.webhook_urls,
    observers: () => observers,
    onUnavailable: () => sweeper.noteDatabaseUnavailable(),
  });
  const limiter = createRateLimiter({
    perMinute: config.heartbeat.rate_limit_per_minute,
    clock,
  });

  // Parses and rate-limits one input; null entry means refused up front.
  const prepare = (
    input: HeartbeatInputArgs,
    reporter: HeartbeatReporter,
    actor: string,
  ): HeartbeatEntry => {
    const parsed = parseHeartbeatInput(input);
    limiter.consume(parsed.deviceId);

    return { ...parsed, receivedAt: clock.now(), reporter, actor };
  };

  const toFailure = (error: unknown): HeartbeatFailure => {
    if (error instanceof RollcallError) {
      return {
        code: error.code,
        message: error.message,
        details: error.details,
      };
    }
    throw error;
  };

  const sweeper = createOfflineSweeper({
    pool: deps.db.pool,
    events,
    logger: deps.logger.child({ component: 'offline-sweeper' }),
    clock,
    config,
  });

  const webhooks = createWebhookDispatcher({
    pool: deps.db.pool,
    clock,
    config,
    logger: deps.logger.child({ component: 'alert-webhooks' }),
  });
  const registrySync = createRegistrySync({
    pool: deps.db.pool,
    events,
    clock,
    config,
    logger: deps.logger.child({ component: 'registry-sync' }),
  });

  return {
    ingest,
    sweeper,
    webhooks,
    registrySync,
    pruneHistory: () =>
      pruneHeartbeats(deps.db.pool, clock.now(), config.history.retention_days),
    addObserver(observer) {
      observers.push(observer);
      return () => {
        const index = observers.indexOf(observer);
        if (index >= 0) observers.splice(index, 1);
      };
    },

    async heartbeat(principal, input) {
      if (principal.kind === 'anonymous') {
        throw new RollcallError(
          'UNAUTHENTICATED',
          'Send the device token as a bearer token',
        );
      }
      if (
        principal.kind !== 'device' ||
        principal.deviceId !== input.deviceId
      ) {
        throw new RollcallError(
          'FORBIDDEN',
          'A heartbeat must be sent with the token of the device it is for',
        );
      }
      const entry = prepare(
        input,
        { kind: 'device', tokenId: principal.tokenId },
        actorName(principal),
      );
      const [result] = await ingest.submit([entry]);
      return unwrap(result!);
    },

    async heartbeatBatch(principal, inputs) {
      const reporter = batchReporter(principal);
      if (inputs.length > MAX_HEARTBEAT_BATCH) {
        throw new RollcallError(
          'PAYLOAD_TOO_LARGE',
          `A heartbeat batch carries at most ${MAX_HEARTBEAT_BATCH} entries`,
          { max: MAX_HEARTBEAT_BATCH },
        );
      }
      const actor = actorName(principal);
      const prepared = inputs.map((input) => {
        try {
          return { entry: prepare(input, reporter, actor), error: null };
        } catch (error) {
          return { entry: null, error: toFailure(error) };
        }
      });
      const entries = prepared.flatMap((p) => (p.entry ? [p.entry] : []));
      const results = entries.length > 0 ? await ingest.submit(entries) : [];
      let next = 0;
      return prepared.map((p, index): BatchEntryResult => {
        const deviceId = inputs[index]!.deviceId;
        if (p.error) return { deviceId, ack: null, error: p.error };

        const result = results[next++]!;
        return result.kind === 'ack'
          ? { deviceId, ack: result.ack, error: null }
          : { deviceId, ack: null, error: result.error };
      });
    },
  };
}

function batchReporter(principal: Principal): HeartbeatReporter {
  switch (principal.kind) {
    case 'anonymous':
      throw new RollcallError(
        'UNAUTHENTICATED',
        'Send a gateway token or an operator key',
      );
    case 'device':
      return {
        kind: 'gateway',
        gatewayId: principal.deviceId,
        tokenId: principal.tokenId,
      };
    case 'operator':
      if (principal.role === 'viewer') {
        throw new RollcallError(
          'FORBIDDEN',
          'This operation needs the operator role',
          {
            requiredRole: 'operator',
          },
        );
      }
      return { kind: 'operator', actor: actorName(principal) };
  }
}

function unwrap(result: HeartbeatResult): HeartbeatAck {
  if (result.kind === 'ack') return result.ack;

  throw new RollcallError(
    result.error.code,
    result.error.message,
    result.error.details,
  );
}
