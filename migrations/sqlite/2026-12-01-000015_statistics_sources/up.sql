-- Returns count on the day of the crossing in China (STATISTICS.md), as the return service
-- now records them: earlier rows kept the crossing's UTC day. Whether a return was on time
-- stays as the service decided it then.
UPDATE worker_returns SET returned_on = (
    SELECT date(MIN(b.at), '+8 hours') FROM border_events b
     WHERE b.placement_id = worker_returns.placement_id AND b.kind = 'return')
WHERE EXISTS (SELECT 1 FROM border_events b
               WHERE b.placement_id = worker_returns.placement_id AND b.kind = 'return');

-- The return indicators read the returns by their day.
CREATE INDEX worker_returns_returned_on ON worker_returns (returned_on);
CREATE INDEX worker_returns_placement ON worker_returns (placement_id);

-- The payslip indicators read payslips tallied by the day they were paid and the keys they
-- break down by (the placement's worksite, occupation, home province and agency): sums,
-- and who was paid, enough to tell a cell of one to four people from a bigger one —
-- `workers` counts the distinct workers up to five (5 = five or more), `w1`…`w4` name them
-- while they are four or fewer. The payslip service keeps it as it writes.
CREATE TABLE payslip_days (
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
    PRIMARY KEY (paid_on, region_code, occupation_code, home_province_code, agency_id)
);
INSERT INTO payslip_days (paid_on, region_code, occupation_code, home_province_code, agency_id,
                          payslips, gross_fen, net_fen, compliant, workers, w1, w2, w3, w4)
WITH paid AS (
    SELECT ps.paid_on, v.region_code, v.occupation_code, w.home_province_code, p.agency_id, p.worker_id,
           ps.gross_fen, ps.net_fen, CASE WHEN ps.compliant THEN 1 ELSE 0 END AS compliant
      FROM payslips ps JOIN placements p ON p.id = ps.placement_id
      JOIN vacancies v ON v.id = p.vacancy_id JOIN workers w ON w.id = p.worker_id
), ranked AS (
    SELECT paid_on, region_code, occupation_code, home_province_code, agency_id, worker_id,
           DENSE_RANK() OVER (PARTITION BY paid_on, region_code, occupation_code, home_province_code, agency_id
                              ORDER BY worker_id) AS n
      FROM paid
)
SELECT t.paid_on, t.region_code, t.occupation_code, t.home_province_code, t.agency_id,
       t.payslips, t.gross_fen, t.net_fen, t.compliant, k.workers,
       CASE WHEN k.workers < 5 THEN k.w1 END, CASE WHEN k.workers < 5 THEN k.w2 END,
       CASE WHEN k.workers < 5 THEN k.w3 END, CASE WHEN k.workers < 5 THEN k.w4 END
  FROM (SELECT paid_on, region_code, occupation_code, home_province_code, agency_id, COUNT(*) AS payslips,
               SUM(gross_fen) AS gross_fen, SUM(net_fen) AS net_fen, SUM(compliant) AS compliant
          FROM paid GROUP BY paid_on, region_code, occupation_code, home_province_code, agency_id) t
  JOIN (SELECT paid_on, region_code, occupation_code, home_province_code, agency_id,
               CASE WHEN MAX(n) > 5 THEN 5 ELSE MAX(n) END AS workers,
               MAX(CASE WHEN n = 1 THEN worker_id END) AS w1, MAX(CASE WHEN n = 2 THEN worker_id END) AS w2,
               MAX(CASE WHEN n = 3 THEN worker_id END) AS w3, MAX(CASE WHEN n = 4 THEN worker_id END) AS w4
          FROM ranked GROUP BY paid_on, region_code, occupation_code, home_province_code, agency_id) k
    ON k.paid_on = t.paid_on AND k.region_code = t.region_code AND k.occupation_code = t.occupation_code
   AND k.home_province_code = t.home_province_code AND k.agency_id = t.agency_id;

-- A placement's first acceptance (positions filled, acceptances and the agreed wage count by
-- it), kept on the placement: the instant, the contract version, and that version's wage and
-- floor, so that the statistics read neither every acceptance nor every contract's JSON.
ALTER TABLE placements ADD COLUMN first_accepted_at TIMESTAMP;
ALTER TABLE placements ADD COLUMN first_accepted_version INTEGER;
ALTER TABLE placements ADD COLUMN agreed_hourly_fen BIGINT;
ALTER TABLE placements ADD COLUMN agreed_floor_hourly_fen BIGINT;
UPDATE placements SET
    first_accepted_at = (SELECT ca.accepted_at FROM contract_acceptances ca
                          WHERE ca.placement_id = placements.id ORDER BY ca.accepted_at, ca.id LIMIT 1),
    first_accepted_version = (SELECT ca.version FROM contract_acceptances ca
                               WHERE ca.placement_id = placements.id ORDER BY ca.accepted_at, ca.id LIMIT 1);
UPDATE placements SET
    agreed_hourly_fen = (SELECT CAST(json_extract(c.terms, '$.hourly_equivalent_fen') AS INTEGER) FROM contracts c
                          WHERE c.placement_id = placements.id AND c.version = placements.first_accepted_version),
    agreed_floor_hourly_fen = (SELECT CAST(json_extract(c.terms, '$.floor.hourly_fen') AS INTEGER) FROM contracts c
                                WHERE c.placement_id = placements.id AND c.version = placements.first_accepted_version)
WHERE first_accepted_version IS NOT NULL;
CREATE INDEX placements_first_accepted ON placements (first_accepted_at);
