-- The monthly statistics releases (STATISTICS.md, "The monthly release"): for each closed
-- month, the public figures as CSV and a JSON metadata file naming the definitions' version,
-- the CSV's SHA-256 and its row count. Stored once, the first time they are made, and never
-- changed afterwards: a record that arrives late does not rewrite an archived release.
CREATE TABLE statistics_releases (
    month TEXT PRIMARY KEY NOT NULL CHECK (length(month) = 7 AND month LIKE '____-__'),
    definitions_version TEXT NOT NULL,
    csv TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    rows BIGINT NOT NULL CHECK (rows >= 0),
    metadata TEXT NOT NULL,
    generated_at TIMESTAMP NOT NULL
);

-- A release is archived as it was made: the database refuses to change or remove one.
CREATE FUNCTION statistics_releases_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a statistics release never changes';
END;
$$;
CREATE TRIGGER statistics_releases_unchanged BEFORE UPDATE OR DELETE ON statistics_releases
    FOR EACH ROW EXECUTE FUNCTION statistics_releases_unchanged();
