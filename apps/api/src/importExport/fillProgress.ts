import type { CatchUpDocument } from './catchUpDocument.ts';
import { keepStoredProgress } from './deploymentProgress.ts';
import type {
  DeploymentDocument,
  DeploymentLogLine,
} from './deploymentDocument.ts';

/** The latest of some instants (canonical strings), or null for none. */
function latest(...times: Array<string | null | undefined>): number | null {
  const parsed = times
    .filter((time): time is string => typeof time === 'string')
    .map((time) => Date.parse(time));
  return parsed.length === 0 ? null : Math.max(...parsed);
}

/**
 * Whether the stored entry has progressed past the file's: it is closed
 * while the file shows it open, or its last attempt or close is later
 * than the file's. A snapshot exported earlier must not reopen a
 * delivered entry or take its attempts back.
 */
function isStoredProgressNewer(
  file: CatchUpDocument,
  stored: CatchUpDocument,
): boolean {
  if (stored.closed_at !== undefined && file.closed_at === undefined) {
    return true;
  }
  const storedAt = latest(stored.last_attempt, stored.closed_at);
  const fileAt = latest(file.last_attempt, file.closed_at);
  return storedAt !== null && (fileAt === null || storedAt > fileAt);
}

/**
 * Completes a catch-up entry against the stored one: the queued time when
 * absent, and the stored progress (status, attempts, last attempt and
 * failure, close) when it is newer than the file's.
 */
export function fillCatchUpEntry(now: string) {
  return (
    entry: CatchUpDocument,
    previous: CatchUpDocument | undefined,
  ): CatchUpDocument => {
    const filled: CatchUpDocument = {
      ...entry,
      queued_at: entry.queued_at ?? previous?.queued_at ?? now,
    };
    if (previous === undefined || !isStoredProgressNewer(entry, previous)) {
      return filled;
    }
    const {
      last_attempt: _lastAttempt,
      last_failure: _lastFailure,
      status: _status,
      closed_at: _closedAt,
      close_reason: _closeReason,
      ...rest
    } = filled;
    return {
      ...rest,
      attempts: previous.attempts,
      ...progressOf(previous),
    };
  };
}

function progressOf(entry: CatchUpDocument): Partial<CatchUpDocument> {
  const progress: Partial<CatchUpDocument> = {};
  if (entry.last_attempt !== undefined) {
    progress.last_attempt = entry.last_attempt;
  }
  if (entry.last_failure !== undefined) {
    progress.last_failure = entry.last_failure;
  }
  if (entry.status !== undefined) progress.status = entry.status;
  if (entry.closed_at !== undefined) progress.closed_at = entry.closed_at;
  if (entry.close_reason !== undefined) {
    progress.close_reason = entry.close_reason;
  }
  return progress;
}

/** A log line's identity: every field, since the log has no ids. */
function logLineKey(line: DeploymentLogLine): string {
  return JSON.stringify([line.at, line.device_id, line.action, line.message]);
}

/**
 * The stored log with the file's lines that it lacks, in time order (the
 * stored lines first among equal times, as they are read back): the log
 * is acknowledged history, so an older file never removes a line. Lines
 * are counted, so a file's repeated line is added as often as it is
 * missing.
 */
function mergedLog(
  file: DeploymentLogLine[],
  stored: DeploymentLogLine[],
): DeploymentLogLine[] {
  const storedCounts = new Map<string, number>();
  for (const line of stored) {
    const key = logLineKey(line);
    storedCounts.set(key, (storedCounts.get(key) ?? 0) + 1);
  }
  const missing = file.filter((line) => {
    const key = logLineKey(line);
    const count = storedCounts.get(key) ?? 0;
    if (count === 0) return true;
    storedCounts.set(key, count - 1);
    return false;
  });
  return [...stored, ...missing].sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at),
  );
}

/**
 * Completes a deployment file against the stored deployment: the created
 * time when absent, the log merged (`mergedLog`), and the stored progress
 * of the deployment, its waves and devices where newer
 * (`keepStoredProgress`).
 */
export function fillDeployment(now: string) {
  return (
    document: DeploymentDocument,
    previous: DeploymentDocument | undefined,
  ): DeploymentDocument => {
    const filled = structuredClone(document);
    filled.status.created_at ??= previous?.status.created_at ?? now;
    if (previous !== undefined) {
      filled.status.log = mergedLog(filled.status.log, previous.status.log);
      keepStoredProgress(filled, previous);
    }
    return filled;
  };
}
