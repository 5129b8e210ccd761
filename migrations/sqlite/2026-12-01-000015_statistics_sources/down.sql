-- The returns keep the corrected (China) days.
DROP INDEX placements_first_accepted;
ALTER TABLE placements DROP COLUMN agreed_floor_hourly_fen;
ALTER TABLE placements DROP COLUMN agreed_hourly_fen;
ALTER TABLE placements DROP COLUMN first_accepted_version;
ALTER TABLE placements DROP COLUMN first_accepted_at;
DROP TABLE payslip_days;
DROP INDEX worker_returns_placement;
DROP INDEX worker_returns_returned_on;
