-- A write, then the chain's head locked, advanced and appended to, as audit::record does.
BEGIN;
INSERT INTO other (v) VALUES (repeat('x', 200));
SELECT seq FROM head WHERE id = 1 FOR UPDATE;
UPDATE head SET seq = seq + 1, hash = md5(random()::text) WHERE id = 1;
INSERT INTO log SELECT seq, now(), repeat('y', 200), hash FROM head WHERE id = 1;
COMMIT;
