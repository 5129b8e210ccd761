-- The periodic jobs (the overstay sweeper, the pruner, the statistics publisher) run once per
-- period across every server on the database: a server's tick claims the period, and only
-- the server whose claim is stored runs it. The rows also say which server ran what, when.
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    -- Whole periods of the job's interval since the Unix epoch, by the app's clock.
    period BIGINT NOT NULL,
    instance TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    PRIMARY KEY (job, period)
);
CREATE INDEX job_runs_started_at ON job_runs (started_at);
