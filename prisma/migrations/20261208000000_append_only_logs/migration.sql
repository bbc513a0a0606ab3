-- state_transitions and device_events are append-only logs, written in
-- bulk by the offline sweeper (one row each per device it moves). Their
-- upkeep was most of a sweep's cost:
--
-- * The foreign key of state_transitions on devices checked and share-
--   locked the device row for every insert. Devices are never deleted
--   (decommissioning keeps the record for the audit trail), every writer
--   takes the device id from a locked device_status row, and device_events
--   never had the key; so the log keeps its rows without it.
-- * No query reads device_events by device: the event bus, replay and the
--   change feed read it in id order. The (device_id, id) index only cost
--   every event write.
ALTER TABLE "state_transitions" DROP CONSTRAINT "state_transitions_device_id_fkey";
DROP INDEX "device_events_device_id_id_idx";
