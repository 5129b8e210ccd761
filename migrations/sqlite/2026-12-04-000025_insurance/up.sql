-- Insurance stated and verified: a vacancy may state the work-injury and return insurance its
-- contracts carry (the premium paid by the employer or the agency, never the worker); the
-- contract's terms snapshot it.
CREATE TABLE vacancy_insurance (
    vacancy_id TEXT PRIMARY KEY REFERENCES vacancies (id),
    insurer TEXT NOT NULL,
    policy_number TEXT NOT NULL,
    work_injury_cover_fen BIGINT NOT NULL CHECK (work_injury_cover_fen > 0),
    return_cover_fen BIGINT NOT NULL CHECK (return_cover_fen > 0),
    paid_by TEXT NOT NULL CHECK (paid_by IN ('employer', 'agency'))
);

-- The permit desk's verification of the insurance a contract states, by the SHA-256 of that
-- insurance: an amendment that changes it needs a new verification, one that keeps it does not.
CREATE TABLE insurance_checks (
    placement_id TEXT NOT NULL REFERENCES placements (id),
    insurance_sha256 TEXT NOT NULL,
    verified_by TEXT NOT NULL REFERENCES users (id),
    verified_at TIMESTAMP NOT NULL,
    PRIMARY KEY (placement_id, insurance_sha256)
);
