-- Maintenance mode belongs to the store: every daemon on the database reads this one row.
CREATE TABLE maintenance (
  id        SMALLINT PRIMARY KEY,
  active    BOOLEAN NOT NULL,
  reason    VARCHAR(1000) NOT NULL,
  since_us  BIGINT
);
INSERT INTO maintenance (id, active, reason, since_us) VALUES (1, FALSE, '', NULL);
