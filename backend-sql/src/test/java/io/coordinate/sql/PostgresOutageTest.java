package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A database outage, played with a {@link TcpProxy} between the backend and PostgreSQL: calls fail
 * fast with {@link BackendUnavailableException} naming the database in one line, no thread is left
 * stuck, and once the proxy forwards again the same backend works by itself. Every wait is bounded
 * by a deadline; nothing sleeps through the outage.
 */
@EnabledIfEnvironmentVariable(named = TestStores.PG_URL_VARIABLE, matches = ".+")
class PostgresOutageTest {
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
  /** The longest a failing call may take: the connection timeout and room for a slow machine. */
  private static final Duration FAIL_FAST = CONNECTION_TIMEOUT.plusSeconds(4);
  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension final TestStores stores = new TestStores();

  private TcpProxy proxy;

  @AfterEach
  void closeProxy() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
  }

  /** A new schema on the test server, reached through a new proxy. */
  private SqlConfig throughProxy() throws Exception {
    SqlConfig direct = stores.postgresSchema();
    URI server = URI.create(direct.jdbcUrl().substring("jdbc:".length()));
    proxy = new TcpProxy(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort());
    String url =
        "jdbc:postgresql://127.0.0.1:" + proxy.port() + server.getRawPath()
            + (server.getRawQuery() == null ? "" : "?" + server.getRawQuery());
    // More connections than the test's threads: a call waits for a connection only in an outage.
    return new SqlConfig(
        url, direct.user(), direct.password(), 12, direct.schema(), CONNECTION_TIMEOUT, null);
  }

  private static void assertIsAShortOutageMessage(BackendUnavailableException e, SqlConfig config) {
    // "cannot reach database …: why", or while the pool reopens connections "no connection to
    // database … within 1000 ms (…)".
    assertThat(e.getMessage())
        .containsAnyOf(
            "cannot reach database " + config.describe() + ": ",
            "no connection to database " + config.describe() + " within ")
        .doesNotContain("\n")
        .hasSizeLessThan(400);
    assertThat(config.describe()).startsWith("postgresql://127.0.0.1:");
  }

  @Test
  void callsFailFastDuringAnOutageAndTheSameBackendRecoversByItself() throws Exception {
    SqlConfig config = throughProxy();
    SqlCoordinate coordinate = stores.open(config);
    Namespace ns = coordinate.namespace("outage");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    List<NewWorkUnit> units = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      units.add(NewWorkUnit.of("u" + i, Map.of()));
    }
    spec.addWorkUnits(units);

    int n = 8;
    // 0 before the cut, 1 cut, 2 restored; set before cutting and after restoring, so a failure
    // in phase 0 is a real one and a call that starts in phase 2 runs on a working proxy.
    AtomicInteger phase = new AtomicInteger();
    CountDownLatch workingBefore = new CountDownLatch(n);
    CountDownLatch failedDuring = new CountDownLatch(n);
    CountDownLatch workingAfter = new CountDownLatch(n);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong slowestFailure = new AtomicLong();
    ConcurrentLinkedQueue<BackendUnavailableException> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Worker w = ns.worker("w" + i);
      threads.add(
          Thread.ofPlatform()
              .name("outage-" + i)
              .daemon()
              .start(
                  () -> {
                    boolean[] counted = new boolean[3];
                    while (!stop.get()) {
                      int p = phase.get();
                      long start = System.nanoTime();
                      try {
                        for (Attempt a : w.requestAttempts(AttemptRequest.of(2))) {
                          a.finish(null);
                        }
                        if (p != 1 && !counted[p]) {
                          counted[p] = true;
                          (p == 0 ? workingBefore : workingAfter).countDown();
                        }
                      } catch (BackendUnavailableException e) {
                        slowestFailure.accumulateAndGet(System.nanoTime() - start, Math::max);
                        failures.add(e);
                        int now = phase.get(); // a call may start before the cut, fail after it
                        if (now == 0) {
                          unexpected.add(e);
                        } else if (now == 1 && !counted[1]) {
                          counted[1] = true;
                          failedDuring.countDown();
                        }
                      } catch (Throwable t) {
                        unexpected.add(t);
                        return;
                      }
                    }
                  }));
    }
    try {
      assertThat(workingBefore.await(PHASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("every thread works before the outage")
          .isTrue();

      phase.set(1);
      proxy.cut();
      long start = System.nanoTime();
      assertThatThrownBy(() -> ns.worker("probe").requestAttempts(AttemptRequest.one()))
          .isInstanceOfSatisfying(
              BackendUnavailableException.class, e -> assertIsAShortOutageMessage(e, config));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_FAST);
      assertThat(failedDuring.await(PHASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("every thread gets an error during the outage, none is stuck")
          .isTrue();

      proxy.restore();
      phase.set(2);
      assertThat(workingAfter.await(PHASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("every thread works again after the outage")
          .isTrue();
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join(PHASE_TIMEOUT.toMillis());
      }
    }
    assertThat(threads).noneMatch(Thread::isAlive);
    assertThat(unexpected).isEmpty();
    assertThat(failures).isNotEmpty();
    for (BackendUnavailableException e : failures) {
      assertIsAShortOutageMessage(e, config);
    }
    assertThat(Duration.ofNanos(slowestFailure.get())).isLessThan(FAIL_FAST);
    // Recovered for good: the pool holds no broken connection any more.
    Worker after = ns.worker("after");
    for (int i = 0; i < 20; i++) {
      for (Attempt a : after.requestAttempts(AttemptRequest.one())) {
        a.finish(null);
      }
    }
    assertThat(spec.meta(true).counts()).isPresent();
  }

  @Test
  void openingWhileTheDatabaseIsDownFailsFastAndOpeningLaterWorks() throws Exception {
    SqlConfig config = throughProxy();
    proxy.cut();
    long start = System.nanoTime();
    assertThatThrownBy(() -> SqlCoordinate.open(config))
        .isInstanceOfSatisfying(
            BackendUnavailableException.class, e -> assertIsAShortOutageMessage(e, config));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_FAST);

    proxy.restore();
    SqlCoordinate coordinate = stores.open(config);
    assertThat(coordinate.namespace("n").workSpecNames()).isEmpty();
  }
}
