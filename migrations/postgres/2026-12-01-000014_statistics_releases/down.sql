DROP TRIGGER statistics_releases_unchanged ON statistics_releases;
DROP FUNCTION statistics_releases_unchanged();
DROP TABLE statistics_releases;
