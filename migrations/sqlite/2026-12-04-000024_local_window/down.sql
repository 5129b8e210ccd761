DROP TABLE local_hires;
ALTER TABLE vacancies DROP COLUMN local_hires;
ALTER TABLE vacancies DROP COLUMN open_to_agencies_on;
