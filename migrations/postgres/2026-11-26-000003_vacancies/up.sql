-- Employers, wage floor rules and vacancies.

CREATE TABLE employers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    registration_no TEXT NOT NULL UNIQUE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    status TEXT NOT NULL CHECK (status IN ('pending', 'verified')),
    verified_at TIMESTAMP,
    verified_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE wage_floor_rules (
    id TEXT PRIMARY KEY NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    occupation_code TEXT REFERENCES occupations (code),
    kind TEXT NOT NULL CHECK (kind IN ('statutory_minimum', 'prevailing')),
    hourly_fen BIGINT NOT NULL CHECK (hourly_fen > 0),
    monthly_fen BIGINT CHECK (monthly_fen > 0),
    effective_from DATE NOT NULL,
    effective_to DATE,
    source TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (effective_to IS NULL OR effective_to >= effective_from),
    CHECK ((kind = 'prevailing' AND occupation_code IS NOT NULL) OR (kind = 'statutory_minimum' AND occupation_code IS NULL))
);
CREATE INDEX wage_floor_rules_region ON wage_floor_rules (region_code);

-- One row that every floor-checked write updates first: a rule write and a vacancy write
-- never interleave, so a floor raised concurrently cannot be slipped past (both backends).
CREATE TABLE wage_floor_guard (
    id INTEGER PRIMARY KEY NOT NULL,
    writes BIGINT NOT NULL
);
INSERT INTO wage_floor_guard (id, writes) VALUES (1, 0);

CREATE TABLE vacancies (
    id TEXT PRIMARY KEY NOT NULL,
    employer_id TEXT NOT NULL REFERENCES employers (id),
    title TEXT NOT NULL,
    occupation_code TEXT NOT NULL REFERENCES occupations (code),
    region_code TEXT NOT NULL REFERENCES regions (code),
    crossing_code TEXT NOT NULL REFERENCES crossings (code),
    headcount INTEGER NOT NULL CHECK (headcount > 0),
    season_start DATE NOT NULL,
    season_end DATE NOT NULL,
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week > 0),
    guaranteed_hours_per_week INTEGER NOT NULL CHECK (guaranteed_hours_per_week > 0),
    pay_basis TEXT NOT NULL CHECK (pay_basis IN ('hourly', 'monthly', 'piece')),
    wage_fen BIGINT NOT NULL CHECK (wage_fen > 0),
    piece_unit TEXT,
    guaranteed_hourly_fen BIGINT,
    housing_provided BOOLEAN NOT NULL,
    description_zh TEXT,
    description_vi TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    hourly_equivalent_fen BIGINT NOT NULL,
    floor_hourly_fen BIGINT NOT NULL,
    floor_rule_id TEXT NOT NULL REFERENCES wage_floor_rules (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (season_end >= season_start),
    CHECK (guaranteed_hours_per_week <= hours_per_week),
    CHECK (hourly_equivalent_fen >= floor_hourly_fen)
);
CREATE INDEX vacancies_employer ON vacancies (employer_id);
CREATE INDEX vacancies_status_region ON vacancies (status, region_code);

CREATE TABLE vacancy_deductions (
    vacancy_id TEXT NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    fen_per_month BIGINT NOT NULL CHECK (fen_per_month >= 0),
    PRIMARY KEY (vacancy_id, position)
);

CREATE TABLE vacancy_skills (
    vacancy_id TEXT NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    skill_code TEXT NOT NULL REFERENCES skills (code),
    PRIMARY KEY (vacancy_id, skill_code)
);
