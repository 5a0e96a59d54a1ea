package io.coordinate.bench;

import io.coordinate.api.Coordinate;
import io.coordinate.api.WorkSpec;
import io.coordinate.cache.CachingCoordinate;
import io.coordinate.daemon.Coordinated;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import picocli.CommandLine;

/**
 * What a Prometheus scrape of the daemon costs with 1,000,000 units queued: {@code scrape} is the
 * registry's text exposition alone, {@code httpGet} a {@code GET /metrics} through the admin API on
 * a kept-alive connection, as a Prometheus server sends it. The daemon is started in this JVM by
 * {@link Coordinated} with its own wiring (registry, unit counters, pool and cache meters, JVM
 * meters), on the store {@code store} names.
 *
 * <p>Set-up, untimed: spec {@code queue} gets {@code queued} units (1,000,000) and nine more specs
 * 100 each; then, over one CBOR-RPC connection (kept open, so the connection gauge reads 1), every
 * spec has ten units leased with get_work, eight finished, one failed and one given back, and a
 * few other methods are called, so that every per-spec counter, request timer and histogram is
 * populated.
 * The trial's teardown prints the size of a scrape and how many SQL statements ran while scraping:
 * none, since no meter counts units.
 *
 * <p>Run: {@code bench/run MetricsScrapeBenchmark}; {@code -p store=pg} runs it on the PostgreSQL
 * database {@value SqlStores#PG_URL_ENV} names, in a schema of its own ({@value #PG_SCHEMA},
 * dropped and re-created).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class MetricsScrapeBenchmark {
  static final String PG_SCHEMA = "coordinate_bench_metrics";

  private static final int OTHER_SPECS = 9;

  /** {@code memory}, {@code h2} (a file store in a temporary directory) or {@code pg}. */
  @Param({"memory", "h2"})
  public String store;

  /** Units queued in spec {@code queue}; {@code -p queued=0,1000000} compares the two. */
  @Param({"1000000"})
  public int queued;

  private Path tempDir;
  private Coordinated.Running daemon;
  private RpcClient rpc;
  private HttpClient http;
  private HttpRequest metricsRequest;
  private long statementsBefore;

  @Setup(Level.Trial)
  public void startFillAndWork() throws IOException {
    Coordinated coordinated = new Coordinated();
    new CommandLine(coordinated)
        .parseArgs("--backend", backend(), "--cborrpc", "127.0.0.1:0", "--http", "127.0.0.1:0");
    daemon = coordinated.start();

    WorkSpec queue = daemon.coordinate().namespace("").setWorkSpec(Map.of("name", "queue"));
    BenchSupport.fill(queue, 0, queued);
    for (int i = 1; i <= OTHER_SPECS; i++) {
      WorkSpec spec = daemon.coordinate().namespace("").setWorkSpec(Map.of("name", "spec-" + i));
      BenchSupport.fill(spec, 0, 100);
    }
    rpc = new RpcClient("127.0.0.1", daemon.server().address().getPort());
    if (queued >= 10) {
      work("queue");
    }
    for (int i = 1; i <= OTHER_SPECS; i++) {
      work("spec-" + i);
    }
    rpc.call("worker_heartbeat", "bench-worker", "run", 600L, Map.of());
    rpc.call("list_work_specs", Map.of());
    rpc.call("now");
    try {
      rpc.call("no_such_method");
    } catch (RpcClient.RpcException expected) {
      // an error reply, counted under method="unknown"
    }

    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    metricsRequest =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.admin().port() + "/metrics"))
            .build();
    BenchSupport.settleHeap();
    statementsBefore = statements();
  }

  /** Leases ten units of {@code spec} in one get_work: finishes 8, fails 1, gives 1 back. */
  private void work(String spec) throws IOException {
    Object value =
        rpc.callPair(
            "get_work",
            "bench-worker",
            Map.of("max_jobs", 10L, "lease_time", 300L, "work_spec_names", List.of(spec)));
    List<?> units = (List<?>) value;
    if (units.size() != 10) {
      throw new IllegalStateException("get_work leased " + units.size() + " units of " + spec);
    }
    for (int i = 0; i < units.size(); i++) {
      Object key = ((ReplyDecoder.Tup) units.get(i)).items().get(1);
      Map<String, Object> update =
          i < 8 ? Map.of("status", 4L) : i == 8 ? Map.of("status", 5L) : Map.of("lease_time", 0L);
      rpc.callPair("update_work_unit", spec, key, update);
    }
  }

  /** The daemon's --backend for {@link #store}. */
  private String backend() throws IOException {
    switch (store) {
      case "memory" -> {
        return "memory";
      }
      case "h2" -> {
        tempDir = Files.createTempDirectory("coordinate-bench-metrics");
        return tempDir.toString();
      }
      case "pg" -> {
        SqlConfig server = SqlConfig.of(SqlStores.pgUrl());
        SqlStores.execute(server, "DROP SCHEMA IF EXISTS " + PG_SCHEMA + " CASCADE");
        SqlStores.execute(server, "CREATE SCHEMA " + PG_SCHEMA);
        // The daemon takes one URL: the schema, user and password go in as driver options.
        String url = server.jdbcUrl() + (server.jdbcUrl().contains("?") ? "&" : "?");
        url += "currentSchema=" + PG_SCHEMA;
        if (server.user() != null) {
          url += "&user=" + URLEncoder.encode(server.user(), StandardCharsets.UTF_8);
        }
        if (server.password() != null) {
          url += "&password=" + URLEncoder.encode(server.password(), StandardCharsets.UTF_8);
        }
        return url;
      }
      default -> throw new IllegalArgumentException("unknown store " + store + " (memory, h2, pg)");
    }
  }

  /** SQL statements the daemon's store has executed; 0 for the memory backend. */
  private long statements() {
    Coordinate c = daemon.coordinate();
    if (c instanceof CachingCoordinate cached) {
      c = cached.delegate();
    }
    return c instanceof SqlCoordinate sql ? sql.statementsExecuted() : 0;
  }

  @TearDown(Level.Trial)
  public void report() throws IOException {
    try {
      String text = daemon.metrics().scrape();
      long lines = text.lines().filter(l -> !l.startsWith("#")).count();
      System.out.printf(
          "%n%s, %,d queued: a scrape is %,d bytes, %,d samples;"
              + " SQL statements run while scraping: %d%n",
          store, queued, text.length(), lines, statements() - statementsBefore);
      rpc.close();
      http.close();
    } finally {
      daemon.stop();
      if (tempDir != null) {
        SqlStores.deleteTree(tempDir);
      }
    }
  }

  @Benchmark
  public String scrape() {
    return daemon.metrics().scrape();
  }

  @Benchmark
  public String httpGet() throws InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(metricsRequest, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET /metrics answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
