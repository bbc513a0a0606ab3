-- Columns that let the query language's SQL test a device without a
-- subquery or a function call per device (issue 9, B2): counting 100,000
-- devices spent most of its time probing device_tags once per tag term and
-- running the PL/pgSQL rollcall_version_key once per device.

-- The elements of a device's tag set. A name is every key and every
-- non-empty value ("tag:NAME" tests either); a pair is a key with its value
-- ("tag:KEY=VALUE"). The key's length makes a pair unambiguous whatever
-- characters keys and values hold.
CREATE FUNCTION rollcall_tag_name(name TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT 'n:' || name $$;

CREATE FUNCTION rollcall_tag_pair(key TEXT, value TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT 'p:' || length(key) || ':' || key || '=' || value $$;

-- AlterTable
ALTER TABLE "devices" ADD COLUMN "tag_set" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Recomputes the tag set of `ids` from device_tags, writing only the rows
-- whose set changed.
CREATE FUNCTION rollcall_refresh_tag_sets(ids TEXT[]) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    -- Lock the devices first, in id order, then read their tags in a new
    -- statement: under READ COMMITTED that statement's snapshot sees the
    -- tags of every transaction that held a lock before us, so two
    -- concurrent taggings of one device cannot lose each other's tags.
    -- NO KEY UPDATE leaves the foreign keys' KEY SHARE locks compatible.
    PERFORM 1 FROM devices WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
    WITH sets AS (
        SELECT c.id,
               coalesce(array_agg(DISTINCT e.element ORDER BY e.element)
                        FILTER (WHERE e.element IS NOT NULL),
                        ARRAY[]::TEXT[]) AS tag_set
        FROM unnest(ids) AS c(id)
        LEFT JOIN device_tags t ON t.device_id = c.id
        LEFT JOIN LATERAL (VALUES
            (rollcall_tag_name(t.key)),
            (CASE WHEN t.value <> '' THEN rollcall_tag_name(t.value) END),
            (rollcall_tag_pair(t.key, t.value))
        ) AS e(element) ON TRUE
        GROUP BY c.id
    )
    UPDATE devices d SET tag_set = sets.tag_set
    FROM sets
    WHERE d.id = sets.id AND d.tag_set IS DISTINCT FROM sets.tag_set;
END
$$;

CREATE FUNCTION rollcall_device_tags_changed() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    ids TEXT[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT device_id) INTO ids FROM added_tags;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT device_id) INTO ids FROM removed_tags;
    ELSE
        SELECT array_agg(DISTINCT device_id) INTO ids
        FROM (SELECT device_id FROM added_tags
              UNION SELECT device_id FROM removed_tags) AS changed;
    END IF;
    IF ids IS NOT NULL THEN
        PERFORM rollcall_refresh_tag_sets(ids);
    END IF;
    RETURN NULL;
END
$$;

-- One refresh per statement, however many rows it touched: tagging 100,000
-- devices by query is one UPDATE of their tag sets, not 100,000.
CREATE TRIGGER device_tags_added AFTER INSERT ON device_tags
REFERENCING NEW TABLE AS added_tags
FOR EACH STATEMENT EXECUTE FUNCTION rollcall_device_tags_changed();

CREATE TRIGGER device_tags_removed AFTER DELETE ON device_tags
REFERENCING OLD TABLE AS removed_tags
FOR EACH STATEMENT EXECUTE FUNCTION rollcall_device_tags_changed();

CREATE TRIGGER device_tags_updated AFTER UPDATE ON device_tags
REFERENCING OLD TABLE AS removed_tags NEW TABLE AS added_tags
FOR EACH STATEMENT EXECUTE FUNCTION rollcall_device_tags_changed();

SELECT rollcall_refresh_tag_sets(array_agg(id)) FROM devices;

-- Serves tag terms on their own (a bitmap of the devices with a tag) and
-- intersections of several: 5 tag terms over 100,000 devices count in a
-- fifth of the time of 5 semi-joins on device_tags.
-- CreateIndex
CREATE INDEX "devices_tag_set_idx" ON "devices" USING GIN ("tag_set");

-- The sort key of the current version, computed once per write instead of
-- once per device per query. Prisma cannot model generated columns.
ALTER TABLE "devices" ADD COLUMN "current_version_key" rollcall_version_sort_key
    GENERATED ALWAYS AS (rollcall_version_key("current_version")) STORED;

DROP INDEX "devices_current_version_key_idx";
CREATE INDEX "devices_current_version_key_idx" ON "devices"("current_version_key");
