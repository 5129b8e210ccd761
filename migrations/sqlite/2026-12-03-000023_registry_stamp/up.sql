-- A number that moves with every change of an agency's workers (registered, edited, erased,
-- or their returns counted): what a server compares before it ranks from the profiles it
-- keeps in memory, so that it reads a large registry again only after it changed.
ALTER TABLE agencies ADD COLUMN registry_stamp BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER workers_stamp_insert AFTER INSERT ON workers
BEGIN
    UPDATE agencies SET registry_stamp = registry_stamp + 1 WHERE id = NEW.agency_id;
END;

CREATE TRIGGER workers_stamp_update AFTER UPDATE ON workers
BEGIN
    UPDATE agencies SET registry_stamp = registry_stamp + 1 WHERE id IN (OLD.agency_id, NEW.agency_id);
END;

CREATE TRIGGER workers_stamp_delete AFTER DELETE ON workers
BEGIN
    UPDATE agencies SET registry_stamp = registry_stamp + 1 WHERE id = OLD.agency_id;
END;
