-- Reports against unlicensed brokers: anyone, without an account and anonymously, reports a
-- person or business that recruits without a licence, takes money for "papers" or a crossing,
-- or holds documents. Each opens a case of the new kind `broker`, against the broker as given
-- (subject `broker`, no account), routed to Viet Nam's side, which works it; China's side
-- reads it (docs/domain.md, "Authorities").
ALTER TABLE cases DROP CONSTRAINT cases_kind_check;
ALTER TABLE cases ADD CONSTRAINT cases_kind_check
    CHECK (kind IN ('wage', 'hours', 'fee', 'complaint', 'broker'));
-- Whom the case is against: an employer or an agency (by id), no party, or an unlicensed
-- broker as a report names it (no id: its broker_reports row holds it).
ALTER TABLE cases DROP CONSTRAINT cases_subject_kind_check;
ALTER TABLE cases ADD CONSTRAINT cases_subject_kind_check
    CHECK (subject_kind IN ('employer', 'agency', 'none', 'broker'));

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
