-- A device has at most one open catch-up entry (pending or delivering) per
-- deployment: import, export and enqueueCatchUp identify an entry by
-- device and deployment, and delivery assumes one. enqueueCatchUp only
-- looked before inserting, so two transactions could both insert.
--
-- Duplicates already stored are closed first, kept as history: of the open
-- entries of one device and deployment, the delivering one stays open (a
-- delivery is in flight), else the latest queued; the others become
-- superseded, naming the entry kept.
WITH "ranked" AS (
  SELECT "id",
         first_value("id") OVER "same" AS "kept",
         row_number() OVER "same" AS "rank"
  FROM "catch_up_queue"
  WHERE "status" IN ('pending', 'delivering')
  WINDOW "same" AS (
    PARTITION BY "device_id", "deployment_id"
    ORDER BY ("status" = 'delivering') DESC, "queued_at" DESC, "id" DESC
  )
)
UPDATE "catch_up_queue" AS q
SET "status" = 'superseded',
    "closed_at" = CURRENT_TIMESTAMP,
    "close_reason" = 'duplicate of catch-up entry ' || r."kept"
FROM "ranked" AS r
WHERE q."id" = r."id" AND r."rank" > 1;

-- Partial: closed entries stay as history, any number of them. Prisma's
-- schema language cannot express the predicate, so the index lives only
-- here (see CatchUpEntry in schema.prisma).
CREATE UNIQUE INDEX "catch_up_queue_open_entry_key"
  ON "catch_up_queue" ("device_id", "deployment_id")
  WHERE "status" IN ('pending', 'delivering');
