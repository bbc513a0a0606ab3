-- Data only: the `decommissioned` tag held the time in ISO 8601 extended
-- format (2026-12-04T17:09:05.894Z), whose ':' is not in the tag charset,
-- so the value could be neither exported and imported again nor queried.
-- Rewrite it in the basic format decommissionDevice now stores, UTC to
-- the second, lower case as tag normalisation requires: 20261204t170905z.
-- Values in any other shape (a plain `decommissioned` tag) are kept.
UPDATE "device_tags" AS t
SET "value" = lower(to_char(
      t."value"::timestamptz AT TIME ZONE 'UTC',
      'YYYYMMDD"T"HH24MISS"Z"'))
WHERE t."key" = 'decommissioned'
  AND t."value" ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$'
  AND NOT EXISTS (
    SELECT 1 FROM "device_tags" AS other
    WHERE other."device_id" = t."device_id"
      AND other."key" = 'decommissioned'
      AND other."value" = lower(to_char(
            t."value"::timestamptz AT TIME ZONE 'UTC',
            'YYYYMMDD"T"HH24MISS"Z"'))
  );

-- A device that somehow already held both forms keeps only the new one.
DELETE FROM "device_tags"
WHERE "key" = 'decommissioned'
  AND "value" ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$';
