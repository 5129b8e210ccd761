-- The returns keep the corrected (China) days.
DROP TABLE payslip_days;
DROP INDEX worker_returns_placement;
DROP INDEX worker_returns_returned_on;
