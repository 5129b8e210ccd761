-- Events leave the system through a transactional outbox: each change that matters outside
-- writes an event in its own transaction, with one delivery per subscribed partner and one
-- notice per person to tell. A dispatcher sends them afterwards; nothing is sent inside a
-- request.

-- The outbox's head: an event takes the next number while holding this row's write lock,
-- so events are numbered in commit order on every backend and across server instances.
CREATE TABLE event_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO event_head (id, seq) VALUES (1, 0);

CREATE TABLE events (
    seq BIGINT PRIMARY KEY NOT NULL,
    -- UUIDv7: what receivers deduplicate by.
    id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    -- "placement:<id>", "vacancy:<id>", …: deliveries of one subject keep their order.
    subject_key TEXT NOT NULL,
    -- JSON: the ids the event is about.
    subject TEXT NOT NULL,
    -- JSON: what any subscriber may read (no personal data).
    data TEXT NOT NULL,
    -- JSON: the holder's identity, only for regulators and the permit authority.
    identity TEXT
);
CREATE INDEX events_at ON events (at);

CREATE TABLE partners (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    -- JSON array of event types.
    event_types TEXT NOT NULL,
    -- The HMAC key deliveries are signed with (the partner holds it too).
    secret TEXT NOT NULL,
    -- SHA-256 of the key the partner reads the pull feed with.
    key_hash TEXT NOT NULL UNIQUE,
    permit_authority BOOLEAN NOT NULL DEFAULT FALSE,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    removed_at TIMESTAMP
);

CREATE TABLE deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    event_seq BIGINT NOT NULL REFERENCES events (seq),
    subject_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    -- Retries go on until this plus the retry period; a redelivery starts it again.
    retry_since TIMESTAMP NOT NULL,
    -- A dispatcher holds a claimed delivery (its random claim) until then; after, another
    -- may take it.
    claim TEXT,
    claimed_until TIMESTAMP,
    last_status INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    UNIQUE (partner_id, event_seq)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_subject ON deliveries (partner_id, subject_key, event_seq);

CREATE TABLE notices (
    id TEXT PRIMARY KEY NOT NULL,
    event_seq BIGINT NOT NULL REFERENCES events (seq),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    -- An e-mail address or a phone number.
    recipient TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- The page the notice points to (a path; the sender puts the site's address before it).
    link TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claim TEXT,
    claimed_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX notices_due ON notices (status, next_attempt_at);

-- What a job tells once, ever (a return reminder, a vacancy flagged below a new floor): the
-- row's key refuses a second telling, even from another server at the same moment.
CREATE TABLE event_marks (
    mark TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (mark, subject_key)
);

-- The language a person chose for the notices it receives (zh-CN, vi or en); unset, the
-- role's (a worker's notices are in Vietnamese).
ALTER TABLE users ADD COLUMN language TEXT;
