-- Back to the four kinds of case: the broker reports and their cases (with their notes) go.
PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE broker_reports;
DELETE FROM case_notes WHERE case_id IN (SELECT id FROM cases WHERE kind = 'broker');
DELETE FROM cases WHERE kind = 'broker';
CREATE TABLE cases_old (
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
    resolved_at TIMESTAMP,
    upheld BOOLEAN CHECK (upheld IS NULL OR status = 'resolved'),
    routed_to TEXT NOT NULL DEFAULT 'CN' CHECK (routed_to IN ('CN', 'VN'))
);
INSERT INTO cases_old (id, kind, subject_kind, subject_id, region_code, placement_id, status, assigned_to,
        amount_owed_fen, outcome, amount_recovered_fen, opened_at, resolved_at, upheld, routed_to)
    SELECT id, kind, subject_kind, subject_id, region_code, placement_id, status, assigned_to,
        amount_owed_fen, outcome, amount_recovered_fen, opened_at, resolved_at, upheld, routed_to
    FROM cases;
DROP TABLE cases;
ALTER TABLE cases_old RENAME TO cases;
CREATE INDEX cases_status ON cases (status, kind);
CREATE INDEX cases_subject ON cases (subject_kind, subject_id);
CREATE INDEX cases_routed_to ON cases (routed_to, status);
CREATE INDEX cases_opened ON cases (opened_at);
CREATE INDEX cases_resolved ON cases (resolved_at);
CREATE INDEX cases_opened_id ON cases (opened_at, id);
COMMIT;
PRAGMA foreign_keys = ON;
