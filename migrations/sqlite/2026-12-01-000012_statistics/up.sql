-- Statistics (STATISTICS.md): a vacancy counts as posted on the day it was first opened.
-- Existing vacancies take the first `vacancy.opened` entry of the audit log, else (created
-- open) their creation; drafts have not been opened.
ALTER TABLE vacancies ADD COLUMN opened_at TIMESTAMP;
UPDATE vacancies SET opened_at = COALESCE(
    (SELECT MIN(a.at) FROM audit_log a
      WHERE a.subject_kind = 'vacancy' AND a.subject_id = vacancies.id AND a.action = 'vacancy.opened'),
    created_at)
WHERE status <> 'draft';

-- Each indicator reads its records by the instant (or day) that makes them count.
CREATE INDEX vacancies_opened ON vacancies (opened_at);
CREATE INDEX placements_created ON placements (created_at);
CREATE INDEX placement_events_status ON placement_events (to_status, at);
CREATE INDEX contract_acceptances_placement ON contract_acceptances (placement_id, accepted_at);
CREATE INDEX border_events_kind ON border_events (kind, at);
CREATE INDEX alerts_kind ON alerts (kind, raised_at);
CREATE INDEX payslips_paid ON payslips (paid_on);
CREATE INDEX fee_reports_created ON fee_reports (created_at);
CREATE INDEX complaints_created ON complaints (created_at);
CREATE INDEX cases_opened ON cases (opened_at);
CREATE INDEX cases_resolved ON cases (resolved_at);
CREATE INDEX permits_placement_until ON permits (placement_id, valid_until);
