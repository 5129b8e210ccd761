DROP TABLE rate_limits;
ALTER TABLE permits DROP COLUMN holder_date_of_birth;
ALTER TABLE permits DROP COLUMN holder_name;
ALTER TABLE contract_acceptances DROP COLUMN authenticated_at;
ALTER TABLE contract_acceptances DROP COLUMN auth_method;
ALTER TABLE notices DROP CONSTRAINT notices_origin;
DELETE FROM notices WHERE event_seq IS NULL;
ALTER TABLE notices DROP COLUMN code_id;
ALTER TABLE notices ALTER COLUMN event_seq SET NOT NULL;
DROP TABLE account_codes;
ALTER TABLE users DROP CONSTRAINT users_sign_in;
ALTER TABLE users DROP COLUMN activated_at;
ALTER TABLE users DROP COLUMN phone;
-- An account that signs in by phone only has no place in the old table: the downgrade
-- refuses rather than drop it.
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE sessions DROP COLUMN auth_method;
