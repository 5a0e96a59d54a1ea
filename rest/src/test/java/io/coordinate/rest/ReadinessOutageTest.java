package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.Coordinate;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.rest.TestHttp.Answer;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlTestStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /readyz} and the data routes while the backend is away: 503 {@code backend_unavailable}
 * within a readiness probe's patience, never a hang or a 500, and 200 again soon after it is back.
 * The PostgreSQL outage is played with a TCP proxy that resets every connection; the backend keeps
 * the daemon's defaults (pool, 5 s connection timeout). Every wait has a deadline.
 */
class ReadinessOutageTest {
  /** Room for a slow machine on top of each bound. */
  private static final Duration SLACK = Duration.ofSeconds(1);
  /** The longest a /readyz answer may take: inside a 1 s probe, with slack. */
  private static final Duration PROBE_BOUND = Readiness.WAIT.plus(SLACK);
  /**
   * How long to probe once cut before the data routes: past the first calls, which fail at once on
   * the pool's dead connections, into the steady outage where every call waits for a connection.
   */
  private static final Duration PROBING = Duration.ofSeconds(1);
  /**
   * How soon /readyz must be 200 again once the database is back: Hikari retries connecting with a
   * backoff that doubles up to 5 s, so after a long outage the pool may take that long to notice.
   */
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(5).plus(SLACK);
  private static final String SPEC = "/api/v1/namespaces/ns1/work-specs/spec1";
  private static final String UNITS = SPEC + "/work-units";

  @RegisterExtension final SqlTestStores stores = new SqlTestStores();

  private SqlTestStores.Proxy proxy;
  private AdminServer server;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  /** An answer and how long it took. */
  private record Timed(Answer answer, Duration took) {}

  private Timed timed(String method, String path, String body, Duration timeout)
      throws Exception {
    long start = System.nanoTime();
    Answer a = TestHttp.call(server.port(), method, path, body, null, timeout);
    return new Timed(a, Duration.ofNanos(System.nanoTime() - start));
  }

  private Timed probe() throws Exception {
    // The client gives up at the bound, as a probe does: a late answer fails the test.
    return timed("GET", "/readyz", null, PROBE_BOUND);
  }

  /** The JSON body of a GET that must succeed. */
  private JsonNode ok(String path) throws Exception {
    Answer a = TestHttp.get(server.port(), path);
    assertThat(a.status()).as("GET %s: %s %s", path, a.raw().headers().map(), a.raw().body())
        .isEqualTo(200);
    assertThat(a.body()).as("GET %s: %s", path, a.raw().body()).isNotNull();
    return a.body();
  }

  /** Probes once, expecting 503; returns how long the answer took. */
  private Duration probeIs503() throws Exception {
    Timed p = probe();
    TestHttp.assertError(p.answer(), 503, "backend_unavailable");
    return p.took();
  }

  @Test
  void readinessAnswers503InTimeWhenTheBackendHangs() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    Coordinate hanging = HttpErrorsTest.stub(() -> {
      try {
        answer.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    });
    server = new AdminServer(AdminServer.Settings.loopback(hanging)).start();
    // A first request warms the server and the client up, so the timing below is the wait's.
    assertThat(TestHttp.get(server.port(), "/healthz").status()).isEqualTo(200);

    Timed hung = probe();
    TestHttp.assertError(hung.answer(), 503, "backend_unavailable");
    assertThat(hung.took()).isBetween(Readiness.WAIT, PROBE_BOUND);

    answer.countDown();
    assertThat(probe().answer().status()).isEqualTo(200);
  }

  @Test
  @EnabledIfEnvironmentVariable(named = SqlTestStores.PG_URL_VARIABLE, matches = ".+")
  void postgresOutageIs503AndReadyAgainAfterWithTheDataIntact() throws Exception {
    proxy = new SqlTestStores.Proxy(stores.postgresSchema());
    SqlConfig config = proxy.config();
    assertThat(config.connectionTimeout()).isEqualTo(SqlConfig.DEFAULT_CONNECTION_TIMEOUT);
    Duration dataBound = config.connectionTimeout().plus(SLACK).plus(SLACK);
    Coordinate coordinate = stores.open(config);
    coordinate.namespace("ns1").setWorkSpec(Map.of("name", "spec1"));
    server = new AdminServer(AdminServer.Settings.loopback(coordinate)).start();

    StringBuilder add = new StringBuilder("{\"work_units\":[");
    for (int i = 0; i < 100; i++) {
      add.append(i == 0 ? "" : ",")
          .append("{\"key_text\":\"u").append(i).append("\",\"data\":{\"n\":").append(i)
          .append("}}");
    }
    assertThat(timed("POST", UNITS, add.append("]}").toString(), null).answer().status())
        .isEqualTo(201);
    assertThat(timed("PATCH", SPEC + "/meta", "{\"priority\":5}", null).answer().status())
        .isEqualTo(200);
    assertThat(probe().answer().status()).isEqualTo(200);

    proxy.cut();
    long cut = System.nanoTime();
    List<Duration> probes = new ArrayList<>();
    do {
      probes.add(probeIs503());
    } while (System.nanoTime() - cut < PROBING.toNanos());

    // Data routes, reads and a write, at once so their waits for a connection overlap; probing on.
    List<CompletableFuture<Timed>> data = new ArrayList<>();
    for (String[] call : new String[][] {
        {"GET", "/api/v1/namespaces/ns1/work-specs", null},
        {"GET", UNITS, null},
        {"POST", UNITS, "{\"work_units\":[{\"key_text\":\"during\"}]}"}}) {
      data.add(CompletableFuture.supplyAsync(() -> {
        try {
          return timed(call[0], call[1], call[2], dataBound);
        } catch (Exception e) {
          throw new IllegalStateException(call[0] + " " + call[1], e);
        }
      }, task -> Thread.ofVirtual().start(task)));
    }
    long deadline = System.nanoTime() + dataBound.plus(SLACK).toNanos();
    while (!data.stream().allMatch(CompletableFuture::isDone) && System.nanoTime() < deadline) {
      probes.add(probeIs503());
    }
    Duration slowestData = Duration.ZERO;
    for (CompletableFuture<Timed> call : data) {
      Timed t = call.getNow(null);
      assertThat(t).as("a data route answered within %s", dataBound).isNotNull();
      TestHttp.assertError(t.answer(), 503, "backend_unavailable");
      slowestData = t.took().compareTo(slowestData) > 0 ? t.took() : slowestData;
    }
    Duration outage = Duration.ofNanos(System.nanoTime() - cut);

    proxy.restore();
    long restored = System.nanoTime();
    int status;
    do {
      status = probe().answer().status();
      assertThat(status).isIn(200, 503);
    } while (status != 200 && System.nanoTime() - restored < RECOVERY_BOUND.toNanos());
    Duration recovery = Duration.ofNanos(System.nanoTime() - restored);
    assertThat(status).as("/readyz %s after the restore", recovery).isEqualTo(200);
    System.out.printf(
        "outage of %d ms: first /readyz 503 in %d ms, slowest of %d in %d ms; slowest data route"
            + " 503 in %d ms; /readyz 200 again %d ms after the restore%n",
        outage.toMillis(), probes.getFirst().toMillis(), probes.size(),
        probes.stream().max(Duration::compareTo).orElseThrow().toMillis(),
        slowestData.toMillis(), recovery.toMillis());

    // What was written before the cut is all there; what was refused during it is not.
    JsonNode units = ok(UNITS + "?limit=1000");
    List<String> keys = new ArrayList<>();
    units.get("work_units").forEach(u -> keys.add(u.get("key_text").asText()));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add("u" + i);
    }
    assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(ok(UNITS + "/" + Keys.encode(WorkUnitKey.of("u42"))).get("data"))
        .isEqualTo(TestHttp.JSON.readTree("{\"n\":42}"));
    TestHttp.assertError(
        timed("GET", UNITS + "/" + Keys.encode(WorkUnitKey.of("during")), null, null).answer(),
        404, "no_such_work_unit");
    assertThat(ok(SPEC).get("meta").get("priority").asInt()).isEqualTo(5);
  }
}
