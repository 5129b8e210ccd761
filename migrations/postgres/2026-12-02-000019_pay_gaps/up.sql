-- Pay that never came (issue 18): a pay period (the 1st–15th or the 16th–last of a month,
-- clipped to the days worked) still unreported a grace period after it ended. The daily pay
-- watch writes one row per such period, with the wage case it opened or extended; a payslip
-- that covers the period's days settles it.
CREATE TABLE pay_gaps (
    placement_id TEXT NOT NULL REFERENCES placements (id),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    employer_id TEXT NOT NULL REFERENCES employers (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    found_at TIMESTAMP NOT NULL,
    settled_at TIMESTAMP,
    PRIMARY KEY (placement_id, period_start),
    CHECK (period_end >= period_start)
);
CREATE INDEX pay_gaps_employer ON pay_gaps (employer_id, settled_at);
CREATE INDEX pay_gaps_case ON pay_gaps (case_id);
