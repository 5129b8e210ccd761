-- Placements: one worker's journey through one vacancy, its contract versions and the
-- worker's acceptances, permits, border crossings, named requests, regulators' alerts, and
-- the hash-chained audit log. Ids are UUIDv7 text made in Rust; instants are UTC.

-- Seats taken by active placements. The CHECK is the database's own refusal of more active
-- placements than the headcount, whatever the application does.
ALTER TABLE vacancies ADD COLUMN seats_taken INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vacancies ADD CONSTRAINT vacancies_seats_within_headcount
    CHECK (seats_taken >= 0 AND seats_taken <= headcount);

CREATE TABLE placements (
    id TEXT PRIMARY KEY NOT NULL,
    vacancy_id TEXT NOT NULL REFERENCES vacancies (id),
    worker_id TEXT NOT NULL REFERENCES workers (id),
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    employer_id TEXT NOT NULL REFERENCES employers (id),
    status TEXT NOT NULL CHECK (status IN ('offered', 'accepted', 'permitted', 'departed', 'completed',
        'terminated', 'overstayed', 'declined', 'withdrawn', 'returned', 'returned_late')),
    contract_version INTEGER NOT NULL CHECK (contract_version >= 1),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- One active placement per worker: two agencies or two servers racing cannot double-book.
-- The list is domain::placement::Status::is_active: every status but the four final ones.
CREATE UNIQUE INDEX placements_one_active_per_worker ON placements (worker_id)
    WHERE status NOT IN ('declined', 'withdrawn', 'returned', 'returned_late');
CREATE INDEX placements_vacancy ON placements (vacancy_id);
CREATE INDEX placements_agency ON placements (agency_id, status);
CREATE INDEX placements_employer ON placements (employer_id, status);
CREATE INDEX placements_status ON placements (status);

-- Every state change of a placement: the timeline its parties see.
CREATE TABLE placement_events (
    id TEXT PRIMARY KEY NOT NULL,
    placement_id TEXT NOT NULL REFERENCES placements (id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    by_user_id TEXT REFERENCES users (id),
    note TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX placement_events_placement ON placement_events (placement_id, at);

-- One row per contract version: the canonical terms (JSON) and their SHA-256.
CREATE TABLE contracts (
    placement_id TEXT NOT NULL REFERENCES placements (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    terms TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (placement_id, version)
);

-- The worker's informed consent: which version, which hash, in which language, when.
CREATE TABLE contract_acceptances (
    id TEXT PRIMARY KEY NOT NULL,
    placement_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('vi', 'zh-CN', 'en')),
    by_user_id TEXT NOT NULL REFERENCES users (id),
    accepted_at TIMESTAMP NOT NULL,
    FOREIGN KEY (placement_id, version) REFERENCES contracts (placement_id, version),
    UNIQUE (placement_id, version)
);

CREATE TABLE permits (
    number TEXT PRIMARY KEY NOT NULL,
    placement_id TEXT NOT NULL REFERENCES placements (id),
    check_code TEXT NOT NULL,
    valid_from DATE NOT NULL,
    valid_until DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
    issued_by TEXT NOT NULL REFERENCES users (id),
    issued_at TIMESTAMP NOT NULL,
    revoked_by TEXT REFERENCES users (id),
    revoked_at TIMESTAMP,
    revoked_reason TEXT,
    CHECK (valid_until >= valid_from)
);
-- One valid permit per placement; a revoked one may be replaced.
CREATE UNIQUE INDEX permits_one_valid_per_placement ON permits (placement_id) WHERE status = 'valid';

CREATE TABLE border_events (
    id TEXT PRIMARY KEY NOT NULL,
    placement_id TEXT NOT NULL REFERENCES placements (id),
    kind TEXT NOT NULL CHECK (kind IN ('departure', 'return')),
    crossing_code TEXT NOT NULL REFERENCES crossings (code),
    at TIMESTAMP NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL,
    UNIQUE (placement_id, kind)
);

-- An employer names a worker who returned on time from it (SAWP's named workers).
CREATE TABLE named_requests (
    vacancy_id TEXT NOT NULL REFERENCES vacancies (id),
    worker_id TEXT NOT NULL REFERENCES workers (id),
    by_user_id TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (vacancy_id, worker_id)
);
CREATE INDEX named_requests_worker ON named_requests (worker_id);

-- What regulators must look at: overstays, for now.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('overstay')),
    placement_id TEXT NOT NULL REFERENCES placements (id),
    raised_at TIMESTAMP NOT NULL,
    UNIQUE (kind, placement_id)
);

-- The audit log: every state change by any role, each entry holding the previous entry's
-- hash. audit_head (one row) serialises appends: each append updates it first.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_user_id TEXT,
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id);
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
