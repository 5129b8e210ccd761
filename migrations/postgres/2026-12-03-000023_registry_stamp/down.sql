DROP TRIGGER workers_stamp_delete ON workers;
DROP TRIGGER workers_stamp_update_old ON workers;
DROP TRIGGER workers_stamp_update ON workers;
DROP TRIGGER workers_stamp_insert ON workers;
DROP FUNCTION workers_stamp_old();
DROP FUNCTION workers_stamp_new();
ALTER TABLE agencies DROP COLUMN registry_stamp;
