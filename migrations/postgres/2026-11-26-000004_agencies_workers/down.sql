DROP TABLE worker_returns;
DROP TABLE worker_languages;
DROP TABLE worker_skills;
DROP TABLE workers;
DROP TABLE licence_events;
DROP TABLE agencies;
