import { createHmac } from 'node:crypto';
import type pg from 'pg';
import type { Clock } from '../clock.ts';
import type { RollcallConfig } from '../config/defaults.ts';
import type { Logger } from '../logger.ts';

/** What one dispatch pass did. */
export interface DispatchResult {
  delivered: number;
  failed: number;
  /** Deliveries that used their last attempt and were given up. */
  abandoned: number;
}

/** Sends due webhook deliveries; its worker calls `runOnce`. */
export interface WebhookDispatcher {
  runOnce(): Promise<DispatchResult>;
}

/** The signature header value: hex HMAC-SHA256 of the body. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface DueDelivery {
  id: string;
  url: string;
  attempts: number;
  alert_id: string;
  device_id: string;
  kind: string;
  message: string;
  raised_at: Date;
}

const BATCH = 50;
const TIMEOUT_MS = 10_000;

/**
 * Delivers alert webhooks from the webhook_deliveries table: POSTs the
 * alert as JSON with `X-Rollcall-Signature: sha256=<hmac hex>`; a non-2xx
 * answer or a network error is retried after `webhook_backoff_seconds`
 * doubled per attempt (2, 4, 8, ... s by default), up to
 * `webhook_max_attempts` attempts. Rows are claimed with SKIP LOCKED, so
 * several processes never send the same delivery twice at once.
 */
export function createWebhookDispatcher(options: {
  pool: pg.Pool;
  clock: Clock;
  config: RollcallConfig;
  logger: Logger;
}): WebhookDispatcher {
  const { pool, clock, logger } = options;
  const settings = options.config.alerts;

  const send = async (delivery: DueDelivery): Promise<string | null> => {
    const body = JSON.stringify({
      alertId: delivery.alert_id,
      deviceId: delivery.device_id,
      kind: delivery.kind,
      message: delivery.message,
      since: delivery.raised_at.toISOString(),
    });
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-rollcall-signature': signWebhook(body, settings.webhook_secret),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.body?.cancel();
      return response.ok ? null : `HTTP ${response.status}`;
    } catch (error) {
      return (error as Error).message;
    }
  };

  return {
    async runOnce() {
      const now = clock.now();
      const client = await pool.connect();
      const result: DispatchResult = { delivered: 0, failed: 0, abandoned: 0 };
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<DueDelivery>(
          `SELECT w.id::text AS id, w.url, w.attempts, a.id::text AS alert_id,
                  a.device_id, a.kind, a.message, a.raised_at
           FROM webhook_deliveries w JOIN alerts a ON a.id = w.alert_id
           WHERE w.delivered_at IS NULL AND w.next_attempt_at <= $1
             AND w.attempts < $2
           ORDER BY w.next_attempt_at LIMIT $3
           FOR UPDATE OF w SKIP LOCKED`,
          [now, settings.webhook_max_attempts, BATCH],
        );
        const outcomes = await Promise.all(rows.map(send));
        for (const [index, delivery] of rows.entries()) {
          const error = outcomes[index] ?? null;
          const attempts = delivery.attempts + 1;
          const backoffMs =
            settings.webhook_backoff_seconds * 1000 * 2 ** (attempts - 1);
          await client.query(
            `UPDATE webhook_deliveries SET attempts = $2, last_error = $3,
               delivered_at = $4, next_attempt_at = $5
             WHERE id = $1`,
            [
              delivery.id,
              attempts,
              error,
              error ? null : clock.now(),
              error ? new Date(now.getTime() + backoffMs) : now,
            ],
          );
          if (!error) result.delivered += 1;
          else if (attempts >= settings.webhook_max_attempts)
            result.abandoned += 1;
          else result.failed += 1;
          if (error) {
            logger.warn(
              { url: delivery.url, attempts, err: error },
              'alert webhook delivery failed',
            );
          }
        }
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
