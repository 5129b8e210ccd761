-- The returns keep the corrected (China) days.
DROP INDEX placements_first_accepted;
ALTER TABLE placements DROP COLUMN first_accepted_version;
ALTER TABLE placements DROP COLUMN first_accepted_at;
ALTER TABLE contracts DROP COLUMN floor_hourly_fen;
ALTER TABLE contracts DROP COLUMN hourly_equivalent_fen;
DROP TABLE payslip_days;
DROP INDEX worker_returns_placement;
DROP INDEX worker_returns_returned_on;
