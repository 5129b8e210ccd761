-- The worker's own account: credentials only the worker knows, one-time codes that reach it
-- by its own channel, how each acceptance was authenticated, the permit holder as at issue,
-- and the counters that rate-limit guessing.

-- A session remembers how its user proved who it is: password, activation (a one-time code
-- from its own channel, then its own password) or reset (the same, later).
ALTER TABLE sessions ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'password'
    CHECK (auth_method IN ('password', 'activation', 'reset'));

-- users, rebuilt (SQLite cannot drop a NOT NULL): a worker may sign in with its phone
-- instead of an e-mail address, and a worker's account counts as its own only from the day
-- the worker set its own password (activated_at). Accounts made by an agency with a
-- password it chose stay unactivated until the worker activates them. The rebuild keeps
-- the sessions, which the drop would otherwise take with it (ON DELETE CASCADE).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE sessions_kept AS SELECT * FROM sessions;
CREATE TABLE users_new (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT UNIQUE,
    -- E.164, as domain::account::Phone writes it.
    phone TEXT UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('employer', 'agency', 'worker', 'regulator')),
    org_id TEXT,
    created_at TIMESTAMP NOT NULL,
    language TEXT,
    activated_at TIMESTAMP,
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
INSERT INTO users_new (id, email, phone, password_hash, role, org_id, created_at, language, activated_at)
    SELECT id, email, NULL, password_hash, role, org_id, created_at, language,
           CASE WHEN role = 'worker' THEN NULL ELSE created_at END
    FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
DELETE FROM sessions;
INSERT INTO sessions SELECT * FROM sessions_kept;
DROP TABLE sessions_kept;

-- One-time codes: an activation code an agency or an authority officer has sent (or handed
-- over in person) to a worker, or a reset code a person asked for. Only a hash is kept; a
-- code ends when used, replaced by a newer one, or tried too often.
CREATE TABLE account_codes (
    id TEXT PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('activation', 'reset')),
    -- activation: the worker; reset: the account (and its worker, if a worker's).
    worker_id TEXT REFERENCES workers (id),
    user_id TEXT REFERENCES users (id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'in_person')),
    -- The e-mail address or phone number the person signs in with.
    address TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    ended_at TIMESTAMP,
    ended_as TEXT CHECK (ended_as IN ('used', 'replaced', 'exhausted')),
    CHECK (worker_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX account_codes_address ON account_codes (address, purpose, ended_at);
CREATE INDEX account_codes_worker ON account_codes (worker_id, purpose, ended_at);

-- Notices, rebuilt (SQLite cannot drop a NOT NULL): a notice that carries a one-time code
-- belongs to no event. Its body holds a placeholder; the sender puts the code in, derived
-- from the code's id and the server's key, so no readable code is ever stored.
CREATE TABLE notices_new (
    id TEXT PRIMARY KEY NOT NULL,
    event_seq BIGINT REFERENCES events (seq),
    code_id TEXT REFERENCES account_codes (id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claim TEXT,
    claimed_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    CHECK (event_seq IS NOT NULL OR code_id IS NOT NULL)
);
INSERT INTO notices_new (id, event_seq, channel, recipient, language, subject, body, link, status,
        attempts, next_attempt_at, claim, claimed_until, last_error, created_at, finished_at)
    SELECT id, event_seq, channel, recipient, language, subject, body, link, status,
        attempts, next_attempt_at, claim, claimed_until, last_error, created_at, finished_at
    FROM notices;
DROP TABLE notices;
ALTER TABLE notices_new RENAME TO notices;
CREATE INDEX notices_due ON notices (status, next_attempt_at);

-- How the worker proved it was itself when it accepted: its session's method and start.
ALTER TABLE contract_acceptances ADD COLUMN auth_method TEXT;
ALTER TABLE contract_acceptances ADD COLUMN authenticated_at TIMESTAMP;

-- The holder as at issue: the public check shows this, not the worker's live record.
ALTER TABLE permits ADD COLUMN holder_name TEXT;
ALTER TABLE permits ADD COLUMN holder_date_of_birth DATE;
UPDATE permits SET
    holder_name = (SELECT w.full_name FROM placements p JOIN workers w ON w.id = p.worker_id
                   WHERE p.id = permits.placement_id),
    holder_date_of_birth = (SELECT w.date_of_birth FROM placements p JOIN workers w ON w.id = p.worker_id
                            WHERE p.id = permits.placement_id);

-- Fixed-window counters behind the rate limits (a key such as "activate:addr:+84912…").
CREATE TABLE rate_limits (
    key TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
