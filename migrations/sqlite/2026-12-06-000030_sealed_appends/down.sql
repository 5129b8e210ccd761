-- Entries and events not yet sealed are sealed by no one after this: run a server (or
-- `seasonlink audit verify`) before reverting.
CREATE TABLE audit_log_chained (
    seq BIGINT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_user_id TEXT,
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_log_chained
    SELECT seq, at, actor_user_id, action, subject_kind, subject_id, detail, prev_hash, hash
    FROM audit_log WHERE seq IS NOT NULL;
DROP TABLE audit_log;
ALTER TABLE audit_log_chained RENAME TO audit_log;
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id);

DROP INDEX events_unplaced;
DROP INDEX events_position;
ALTER TABLE events DROP COLUMN position;
ALTER TABLE event_head DROP COLUMN position;
