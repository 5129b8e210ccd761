-- Entries and events not yet sealed are sealed by no one after this: run a server (or
-- `seasonlink audit verify`) before reverting.
DELETE FROM audit_log WHERE seq IS NULL;
DROP INDEX audit_log_unsealed;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_seq_key;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log ALTER COLUMN seq SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN hash SET NOT NULL;
ALTER TABLE audit_log ADD PRIMARY KEY (seq);
ALTER TABLE audit_log DROP COLUMN id;

UPDATE event_head SET seq = GREATEST(seq, COALESCE((SELECT MAX(seq) FROM events), 0));
DROP INDEX events_unplaced;
DROP INDEX events_position;
ALTER TABLE events DROP COLUMN position;
ALTER TABLE event_head DROP COLUMN position;
DROP SEQUENCE event_numbers;
