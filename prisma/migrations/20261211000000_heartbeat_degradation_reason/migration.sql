-- The reason a device gives with a heartbeat (degradationReason), kept with
-- the heartbeat: a transition records it only when the state changes, so
-- a new reason from a device already DEGRADED was lost. The spec: DEGRADED
-- stays DEGRADED, "log degradation reason".
-- AlterTable
ALTER TABLE "heartbeats" ADD COLUMN "degradation_reason" TEXT;
