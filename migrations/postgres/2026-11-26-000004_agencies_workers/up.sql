-- Licensed agencies, their licence history, and the workers they register.
-- Ids are UUIDv7 text made in Rust; instants are UTC; list values live in child tables.

CREATE TABLE agencies (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL CHECK (country IN ('CN', 'VN')),
    licence_number TEXT NOT NULL UNIQUE,
    licence_valid_from DATE NOT NULL,
    licence_valid_until DATE NOT NULL,
    -- The regulator's decision; "expired" is derived from the dates and today, never stored.
    licence_state TEXT NOT NULL CHECK (licence_state IN ('active', 'suspended', 'revoked')),
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (licence_valid_until >= licence_valid_from)
);

-- Every change of a licence: what, who and why.
CREATE TABLE licence_events (
    id TEXT PRIMARY KEY NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    event TEXT NOT NULL CHECK (event IN ('created', 'suspended', 'reinstated', 'revoked')),
    reason TEXT,
    by_user_id TEXT REFERENCES users (id),
    at TIMESTAMP NOT NULL
);
CREATE INDEX licence_events_agency ON licence_events (agency_id, at);

CREATE TABLE workers (
    id TEXT PRIMARY KEY NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    full_name TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('female', 'male', 'other')),
    -- Personal data: shown only to the worker's agency and regulators, never logged.
    -- Unique across agencies: one person, one registration.
    id_document_number TEXT NOT NULL UNIQUE,
    home_province_code TEXT NOT NULL REFERENCES regions (code),
    phone TEXT,
    email TEXT,
    available_from DATE NOT NULL,
    available_until DATE NOT NULL,
    seasons_worked INTEGER NOT NULL CHECK (seasons_worked >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (available_until >= available_from)
);
CREATE INDEX workers_agency ON workers (agency_id);

CREATE TABLE worker_skills (
    worker_id TEXT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    skill_code TEXT NOT NULL REFERENCES skills (code),
    PRIMARY KEY (worker_id, skill_code)
);

-- ISO 639 codes: vi, zh, en, tyz (Tày), nut (Nùng), …
CREATE TABLE worker_languages (
    worker_id TEXT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    PRIMARY KEY (worker_id, language)
);

-- One line per past placement: filled when a return is recorded (a later issue); read-only here.
CREATE TABLE worker_returns (
    id TEXT PRIMARY KEY NOT NULL,
    worker_id TEXT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    placement_id TEXT,
    employer_id TEXT REFERENCES employers (id),
    season_start DATE NOT NULL,
    season_end DATE NOT NULL,
    returned_on DATE,
    returned_on_time BOOLEAN NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX worker_returns_worker ON worker_returns (worker_id);
