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
INSERT INTO payslip_days
SELECT paid_on, region_code, occupation_code, home_province_code, agency_id,
       payslips, gross_fen, net_fen, compliant, workers, w1, w2, w3, w4
  FROM payslip_tallies WHERE span = 'day';
DROP TABLE payslip_tallies;
CREATE INDEX placements_first_accepted ON placements (first_accepted_at);
DROP TABLE placement_facts;
