import { RollcallError } from '../errors.ts';
import type { Logger } from '../logger.ts';

// PostgreSQL's deadlock_detected and serialization_failure: the
// transaction was rolled back whole, so running it again is safe.
const CONFLICT_CODES = new Set(['40P01', '40001']);

/** Attempts of a write before its caller is told to retry (default). */
export const CONFLICT_ATTEMPTS = 4;

/**
 * True when `error` is a deadlock or a serialization failure: the
 * transaction lost a race with a concurrent one and nothing was written.
 */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONFLICT_CODES.has(code);
}

/**
 * Runs `write` (one whole transaction, such as a `withTransaction` call)
 * and runs it again when it lost a deadlock or serialization race, up to
 * `attempts` times in all (default 4). Lock order makes such races rare;
 * this keeps the ones left from reaching clients as internal errors.
 *
 * @throws RollcallError SERVICE_UNAVAILABLE (`retryable: true`) when every
 *   attempt conflicted; any other error of `write` as it is
 */
export async function retryOnConflict<T>(
  logger: Logger,
  operation: string,
  write: () => Promise<T>,
  attempts = CONFLICT_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (!isRetryableConflict(error)) throw error;

      const code = (error as { code: string }).code;
      if (attempt >= attempts) {
        logger.warn({ operation, code, attempts }, 'write kept conflicting');
        throw new RollcallError(
          'SERVICE_UNAVAILABLE',
          'The write conflicted with concurrent writes; nothing was written; retry',
          { retryable: true },
        );
      }
      logger.warn({ operation, code, attempt }, 'write conflicted; retrying');
    }
  }
}
