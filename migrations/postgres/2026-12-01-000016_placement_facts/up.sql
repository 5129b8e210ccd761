-- The placement indicators (offers, acceptances and positions filled, declines, departures,
-- returns on time and late, the agreed wage) read each placement's milestones as facts kept
-- when they happen: the fact, its day in China, and the keys they break down by — the
-- placement's worksite, occupation, home province and agency as they were that day — so
-- that no question joins a season's placements to their vacancies and workers. A placement
-- has each fact once, on its first day. The services keep it as they write; this fills it
-- from what is recorded.
CREATE TABLE placement_facts (
    fact TEXT NOT NULL CHECK (fact IN ('offered', 'accepted', 'declined', 'departed',
                                       'returned_on_time', 'returned_late')),
    day DATE NOT NULL,
    placement_id TEXT NOT NULL REFERENCES placements (id),
    region_code TEXT NOT NULL,
    occupation_code TEXT NOT NULL,
    home_province_code TEXT NOT NULL,
    agency_id TEXT NOT NULL,
    worker_id TEXT NOT NULL,
    -- Accepted: the accepted contract's hourly wage (equivalent) and floor.
    hourly_fen BIGINT,
    floor_hourly_fen BIGINT,
    PRIMARY KEY (fact, day, placement_id)
);
CREATE UNIQUE INDEX placement_facts_once ON placement_facts (placement_id, fact);

INSERT INTO placement_facts (fact, day, placement_id, region_code, occupation_code, home_province_code,
                             agency_id, worker_id, hourly_fen, floor_hourly_fen)
WITH milestones AS (
    SELECT 'offered' AS fact, CAST(created_at + INTERVAL '8 hours' AS DATE) AS day, id AS placement_id,
           CAST(NULL AS BIGINT) AS hourly_fen, CAST(NULL AS BIGINT) AS floor_hourly_fen FROM placements
    UNION ALL
    SELECT 'accepted', CAST(first_accepted_at + INTERVAL '8 hours' AS DATE), id, agreed_hourly_fen, agreed_floor_hourly_fen
      FROM placements WHERE first_accepted_at IS NOT NULL
    UNION ALL
    SELECT 'declined', CAST(MIN(at) + INTERVAL '8 hours' AS DATE), placement_id, NULL, NULL
      FROM placement_events WHERE to_status = 'declined' GROUP BY placement_id
    UNION ALL
    SELECT 'departed', CAST(at + INTERVAL '8 hours' AS DATE), placement_id, NULL, NULL FROM border_events WHERE kind = 'departure'
    UNION ALL
    SELECT CASE WHEN returned_on_time THEN 'returned_on_time' ELSE 'returned_late' END, returned_on,
           placement_id, NULL, NULL
      FROM worker_returns wr WHERE placement_id IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM worker_returns earlier WHERE earlier.placement_id = wr.placement_id
             AND (earlier.returned_on < wr.returned_on OR (earlier.returned_on = wr.returned_on AND earlier.id < wr.id)))
)
SELECT m.fact, m.day, m.placement_id, v.region_code, v.occupation_code, w.home_province_code, p.agency_id,
       p.worker_id, m.hourly_fen, m.floor_hourly_fen
  FROM milestones m JOIN placements p ON p.id = m.placement_id
  JOIN vacancies v ON v.id = p.vacancy_id JOIN workers w ON w.id = p.worker_id;

-- The statistics no longer read the placements by their first acceptance.
DROP INDEX placements_first_accepted;
