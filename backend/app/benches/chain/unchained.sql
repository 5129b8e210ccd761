-- The same two rows written with no lock shared between writers.
BEGIN;
INSERT INTO other (v) VALUES (repeat('x', 200));
INSERT INTO other (v) VALUES (repeat('y', 200));
COMMIT;
