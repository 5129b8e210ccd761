-- Returns count on the day of the crossing in China (STATISTICS.md), as the return service
-- now records them: earlier rows kept the crossing's UTC day. Whether a return was on time
-- stays as the service decided it then.
UPDATE worker_returns SET returned_on = (
    SELECT date(MIN(b.at), '+8 hours') FROM border_events b
     WHERE b.placement_id = worker_returns.placement_id AND b.kind = 'return')
WHERE EXISTS (SELECT 1 FROM border_events b
               WHERE b.placement_id = worker_returns.placement_id AND b.kind = 'return');

-- The return indicators read the returns by their day.
CREATE INDEX worker_returns_returned_on ON worker_returns (returned_on);
CREATE INDEX worker_returns_placement ON worker_returns (placement_id);
