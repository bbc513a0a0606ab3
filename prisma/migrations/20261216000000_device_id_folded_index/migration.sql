-- Device ids keep their case while tag values are stored lower-cased, so
-- a gateway's heartbeats for other devices check that no second device id
-- folds to its gateway tag (liveness/ingestStatements.ts, caseTwinIds).
-- Without this index that check read the whole devices table for every
-- such batch. Prisma cannot model an expression index.
CREATE INDEX "devices_id_folded_idx" ON "devices" (lower("id" COLLATE "C"));
