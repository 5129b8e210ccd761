DROP INDEX users_org;
