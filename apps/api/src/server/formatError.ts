import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { RollcallError } from '../errors.ts';
import type { Logger } from '../logger.ts';

// Errors from pg that mean "the database is unreachable right now": the
// client should retry, and nothing was written.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
]);

interface PositionedQueryError {
  code: string;
  message: string;
  position?: unknown;
  expected?: unknown;
  suggestions?: unknown;
}

function isQueryError(error: unknown): error is PositionedQueryError {
  return (
    error instanceof Error &&
    error.name === 'TagQueryError' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(
    error.message,
  );
}

// Validation rules and plugins carry a RollcallError as the cause of the
// GraphQLError that Apollo requires (and whose code Apollo may rename).
function rollcallCause(error: unknown): unknown {
  if (
    error instanceof GraphQLError &&
    error.originalError instanceof RollcallError
  ) {
    return error.originalError;
  }
  return error;
}

/**
 * The one error boundary: domain errors keep their code and safe details,
 * query-language errors their position, database outages become a
 * retryable SERVICE_UNAVAILABLE, and anything unexpected is logged and
 * masked outside development.
 */
export function createFormatError(logger: Logger, isDevelopment: boolean) {
  return (
    formatted: GraphQLFormattedError,
    error: unknown,
  ): GraphQLFormattedError => {
    const original = rollcallCause(unwrapResolverError(error));

    if (original instanceof RollcallError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { ...original.details, code: original.code },
      };
    }

    if (isQueryError(original)) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: {
          code: original.code,
          position: original.position,
          expected: original.expected,
          suggestions: original.suggestions,
        },
      };
    }

    if (isUnavailable(original)) {
      logger.warn({ err: (original as Error).message }, 'database unavailable');
      return {
        message: 'The registry database is unavailable; retry shortly',
        path: formatted.path,
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
      };
    }

    const code = formatted.extensions?.code;
    if (code && code !== 'INTERNAL_SERVER_ERROR') return formatted;

    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    if (isDevelopment) return formatted;
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
