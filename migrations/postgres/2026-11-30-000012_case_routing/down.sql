DROP INDEX cases_routed_to;
ALTER TABLE cases DROP COLUMN routed_to;
