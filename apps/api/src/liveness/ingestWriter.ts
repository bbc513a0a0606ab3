import type pg from 'pg';
import { isRetryableConflict } from '../db/conflictRetry.ts';
import { withTransaction } from '../db/transaction.ts';
import { RollcallError } from '../errors.ts';
import type { EventBus } from '../events/eventBus.ts';
import type { Logger } from '../logger.ts';
import { isUnavailable } from '../server/formatError.ts';
import type { HeartbeatSettings } from './applyHeartbeat.ts';
import type { HeartbeatObserver } from './heartbeatObserver.ts';
import type {
  HeartbeatEntry,
  HeartbeatFailure,
  HeartbeatResult,
} from './heartbeatTypes.ts';
import { readInstructions } from './ingestStatements.ts';
import { processBatch, type BatchOutcome } from './processBatch.ts';

/** Lifecycle of the ingest writer. */
export type IngestPhase =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'stopping'; drained: Promise<void> }
  | { phase: 'stopped' };

export interface IngestWriterOptions {
  pool: pg.Pool;
  events: EventBus;
  logger: Logger;
  settings: HeartbeatSettings;
  webhookUrls: readonly string[];
  observers: () => readonly HeartbeatObserver[];
  /** Most entries in one statement (default 1,000). */
  maxBatch?: number;
  /** Batches committing at once (default 3). */
  maxInFlight?: number;
  /**
   * Entries that must be waiting before a batch starts beside one already
   * committing (default 200). Fewer wait for it and join the next batch.
   */
  overlapAt?: number;
  /**
   * Called when a batch failed because the database is unreachable (its
   * heartbeats were refused with SERVICE_UNAVAILABLE), so that the offline
   * sweeper does not count the outage against those devices.
   */
  onUnavailable?: () => void;
}

/**
 * Coalesces concurrent heartbeats into one transaction per batch. Entries
 * queue while batches are in flight, so the batch size grows with the load
 * and latency stays one round of statements when idle. Each submitter is
 * answered after its batch committed and the observers ran.
 */
export interface IngestWriter {
  submit(entries: HeartbeatEntry[]): Promise<HeartbeatResult[]>;
  state(): IngestPhase;
  /** Answers everything queued, then refuses new entries. */
  stop(): Promise<void>;
}

interface Pending {
  entry: HeartbeatEntry;
  resolve: (result: HeartbeatResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The typed failure of an entry PostgreSQL refused with a data exception
 * (SQLSTATE class 22: a NUL in text, a number out of a column's range), as
 * formatError maps it; null for any other error.
 */
function refusedValue(error: unknown): HeartbeatFailure | null {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^22[0-9A-Z]{3}$/.test(code)) return null;
  return {
    code: 'BAD_USER_INPUT',
    message: 'A value in the request cannot be stored',
  };
}

export function createIngestWriter(options: IngestWriterOptions): IngestWriter {
  const { pool, events, logger } = options;
  const maxBatch = options.maxBatch ?? 1000;
  const maxInFlight = options.maxInFlight ?? 3;
  const overlapAt = options.overlapAt ?? 200;
  let phase: IngestPhase = { phase: 'idle' };
  let queue: Pending[] = [];
  let inFlight = 0;
  let isScheduled = false;
  let onIdle: (() => void) | null = null;

  const commit = async (entries: HeartbeatEntry[]): Promise<BatchOutcome> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await withTransaction(pool, async (client) => {
          const outcome = await processBatch(
            client,
            entries,
            options.settings,
            options.webhookUrls,
          );
          outcome.events = await events.publish(client, outcome.events);
          return outcome;
        });
      } catch (error) {
        // Deadlocks cannot happen between batches (rows are locked in id
        // order) nor with writers that follow the same order (status rows,
        // then devices); a serialization failure is retried once.
        if (attempt > 0 || !isRetryableConflict(error)) throw error;
        logger.warn(
          { code: (error as { code: string }).code, size: entries.length },
          'heartbeat batch conflicted; retrying',
        );
      }
    }
  };

  const afterCommit = async (outcome: BatchOutcome): Promise<void> => {
    for (const t of outcome.transitions) {
      logger.info(
        { deviceId: t.deviceId, from: t.from, to: t.to, cause: 'heartbeat' },
        'device state changed',
      );
    }
    const observers = options.observers();
    if (observers.length === 0) return;

    for (const observer of observers) {
      try {
        await observer.afterHeartbeats(outcome.applied, pool);
      } catch (error) {
        logger.error(
          { err: error, observer: observer.name },
          'heartbeat observer failed',
        );
      }
    }
    // Observers may have set a desired version (catch-up on return), but
    // only for a batch with deployment or catch-up work pending.
    const acked = outcome.results.flatMap((r) =>
      r.kind === 'ack' ? [r.ack] : [],
    );
    if (acked.length === 0 || !outcome.mayChangeInstructions) return;
    const instructions = await readInstructions(pool, [
      ...new Set(acked.map((a) => a.deviceId)),
    ]);
    for (const ack of acked) {
      const instruction = instructions.get(ack.deviceId) ?? null;
      const reported = outcome.applied.find(
        (a) => a.deviceId === ack.deviceId,
      )?.appVersion;
      ack.instruction =
        instruction && instruction.targetVersion !== reported
          ? instruction
          : ack.instruction;
    }
  };

  const run = async (batch: Pending[]): Promise<void> => {
    let outcome: BatchOutcome;
    try {
      outcome = await commit(batch.map((p) => p.entry));
    } catch (error) {
      if (isUnavailable(error)) {
        options.onUnavailable?.();
      } else if (batch.length > 1) {
        // One entry PostgreSQL refused (a data error) rolled the whole
        // batch back: commit the halves apart, so that only that entry
        // fails and every other one is committed and acknowledged.
        logger.warn(
          { err: error, size: batch.length },
          'heartbeat batch failed; retrying it in halves',
        );
        const half = Math.ceil(batch.length / 2);
        await run(batch.slice(0, half));
        await run(batch.slice(half));
        return;
      }
      const refused = batch.length === 1 ? refusedValue(error) : null;
      if (refused) {
        // Its own typed error, so that a gateway's other entries are
        // still answered with their acknowledgements.
        logger.warn(
          { err: error, deviceId: batch[0]!.entry.deviceId },
          'database refused a heartbeat value',
        );
        batch[0]!.resolve({ kind: 'error', error: refused });
        return;
      }
      logger.error(
        { err: error, size: batch.length },
        'heartbeat batch failed',
      );
      for (const p of batch) p.reject(error);
      return;
    }
    await afterCommit(outcome).catch((error: unknown) =>
      logger.error(
        { err: error },
        'after-commit work of a heartbeat batch failed',
      ),
    );
    batch.forEach((p, index) => p.resolve(outcome.results[index]!));
  };

  // Every transaction costs a commit (a WAL flush) and its statements'
  // fixed work. Heartbeats one at a time from many devices gather while a
  // batch commits and go together in the next one: at 50 devices in
  // flight that was 1.1-1.2x the throughput of starting up to three small
  // batches at once. Only a backlog (gateway batches) overlaps commits.
  const mayStart = () =>
    queue.length > 0 &&
    inFlight < maxInFlight &&
    (inFlight === 0 || queue.length >= overlapAt);

  const flush = () => {
    isScheduled = false;
    while (mayStart()) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight += 1;
      void run(batch).finally(() => {
        inFlight -= 1;
        if (mayStart()) schedule();
        else if (inFlight === 0) onIdle?.();
      });
    }
  };

  const schedule = () => {
    if (isScheduled) return;
    isScheduled = true;
    // One turn of the event loop gathers every request parsed meanwhile.
    setImmediate(flush);
  };

  return {
    submit(entries) {
      if (phase.phase === 'stopping' || phase.phase === 'stopped') {
        return Promise.reject(
          new RollcallError(
            'SERVICE_UNAVAILABLE',
            'The server is shutting down; retry',
            {
              retryable: true,
            },
          ),
        );
      }
      phase = { phase: 'running' };
      const answers = entries.map(
        (entry) =>
          new Promise<HeartbeatResult>((resolve, reject) => {
            queue.push({ entry, resolve, reject });
          }),
      );
      schedule();
      return Promise.all(answers);
    },
    state: () => phase,
    stop() {
      if (phase.phase === 'stopped') return Promise.resolve();
      if (phase.phase === 'stopping') return phase.drained;

      const drained = new Promise<void>((resolve) => {
        if (queue.length === 0 && inFlight === 0) resolve();
        else onIdle = resolve;
      }).then(() => {
        phase = { phase: 'stopped' };
      });
      phase = { phase: 'stopping', drained };
      return drained;
    },
  };
}
