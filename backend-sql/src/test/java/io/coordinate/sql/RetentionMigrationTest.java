package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.RateLimit;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.conformance.MutableClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store created before rate limits and retention: the migration gives its specs no limit and
 * keep-everything, and its finished and failed units the end time of their last attempt, so that
 * retention orders them as it does units ended later.
 */
class RetentionMigrationTest {
  @RegisterExtension final TestStores stores = new TestStores();

  @Test
  void unitsEndedBeforeTheMigrationAreArchivedByTheirAttemptsEnd() throws Exception {
    SqlConfig config = stores.h2File();
    Flyway.configure()
        .dataSource(config.jdbcUrl(), config.user(), config.password())
        .locations("classpath:io/coordinate/sql/migration")
        .placeholders(Map.of("bytes", "VARBINARY"))
        .target("3")
        .load()
        .migrate();
    long t0 = SqlStore.micros(MutableClock.START);
    byte[] empty = SqlStore.cbor(Map.of());
    try (Connection c = TestStores.connect(config);
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO namespace (id, name) VALUES (1, 'ns')");
      s.execute("INSERT INTO work_spec (id, namespace_id, name, definition, priority, weight,"
          + " paused, continuous, can_be_continuous, interval_us, next_continuous_us, max_running,"
          + " max_getwork, max_retries, next_work_spec, runtime, min_gb) VALUES (1, 1, 's', X'"
          + hex(SqlStore.cbor(Map.of("name", "s"))) + "', 0, 20, FALSE, FALSE, FALSE, 0, 0, 0, 0,"
          + " 0, '', '', 0)");
      s.execute("INSERT INTO worker (id, namespace_id, name, mode, data, active, last_update_us,"
          + " expiration_us) VALUES (1, 1, 'w', '', X'" + hex(empty) + "', FALSE, 0, 0)");
      // Units a, b and c finished 3, 2 and 1 hours after t0: their ids and their end times run
      // in opposite orders. d failed 4 hours after t0; e is available.
      String[][] units = {{"a", "3"}, {"b", "2"}, {"c", "1"}, {"d", "4"}};
      long unitId = 1;
      for (String[] u : units) {
        int status = u[0].equals("d") ? 4 : 3;
        long end = t0 + Long.parseLong(u[1]) * 3_600_000_000L;
        long attempt = unitId + 10;
        s.execute("INSERT INTO work_unit (id, spec_id, unit_key, data, priority, status,"
            + " active_attempt_id, attempt_count) VALUES (" + unitId + ", 1, X'"
            + hex(u[0].getBytes()) + "', X'" + hex(empty) + "', 0, " + status + ", " + attempt
            + ", 1)");
        s.execute("INSERT INTO attempt (id, unit_id, worker_id, status, start_us, end_us,"
            + " expiration_us) VALUES (" + attempt + ", " + unitId + ", 1, " + status + ", "
            + (end - 1_000_000) + ", " + end + ", " + (end + 60_000_000) + ")");
        unitId++;
      }
      s.execute("INSERT INTO work_unit (id, spec_id, unit_key, data, priority, status,"
          + " attempt_count) VALUES (9, 1, X'" + hex("e".getBytes()) + "', X'" + hex(empty)
          + "', 0, 1, 0)");
    }

    MutableClock clock = new MutableClock(MutableClock.START.plus(Duration.ofHours(10)));
    SqlCoordinate coordinate = stores.open(config.withClock(clock));
    WorkSpec spec = coordinate.namespace("ns").workSpec("s");
    assertThat(spec.meta(false).rateLimit()).isEqualTo(RateLimit.NONE);
    assertThat(spec.meta(false).retention()).isEqualTo(Retention.NONE);
    assertThat(spec.archive(10)).isZero();

    // Keep the two that ended last: a (3 h after t0) and b (2 h) stay; c (1 h), the last unit in
    // id order, ended first and goes.
    spec.setMeta(spec.meta(false).withRetention(Retention.NONE.withFinishedCount(2)));
    assertThat(spec.archive(10)).isEqualTo(1);
    assertThat(spec.workUnits(WorkUnitQuery.all()).stream().map(u -> u.key().toString()))
        .containsExactly("a", "b", "d", "e");
    // Failed units ended more than 5 h ago: d ended 6 h ago.
    spec.setMeta(spec.meta(false).withRetention(Retention.NONE.withFailedFor(Duration.ofHours(5))));
    assertThat(spec.archive(10)).isEqualTo(1);
    assertThat(spec.workUnits(WorkUnitQuery.all()).stream().map(u -> u.key().toString()))
        .containsExactly("a", "b", "e");
    assertThat(TestStores.count(config, "SELECT COUNT(*) FROM attempt")).isEqualTo(2);
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02X", b));
    }
    return sb.toString();
  }
}
