import type pg from 'pg';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** One registry change: who did what to which entity, before and after. */
export interface AuditInput {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  at: Date;
}

/** Writes audit entries inside the caller's transaction, in one INSERT. */
export async function recordAudit(
  client: Queryable,
  entries: AuditInput[],
): Promise<void> {
  if (entries.length === 0) return;

  await client.query(
    `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
                          $5::jsonb[], $6::jsonb[], $7::timestamptz[])`,
    [
      entries.map((e) => e.actor),
      entries.map((e) => e.action),
      entries.map((e) => e.entityType),
      entries.map((e) => e.entityId),
      entries.map((e) => (e.before == null ? null : JSON.stringify(e.before))),
      entries.map((e) => (e.after == null ? null : JSON.stringify(e.after))),
      entries.map((e) => e.at),
    ],
  );
}
