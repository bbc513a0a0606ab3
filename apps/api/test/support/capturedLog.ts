import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.ts';

/** A logger at `level` whose lines (JSON, one per entry) land in `lines`. */
export function capturedLogger(level: string): {
  logger: Logger;
  lines: string[];
} {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

/**
 * The error-level entries of captured `lines` as [message, value of
 * `field`, error message], for comparing with exact expectations.
 */
export function errorEntries(
  lines: readonly string[],
  field: string,
): Array<[string, unknown, string | undefined]> {
  return lines
    .map(
      (line) =>
        JSON.parse(line) as {
          level: number;
          msg: string;
          err?: { message: string };
        } & Record<string, unknown>,
    )
    .filter((entry) => entry.level >= 50)
    .map((entry) => [entry.msg, entry[field], entry.err?.message]);
}
