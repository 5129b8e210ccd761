-- Wage compliance and grievances: payslips and what their checks found, fee reports,
-- complaints, and the cases regulators work. Ids are UUIDv7 text; amounts integer fen.

CREATE TABLE cases (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('wage', 'hours', 'fee', 'complaint')),
    -- Whom the case is against.
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('employer', 'agency', 'none')),
    subject_id TEXT,
    region_code TEXT REFERENCES regions (code),
    placement_id TEXT REFERENCES placements (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'assigned', 'resolved')),
    assigned_to TEXT REFERENCES users (id),
    amount_owed_fen BIGINT NOT NULL DEFAULT 0 CHECK (amount_owed_fen >= 0),
    outcome TEXT,
    amount_recovered_fen BIGINT CHECK (amount_recovered_fen >= 0),
    opened_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP
);
CREATE INDEX cases_status ON cases (status, kind);
CREATE INDEX cases_subject ON cases (subject_kind, subject_id);

CREATE TABLE case_notes (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    by_user_id TEXT NOT NULL REFERENCES users (id),
    note TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, at);

CREATE TABLE payslips (
    id TEXT PRIMARY KEY NOT NULL,
    placement_id TEXT NOT NULL REFERENCES placements (id),
    employer_id TEXT NOT NULL REFERENCES employers (id),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    minutes_worked BIGINT NOT NULL CHECK (minutes_worked >= 0),
    gross_fen BIGINT NOT NULL CHECK (gross_fen >= 0),
    deductions_fen BIGINT NOT NULL CHECK (deductions_fen >= 0),
    net_fen BIGINT NOT NULL,
    paid_on DATE NOT NULL,
    floor_hourly_fen BIGINT NOT NULL,
    compliant BOOLEAN NOT NULL,
    case_id TEXT REFERENCES cases (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (period_end >= period_start),
    CHECK (net_fen = gross_fen - deductions_fen)
);
CREATE INDEX payslips_placement ON payslips (placement_id, period_start);
CREATE INDEX payslips_employer ON payslips (employer_id);

CREATE TABLE payslip_deductions (
    payslip_id TEXT NOT NULL REFERENCES payslips (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    fen BIGINT NOT NULL CHECK (fen >= 0),
    PRIMARY KEY (payslip_id, position)
);

-- Each failed check: of a payslip, or of a season's hours.
CREATE TABLE findings (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    payslip_id TEXT REFERENCES payslips (id),
    placement_id TEXT REFERENCES placements (id),
    code TEXT NOT NULL,
    required BIGINT NOT NULL,
    actual BIGINT NOT NULL,
    owed_fen BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX findings_case ON findings (case_id);
CREATE INDEX findings_payslip ON findings (payslip_id);

CREATE TABLE fee_reports (
    id TEXT PRIMARY KEY NOT NULL,
    worker_id TEXT NOT NULL REFERENCES workers (id),
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    paid_on DATE NOT NULL,
    paid_to TEXT NOT NULL,
    description TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX fee_reports_agency ON fee_reports (agency_id);

-- Complaints from anyone. An anonymous one has no user and no contact; none is ever shown
-- to the employer or agency it is about.
CREATE TABLE complaints (
    id TEXT PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL CHECK (category IN ('fees', 'wages', 'documents_withheld', 'housing', 'safety', 'violence', 'other')),
    agency_id TEXT REFERENCES agencies (id),
    employer_id TEXT REFERENCES employers (id),
    text TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('vi', 'zh-CN', 'en')),
    contact TEXT,
    filed_by TEXT REFERENCES users (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    created_at TIMESTAMP NOT NULL
);
