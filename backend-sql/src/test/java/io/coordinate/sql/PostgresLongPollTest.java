package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.scheduling.LongPoll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long-poll across processes on one PostgreSQL database: a request waiting in one backend is woken
 * by work another backend (as another daemon would) adds or gives back, through LISTEN/NOTIFY. The
 * waiting side probes only once a minute here, so only the notification can wake it in time.
 */
@EnabledIfEnvironmentVariable(named = TestStores.PG_URL_VARIABLE, matches = ".+")
class PostgresLongPollTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final TestStores stores = new TestStores();

  private final LongPoll slowProbe = new LongPoll(Duration.ofMinutes(1));

  @AfterEach
  void closeLongPoll() {
    slowProbe.close();
  }

  private List<Namespace> openTwo() {
    SqlConfig config = stores.postgresSchema();
    Namespace waiting = stores.open(config.withLongPoll(slowProbe)).namespace("ns");
    Namespace adding = stores.open(config).namespace("ns");
    return List.of(waiting, adding);
  }

  private static Future<List<Attempt>> waitFor(
      ExecutorService pool, Namespace ns, String worker, String spec) throws Exception {
    Future<List<Attempt>> f =
        pool.submit(
            () ->
                ns.worker(worker)
                    .requestAttempts(AttemptRequest.of(1).withWorkSpecs(spec).withWait(WAIT)));
    long until = System.nanoTime() + 10_000_000_000L;
    while (!f.isDone() && waitingIn(ns) == 0) {
      assertThat(System.nanoTime()).as("the request starts waiting").isLessThan(until);
      Thread.sleep(5);
    }
    assertThat(f).as("waiting, not answered").isNotDone();
    return f;
  }

  private static int waitingIn(Namespace ns) {
    return ((SqlNamespace) ns).store().longPoll().waiting();
  }

  @Test
  void aRequestWaitingInOneBackendGetsAUnitAddedThroughAnotherWithinAHundredMilliseconds()
      throws Exception {
    List<Namespace> two = openTwo();
    WorkSpec spec = two.get(1).setWorkSpec(Map.of("name", "s"));
    int rounds = 25;
    List<Long> micros = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < rounds; i++) {
        Future<List<Attempt>> waiter = waitFor(pool, two.get(0), "w", "s");
        Thread.sleep(20);
        spec.addWorkUnits(List.of(NewWorkUnit.of("u" + i, Map.of())));
        long committed = System.nanoTime();
        List<Attempt> got = waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        micros.add((System.nanoTime() - committed) / 1_000);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).workUnit().key().toString()).isEqualTo("u" + i);
        got.get(0).finish(null);
      }
    }
    List<Long> sorted = micros.stream().sorted().toList();
    long median = sorted.get(sorted.size() / 2);
    System.out.printf(
        "long-poll wake-up across backends on PostgreSQL, %d rounds: median %d µs, min %d µs,"
            + " max %d µs%n",
        rounds, median, sorted.get(0), sorted.get(sorted.size() - 1));
    assertThat(median).as("median wake-up, µs").isLessThan(100_000);
    assertThat(sorted.get(sorted.size() - 1)).as("slowest wake-up, µs").isLessThan(5_000_000);
  }

  @Test
  void aLeaseGivenBackThroughAnotherBackendWakesTheWaiter() throws Exception {
    List<Namespace> two = openTwo();
    WorkSpec spec = two.get(1).setWorkSpec(Map.of("name", "s"));
    spec.addWorkUnits(List.of(NewWorkUnit.of("a", Map.of())));
    Attempt held = two.get(1).worker("holder").requestAttempts(AttemptRequest.one()).get(0);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Attempt>> waiter = waitFor(pool, two.get(0), "w", "s");
      held.expire(null);
      List<Attempt> got = waiter.get(5, TimeUnit.SECONDS);
      assertThat(got).hasSize(1);
      assertThat(got.get(0).workUnit().key().toString()).isEqualTo("a");
    }
  }

  @Test
  void aBackendOnAnotherSchemaIsNotWoken() throws Exception {
    Namespace waiting =
        stores.open(stores.postgresSchema().withLongPoll(slowProbe)).namespace("ns");
    Namespace elsewhere = stores.open(stores.postgresSchema()).namespace("ns");
    waiting.setWorkSpec(Map.of("name", "s"));
    WorkSpec other = elsewhere.setWorkSpec(Map.of("name", "s"));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Attempt>> waiter = waitFor(pool, waiting, "w", "s");
      other.addWorkUnits(List.of(NewWorkUnit.of("there", Map.of())));
      Thread.sleep(500);
      assertThat(waiter).as("the unit is in another schema").isNotDone();
      waiter.cancel(true);
    }
  }
}
