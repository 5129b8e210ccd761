-- A work history the worker owns.
-- * Seasons the scheme recorded (a return per placement, in worker_returns) are counted apart
--   from the seasons an agency declared: `seasons_verified` is kept equal to the worker's
--   worker_returns rows by the triggers below, and `seasons_worked` keeps only what the
--   agency typed (a return no longer adds to it, so a recorded return was counted in it
--   once: taken out here).
-- * A worker shares its record by a number and a code (one share at a time; withdrawing it
--   deletes the row, and a new share has a new number and code).
ALTER TABLE workers ADD COLUMN seasons_verified INTEGER NOT NULL DEFAULT 0;
UPDATE workers SET seasons_verified = (SELECT COUNT(*) FROM worker_returns WHERE worker_id = workers.id);
UPDATE workers SET seasons_worked = MAX(0, seasons_worked - seasons_verified) WHERE seasons_verified > 0;

DROP TRIGGER worker_returns_count_insert;
DROP TRIGGER worker_returns_count_update;
DROP TRIGGER worker_returns_count_delete;
CREATE TRIGGER worker_returns_count_insert AFTER INSERT ON worker_returns BEGIN
    UPDATE workers SET
        returned_on_time_count = (SELECT COUNT(*) FROM worker_returns WHERE worker_id = NEW.worker_id AND returned_on_time),
        seasons_verified = (SELECT COUNT(*) FROM worker_returns WHERE worker_id = NEW.worker_id)
    WHERE id = NEW.worker_id;
END;
CREATE TRIGGER worker_returns_count_update AFTER UPDATE ON worker_returns BEGIN
    UPDATE workers SET
        returned_on_time_count = (SELECT COUNT(*) FROM worker_returns WHERE worker_id = workers.id AND returned_on_time),
        seasons_verified = (SELECT COUNT(*) FROM worker_returns WHERE worker_id = workers.id)
    WHERE id IN (OLD.worker_id, NEW.worker_id);
END;
CREATE TRIGGER worker_returns_count_delete AFTER DELETE ON worker_returns BEGIN
    UPDATE workers SET
        returned_on_time_count = (SELECT COUNT(*) FROM worker_returns WHERE worker_id = OLD.worker_id AND returned_on_time),
        seasons_verified = (SELECT COUNT(*) FROM worker_returns WHERE worker_id = OLD.worker_id)
    WHERE id = OLD.worker_id;
END;

DROP INDEX workers_matching;
CREATE INDEX workers_matching ON workers (
    agency_id, available_from, available_until, id, home_province_code, seasons_worked,
    skill_codes, language_codes, returned_on_time_count, seasons_verified
);

CREATE TABLE work_history_shares (
    worker_id TEXT PRIMARY KEY REFERENCES workers (id),
    number TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL,
    shared_at TIMESTAMP NOT NULL
);
