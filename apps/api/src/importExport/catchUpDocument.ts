import { compare } from './deviceDocument.ts';
import { FieldReader } from './fieldReader.ts';

/**
 * One entry of `catch-up-queue.yaml`, in the spec's format (device_id,
 * target_version, deployment_id, queued_at, reason, attempts,
 * max_attempts, priority, last_attempt, last_failure). Rollcall adds
 * `status` (omitted while `pending`), `closed_at` and `close_reason` for
 * entries that are no longer pending, so that export keeps the queue's
 * history. A device and deployment may have several entries, at most
 * one of them open, each told apart by its queued_at.
 */
export interface CatchUpDocument {
  device_id: string;
  target_version: string;
  deployment_id: string;
  queued_at: string | null;
  reason: string;
  attempts: number;
  max_attempts: number;
  priority: string;
  last_attempt?: string;
  last_failure?: string;
  status?: string;
  closed_at?: string;
  close_reason?: string;
}

/** Entry statuses the queue stores (schema.prisma, CatchUpEntry). */
export const CATCH_UP_STATUSES = [
  'pending',
  'delivering',
  'completed',
  'superseded',
  'investigation',
  'skipped',
  'removed',
  'cancelled',
] as const;

export const CATCH_UP_PRIORITIES = ['high', 'normal', 'low'] as const;

/** The key that identifies an entry across imports. */
export function catchUpKey(
  entry: Pick<CatchUpDocument, 'device_id' | 'deployment_id'>,
): string {
  return `${entry.device_id}\u0000${entry.deployment_id}`;
}

/**
 * Whether an entry is open (`pending`, the default, or `delivering`): a
 * device has at most one open entry per deployment (the unique index of
 * migration 20261213000000), beside any number of closed ones.
 */
export function isOpenEntry(entry: Pick<CatchUpDocument, 'status'>): boolean {
  return (
    entry.status === undefined ||
    entry.status === 'pending' ||
    entry.status === 'delivering'
  );
}

/** Stable order: queued time, then device, then deployment. */
export function compareCatchUp(a: CatchUpDocument, b: CatchUpDocument): number {
  return (
    compare(a.queued_at ?? '', b.queued_at ?? '') ||
    compare(a.device_id, b.device_id) ||
    compare(a.deployment_id, b.deployment_id)
  );
}

function readEntry(entry: FieldReader): CatchUpDocument {
  const lastAttempt = entry.timestamp('last_attempt');
  const lastFailure = entry.string('last_failure', {
    maxLength: 2000,
    isMultiline: true,
  });
  const status = entry.choice('status', CATCH_UP_STATUSES) ?? 'pending';
  const closedAt = entry.timestamp('closed_at');
  const closeReason = entry.string('close_reason', {
    maxLength: 2000,
    isMultiline: true,
  });
  const document: CatchUpDocument = {
    device_id: entry.requiredString('device_id', { maxLength: 128 }),
    target_version: entry.requiredString('target_version', { maxLength: 64 }),
    deployment_id: entry.requiredString('deployment_id', { maxLength: 128 }),
    queued_at: entry.timestamp('queued_at'),
    reason:
      entry.string('reason', { maxLength: 2000, isMultiline: true }) ??
      'device offline during deployment',
    attempts: entry.integer('attempts', { max: 1000 }) ?? 0,
    max_attempts: entry.integer('max_attempts', { min: 1, max: 1000 }) ?? 3,
    priority: entry.choice('priority', CATCH_UP_PRIORITIES) ?? 'normal',
  };
  if (lastAttempt !== null) document.last_attempt = lastAttempt;
  if (lastFailure !== null) document.last_failure = lastFailure;
  if (status !== 'pending') document.status = status;
  if (closedAt !== null) document.closed_at = closedAt;
  if (closeReason !== null) document.close_reason = closeReason;
  return document;
}

/**
 * Parses and checks `catch-up-queue.yaml` (`catch_up_queue:` and a list;
 * an empty file is an empty queue).
 *
 * @throws RegistryFileError naming the entry's field and the reason
 */
export function parseCatchUpDocument(
  file: string,
  root: unknown,
): CatchUpDocument[] {
  if (root === null || root === undefined) return [];
  const top = FieldReader.of(file, '', root);
  const entries = top.list('catch_up_queue', readEntry) ?? [];
  top.done();

  const seen = new Map<string, number>();
  const open = new Map<string, number>();
  entries.forEach((entry, index) => {
    const key = catchUpKey(entry);
    const where = `catch_up_queue[${index}]`;
    const names = `device "${entry.device_id}", deployment "${entry.deployment_id}"`;
    const first = seen.get(key);
    const firstEntry = first === undefined ? undefined : entries[first];
    if (first !== undefined && (!entry.queued_at || !firstEntry?.queued_at)) {
      throw top.fail(
        where,
        `repeats the entry of catch_up_queue[${first}] (${names}); entries of one device and deployment need queued_at`,
      );
    }
    const same = entries.findIndex(
      (other) =>
        catchUpKey(other) === key && other.queued_at === entry.queued_at,
    );
    if (same !== index) {
      throw top.fail(
        where,
        `repeats the entry of catch_up_queue[${same}] (${names}, queued_at ${entry.queued_at})`,
      );
    }
    const openIndex = open.get(key);
    if (isOpenEntry(entry) && openIndex !== undefined) {
      throw top.fail(
        where,
        `is a second open entry beside catch_up_queue[${openIndex}] (${names}); a device has one open entry per deployment`,
      );
    }
    if (isOpenEntry(entry)) open.set(key, index);
    if (first === undefined) seen.set(key, index);
  });
  return entries;
}
