package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every REST request runs under a deadline counted from its arrival: when the store's connections
 * are all held, a request fails with 503 {@code backend_unavailable} once its time is up, rather
 * than waiting for the pool's own longer timeout; and the server serves again once they are free.
 */
class RequestDeadlineTest {
  @Test
  void aRequestThatCannotGetAConnectionInTimeIsAnswered503() throws Exception {
    // Two connections, a pool timeout far beyond the request's, and lock waits longer still.
    SqlConfig config =
        new SqlConfig(
            "jdbc:h2:mem:rest-deadline-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000",
            null, null, SqlConfig.MIN_POOL_SIZE, null, Duration.ofSeconds(20), null);
    try (SqlCoordinate coordinate = SqlCoordinate.open(config);
        AdminServer server =
            new AdminServer(
                    AdminServer.Settings.loopback(coordinate)
                        .withRequestTimeout(Duration.ofMillis(500)))
                .start();
        Connection other = DriverManager.getConnection(config.jdbcUrl())) {
      WorkSpec spec = coordinate.namespace("n").setWorkSpec(Map.of("name", "s"));
      other.setAutoCommit(false);
      try (Statement s = other.createStatement();
          ResultSet r = s.executeQuery("SELECT id FROM work_spec WHERE name = 's' FOR UPDATE")) {
        assertThat(r.next()).isTrue();
      }
      // Two adds wait for the row lock, each holding one of the pool's two connections.
      List<Thread> holders = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String key = "held-" + i;
        holders.add(
            Thread.ofPlatform().start(() -> spec.addWorkUnits(List.of(NewWorkUnit.of(key, Map.of())))));
      }
      Thread.sleep(500);

      long start = System.nanoTime();
      TestHttp.Answer answer =
          TestHttp.call(server.port(), "GET", "/api/v1/namespaces", null, null);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      TestHttp.assertError(answer, 503, "request_timeout");
      assertThat(answer.body().get("message").asText()).contains("request timed out");
      assertThat(took).as("answered at the request's deadline, not the pool's").isLessThan(Duration.ofSeconds(5));

      other.rollback();
      for (Thread t : holders) {
        t.join(10_000);
      }
      TestHttp.Answer after = TestHttp.call(server.port(), "GET", "/api/v1/namespaces", null, null);
      assertThat(after.status()).isEqualTo(200);
    }
  }
}
