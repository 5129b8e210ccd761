-- Back to the four kinds of case: the broker reports and their cases (with their notes) go.
DROP TABLE broker_reports;
DELETE FROM case_notes WHERE case_id IN (SELECT id FROM cases WHERE kind = 'broker');
DELETE FROM cases WHERE kind = 'broker';
ALTER TABLE cases DROP CONSTRAINT cases_subject_kind_check;
ALTER TABLE cases ADD CONSTRAINT cases_subject_kind_check CHECK (subject_kind IN ('employer', 'agency', 'none'));
ALTER TABLE cases DROP CONSTRAINT cases_kind_check;
ALTER TABLE cases ADD CONSTRAINT cases_kind_check CHECK (kind IN ('wage', 'hours', 'fee', 'complaint'));
