-- Returns count on the day of the crossing in China (STATISTICS.md), as the return service
-- now records them: earlier rows kept the crossing's UTC day. Whether a return was on time
-- stays as the service decided it then.
UPDATE worker_returns wr SET returned_on = CAST(b.at + INTERVAL '8 hours' AS DATE)
  FROM (SELECT placement_id, MIN(at) AS at FROM border_events WHERE kind = 'return' GROUP BY placement_id) b
 WHERE b.placement_id = wr.placement_id;

-- The return indicators read the returns by their day.
CREATE INDEX worker_returns_returned_on ON worker_returns (returned_on);
CREATE INDEX worker_returns_placement ON worker_returns (placement_id);
