DROP TRIGGER workers_stamp_delete;
DROP TRIGGER workers_stamp_update;
DROP TRIGGER workers_stamp_insert;
ALTER TABLE agencies DROP COLUMN registry_stamp;
