DROP TABLE orientations;
