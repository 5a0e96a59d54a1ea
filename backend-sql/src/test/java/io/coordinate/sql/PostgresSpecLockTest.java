package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.conformance.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leases of a spec whose limits lock its row ({@code max_running}, a rate limit): one that finds
 * the spec full once it holds the lock lets go of it before it tries another spec, and one that
 * waited for the lock is timed from when it got it. Raw transactions stand in for leases of other
 * daemons holding the locks.
 */
@EnabledIfEnvironmentVariable(named = TestStores.PG_URL_VARIABLE, matches = ".+")
class PostgresSpecLockTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final TestStores stores = new TestStores();

  @Test
  void aSpecFoundFullUnderItsLockIsLetGoBeforeAnotherSpecIsTried() throws Exception {
    SqlConfig config = stores.postgresSchema();
    Namespace ns = stores.open(config).namespace("ns");
    WorkSpec a = ns.setWorkSpec(Map.of("name", "a", "max_running", 1, "priority", 10));
    ns.setWorkSpec(Map.of("name", "b", "max_running", 1));
    a.addWorkUnits(List.of(NewWorkUnit.of("a1", Map.of()), NewWorkUnit.of("a2", Map.of())));
    ns.workSpec("b").addWorkUnits(List.of(NewWorkUnit.of("b1", Map.of())));

    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        Connection fillsA = TestStores.connect(config);
        Connection holdsB = TestStores.connect(config);
        Connection watch = TestStores.connect(config)) {
      fillsA.setAutoCommit(false);
      holdsB.setAutoCommit(false);
      // Another daemon's lease of A, not committed yet: A's row locked, a1 pending.
      lockSpec(fillsA, "a");
      try (Statement s = fillsA.createStatement()) {
        s.executeUpdate("UPDATE work_unit SET status = 2 WHERE unit_key = 'a1'::bytea");
      }
      lockSpec(holdsB, "b");

      // The worker sees A with room (the fill is not committed) and chooses it, A ranking first.
      CompletableFuture<List<Attempt>> lease =
          CompletableFuture.supplyAsync(
              () -> ns.worker("w").requestAttempts(AttemptRequest.one().withWorkSpecs("a", "b")),
              threads);
      awaitBlockedBy(watch, pid(fillsA));
      fillsA.commit(); // now A is full: the worker must let A go and wait for B
      awaitBlockedBy(watch, pid(holdsB));

      // Changing A's meta needs A's row: it must not wait behind the worker's wait for B.
      CompletableFuture<Void> change =
          CompletableFuture.runAsync(() -> a.setMeta(a.meta(false).withWeight(5)), threads);
      try {
        change.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      } finally {
        holdsB.rollback();
      }
      assertThat(lease.isDone()).as("the worker waited for B until B was let go").isFalse();
      List<Attempt> leased = lease.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(leased).singleElement().satisfies(at -> {
        assertThat(at.workUnit().workSpec().name()).isEqualTo("b");
        assertThat(at.workUnit().key().toUtf8()).isEqualTo("b1");
      });
      assertThat(a.meta(false).weight()).isEqualTo(5);
    }
  }

  @Test
  void aLeaseThatWaitedForItsSpecsLockStartsWhenTheLockIsGranted() throws Exception {
    MutableClock clock = new MutableClock();
    SqlConfig config = stores.postgresSchema().withClock(clock);
    Namespace ns = stores.open(config).namespace("ns");
    WorkSpec limited =
        ns.setWorkSpec(Map.of("name", "limited", "rate_limit", 1, "rate_burst", 1));
    limited.addWorkUnits(List.of(NewWorkUnit.of("u", Map.of())));

    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        Connection other = TestStores.connect(config);
        Connection watch = TestStores.connect(config)) {
      other.setAutoCommit(false);
      lockSpec(other, "limited"); // another daemon's lease of the spec, under way
      CompletableFuture<List<Attempt>> lease =
          CompletableFuture.supplyAsync(
              () ->
                  ns.worker("w")
                      .requestAttempts(
                          AttemptRequest.one().withLifetime(Duration.ofMinutes(5))),
              threads);
      awaitBlockedBy(watch, pid(other));
      clock.advance(Duration.ofSeconds(7));
      other.rollback();

      // Timed by the bucket at the lock's grant: a start time before it would let leases that
      // waited land inside a window the bucket already spent.
      Attempt attempt = lease.get(WAIT.toSeconds(), TimeUnit.SECONDS).getFirst();
      assertThat(attempt.startTime()).isEqualTo(MutableClock.START.plusSeconds(7));
      assertThat(attempt.expirationTime()).isEqualTo(MutableClock.START.plusSeconds(7 + 300));
    }
  }

  private static void lockSpec(Connection c, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT id FROM work_spec WHERE name = ? FOR NO KEY UPDATE")) {
      s.setString(1, name);
      s.executeQuery().close();
    }
  }

  private static int pid(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Waits until some session waits for a lock that session {@code pid} holds. */
  private static void awaitBlockedBy(Connection watch, int pid) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end) {
      try (PreparedStatement s =
          watch.prepareStatement(
              "SELECT COUNT(*) FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))")) {
        s.setInt(1, pid);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no session waited for session " + pid + " within " + WAIT);
  }
}
