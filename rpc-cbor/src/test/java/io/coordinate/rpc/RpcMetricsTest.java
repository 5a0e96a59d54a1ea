package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Coordinate;
import io.coordinate.api.UnitEvents.Transition;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.memory.MemoryCoordinate;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's meters, read after known traffic over a real socket: requests by method and
 * outcome, the get_work histogram, connections, and the unit counters of a backend that reports
 * to the same registry.
 */
class RpcMetricsTest {
  // Prometheus, as the daemon uses: unlike the simple registry it keeps histogram buckets.
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Coordinate coordinate;
  private CborRpcServer server;

  @BeforeEach
  void start() {
    coordinate = MemoryCoordinate.create(Clock.systemUTC(), new MeteredUnitEvents(registry));
    server =
        CborRpcServer.start(
            coordinate,
            CborRpcServer.Settings.defaults()
                .withAddress(new InetSocketAddress("127.0.0.1", 0))
                .withMeterRegistry(registry));
  }

  @AfterEach
  void stop() {
    server.close();
    coordinate.close();
  }

  private long requests(String method, String outcome) {
    Timer timer =
        registry
            .find(RpcMetrics.REQUESTS)
            .tag("method", method)
            .tag("outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  private double units(String spec, Transition transition) {
    return registry
        .get(MeteredUnitEvents.meterName(transition))
        .tag("namespace", "")
        .tag("work_spec", spec)
        .counter()
        .count();
  }

  private Timer getWork(String result) {
    return registry.get(RpcMetrics.GET_WORK).tag("result", result).timer();
  }

  private double connections() {
    Gauge gauge = registry.find(RpcMetrics.CONNECTIONS).gauge();
    assertThat(gauge).as("connections gauge").isNotNull();
    return gauge.value();
  }

  private RpcTestClient connect() throws IOException {
    return new RpcTestClient(server.address());
  }

  @Test
  void requestsAreTimedPerMethodAndOutcome() throws IOException {
    try (RpcTestClient rpc = connect()) {
      rpc.ok("set_work_spec", map("name", "s"));
      rpc.ok("add_work_units", "s", list(list(b("a"), map()), list(b("b"), map())));
      rpc.pair("get_work", "w", map("lease_time", 60L, "max_jobs", 2L));
      rpc.pair("update_work_unit", "s", b("a"), map("status", 4L));
      rpc.pair("update_work_unit", "nope", b("a"), map("status", 4L)); // no such spec: in-band
      rpc.pair("worker_unregister", "nobody"); // refused by the method itself
      rpc.send("no_such_method");
      assertThat(rpc.receive()).containsKey("error");
      rpc.sendRaw(RpcTestClient.frame(rpc.encode(map("id", 99L, "params", list()))));
      assertThat(rpc.receive()).containsKey("error"); // no method name

      assertThat(requests("set_work_spec", "ok")).isEqualTo(1);
      assertThat(requests("add_work_units", "ok")).isEqualTo(1);
      assertThat(requests("get_work", "ok")).isEqualTo(1);
      assertThat(requests("update_work_unit", "ok")).isEqualTo(1);
      assertThat(requests("update_work_unit", "no_such_work_spec")).isEqualTo(1);
      assertThat(requests("worker_unregister", "refused")).isEqualTo(1);
      assertThat(requests("unknown", "bad_request")).isEqualTo(1);
      assertThat(requests("unknown", "malformed")).isEqualTo(1);
      assertThat(registry.find(RpcMetrics.REQUESTS).tag("method", "no_such_method").timers())
          .as("unknown names never become a method tag")
          .isEmpty();
    }
  }

  @Test
  void getWorkLatencyIsAHistogramByResult() throws IOException {
    try (RpcTestClient rpc = connect()) {
      rpc.ok("set_work_spec", map("name", "s"));
      rpc.ok("add_work_units", "s", list(list(b("a"), map())));
      rpc.pair("get_work", "w", map("lease_time", 60L)); // leases a
      rpc.pair("get_work", "w", map("lease_time", 60L)); // nothing left
      rpc.pair("get_work", "w", map("lease_time", 60L));

      assertThat(getWork("work").count()).isEqualTo(1);
      assertThat(getWork("none").count()).isEqualTo(2);
      assertThat(getWork("error").count()).isZero();
      CountAtBucket[] buckets = getWork("none").takeSnapshot().histogramCounts();
      assertThat(buckets).as("percentile histogram buckets").hasSizeGreaterThan(10);
      assertThat(buckets[buckets.length - 1].count())
          .as("every call within the largest bucket (10 s)")
          .isEqualTo(2);
    }
  }

  @Test
  void unitTransitionsCountPerSpecWhateverTheFrontEnd() throws IOException {
    try (RpcTestClient rpc = connect()) {
      rpc.ok("set_work_spec", map("name", "s"));
      rpc.ok(
          "add_work_units",
          "s",
          list(list(b("a"), map()), list(b("b"), map()), list(b("c"), map()), list(b("d"), map())));
      rpc.pair("get_work", "w", map("lease_time", 60L, "max_jobs", 3L));
      rpc.pair("update_work_unit", "s", b("a"), map("status", 4L));
      rpc.pair("update_work_unit", "s", b("b"), map("status", 5L));
      // A Java caller of the same backend counts the same way.
      coordinate
          .namespace("")
          .workSpec("s")
          .workUnit(WorkUnitKey.of("c"))
          .activeAttempt()
          .orElseThrow()
          .retry(null, null);

      assertThat(units("s", Transition.LEASED)).isEqualTo(3);
      assertThat(units("s", Transition.FINISHED)).isEqualTo(1);
      assertThat(units("s", Transition.FAILED)).isEqualTo(1);
      assertThat(units("s", Transition.RETRIED)).isEqualTo(1);
      assertThat(units("s", Transition.EXPIRED)).isZero();
    }
  }

  @Test
  void unitsArchivedCountPerSpec() throws IOException {
    try (RpcTestClient rpc = connect()) {
      rpc.ok("set_work_spec", map("name", "s", "retain_finished_count", 1L));
      rpc.ok("add_work_units", "s", list(list(b("a"), map()), list(b("b"), map()),
          list(b("c"), map())));
      for (String key : new String[] {"a", "b", "c"}) {
        rpc.ok("update_work_unit", "s", b(key), map("status", 4L));
      }
      assertThat(registry.find(ArchiveCounter.NAME).counter()).isNull();
      rpc.call("archive");
    }
    assertThat(
            registry.get(ArchiveCounter.NAME).tag("namespace", "").tag("work_spec", "s")
                .counter().count())
        .isEqualTo(2.0);
    assertThat(registry.scrape()).contains("coordinate_units_archived_total{");
  }

  @Test
  void connectionsAreGaugedAndCounted() throws Exception {
    assertThat(connections()).isZero();
    RpcTestClient first = connect();
    RpcTestClient second = connect();
    first.call("now");
    second.call("now"); // both served: both accepted
    assertThat(connections()).isEqualTo(2);
    assertThat(registry.get(RpcMetrics.ACCEPTED).counter().count()).isEqualTo(2);

    first.close();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (connections() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(10); // the server notices the close on its own thread
    }
    assertThat(connections()).isEqualTo(1);
    second.close();
  }

  @Test
  void aStoppedServerLeavesNoGaugeReadingIt() {
    server.close();
    assertThat(registry.find(RpcMetrics.CONNECTIONS).gauges()).isEmpty();
    assertThat(registry.find(RpcMetrics.ACCEPTED).counters())
        .as("counters stay: they never go back")
        .hasSize(1);
  }

  @Test
  void withoutARegistryNothingIsRecorded() throws IOException {
    CborRpcServer.Settings defaults =
        CborRpcServer.Settings.defaults().withAddress(new InetSocketAddress("127.0.0.1", 0));
    try (CborRpcServer quiet = CborRpcServer.start(coordinate, defaults);
        RpcTestClient rpc = new RpcTestClient(quiet.address())) {
      rpc.call("now");
      Timer now = defaults.meterRegistry().find(RpcMetrics.REQUESTS).tag("method", "now").timer();
      assertThat(now).isNotNull();
      assertThat(now.count()).as("an empty composite registry records nothing").isZero();
    }
  }
}
