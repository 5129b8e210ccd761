-- Ratings that count: after its return a worker rates its agency and its employer, once each
-- per placement (1 to 5, and a text the public reads only once a regulator approved it).
CREATE TABLE ratings (
    id TEXT PRIMARY KEY,
    placement_id TEXT NOT NULL REFERENCES placements (id),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('agency', 'employer')),
    subject_id TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    text TEXT,
    text_status TEXT NOT NULL CHECK (text_status IN ('none', 'pending', 'approved', 'rejected')),
    created_at TIMESTAMP NOT NULL,
    moderated_by TEXT REFERENCES users (id),
    moderated_at TIMESTAMP,
    UNIQUE (placement_id, subject_kind)
);
CREATE INDEX ratings_subject ON ratings (subject_kind, subject_id);
CREATE INDEX ratings_text_status ON ratings (text_status, created_at);
