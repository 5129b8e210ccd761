-- The accounts of an organisation (an employer's, an agency's, a worker's own) by its id: a
-- page of the registry reads whether each of its workers has an account, and without this
-- index that read scans every account.
CREATE INDEX users_org ON users (org_id);
