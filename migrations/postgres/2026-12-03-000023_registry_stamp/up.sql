-- A number that moves with every change of an agency's workers (registered, edited, erased,
-- or their returns counted): what a server compares before it ranks from the profiles it
-- keeps in memory, so that it reads a large registry again only after it changed. Bumped
-- once per statement and agency (a bulk load of many workers moves it once).
ALTER TABLE agencies ADD COLUMN registry_stamp BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION workers_stamp_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE agencies SET registry_stamp = registry_stamp + 1
        WHERE id IN (SELECT DISTINCT agency_id FROM changed);
    RETURN NULL;
END $$;

CREATE FUNCTION workers_stamp_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE agencies SET registry_stamp = registry_stamp + 1
        WHERE id IN (SELECT DISTINCT agency_id FROM gone);
    RETURN NULL;
END $$;

CREATE TRIGGER workers_stamp_insert AFTER INSERT ON workers
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION workers_stamp_new();
CREATE TRIGGER workers_stamp_update AFTER UPDATE ON workers
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION workers_stamp_new();
-- An update that moves a worker to another agency moves the old agency's stamp too.
CREATE TRIGGER workers_stamp_update_old AFTER UPDATE ON workers
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION workers_stamp_old();
CREATE TRIGGER workers_stamp_delete AFTER DELETE ON workers
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION workers_stamp_old();
