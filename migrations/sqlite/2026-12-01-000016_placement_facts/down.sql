CREATE INDEX placements_first_accepted ON placements (first_accepted_at);
DROP TABLE placement_facts;
