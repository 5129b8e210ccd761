-- Back to a chain of plain hashes: the keyed entries no longer verify with the code of then.
ALTER TABLE audit_head DROP COLUMN keyed_from;
