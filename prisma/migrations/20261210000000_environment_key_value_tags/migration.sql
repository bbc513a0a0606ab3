-- Data only: devices registered before registerDevice wrote the
-- environment also as a key/value tag hold it only in devices.environment
-- (and as a plain tag). Import takes devices.environment from the tags map,
-- so export, edit and import erased it. Give each such device the tag
-- `environment=<devices.environment>`, as registration now writes it; the
-- device_tags triggers refresh the tag sets in one statement.
--
-- The role is not backfilled: the record keeps it only as a plain tag,
-- which cannot be told apart from any other plain tag.
--
-- A device already at the 128-tag limit the API enforces is left as it is
-- (one more tag would make its export fail to import); import then reports
-- it updated when its file lacks the tag.
INSERT INTO "device_tags" ("device_id", "key", "value")
SELECT d."id", 'environment', d."environment"
FROM "devices" AS d
WHERE d."environment" IS NOT NULL
  AND d."environment" <> ''
  AND NOT EXISTS (
    SELECT 1 FROM "device_tags" AS t
    WHERE t."device_id" = d."id" AND t."key" = 'environment'
  )
  AND (SELECT count(*) FROM "device_tags" AS t
       WHERE t."device_id" = d."id") < 128;
