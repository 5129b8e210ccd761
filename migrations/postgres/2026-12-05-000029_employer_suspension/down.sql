UPDATE employers SET status = 'verified' WHERE status = 'suspended';
ALTER TABLE employers DROP CONSTRAINT employers_status_check;
ALTER TABLE employers ADD CONSTRAINT employers_status_check CHECK (status IN ('pending', 'verified'));
