-- The scheme is bilateral: each side's authority decides what that side decides (docs/domain.md,
-- "Authorities"). China's side verifies employers, keeps the wage floors and issues and revokes
-- work permits; Viet Nam's side licenses Vietnamese agencies (a Chinese agency, China's side).
-- A regulator account belongs to one authority: its users.org_id names it. A provincial
-- authority has its region; a national one has none.
CREATE TABLE authorities (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL CHECK (country IN ('CN', 'VN')),
    region_code TEXT REFERENCES regions (code),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX authorities_country ON authorities (country);

-- One national authority per country, with fixed ids (86 and 84: the countries' calling codes).
INSERT INTO authorities (id, name, country, region_code, created_at) VALUES
('00000000-0000-7000-8000-000000000086', 'China — national authority', 'CN', NULL, '2026-11-30 00:00:00'),
('00000000-0000-7000-8000-000000000084', 'Viet Nam — national authority', 'VN', NULL, '2026-11-30 00:00:00');

-- Every regulator so far acted for the Chinese side (it verified employers, kept floors and
-- issued permits): it stays there.
UPDATE users SET org_id = '00000000-0000-7000-8000-000000000086' WHERE role = 'regulator' AND org_id IS NULL;
