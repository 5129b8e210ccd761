-- What a single hash chain costs PostgreSQL's commits (BENCHMARKS.md, "The server under load
-- at a season's size"): a head row that every writer locks until it commits, as the audit
-- chain's head and the outbox's event_head are locked, against writers that lock nothing.
DROP TABLE IF EXISTS head, log, other;
CREATE TABLE head (id INT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
INSERT INTO head VALUES (1, 0, '');
CREATE TABLE log (seq BIGINT PRIMARY KEY, at TIMESTAMPTZ NOT NULL, detail TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE other (id SERIAL PRIMARY KEY, v TEXT NOT NULL);
