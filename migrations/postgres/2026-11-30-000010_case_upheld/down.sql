DROP INDEX fee_reports_worker;
ALTER TABLE cases DROP COLUMN upheld;
