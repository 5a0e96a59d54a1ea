package io.coordinate.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import io.coordinate.sql.SqlConfig;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import picocli.CommandLine;

/**
 * Long-poll get_work through the daemon, as a worker sees it over CBOR-RPC: woken by a unit added
 * through another daemon on the same PostgreSQL database, and let go at once when the daemon
 * stops.
 */
class LongPollDaemonTest {
  private static final String PG_URL = "COORDINATE_TEST_PG_URL";

  private static Coordinated.Running start(String... args) throws IOException {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--cborrpc", "127.0.0.1:0", "--http", "off"));
    Coordinated daemon = new Coordinated();
    new CommandLine(daemon).parseArgs(all.toArray(String[]::new));
    return daemon.start();
  }

  private static Map<String, Object> waitingFor(String spec, long seconds) {
    return Map.of(
        "lease_time", 300L, "max_jobs", 1L, "wait", seconds, "work_spec_names", List.of(spec));
  }

  private static Object key(Object getWorkReply) {
    return ((Tuple) ((List<?>) getWorkReply).get(0)).items().get(1);
  }

  @Test
  @EnabledIfEnvironmentVariable(named = PG_URL, matches = ".+")
  void aWorkerWaitingOnOneDaemonGetsAUnitAddedThroughAnotherWithinAHundredMilliseconds()
      throws Exception {
    String url = System.getenv(PG_URL);
    String schema = "lp_" + UUID.randomUUID().toString().replace("-", "");
    Coordinated.Running waiting = start("--backend", url, "--schema", schema);
    Coordinated.Running adding = null;
    List<Long> micros = new ArrayList<>();
    try (Rpc worker = new Rpc(waiting.server().address());
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      adding = start("--backend", url, "--schema", schema);
      try (Rpc adder = new Rpc(adding.server().address())) {
        adder.call("set_work_spec", Map.of("name", "s"));
        int rounds = 21;
        for (int i = 0; i < rounds; i++) {
          AtomicLong answeredAt = new AtomicLong();
          Future<Object> reply =
              pool.submit(
                  () -> {
                    Object r = worker.call("get_work", "w", waitingFor("s", 30));
                    answeredAt.set(System.nanoTime());
                    return r;
                  });
          Thread.sleep(150); // the request has arrived and waits
          assertThat(reply).as("round %d: waiting", i).isNotDone();
          ByteString key = ByteString.utf8("u" + i);
          adder.call("add_work_units", "s", List.of(Tuple.of(key, Map.of())));
          long added = System.nanoTime();
          assertThat(key(reply.get(10, TimeUnit.SECONDS))).isEqualTo(key);
          micros.add(Math.max(0, answeredAt.get() - added) / 1_000);
        }
      }
    } finally {
      if (adding != null) {
        adding.stop();
      }
      waiting.stop();
      SqlConfig server = SqlConfig.of(url);
      try (Connection c =
              DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
    micros.sort(null);
    long median = micros.get(micros.size() / 2);
    System.out.printf(
        "long-poll across two daemons on PostgreSQL: median %d µs, max %d µs over %d rounds%n",
        median, micros.get(micros.size() - 1), micros.size());
    assertThat(median).as("median wake-up across daemons, µs").isLessThan(100_000);
  }

  @Test
  void aStoppingDaemonAnswersWaitingWorkersAtOnce() throws Exception {
    Coordinated.Running daemon = start("--backend", "memory", "--stop-deadline", "30");
    try (Rpc worker = new Rpc(daemon.server().address());
        Rpc admin = new Rpc(daemon.server().address());
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      admin.call("set_work_spec", Map.of("name", "s"));
      Future<Object> reply = pool.submit(() -> worker.call("get_work", "w", waitingFor("s", 120)));
      Thread.sleep(300);
      assertThat(reply).isNotDone();
      long start = System.nanoTime();
      daemon.stop();
      long stopMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(((List<?>) reply.get(5, TimeUnit.SECONDS)).get(0))
          .as("nothing, as when the wait is over")
          .isEqualTo(Tuple.of(null, null, null));
      assertThat(stopMillis).as("the stop did not wait for the long-poll").isLessThan(10_000);
    }
  }
}
