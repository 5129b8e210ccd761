-- Who read a worker's record. Each time an agency's user reads a worker's full record (the
-- one worker, or the registry's list), the read is kept: one row per worker, reader and day
-- in China (Asia/Shanghai), from the first read of that day. The worker reads its own log;
-- regulators read any worker's.
CREATE TABLE access_log (
    worker_id TEXT NOT NULL REFERENCES workers (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    -- The first read of the day (UTC).
    at TIMESTAMP NOT NULL,
    -- The day in China that `at` falls on: the key that keeps one row a day.
    china_day DATE NOT NULL,
    PRIMARY KEY (worker_id, user_id, china_day)
);
CREATE INDEX access_log_worker_at ON access_log (worker_id, at);
