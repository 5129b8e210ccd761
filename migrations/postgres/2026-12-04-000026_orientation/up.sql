-- Pre-departure orientation: recorded once per placement, by the Vietnamese authority or the
-- agency, with the day it was attended and where. The departure checklist reads it.
CREATE TABLE orientations (
    placement_id TEXT PRIMARY KEY REFERENCES placements (id),
    attended_on DATE NOT NULL,
    place TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
