-- A verified employer may be suspended by China's side (the employer's equivalent of a
-- suspended licence): it opens no vacancy and its vacancies take no offer until reinstated.
ALTER TABLE employers DROP CONSTRAINT employers_status_check;
ALTER TABLE employers ADD CONSTRAINT employers_status_check
    CHECK (status IN ('pending', 'verified', 'suspended'));
