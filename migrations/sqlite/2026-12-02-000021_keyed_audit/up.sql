-- The audit chain becomes keyed: from `keyed_from` on, each entry's hash is an HMAC keyed by
-- `audit.key` (config, outside the database). Entries already written keep their plain
-- SHA-256 hashes: the first keyed entry holds the last of them in its keyed hash, so they
-- cannot be rewritten either without the key. A fresh database is keyed from its first entry.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT NOT NULL DEFAULT 1;
UPDATE audit_head SET keyed_from = seq + 1;
