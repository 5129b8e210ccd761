-- Local workers first: an open vacancy is shown to local job-seekers for a window before
-- agencies may offer its seats abroad. The first day agencies may (a day in China) is fixed
-- when the vacancy is first opened; vacancies opened before the window existed are open to
-- agencies from the day they opened.
ALTER TABLE vacancies ADD COLUMN open_to_agencies_on DATE;
UPDATE vacancies SET open_to_agencies_on = date(opened_at, '+8 hours')
WHERE opened_at IS NOT NULL;

-- Local hires lower the headcount left for agencies; the vacancy keeps how many there were
-- (what it posted is its headcount plus its local hires).
ALTER TABLE vacancies ADD COLUMN local_hires INTEGER NOT NULL DEFAULT 0 CHECK (local_hires >= 0);

-- Each hire the employer records: how many, on which day (China's), by whom.
CREATE TABLE local_hires (
    id TEXT PRIMARY KEY,
    vacancy_id TEXT NOT NULL REFERENCES vacancies (id),
    people INTEGER NOT NULL CHECK (people > 0),
    hired_on DATE NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX local_hires_vacancy ON local_hires (vacancy_id);
CREATE INDEX local_hires_day ON local_hires (hired_on);
