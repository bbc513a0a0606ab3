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

// The error and its causes: Apollo wraps a failure of the context function
// (authentication reads the database) in a GraphQLError of its own.
function causesOf(error: unknown): Error[] {
  const chain: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && chain.length < 5) {
    chain.push(current);
    current =
      current instanceof GraphQLError
        ? current.originalError
        : (current as { cause?: unknown }).cause;
  }
  return chain;
}

function pgCode(error: Error): string | null {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** True when `error` (or a cause) means the database is unreachable now. */
export function isUnavailable(error: unknown): boolean {
  return causesOf(error).some((cause) => {
    const code = pgCode(cause);
    if (code && UNAVAILABLE_CODES.has(code)) return true;
    return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection due to administrator command|the database system is (starting up|shutting down)/i.test(
      cause.message,
    );
  });
}

// SQLSTATE class 22 (data exception): a value that slipped past input
// validation and that PostgreSQL refused, e.g. a NUL character in text or a
// number out of a column's range. The transaction rolled back, so this is
// the client's error and nothing was written.
function isDataException(error: unknown): boolean {
  return causesOf(error).some((cause) => {
    const code = pgCode(cause);
    return code !== null && /^22[0-9A-Z]{3}$/.test(code);
  });
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

    if (isDataException(original)) {
      logger.warn(
        { err: (original as Error).message, path: formatted.path },
        'database refused an input value',
      );
      return {
        message: 'A value in the request cannot be stored',
        path: formatted.path,
        extensions: { code: 'BAD_USER_INPUT' },
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
