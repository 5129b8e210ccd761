-- Reports against unlicensed brokers: anyone, without an account and anonymously, reports a
-- person or business that recruits without a licence, takes money for "papers" or a crossing,
-- or holds documents. Each opens a case of the new kind `broker`, against the broker as given
-- (subject `broker`, no account), routed to Viet Nam's side, which works it; China's side
-- reads it (docs/domain.md, "Authorities").
--
-- SQLite cannot change a CHECK constraint, so `cases` is rebuilt with the new kind and
-- subject, in its own transaction with foreign keys off (the pragma does nothing inside a
-- transaction; metadata.toml runs this file outside diesel's): with them on, dropping the
-- old table would count every note, finding, payslip, fee report and complaint pointing at
-- it as a violation. The rows keep their ids, so those references hold as before.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE cases_new (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('wage', 'hours', 'fee', 'complaint', 'broker')),
    -- Whom the case is against: an employer or an agency (by id), no party, or an
    -- unlicensed broker as a report names it (no id: its broker_reports row holds it).
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('employer', 'agency', 'none', 'broker')),
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
INSERT INTO cases_new (id, kind, subject_kind, subject_id, region_code, placement_id, status, assigned_to,
        amount_owed_fen, outcome, amount_recovered_fen, opened_at, resolved_at, upheld, routed_to)
    SELECT id, kind, subject_kind, subject_id, region_code, placement_id, status, assigned_to,
        amount_owed_fen, outcome, amount_recovered_fen, opened_at, resolved_at, upheld, routed_to
    FROM cases;
DROP TABLE cases;
ALTER TABLE cases_new RENAME TO cases;
CREATE INDEX cases_status ON cases (status, kind);
CREATE INDEX cases_subject ON cases (subject_kind, subject_id);
CREATE INDEX cases_routed_to ON cases (routed_to, status);
CREATE INDEX cases_opened ON cases (opened_at);
CREATE INDEX cases_resolved ON cases (resolved_at);
CREATE INDEX cases_opened_id ON cases (opened_at, id);

-- One report: what the broker did, who it is as the reporter gives it, where, when and how
-- much it asked. No identity-document field: a worker who reports is never asked for one.
CREATE TABLE broker_reports (
    id TEXT PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    -- One or more of recruits_without_licence, took_money_for_papers,
    -- took_money_for_crossing, holds_documents, other; comma-separated in that order.
    kinds TEXT NOT NULL CHECK (kinds <> ''),
    broker_name TEXT,
    broker_phone TEXT,
    place TEXT,
    region_code TEXT REFERENCES regions (code),
    occurred_on DATE,
    -- What it asked, in fen (CNY) or in đồng (VND): at most one of them.
    amount_asked_fen BIGINT CHECK (amount_asked_fen > 0),
    amount_asked_vnd BIGINT CHECK (amount_asked_vnd > 0),
    description TEXT,
    language TEXT NOT NULL CHECK (language IN ('vi', 'zh-CN', 'en')),
    contact TEXT,
    filed_by TEXT REFERENCES users (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    created_at TIMESTAMP NOT NULL,
    -- Something to act on: a name, a phone number or what happened.
    CHECK (broker_name IS NOT NULL OR broker_phone IS NOT NULL OR description IS NOT NULL),
    CHECK (amount_asked_fen IS NULL OR amount_asked_vnd IS NULL)
);
CREATE INDEX broker_reports_case ON broker_reports (case_id);
CREATE INDEX broker_reports_created ON broker_reports (created_at);
COMMIT;
PRAGMA foreign_keys = ON;
