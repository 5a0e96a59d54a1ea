package io.coordinate.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code GET /metrics} on a running daemon, after known traffic over CBOR-RPC: exact unit counters
 * for the spec, request timers per method, a get_work histogram bucket, the connection gauge, and
 * on an H2 store the pool's, the cache's and the statement count (which a scrape leaves alone).
 */
class MetricsDaemonTest {
  @TempDir Path dir;

  private static Coordinated.Running start(String backend, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("--backend", backend, "--cborrpc", "127.0.0.1:0", "--http", "127.0.0.1:0"));
    args.addAll(List.of(more));
    Coordinated daemon = new Coordinated();
    new CommandLine(daemon).parseArgs(args.toArray(String[]::new));
    return daemon.start();
  }

  /** One sample line of the Prometheus text format: {@code name{label="value",…} number}. */
  private record Sample(String name, Map<String, String> labels, double value) {}

  /** The scrape's samples, comments left out. */
  private static List<Sample> scrape(Coordinated.Running running) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + running.admin().port() + "/metrics"))
            .build();
    HttpResponse<String> response;
    try (HttpClient client = HttpClient.newHttpClient()) {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain");
    List<Sample> samples = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      double value = Double.parseDouble(line.substring(space + 1));
      int brace = series.indexOf('{');
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0) {
        // Label values here never hold commas or quotes: split on the "," between pairs.
        for (String pair : series.substring(brace + 1, series.length() - 1).split("\",")) {
          int eq = pair.indexOf('=');
          labels.put(pair.substring(0, eq), pair.substring(eq + 2).replaceAll("\"$", ""));
        }
      }
      samples.add(new Sample(brace < 0 ? series : series.substring(0, brace), labels, value));
    }
    return samples;
  }

  /** The value of the one sample named {@code name} whose labels include these pairs. */
  private static double value(List<Sample> samples, String name, String... labels) {
    List<Sample> found =
        samples.stream()
            .filter(s -> s.name().equals(name))
            .filter(
                s -> {
                  for (int i = 0; i < labels.length; i += 2) {
                    if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                      return false;
                    }
                  }
                  return true;
                })
            .toList();
    assertThat(found).as("%s%s", name, Arrays.toString(labels)).hasSize(1);
    return found.get(0).value();
  }

  private static boolean has(List<Sample> samples, String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  private static Tuple unit(String key) {
    return Tuple.of(ByteString.utf8(key), Map.of());
  }

  /**
   * Over one connection: spec "s" with six units, one get_work of four, two finished, one failed,
   * one given back (expired), and a call to a method that does not exist.
   */
  private static void knownActivity(Rpc rpc) throws Exception {
    assertThat(rpc.call("set_work_spec", Map.of("name", "s"))).isEqualTo(Arrays.asList(true, null));
    rpc.call(
        "add_work_units",
        "s",
        List.of(unit("a"), unit("b"), unit("c"), unit("d"), unit("e"), unit("f")));
    List<?> work = (List<?>) ((List<?>) rpc.call("get_work", "w", Map.of("max_jobs", 4L))).get(0);
    assertThat(work).hasSize(4);
    rpc.call("update_work_unit", "s", ByteString.utf8("a"), Map.of("status", 4L));
    rpc.call("update_work_unit", "s", ByteString.utf8("b"), Map.of("status", 4L));
    rpc.call("update_work_unit", "s", ByteString.utf8("c"), Map.of("status", 5L));
    rpc.call("update_work_unit", "s", ByteString.utf8("d"), Map.of("lease_time", 0L));
    assertThat(rpc.request("no_such_method")).containsKey("error");
  }

  /** What {@link #knownActivity} must have left in the scrape, whatever the store. */
  private static void assertKnownActivity(List<Sample> m) {
    String[] spec = {"namespace", "", "work_spec", "s"};
    assertThat(value(m, "coordinate_units_leased_total", spec)).isEqualTo(4);
    assertThat(value(m, "coordinate_units_finished_total", spec)).isEqualTo(2);
    assertThat(value(m, "coordinate_units_failed_total", spec)).isEqualTo(1);
    assertThat(value(m, "coordinate_units_expired_total", spec)).isEqualTo(1);
    assertThat(value(m, "coordinate_units_retried_total", spec)).isZero();

    String requests = "coordinate_rpc_requests_seconds_count";
    assertThat(value(m, requests, "method", "set_work_spec", "outcome", "ok")).isEqualTo(1);
    assertThat(value(m, requests, "method", "add_work_units", "outcome", "ok")).isEqualTo(1);
    assertThat(value(m, requests, "method", "get_work", "outcome", "ok")).isEqualTo(1);
    assertThat(value(m, requests, "method", "update_work_unit", "outcome", "ok")).isEqualTo(4);
    assertThat(value(m, requests, "method", "unknown", "outcome", "bad_request")).isEqualTo(1);
    assertThat(value(m, "coordinate_rpc_requests_seconds_sum", "method", "get_work"))
        .isPositive();

    assertThat(value(m, "coordinate_rpc_get_work_seconds_bucket", "result", "work", "le", "+Inf"))
        .isEqualTo(1);
    assertThat(value(m, "coordinate_rpc_get_work_seconds_bucket", "result", "work", "le", "10.0"))
        .as("within the largest finite bucket")
        .isEqualTo(1);
    assertThat(value(m, "coordinate_rpc_get_work_seconds_count", "result", "none")).isZero();

    assertThat(value(m, "coordinate_rpc_connections")).as("the test's connection").isEqualTo(1);
    assertThat(value(m, "coordinate_rpc_connections_accepted_total")).isEqualTo(1);
    assertThat(has(m, "jvm_memory_used_bytes")).isTrue();
    assertThat(value(m, "process_uptime_seconds")).isPositive();
  }

  @Test
  void aMemoryDaemonServesItsCountersAtMetrics() throws Exception {
    Coordinated.Running running = start("memory");
    try (Rpc rpc = new Rpc(running.server().address())) {
      knownActivity(rpc);
      List<Sample> m = scrape(running);
      assertKnownActivity(m);
      assertThat(has(m, "hikaricp_connections")).as("no pool without SQL").isFalse();
      assertThat(has(m, "cache_gets_total")).as("memory is never cached").isFalse();
    } finally {
      running.stop();
    }
  }

  @Test
  void anH2DaemonAddsItsPoolCacheAndStatementCount() throws Exception {
    Coordinated.Running running = start(dir.resolve("h2").toString());
    try (Rpc rpc = new Rpc(running.server().address())) {
      knownActivity(rpc);
      List<Sample> m = scrape(running);
      assertKnownActivity(m);

      assertThat(value(m, "hikaricp_connections")).as("open pool connections").isPositive();
      assertThat(value(m, "hikaricp_connections_max")).isEqualTo(16);
      assertThat(value(m, "hikaricp_connections_acquire_seconds_count")).isPositive();
      assertThat(value(m, "cache_gets_total", "cache", "work_specs", "result", "hit"))
          .as("spec look-ups answered by the cache")
          .isPositive();
      assertThat(value(m, "cache_size", "cache", "work_specs")).isEqualTo(1);
      double statements = value(m, "coordinate_sql_statements_total");
      assertThat(statements).isPositive();
      assertThat(value(scrape(running), "coordinate_sql_statements_total"))
          .as("a scrape reads counters: it runs no SQL")
          .isEqualTo(statements);
    } finally {
      running.stop();
    }
  }

  @Test
  void poolSizeBoundsTheSqlPool() throws Exception {
    Coordinated.Running running = start(dir.resolve("small-pool").toString(), "--pool-size", "3");
    try {
      assertThat(value(scrape(running), "hikaricp_connections_max")).isEqualTo(3);
    } finally {
      running.stop();
    }
    assertThatThrownBy(() -> start(dir.resolve("tiny-pool").toString(), "--pool-size", "1"))
        .hasMessageContaining("--pool-size must be at least 2");
  }
}
