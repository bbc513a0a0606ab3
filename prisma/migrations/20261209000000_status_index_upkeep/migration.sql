-- Every heartbeat and every device the offline sweeper moves rewrites its
-- device_status row with a new due_at, an indexed column, so each write
-- adds an entry to every index of the table. device_status_offline_tier_idx
-- is a prefix of device_status_offline_tier_offline_since_device_id_idx,
-- which serves every query on offline_tier alone as well; it only cost
-- those writes.
-- DropIndex
DROP INDEX "device_status_offline_tier_idx";
