-- heartbeats and state_transitions are append-only logs written in time
-- order, and their time indexes serve only ranges of time (retention's
-- pruning, fleet health's recent transitions, registry sync's returns).
-- A BRIN index answers those ranges from the blocks' time bounds, costs an
-- insert almost nothing and stays a few pages, where the b-tree took an
-- entry for every heartbeat and every device a sweep moves (at 100,000
-- devices heartbeating each minute, 144 million entries a day of
-- retention). The sweep's time did not measurably change (B3).
-- DropIndex
DROP INDEX "heartbeats_received_at_idx";

-- DropIndex
DROP INDEX "state_transitions_at_idx";

-- CreateIndex
CREATE INDEX "heartbeats_received_at_idx" ON "heartbeats" USING BRIN ("received_at");

-- CreateIndex
CREATE INDEX "state_transitions_at_idx" ON "state_transitions" USING BRIN ("at");
