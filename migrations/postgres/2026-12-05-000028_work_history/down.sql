DROP TABLE work_history_shares;
DROP INDEX workers_matching;
CREATE OR REPLACE FUNCTION worker_returns_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE workers SET returned_on_time_count =
        (SELECT COUNT(*) FROM worker_returns WHERE worker_id = workers.id AND returned_on_time)
    WHERE id IN (OLD.worker_id, NEW.worker_id); -- OLD is null on insert, NEW on delete
    RETURN NULL;
END;
$$;
UPDATE workers SET seasons_worked = seasons_worked + seasons_verified;
ALTER TABLE workers DROP COLUMN seasons_verified;
CREATE INDEX workers_matching ON workers (
    agency_id, available_from, available_until, id, home_province_code, seasons_worked,
    skill_codes, language_codes, returned_on_time_count
);
