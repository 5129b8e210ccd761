-- A case is routed to the side of the party it concerns (docs/domain.md, "Authorities"): a
-- case against an employer (wages, hours, a complaint about it) to China's side; one against
-- an agency (a fee, a complaint about it) to the side of the agency's country; a complaint
-- that names no party to China's side. Only the routed side works it; the other reads it.
-- (SQLite adds a NOT NULL column only with a default; every insert names the side.)
ALTER TABLE cases ADD COLUMN routed_to TEXT NOT NULL DEFAULT 'CN' CHECK (routed_to IN ('CN', 'VN'));
UPDATE cases SET routed_to = (SELECT agencies.country FROM agencies WHERE agencies.id = cases.subject_id)
WHERE subject_kind = 'agency' AND EXISTS (SELECT 1 FROM agencies WHERE agencies.id = cases.subject_id);
CREATE INDEX cases_routed_to ON cases (routed_to, status);
