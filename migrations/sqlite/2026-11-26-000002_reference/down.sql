DROP TABLE crossings;
DROP TABLE skills;
DROP TABLE occupations;
DROP TABLE regions;
