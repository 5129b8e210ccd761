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

-- The payslip indicators read payslips tallied by the keys they break down by, at two spans:
-- each day paid, and each month (`paid_on` its first day). A question over whole months reads
-- the months' tallies, its first and last part-months the days': a season's ten years by
-- month reads a few tens of thousands of tallies, not every day's. Otherwise as
-- `payslip_days` was, which they replace: sums, and who was paid — `workers` counts the
-- distinct workers up to five (5 = five or more), `w1`…`w4` name them while they are four or
-- fewer. The payslip service keeps both spans as it writes.
CREATE TABLE payslip_tallies (
    span TEXT NOT NULL CHECK (span IN ('day', 'month')),
    paid_on DATE NOT NULL,
    region_code TEXT NOT NULL,
    occupation_code TEXT NOT NULL,
    home_province_code TEXT NOT NULL,
    agency_id TEXT NOT NULL,
    payslips BIGINT NOT NULL,
    gross_fen BIGINT NOT NULL,
    net_fen BIGINT NOT NULL,
    compliant BIGINT NOT NULL,
    workers INTEGER NOT NULL CHECK (workers BETWEEN 1 AND 5),
    w1 TEXT,
    w2 TEXT,
    w3 TEXT,
    w4 TEXT,
    PRIMARY KEY (span, paid_on, region_code, occupation_code, home_province_code, agency_id)
);

INSERT INTO payslip_tallies (span, paid_on, region_code, occupation_code, home_province_code, agency_id,
                             payslips, gross_fen, net_fen, compliant, workers, w1, w2, w3, w4)
WITH keyed AS (
    SELECT ps.paid_on, v.region_code, v.occupation_code, w.home_province_code, p.agency_id, p.worker_id,
           ps.gross_fen, ps.net_fen, CASE WHEN ps.compliant THEN 1 ELSE 0 END AS compliant
      FROM payslips ps JOIN placements p ON p.id = ps.placement_id
      JOIN vacancies v ON v.id = p.vacancy_id JOIN workers w ON w.id = p.worker_id
), paid AS (
    SELECT 'day' AS span, paid_on, region_code, occupation_code, home_province_code, agency_id, worker_id,
           gross_fen, net_fen, compliant FROM keyed
    UNION ALL
    SELECT 'month', CAST(date_trunc('month', paid_on) AS DATE), region_code, occupation_code, home_province_code, agency_id,
           worker_id, gross_fen, net_fen, compliant FROM keyed
), ranked AS (
    SELECT span, paid_on, region_code, occupation_code, home_province_code, agency_id, worker_id,
           DENSE_RANK() OVER (PARTITION BY span, paid_on, region_code, occupation_code, home_province_code, agency_id ORDER BY worker_id) AS n
      FROM paid
)
SELECT t.span, t.paid_on, t.region_code, t.occupation_code, t.home_province_code, t.agency_id,
       t.payslips, t.gross_fen, t.net_fen, t.compliant, k.workers,
       CASE WHEN k.workers < 5 THEN k.w1 END, CASE WHEN k.workers < 5 THEN k.w2 END,
       CASE WHEN k.workers < 5 THEN k.w3 END, CASE WHEN k.workers < 5 THEN k.w4 END
  FROM (SELECT span, paid_on, region_code, occupation_code, home_province_code, agency_id, COUNT(*) AS payslips,
               SUM(gross_fen) AS gross_fen, SUM(net_fen) AS net_fen, SUM(compliant) AS compliant
          FROM paid GROUP BY span, paid_on, region_code, occupation_code, home_province_code, agency_id) t
  JOIN (SELECT span, paid_on, region_code, occupation_code, home_province_code, agency_id,
               CASE WHEN MAX(n) > 5 THEN 5 ELSE MAX(n) END AS workers,
               MAX(CASE WHEN n = 1 THEN worker_id END) AS w1, MAX(CASE WHEN n = 2 THEN worker_id END) AS w2,
               MAX(CASE WHEN n = 3 THEN worker_id END) AS w3, MAX(CASE WHEN n = 4 THEN worker_id END) AS w4
          FROM ranked GROUP BY span, paid_on, region_code, occupation_code, home_province_code, agency_id) k
    ON k.span = t.span AND k.paid_on = t.paid_on AND k.region_code = t.region_code
   AND k.occupation_code = t.occupation_code AND k.home_province_code = t.home_province_code
   AND k.agency_id = t.agency_id;

DROP TABLE payslip_days;
