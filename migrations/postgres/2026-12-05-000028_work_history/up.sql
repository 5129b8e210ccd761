-- A work history the worker owns.
-- * Seasons the scheme recorded (a return per placement, in worker_returns) are counted apart
--   from the seasons an agency declared: `seasons_verified` is kept equal to the worker's
--   worker_returns rows by the trigger below, and `seasons_worked` keeps only what the
--   agency typed (a return no longer adds to it, so a recorded return was counted in it
--   once: taken out here).
-- * A worker shares its record by a number and a code (one share at a time; withdrawing it
--   deletes the row, and a new share has a new number and code).
ALTER TABLE workers ADD COLUMN seasons_verified INTEGER NOT NULL DEFAULT 0;
UPDATE workers SET seasons_verified = counted.n
    FROM (SELECT worker_id, COUNT(*) AS n FROM worker_returns GROUP BY worker_id) AS counted
    WHERE counted.worker_id = workers.id;
UPDATE workers SET seasons_worked = GREATEST(0, seasons_worked - seasons_verified) WHERE seasons_verified > 0;

CREATE OR REPLACE FUNCTION worker_returns_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE workers SET
        returned_on_time_count = (SELECT COUNT(*) FROM worker_returns WHERE worker_id = workers.id AND returned_on_time),
        seasons_verified = (SELECT COUNT(*) FROM worker_returns WHERE worker_id = workers.id)
    WHERE id IN (OLD.worker_id, NEW.worker_id); -- OLD is null on insert, NEW on delete
    RETURN NULL;
END;
$$;

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
