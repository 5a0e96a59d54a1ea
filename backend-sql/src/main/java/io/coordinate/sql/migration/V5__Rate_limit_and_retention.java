package io.coordinate.sql.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Rate limits and retention. On work_spec: the limit ({@code rate_limit}, {@code rate_burst}), its
 * token bucket ({@code rate_tokens} at {@code rate_as_of_us}; null while full) and the retention
 * policy (durations in microseconds, 0 keeps forever; counts, 0 keeps all). On work_unit: {@code
 * ended_us}, when a finished or failed unit's active attempt ended, copied from the attempt so that
 * "the oldest finished units of a spec" is one index range.
 *
 * <p>In Java because the index differs: PostgreSQL indexes only finished and failed units (a
 * partial index, which adds and leases never touch); H2 has no partial indexes and indexes all.
 */
public final class V5__Rate_limit_and_retention extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE work_spec ADD COLUMN rate_limit DOUBLE PRECISION DEFAULT 0 NOT NULL");
      s.execute("ALTER TABLE work_spec ADD COLUMN rate_burst INT DEFAULT 0 NOT NULL");
      s.execute("ALTER TABLE work_spec ADD COLUMN rate_tokens DOUBLE PRECISION");
      s.execute("ALTER TABLE work_spec ADD COLUMN rate_as_of_us BIGINT");
      s.execute("ALTER TABLE work_spec ADD COLUMN retain_finished_us BIGINT DEFAULT 0 NOT NULL");
      s.execute("ALTER TABLE work_spec ADD COLUMN retain_finished_count INT DEFAULT 0 NOT NULL");
      s.execute("ALTER TABLE work_spec ADD COLUMN retain_failed_us BIGINT DEFAULT 0 NOT NULL");
      s.execute("ALTER TABLE work_spec ADD COLUMN retain_failed_count INT DEFAULT 0 NOT NULL");
      s.execute("ALTER TABLE work_unit ADD COLUMN ended_us BIGINT");
      s.execute(
          "UPDATE work_unit SET ended_us = (SELECT COALESCE(a.end_us, a.start_us) FROM attempt a"
              + " WHERE a.id = work_unit.active_attempt_id) WHERE status IN (3, 4)");
      s.execute(
          "CREATE INDEX work_unit_ended ON work_unit (spec_id, status, ended_us, id)"
              + (postgres ? " WHERE status >= 3" : ""));
    }
  }
}
