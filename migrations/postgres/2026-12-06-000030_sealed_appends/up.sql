-- Appends without a lock. An audit entry and an event are written in the transaction of the
-- change they record, as before, but take no single-row lock there: the audit entry waits
-- unsealed (no sequence number, no hash) and the event unplaced (no position in the feed),
-- until a sealer, holding the head's lock for a moment, chains the entries and places the
-- events that have committed, in one batch. Postings no longer commit one at a time.

-- The audit log: an entry's own id says the order it is sealed in; seq, prev_hash and hash
-- are set once, by the sealer.
ALTER TABLE audit_log ADD COLUMN id BIGINT;
UPDATE audit_log SET id = seq;
CREATE SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
SELECT setval('audit_log_id_seq', COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1, false);
ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT nextval('audit_log_id_seq');
ALTER TABLE audit_log ALTER COLUMN id SET NOT NULL;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log ADD PRIMARY KEY (id);
ALTER TABLE audit_log ALTER COLUMN seq DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_seq_key UNIQUE (seq);
CREATE INDEX audit_log_unsealed ON audit_log (id) WHERE seq IS NULL;

-- Events: numbered from a sequence (no lock; numbers may commit out of order), placed in the
-- feed by the sealer in the order they are seen committed. The feed pages by position.
CREATE SEQUENCE event_numbers;
SELECT setval('event_numbers', (SELECT seq FROM event_head) + 1, false);
ALTER TABLE event_head ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
UPDATE event_head SET position = seq;
ALTER TABLE events ADD COLUMN position BIGINT;
UPDATE events SET position = seq;
CREATE UNIQUE INDEX events_position ON events (position);
CREATE INDEX events_unplaced ON events (seq) WHERE position IS NULL;
