-- What ranking reads of a worker, on its row, so that an agency's workers available over a
-- season are one range of one index, read without a lookup per worker:
-- * its skills and languages as space-separated codes: copies of worker_skills and
--   worker_languages, written with them by db::workers (their only writer);
-- * how many seasons it came home on time: kept equal to its worker_returns rows marked
--   on time by the triggers below, whoever writes those rows.
ALTER TABLE workers ADD COLUMN skill_codes TEXT NOT NULL DEFAULT '';
ALTER TABLE workers ADD COLUMN language_codes TEXT NOT NULL DEFAULT '';
ALTER TABLE workers ADD COLUMN returned_on_time_count INTEGER NOT NULL DEFAULT 0;
UPDATE workers SET
    skill_codes = COALESCE((SELECT group_concat(skill_code, ' ') FROM worker_skills WHERE worker_id = workers.id), ''),
    language_codes = COALESCE((SELECT group_concat(language, ' ') FROM worker_languages WHERE worker_id = workers.id), ''),
    returned_on_time_count = (SELECT COUNT(*) FROM worker_returns WHERE worker_id = workers.id AND returned_on_time);

DROP INDEX worker_returns_worker;
CREATE INDEX worker_returns_worker ON worker_returns (worker_id, returned_on_time);

CREATE TRIGGER worker_returns_count_insert AFTER INSERT ON worker_returns BEGIN
    UPDATE workers SET returned_on_time_count =
        (SELECT COUNT(*) FROM worker_returns WHERE worker_id = NEW.worker_id AND returned_on_time)
    WHERE id = NEW.worker_id;
END;
CREATE TRIGGER worker_returns_count_update AFTER UPDATE ON worker_returns BEGIN
    UPDATE workers SET returned_on_time_count =
        (SELECT COUNT(*) FROM worker_returns WHERE worker_id = workers.id AND returned_on_time)
    WHERE id IN (OLD.worker_id, NEW.worker_id);
END;
CREATE TRIGGER worker_returns_count_delete AFTER DELETE ON worker_returns BEGIN
    UPDATE workers SET returned_on_time_count =
        (SELECT COUNT(*) FROM worker_returns WHERE worker_id = OLD.worker_id AND returned_on_time)
    WHERE id = OLD.worker_id;
END;

CREATE INDEX workers_matching ON workers (
    agency_id, available_from, available_until, id, home_province_code, seasons_worked,
    skill_codes, language_codes, returned_on_time_count
);
