-- The offline sweeper computes every candidate's deadline from its
-- heartbeat interval, and every heartbeat batch reads it with the locked
-- liveness rows. Both read device_status; the interval lived only in the
-- wide devices row, so each of them paid a keyed probe of devices per
-- device (a twelfth of a 30,000-device sweep). device_status now keeps a
-- copy, which the triggers below keep equal to devices' column: set from
-- devices when the liveness row is created, and rewritten in the same
-- transaction as any change of devices.heartbeat_interval_seconds.

-- AlterTable
ALTER TABLE "device_status"
  ADD COLUMN "heartbeat_interval_seconds" INTEGER NOT NULL DEFAULT 60;

UPDATE "device_status" s
SET "heartbeat_interval_seconds" = d."heartbeat_interval_seconds"
FROM "devices" d
WHERE d."id" = s."device_id"
  AND d."heartbeat_interval_seconds" <> 60;

CREATE FUNCTION rollcall_status_interval_from_device() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT d.heartbeat_interval_seconds INTO NEW.heartbeat_interval_seconds
  FROM devices d WHERE d.id = NEW.device_id;
  -- No devices row: the foreign key refuses the insert anyway.
  NEW.heartbeat_interval_seconds := coalesce(NEW.heartbeat_interval_seconds, 60);
  RETURN NEW;
END $$;

CREATE TRIGGER device_status_interval_from_device
BEFORE INSERT ON "device_status"
FOR EACH ROW EXECUTE FUNCTION rollcall_status_interval_from_device();

CREATE FUNCTION rollcall_device_interval_to_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE device_status
  SET heartbeat_interval_seconds = NEW.heartbeat_interval_seconds
  WHERE device_id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER devices_interval_to_status
AFTER UPDATE OF "heartbeat_interval_seconds" ON "devices"
FOR EACH ROW
WHEN (OLD."heartbeat_interval_seconds" IS DISTINCT FROM NEW."heartbeat_interval_seconds")
EXECUTE FUNCTION rollcall_device_interval_to_status();
