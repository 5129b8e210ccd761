PRAGMA defer_foreign_keys = ON;
CREATE TABLE employers_old (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    registration_no TEXT NOT NULL UNIQUE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    status TEXT NOT NULL CHECK (status IN ('pending', 'verified')),
    verified_at TIMESTAMP,
    verified_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
INSERT INTO employers_old (id, name, registration_no, region_code, status, verified_at, verified_by, created_at)
    SELECT id, name, registration_no, region_code,
           CASE WHEN status = 'suspended' THEN 'verified' ELSE status END, verified_at, verified_by, created_at
    FROM employers;
DROP TABLE employers;
ALTER TABLE employers_old RENAME TO employers;
CREATE INDEX employers_created ON employers (created_at, id);
CREATE INDEX employers_status_created ON employers (status, created_at, id);
