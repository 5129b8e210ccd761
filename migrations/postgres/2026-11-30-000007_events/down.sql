ALTER TABLE users DROP COLUMN language;
DROP TABLE event_marks;
DROP TABLE notices;
DROP TABLE deliveries;
DROP TABLE partners;
DROP TABLE events;
DROP TABLE event_head;
