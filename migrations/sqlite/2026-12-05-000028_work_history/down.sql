DROP TABLE work_history_shares;
DROP INDEX workers_matching;
DROP TRIGGER worker_returns_count_insert;
DROP TRIGGER worker_returns_count_update;
DROP TRIGGER worker_returns_count_delete;
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
UPDATE workers SET seasons_worked = seasons_worked + seasons_verified;
ALTER TABLE workers DROP COLUMN seasons_verified;
CREATE INDEX workers_matching ON workers (
    agency_id, available_from, available_until, id, home_province_code, seasons_worked,
    skill_codes, language_codes, returned_on_time_count
);
