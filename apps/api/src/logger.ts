import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Where log lines go; defaults to standard output. */
  destination?: NodeJS.WritableStream;
}

// Secrets must never reach the log, whichever object carries them.
const REDACTED_PATHS = [
  'token',
  'deviceToken',
  'apiKey',
  'key',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'connectionParams.authorization',
  'adminToken',
  'secret',
  // One level down too, e.g. a logged result object that carries a token.
  ...[
    'token',
    'deviceToken',
    'apiKey',
    'key',
    'authorization',
    'adminToken',
    'secret',
  ].map((path) => `*.${path}`),
];

/** Builds the one structured logger that the whole process shares. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const base = {
    level,
    base: { service: 'rollcall' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination
    ? pino(base, options.destination as pino.DestinationStream)
    : pino(base);
}
