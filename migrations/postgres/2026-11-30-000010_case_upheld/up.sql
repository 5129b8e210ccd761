-- Whether a regulator upheld what a case reports (a fee a worker paid, a complaint, a
-- finding): decided when the case is resolved, so it is set on resolved cases only. The
-- public licence record counts an agency's fee reports received and, apart, those upheld.
ALTER TABLE cases ADD COLUMN upheld BOOLEAN CHECK (upheld IS NULL OR status = 'resolved');

-- A worker's reports against one agency, looked up before it files another: one at a time
-- may wait for a regulator.
CREATE INDEX fee_reports_worker ON fee_reports (worker_id, agency_id);
