-- Appends without a lock. An audit entry and an event are written in the transaction of the
-- change they record, as before, but take no single-row lock there: the audit entry waits
-- unsealed (no sequence number, no hash) and the event unplaced (no position in the feed),
-- until a sealer, holding the head's lock for a moment, chains the entries and places the
-- events that have committed, in one batch. (SQLite serialises its writers anyway; the
-- design is PostgreSQL's, and one code path serves both.)

-- The audit log: an entry's own id says the order it is sealed in; seq, prev_hash and hash
-- are set once, by the sealer.
CREATE TABLE audit_log_sealed (
    id INTEGER PRIMARY KEY NOT NULL,
    seq BIGINT UNIQUE,
    at TIMESTAMP NOT NULL,
    actor_user_id TEXT,
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT,
    hash TEXT
);
INSERT INTO audit_log_sealed (id, seq, at, actor_user_id, action, subject_kind, subject_id, detail, prev_hash, hash)
    SELECT seq, seq, at, actor_user_id, action, subject_kind, subject_id, detail, prev_hash, hash FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_sealed RENAME TO audit_log;
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id);
CREATE INDEX audit_log_unsealed ON audit_log (id) WHERE seq IS NULL;

-- Events: placed in the feed by the sealer in the order they are seen committed. The feed
-- pages by position. (Numbers still come from event_head.seq here: SQLite's writers take
-- turns, so the head's row costs nothing.)
ALTER TABLE event_head ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
UPDATE event_head SET position = seq;
ALTER TABLE events ADD COLUMN position BIGINT;
UPDATE events SET position = seq;
CREATE UNIQUE INDEX events_position ON events (position);
CREATE INDEX events_unplaced ON events (seq) WHERE position IS NULL;
