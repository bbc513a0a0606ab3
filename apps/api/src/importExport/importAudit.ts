import { basename } from 'node:path';
import type pg from 'pg';
import { isDeepStrictEqual } from 'node:util';
import { recordAudit, type AuditInput } from '../devices/auditLog.ts';
import { assert } from '../errors.ts';
import type { CatchUpDocument } from './catchUpDocument.ts';
import type { DeploymentDocument } from './deploymentDocument.ts';
import type { DeviceDocument } from './deviceDocument.ts';
import { recordEnvironment } from './deviceWriter.ts';
import type { GroupDocument } from './groupDocument.ts';

/** One record an import creates (no `previous`) or updates. */
export interface AuditedWrite<T> {
  document: T;
  previous: T | undefined;
}

/** The fields of one record that a write changes, before and after. */
export interface FieldChanges {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * The actor an import's audit entries, state transitions and events name:
 * `import:` and the directory's name, so that the trail tells which import
 * made a change (`rollcall import ./fleet-registry` is
 * `import:fleet-registry`).
 */
export function importActor(directory: string): string {
  return `import:${basename(directory)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields that differ between two documents, by their path in the file
 * (`metadata.notes`, `hardware.ram_mb`), one level of sections deep: a
 * section's lists and maps (`tags`, `labels`, `status.log`) are one field,
 * as updateDevice's entries hold each changed column whole.
 */
export function changedFields(before: unknown, after: unknown): FieldChanges {
  const changes: FieldChanges = { before: {}, after: {} };
  const record = (path: string, old: unknown, next: unknown) => {
    if (isDeepStrictEqual(old, next)) return;

    changes.before[path] = old ?? null;
    changes.after[path] = next ?? null;
  };
  const old = isPlainObject(before) ? before : {};
  const next = isPlainObject(after) ? after : {};
  for (const key of new Set([...Object.keys(old), ...Object.keys(next)])) {
    const a = old[key];
    const b = next[key];
    const isSection = key !== 'tags' && (isPlainObject(a) || isPlainObject(b));
    if (!isSection) {
      record(key, a, b);
      continue;
    }

    const sectionA = isPlainObject(a) ? a : {};
    const sectionB = isPlainObject(b) ? b : {};
    for (const field of new Set([
      ...Object.keys(sectionA),
      ...Object.keys(sectionB),
    ])) {
      record(`${key}.${field}`, sectionA[field], sectionB[field]);
    }
  }
  return changes;
}

/**
 * The audit entries of one kind of imported record: `<entity>.imported`
 * with the whole record for a new one, `<entity>.updated` with the
 * changed fields for a stored one (`extra` adds changes the documents do
 * not show, such as a device's `environment` column).
 */
export function auditEntries<T>(
  entityType: string,
  writes: Array<AuditedWrite<T>>,
  context: {
    actor: string;
    at: Date;
    idOf: (document: T) => string;
    extra?: (write: AuditedWrite<T>) => FieldChanges | null;
  },
): AuditInput[] {
  return writes.map((write) => {
    const base = {
      actor: context.actor,
      entityType,
      entityId: context.idOf(write.document),
      at: context.at,
    };
    if (write.previous === undefined) {
      return {
        ...base,
        action: `${entityType}.imported`,
        before: null,
        after: write.document,
      };
    }

    const changes = changedFields(write.previous, write.document);
    const extra = context.extra?.(write);
    return {
      ...base,
      action: `${entityType}.updated`,
      before: { ...changes.before, ...extra?.before },
      after: { ...changes.after, ...extra?.after },
    };
  });
}

/** What one import writes, by kind, as `classify` found it. */
export interface ImportWrites {
  devices: Array<AuditedWrite<DeviceDocument>>;
  groups: Array<AuditedWrite<GroupDocument>>;
  deployments: Array<AuditedWrite<DeploymentDocument>>;
  catchUp: Array<AuditedWrite<CatchUpDocument>>;
}

/**
 * Every audit entry of an import, devices first: one per record it
 * creates or updates (a group's `devices` holds the members it gains and
 * loses). `environments` is the stored `devices.environment` by id;
 * `catchUpIds` the written entries' ids by document, since a
 * catch-up entry is audited under its id, as the API's actions are.
 */
export function importAuditEntries(
  writes: ImportWrites,
  registry: {
    environments: Map<string, string | null>;
    catchUpIds: Map<CatchUpDocument, string>;
  },
  context: { actor: string; at: Date },
): AuditInput[] {
  const { environments, catchUpIds } = registry;
  const environmentChange = ({
    document,
    previous,
  }: AuditedWrite<DeviceDocument>): FieldChanges | null => {
    const before = environments.get(previous!.id) ?? null;
    const after = recordEnvironment(document);
    if (before === after) return null;

    return { before: { environment: before }, after: { environment: after } };
  };
  return [
    ...auditEntries('device', writes.devices, {
      ...context,
      idOf: (d) => d.id,
      extra: environmentChange,
    }),
    ...auditEntries('group', writes.groups, {
      ...context,
      idOf: (g) => g.name,
    }),
    ...auditEntries('deployment', writes.deployments, {
      ...context,
      idOf: (d) => d.id,
    }),
    ...auditEntries('catch_up_entry', writes.catchUp, {
      ...context,
      idOf: (e) => {
        const id = catchUpIds.get(e);
        assert(id, `no id written for catch-up entry ${e.device_id}`);
        return id;
      },
    }),
  ];
}

/** Audit entries per INSERT: a 100,000-device import is 20 statements. */
const AUDIT_BATCH = 5_000;

/**
 * Writes an import's audit entries in the caller's transaction, in
 * batches of `AUDIT_BATCH` rows (each a whole record when new), so that
 * no single statement carries the whole registry.
 */
export async function recordImportAudit(
  client: Pick<pg.PoolClient, 'query'>,
  entries: AuditInput[],
): Promise<void> {
  for (let start = 0; start < entries.length; start += AUDIT_BATCH) {
    await recordAudit(client, entries.slice(start, start + AUDIT_BATCH));
  }
}
