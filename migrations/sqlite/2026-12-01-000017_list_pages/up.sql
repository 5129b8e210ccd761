-- Keyset paging: every paged list reads its rows in the order of one of these indexes
-- (the list's sort column, then id), after the last row of the previous page.

-- Vacancies by season start: the public board (open ones) and an employer's own.
CREATE INDEX vacancies_status_season ON vacancies (status, season_start, id);
CREATE INDEX vacancies_employer_season ON vacancies (employer_id, season_start, id);

-- Workers, oldest registration first: a regulator's list and an agency's own.
CREATE INDEX workers_created ON workers (created_at, id);
CREATE INDEX workers_agency_created ON workers (agency_id, created_at, id);

-- Placements, newest first: a regulator's list and each party's own.
CREATE INDEX placements_created_id ON placements (created_at, id);
CREATE INDEX placements_agency_created ON placements (agency_id, created_at, id);
CREATE INDEX placements_employer_created ON placements (employer_id, created_at, id);
CREATE INDEX placements_worker_created ON placements (worker_id, created_at, id);
CREATE INDEX placements_status_created ON placements (status, created_at, id);
-- A page of placements reads its crossings at once.
CREATE INDEX border_events_placement ON border_events (placement_id, at);

-- Regulators' alerts, newest first.
CREATE INDEX alerts_raised ON alerts (raised_at, id);

-- Cases, newest first.
CREATE INDEX cases_opened_id ON cases (opened_at, id);

-- Employers, oldest first (the API) and pending first (the regulator's desk); agencies.
CREATE INDEX employers_created ON employers (created_at, id);
CREATE INDEX employers_status_created ON employers (status, created_at, id);
CREATE INDEX agencies_created ON agencies (created_at, id);
