-- The worker's own account: credentials only the worker knows, one-time codes that reach it
-- by its own channel, how each acceptance was authenticated, the permit holder as at issue,
-- and the counters that rate-limit guessing.

-- A session remembers how its user proved who it is: password, activation (a one-time code
-- from its own channel, then its own password) or reset (the same, later).
ALTER TABLE sessions ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'password'
    CHECK (auth_method IN ('password', 'activation', 'reset'));

-- A worker may sign in with its phone instead of an e-mail address, and a worker's account
-- counts as its own only from the day the worker set its own password (activated_at).
-- Accounts made by an agency with a password it chose stay unactivated until the worker
-- activates them.
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
-- E.164, as domain::account::Phone writes it.
ALTER TABLE users ADD COLUMN phone TEXT UNIQUE;
ALTER TABLE users ADD COLUMN activated_at TIMESTAMP;
UPDATE users SET activated_at = created_at WHERE role <> 'worker';
ALTER TABLE users ADD CONSTRAINT users_sign_in CHECK (email IS NOT NULL OR phone IS NOT NULL);

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

-- A notice that carries a one-time code belongs to no event. Its body holds a placeholder;
-- the sender puts the code in, derived from the code's id and the server's key, so no
-- readable code is ever stored.
ALTER TABLE notices ALTER COLUMN event_seq DROP NOT NULL;
ALTER TABLE notices ADD COLUMN code_id TEXT REFERENCES account_codes (id);
ALTER TABLE notices ADD CONSTRAINT notices_origin CHECK (event_seq IS NOT NULL OR code_id IS NOT NULL);

-- How the worker proved it was itself when it accepted: its session's method and start.
ALTER TABLE contract_acceptances ADD COLUMN auth_method TEXT;
ALTER TABLE contract_acceptances ADD COLUMN authenticated_at TIMESTAMP;

-- The holder as at issue: the public check shows this, not the worker's live record.
ALTER TABLE permits ADD COLUMN holder_name TEXT;
ALTER TABLE permits ADD COLUMN holder_date_of_birth DATE;
UPDATE permits SET holder_name = w.full_name, holder_date_of_birth = w.date_of_birth
    FROM placements p JOIN workers w ON w.id = p.worker_id
    WHERE p.id = permits.placement_id;

-- Fixed-window counters behind the rate limits (a key such as "activate:addr:+84912…").
CREATE TABLE rate_limits (
    key TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
