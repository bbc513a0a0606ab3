-- Semantic version ordering in SQL, the exact twin of compareVersions in
-- packages/fleet/src/semver.ts, so that the tag query language compiles
-- `deployment.current_version < 2.3.0` to SQL that selects the same devices
-- as its in-memory evaluator.
--
-- rollcall_version_key(text) returns a sort key; two texts compare like
-- their keys compare:
--   * a version (after trimming the white space JavaScript's trim removes)
--     is v?MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]; its key is
--     (true, major, minor, patch, is_release, prerelease identifiers, '').
--     Numbers are double precision, as JavaScript's Number: components of
--     more than 308 digits are out of the supported range.
--   * a release sorts after its pre-releases; pre-release identifiers
--     compare left to right, numeric ones by value and before alphanumeric
--     ones, alphanumeric ones bytewise (COLLATE "C"); a shorter list of
--     equal identifiers sorts first (array comparison does exactly this).
--   * build metadata and a leading "v" are ignored.
--   * any other text is (false, 0, 0, 0, false, '{}', text): before every
--     version, and ordered bytewise among itself (compareVersions uses
--     UTF-16 order there; the two differ only between characters above
--     U+FFFF and U+E000..U+FFFF, and the query language never compares two
--     non-versions, since its literals must be versions).

-- CreateType
CREATE TYPE "rollcall_version_identifier" AS (
    "is_alphanumeric" BOOLEAN,
    "number" DOUBLE PRECISION,
    "text" TEXT COLLATE "C"
);

-- CreateType
CREATE TYPE "rollcall_version_sort_key" AS (
    "is_version" BOOLEAN,
    "major" DOUBLE PRECISION,
    "minor" DOUBLE PRECISION,
    "patch" DOUBLE PRECISION,
    "is_release" BOOLEAN,
    "prerelease" "rollcall_version_identifier"[],
    "text" TEXT COLLATE "C"
);

-- CreateFunction: a string of ASCII digits as JavaScript's Number reads it.
CREATE FUNCTION "rollcall_version_number"("digits" TEXT)
RETURNS DOUBLE PRECISION
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN length(ltrim(digits, '0')) > 308 THEN 'Infinity'::float8
        ELSE digits::float8
    END
$$;

-- CreateFunction
CREATE FUNCTION "rollcall_version_key"("version" TEXT)
RETURNS "rollcall_version_sort_key"
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT
AS $$
DECLARE
    trimmed TEXT;
    parts TEXT[];
    identifier TEXT;
    identifiers rollcall_version_identifier[] := '{}';
BEGIN
    -- The characters String.prototype.trim removes: WhiteSpace and
    -- LineTerminator of ECMA-262.
    trimmed := btrim(version, E' \t\n\r\u000B\u000C\u00A0\u1680'
        || E'\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008'
        || E'\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF');
    parts := regexp_match(trimmed,
        '^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?'
        || '(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$');
    IF parts IS NULL THEN
        RETURN ROW(false, 0, 0, 0, false, '{}', version)::rollcall_version_sort_key;
    END IF;

    IF parts[4] IS NOT NULL THEN
        FOREACH identifier IN ARRAY string_to_array(parts[4], '.') LOOP
            IF identifier ~ '^[0-9]+$' THEN
                identifiers := identifiers || ROW(false,
                    rollcall_version_number(identifier), '')::rollcall_version_identifier;
            ELSE
                identifiers := identifiers
                    || ROW(true, 0, identifier)::rollcall_version_identifier;
            END IF;
        END LOOP;
    END IF;

    RETURN ROW(
        true,
        rollcall_version_number(parts[1]),
        COALESCE(rollcall_version_number(parts[2]), 0),
        COALESCE(rollcall_version_number(parts[3]), 0),
        parts[4] IS NULL,
        identifiers,
        ''
    )::rollcall_version_sort_key;
END
$$;

-- CreateIndex
CREATE INDEX "devices_current_version_key_idx"
    ON "devices" (rollcall_version_key("current_version"));
