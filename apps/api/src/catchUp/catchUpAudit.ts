import { isDeepStrictEqual } from 'node:util';
import type { AuditInput } from '../devices/auditLog.ts';
import type { CatchUpEntry } from './catchUpEntries.ts';
import type { InvestigationEntry } from './investigations.ts';

/** An operator's action on one catch-up entry. */
export type CatchUpAction = 'retried' | 'skipped' | 'removed';

// What an operator's action can change; identity and the queue's own
// fields (target, deployment, priority) never change after queueing.
const AUDITED_FIELDS = [
  'status',
  'attempts',
  'lastAttemptAt',
  'lastFailure',
  'closedAt',
  'closeReason',
] as const satisfies ReadonlyArray<keyof CatchUpEntry>;

/**
 * The audit entry of an operator's action on a catch-up entry:
 * `catch_up_entry.<action>` under the entry's id (as import writes its
 * entries), with the fields the action changed, before and after.
 */
export function catchUpAudit(
  actor: string,
  action: CatchUpAction,
  before: CatchUpEntry,
  after: CatchUpEntry,
  at: Date,
): AuditInput {
  const changed = AUDITED_FIELDS.filter(
    (field) => !isDeepStrictEqual(before[field], after[field]),
  );
  const pick = (entry: CatchUpEntry) =>
    Object.fromEntries(changed.map((field) => [field, entry[field]]));

  return {
    actor,
    action: `catch_up_entry.${action}`,
    entityType: 'catch_up_entry',
    entityId: after.id,
    before: pick(before),
    after: pick(after),
    at,
  };
}

// What resolving changes; the rest of an investigation is fixed when the
// sweeper or a failed delivery opens it.
const RESOLVED_FIELDS = [
  'resolvedAt',
  'resolution',
] as const satisfies ReadonlyArray<keyof InvestigationEntry>;

/**
 * The audit entry of an operator resolving an investigation (directly, or
 * by retrying its catch-up entry): `investigation.resolved` under the
 * investigation's id, with its resolution before and after.
 */
export function investigationAudit(
  actor: string,
  before: InvestigationEntry,
  after: InvestigationEntry,
  at: Date,
): AuditInput {
  const pick = (entry: InvestigationEntry) =>
    Object.fromEntries(RESOLVED_FIELDS.map((field) => [field, entry[field]]));

  return {
    actor,
    action: 'investigation.resolved',
    entityType: 'investigation',
    entityId: after.id,
    before: pick(before),
    after: pick(after),
    at,
  };
}
