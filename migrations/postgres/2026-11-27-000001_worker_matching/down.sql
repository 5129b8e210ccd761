DROP INDEX workers_matching;
DROP TRIGGER worker_returns_count ON worker_returns;
DROP FUNCTION worker_returns_count();
DROP INDEX worker_returns_worker;
CREATE INDEX worker_returns_worker ON worker_returns (worker_id);
ALTER TABLE workers DROP COLUMN returned_on_time_count;
ALTER TABLE workers DROP COLUMN language_codes;
ALTER TABLE workers DROP COLUMN skill_codes;
