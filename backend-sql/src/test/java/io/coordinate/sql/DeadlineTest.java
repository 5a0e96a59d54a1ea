package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.RequestTimeoutException;
import io.coordinate.api.Deadline;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request's deadline starts when the server reads it ({@link Deadline}): a request that cannot
 * get a database connection before it fails with a clear timeout and changes nothing, and however
 * many threads share a small pool, it never deadlocks.
 */
class DeadlineTest {
  @RegisterExtension final TestStores stores = new TestStores();

  /** An in-memory H2 database whose lock waits outlast the test's deadlines. */
  private static SqlConfig h2WithLongLockWaits() {
    return new SqlConfig(
        "jdbc:h2:mem:deadline-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000",
        null, null, SqlConfig.MIN_POOL_SIZE, null, Duration.ofSeconds(10), null);
  }

  @Test
  void aRequestThatCannotGetAConnectionBeforeItsDeadlineFailsClearly() throws Exception {
    SqlConfig config = h2WithLongLockWaits();
    Namespace ns = stores.open(config).namespace("n");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    List<Thread> holders = new ArrayList<>();
    // Another client locks the spec's row: adds to the spec wait for it, each holding one of the
    // pool's two connections meanwhile.
    try (Connection other = DriverManager.getConnection(config.jdbcUrl())) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement();
          ResultSet r = s.executeQuery("SELECT id FROM work_spec WHERE name = 's' FOR UPDATE")) {
        assertThat(r.next()).isTrue();
      }
      CountDownLatch started = new CountDownLatch(2);
      for (int i = 0; i < 2; i++) {
        String key = "held-" + i;
        holders.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      started.countDown();
                      spec.addWorkUnits(List.of(NewWorkUnit.of(key, Map.of())));
                    }));
      }
      started.await();
      Thread.sleep(500); // both adds now wait for the lock, holding the pool's connections

      long start = System.nanoTime();
      assertThatThrownBy(
              () -> Deadline.within(start, Duration.ofMillis(300), () -> ns.workSpecNames()))
          .isInstanceOf(RequestTimeoutException.class)
          .hasMessageContaining("request timed out")
          .hasMessageContaining("database connection");
      long waited = System.nanoTime() - start;
      assertThat(Duration.ofNanos(waited)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));

      // Read 250 ms ago with a 300 ms budget: only what is left of it is spent waiting here.
      long readEarlier = System.nanoTime() - Duration.ofMillis(250).toNanos();
      long before = System.nanoTime();
      assertThatThrownBy(
              () -> Deadline.within(readEarlier, Duration.ofMillis(300), () -> ns.workSpecNames()))
          .isInstanceOf(RequestTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(250));
      other.rollback();
    }
    for (Thread t : holders) {
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
    }
    // The pool serves again, and the waiting adds went through.
    assertThat(spec.meta(true).availableCount()).isEqualTo(2);
  }

  @Test
  void aRequestWhoseDeadlineHasPassedChangesNothing() {
    WorkSpec spec = stores.open(SqlConfig.h2Memory("deadline-" + UUID.randomUUID()))
        .namespace("n").setWorkSpec(Map.of("name", "s"));
    long readLongAgo = System.nanoTime() - Duration.ofSeconds(2).toNanos();
    assertThatThrownBy(
            () ->
                Deadline.within(
                    readLongAgo,
                    Duration.ofSeconds(1),
                    () -> {
                      spec.addWorkUnits(List.of(NewWorkUnit.of("late", Map.of())));
                      return null;
                    }))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining("nothing was changed");
    assertThat(spec.meta(true).availableCount()).isZero();
    assertThat(Deadline.isSet()).as("the deadline ends with its request").isFalse();
  }

  @Test
  void manyThreadsOnASmallPoolNeverDeadlock() throws Exception {
    SqlConfig config = SqlConfig.h2Memory("deadline-" + UUID.randomUUID()).withPoolSize(2);
    Namespace ns = stores.open(config).namespace("n");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    // Every kind of call at once from 48 threads over 2 connections, each under a deadline long
    // enough that only a deadlock (a thread holding one connection and waiting for another)
    // would make it fail.
    Threads.run(
        48,
        Duration.ofSeconds(120),
        id -> {
          for (int i = 0; i < 25; i++) {
            int round = i;
            Deadline.within(
                System.nanoTime(),
                Duration.ofSeconds(60),
                () -> {
                  spec.addWorkUnits(List.of(NewWorkUnit.of(id + "-" + round, Map.of("i", round))));
                  for (Attempt a : ns.worker("w" + id).requestAttempts(AttemptRequest.of(2))) {
                    a.finish(null);
                  }
                  spec.meta(true);
                  ns.workSpecNames();
                  return null;
                });
          }
        });
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(48 * 25);
  }
}
