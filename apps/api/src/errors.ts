/**
 * Expected failures a user can cause, each with a stable string code that
 * reaches GraphQL clients as `extensions.code`. The table of codes lives in
 * ERROR_CODES.md beside this file.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'DUPLICATE_DEVICE'
  | 'INVALID_TRANSITION'
  | 'DEVICE_DECOMMISSIONED'
  | 'SINGLE_POINT_OF_FAILURE'
  | 'QUERY_SYNTAX_ERROR'
  | 'QUERY_VALIDATION_ERROR'
  | 'QUERY_TOO_COMPLEX'
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COSTLY'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'PAYLOAD_TOO_LARGE'
  | 'INVALID_MANIFEST'
  | 'INTERNAL_SERVER_ERROR';

export class RollcallError extends Error {
  readonly code: ErrorCode;
  /** Extra safe data for the client, such as allowed transitions. */
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RollcallError';
    this.code = code;
    this.details = details;
  }
}

/** Programmer misuse: fails loudly with a precise message. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}

/**
 * NOT_FOUND for device ids that name no device: every one in the message
 * and in `ids`, the first also in `id` as `notFound` gives it.
 */
export function unknownDevices(unknown: readonly string[]): RollcallError {
  const names = unknown.map((id) => `"${id}"`).join(', ');
  return new RollcallError(
    'NOT_FOUND',
    unknown.length === 1
      ? `Device ${names} does not exist`
      : `Devices ${names} do not exist`,
    { kind: 'Device', id: unknown[0], ids: [...unknown] },
  );
}

export function notFound(kind: string, id: string): RollcallError {
  return new RollcallError('NOT_FOUND', `${kind} "${id}" does not exist`, {
    kind,
    id,
  });
}
