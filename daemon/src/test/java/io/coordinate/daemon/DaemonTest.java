package io.coordinate.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Deadline;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import io.coordinate.cache.CachingCoordinate;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.rpc.CborRpcServer;
import io.coordinate.sql.SqlCoordinate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The daemon as an operator starts it: options, stores, configuration, and a real SIGTERM. */
class DaemonTest {
  @TempDir Path dir;

  /** Starts a daemon; the admin API on a free port unless the arguments say where. */
  private static Coordinated.Running start(String... args) throws IOException {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (!all.contains("--http")) {
      all.addAll(List.of("--http", "127.0.0.1:0"));
    }
    Coordinated daemon = new Coordinated();
    new CommandLine(daemon).parseArgs(all.toArray(String[]::new));
    return daemon.start();
  }

  private static HttpResponse<String> http(
      Coordinated.Running running, String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + running.admin().port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void theAdminApiServesTheSameStore() throws Exception {
    Coordinated.Running running = start("--backend", "memory", "--cborrpc", "127.0.0.1:0");
    try {
      running.coordinate().namespace("n").setWorkSpec(Map.of("name", "s"));
      assertThat(http(running, "GET", "/healthz", null, null).statusCode()).isEqualTo(200);
      assertThat(http(running, "GET", "/readyz", null, null).statusCode()).isEqualTo(200);
      HttpResponse<String> specs = http(running, "GET", "/api/v1/namespaces/n/work-specs", null, null);
      assertThat(specs.statusCode()).isEqualTo(200);
      assertThat(specs.body()).contains("\"s\"");
    } finally {
      running.stop();
    }
  }

  @Test
  void anAdminTokenFileGuardsChanges() throws Exception {
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "s3cret\n");
    Coordinated.Running running =
        start(
            "--backend", "memory", "--cborrpc", "127.0.0.1:0",
            "--admin-token-file", tokenFile.toString());
    try {
      running.coordinate().namespace("n").setWorkSpec(Map.of("name", "s"));
      String path = "/api/v1/namespaces/n/work-specs/s/meta";
      String pause = "{\"paused\": true}";
      assertThat(http(running, "PATCH", path, pause, null).statusCode()).isEqualTo(401);
      assertThat(http(running, "PATCH", path, pause, "wrong").statusCode()).isEqualTo(401);
      assertThat(running.coordinate().namespace("n").workSpec("s").meta(false).paused()).isFalse();
      assertThat(http(running, "PATCH", path, pause, "s3cret").statusCode()).isEqualTo(200);
      assertThat(running.coordinate().namespace("n").workSpec("s").meta(false).paused()).isTrue();
    } finally {
      running.stop();
    }
  }

  @Test
  void aNonLoopbackAdminAddressWithoutATokenIsRefused() {
    assertThatThrownBy(
            () -> start("--backend", "memory", "--cborrpc", "127.0.0.1:0", "--http", "0.0.0.0:0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without an admin token");
  }

  @Test
  void theAdminApiCanBeTurnedOff() throws Exception {
    Coordinated.Running running =
        start("--backend", "memory", "--cborrpc", "127.0.0.1:0", "--http", "off");
    try {
      assertThat(running.admin()).isNull();
    } finally {
      running.stop();
    }
  }

  @Test
  void servesTheConfigurationFileAsGetConfig() throws Exception {
    Path yaml = dir.resolve("coordinate.yaml");
    Files.writeString(yaml, "coordinate:\n  addresses: ['127.0.0.1:5932']\nlimit: 7\n");
    Coordinated.Running running =
        start("--backend", "memory", "--cborrpc", "127.0.0.1:0", "--config", yaml.toString());
    try (Rpc rpc = new Rpc(running.server().address())) {
      List<?> reply = (List<?>) rpc.call("get_config");
      assertThat(reply.get(1)).isNull();
      Map<?, ?> config = (Map<?, ?>) reply.get(0);
      assertThat(config.get("limit")).isEqualTo(7L);
      assertThat(((Map<?, ?>) config.get("coordinate")).get("addresses"))
          .isEqualTo(List.of("127.0.0.1:5932"));
      assertThat((Long) rpc.call("now")).isPositive();
    } finally {
      running.stop();
    }
  }

  @Test
  void aConfigFileThatIsNotAMappingIsRefused() throws Exception {
    Path yaml = dir.resolve("bad.yaml");
    Files.writeString(yaml, "- just\n- a list\n");
    assertThatThrownBy(() -> start("--backend", "memory", "--cborrpc", "127.0.0.1:0", "--config", yaml.toString()))
        .hasMessageContaining("YAML mapping");
  }

  @Test
  void theEmbeddedStoreKeepsWorkAcrossRestarts() throws Exception {
    String store = dir.resolve("data").toString();
    Coordinated.Running first = start("--backend", store, "--cborrpc", "127.0.0.1:0");
    try (Rpc rpc = new Rpc(first.server().address())) {
      assertThat(rpc.call("set_work_spec", Map.of("name", "s"))).isEqualTo(Arrays.asList(true, null));
      assertThat(rpc.call("add_work_units", "s", List.of(Tuple.of(ByteString.utf8("k1"), Map.of("n", 1L)))))
          .isEqualTo(Arrays.asList(true, null));
    } finally {
      first.stop();
    }
    Coordinated.Running second = start("--backend", store, "--cborrpc", "127.0.0.1:0");
    try (Rpc rpc = new Rpc(second.server().address())) {
      List<?> reply = (List<?>) rpc.call("get_work_units", "s", Map.of());
      assertThat(reply.get(0))
          .isEqualTo(List.of(Tuple.of(ByteString.utf8("k1"), Map.of("n", 1L))));
    } finally {
      second.stop();
    }
  }

  @Test
  void schemasKeepQueuesApartInOneStore() throws Exception {
    String store = dir.resolve("schemas").toString();
    Coordinated.Running first =
        start("--backend", store, "--schema", "first", "--cborrpc", "127.0.0.1:0", "--http", "off");
    try (Rpc rpc = new Rpc(first.server().address())) {
      assertThat(rpc.call("set_work_spec", Map.of("name", "s"))).isEqualTo(Arrays.asList(true, null));
    } finally {
      first.stop();
    }
    Coordinated.Running second =
        start("--backend", store, "--schema", "second", "--cborrpc", "127.0.0.1:0", "--http", "off");
    try (Rpc rpc = new Rpc(second.server().address())) {
      assertThat((List<?>) rpc.call("list_work_specs", Map.of())).first().isEqualTo(List.of());
    } finally {
      second.stop();
    }
    assertThatThrownBy(
            () -> start("--backend", "memory", "--schema", "x", "--cborrpc", "127.0.0.1:0"))
        .hasMessageContaining("--schema");
  }

  @Test
  void aSqlStoreIsServedThroughTheCacheUnlessTurnedOff() throws Exception {
    String store = dir.resolve("cached").toString();
    Coordinated.Running cached = start("--backend", store, "--cborrpc", "127.0.0.1:0");
    try (Rpc rpc = new Rpc(cached.server().address())) {
      assertThat(cached.coordinate()).isInstanceOf(CachingCoordinate.class);
      CachingCoordinate cache = (CachingCoordinate) cached.coordinate();
      assertThat(cache.delegate()).isInstanceOf(SqlCoordinate.class);
      long lookUps = cache.stats().requestCount();
      rpc.call("set_work_spec", Map.of("name", "s"));
      assertThat(rpc.call("add_work_units", "s", List.of(Tuple.of(ByteString.utf8("k"), Map.of()))))
          .isEqualTo(Arrays.asList(true, null));
      assertThat(cache.stats().requestCount()).as("look-ups through the cache").isGreaterThan(lookUps);
    } finally {
      cached.stop();
    }

    Coordinated.Running uncached =
        start("--backend", store, "--cborrpc", "127.0.0.1:0", "--no-cache");
    try (Rpc rpc = new Rpc(uncached.server().address())) {
      assertThat(uncached.coordinate()).isInstanceOf(SqlCoordinate.class);
      List<?> reply = (List<?>) rpc.call("get_work_units", "s", Map.of());
      assertThat(reply.get(0)).isEqualTo(List.of(Tuple.of(ByteString.utf8("k"), Map.of())));
    } finally {
      uncached.stop();
    }
  }

  @Test
  void anExplicitCacheOptionKeepsItOnAndMemoryIsNeverCached() throws Exception {
    Coordinated.Running memory = start("--backend", "memory", "--cborrpc", "127.0.0.1:0");
    memory.stop();
    assertThat(memory.coordinate()).isInstanceOf(MemoryCoordinate.class);

    Coordinated.Running explicit =
        start("--backend", dir.resolve("explicit").toString(), "--cborrpc", "127.0.0.1:0", "--cache");
    explicit.stop();
    assertThat(explicit.coordinate()).isInstanceOf(CachingCoordinate.class);
  }

  @Test
  void namespaceOptionSeparatesQueues() throws Exception {
    Coordinated.Running running =
        start("--backend", "memory", "--cborrpc", "127.0.0.1:0", "--namespace", "team-a");
    try (Rpc rpc = new Rpc(running.server().address())) {
      rpc.call("set_work_spec", Map.of("name", "s"));
      assertThat(running.coordinate().namespace("team-a").workSpecNames()).containsExactly("s");
      assertThat(running.coordinate().namespace("").workSpecNames()).isEmpty();
    } finally {
      running.stop();
    }
  }

  @Test
  void theOverloadLimitsComeFromTheOptionsOrTheirDefaults() throws Exception {
    Coordinated.Running defaults = start("--backend", "memory", "--cborrpc", "127.0.0.1:0");
    defaults.stop();
    CborRpcServer.Settings d = defaults.server().settings();
    assertThat(d.maxConnections()).isEqualTo(CborRpcServer.DEFAULT_MAX_CONNECTIONS);
    assertThat(d.requestTimeout()).isEqualTo(Deadline.DEFAULT_REQUEST_TIMEOUT);
    assertThat(d.frameTimeout()).isEqualTo(CborRpcServer.DEFAULT_FRAME_TIMEOUT);
    assertThat(d.writeTimeout()).isEqualTo(CborRpcServer.DEFAULT_WRITE_TIMEOUT);

    Coordinated.Running running =
        start(
            "--backend", "memory", "--cborrpc", "127.0.0.1:0", "--max-connections", "5",
            "--request-timeout", "7", "--frame-timeout", "8", "--write-timeout", "9");
    running.stop();
    CborRpcServer.Settings s = running.server().settings();
    assertThat(s.maxConnections()).isEqualTo(5);
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(s.frameTimeout()).isEqualTo(Duration.ofSeconds(8));
    assertThat(s.writeTimeout()).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void anAddressInUseIsAClearError() throws Exception {
    Coordinated.Running running = start("--backend", "memory", "--cborrpc", "127.0.0.1:0");
    try {
      int port = running.server().address().getPort();
      assertThatThrownBy(() -> start("--backend", "memory", "--cborrpc", "127.0.0.1:" + port))
          .hasMessageContaining("cannot listen on");
    } finally {
      running.stop();
    }
  }

  @Test
  void sigtermStopsGracefullyAndTheStoreReopens() throws Exception {
    String store = dir.resolve("sigterm-data").toString();
    Path log = dir.resolve("daemon.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Coordinated.class.getName(),
                "--backend",
                store,
                "--cborrpc",
                "127.0.0.1:0",
                "--http",
                "127.0.0.1:0")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      // "ready": both servers listen and the graceful stop is in place.
      while (!Files.readString(log).contains("ready") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(log)).contains("listening on", "ready");
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
      assertThat(Files.readString(log)).contains("stopping: finishing requests in flight", "stopped");
    } finally {
      process.destroyForcibly();
    }
    Coordinated.Running reopened = start("--backend", store, "--cborrpc", "127.0.0.1:0");
    reopened.stop();
  }
}
