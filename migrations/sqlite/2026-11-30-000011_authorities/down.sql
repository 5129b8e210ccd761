UPDATE users SET org_id = NULL WHERE role = 'regulator';
DROP INDEX authorities_country;
DROP TABLE authorities;
