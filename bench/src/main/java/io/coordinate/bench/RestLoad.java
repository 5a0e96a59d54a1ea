package io.coordinate.bench;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import io.coordinate.client.RemoteCoordinate;
import io.coordinate.daemon.Coordinated;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * The REST load generator: request rates of the admin API's reads (a spec's meta, its counts) and
 * of leasing work through {@link RemoteCoordinate}, the Java client over REST.
 *
 * <p>It targets a running daemon ({@code --target http://host:port}) or starts {@code coordinated}
 * in this JVM with its production wiring over {@code --backend} (memory, {@code h2} for a
 * temporary embedded store, or a PostgreSQL URL). Reads run for a fixed time per connection count
 * against a spec holding {@code --units} units; the leasing runs drain a fresh spec of {@code
 * --drain-units} units with {@code C} workers, each asking for {@code B} units at a time and
 * finishing each. Run {@code bench/rest-load --help} for the options.
 */
@CommandLine.Command(
    name = "rest-load",
    mixinStandardHelpOptions = true,
    description = "Measures REST reads and get_work through the remote Java client.")
public final class RestLoad implements java.util.concurrent.Callable<Integer> {
  private static final int ADD_CHUNK = 10_000;

  @CommandLine.Option(names = "--target", description = "a running daemon's REST base URL")
  URI target;

  @CommandLine.Option(
      names = "--backend",
      defaultValue = "memory",
      description = "memory, h2 (a temporary embedded store) or a PostgreSQL URL (default: memory)")
  String backend;

  @CommandLine.Option(names = "--token", description = "the daemon's admin token, if it has one")
  String token;

  @CommandLine.Option(
      names = {"-n", "--units"},
      defaultValue = "100000",
      description = "units queued while reads are measured (default: 100000)")
  int units;

  @CommandLine.Option(
      names = "--drain-units",
      defaultValue = "5000",
      description = "units per leasing run (default: 5000)")
  int drainUnits;

  @CommandLine.Option(
      names = {"-c", "--connections"},
      split = ",",
      defaultValue = "1,8,64",
      description = "concurrent clients (default: 1,8,64)")
  int[] connections;

  @CommandLine.Option(
      names = {"-b", "--batch"},
      split = ",",
      defaultValue = "1,10",
      description = "units per get_work in the leasing runs (default: 1,10)")
  int[] batches;

  @CommandLine.Option(
      names = "--seconds",
      defaultValue = "5",
      description = "duration of each read measurement (default: 5)")
  int seconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RestLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Coordinated.Running daemon = null;
    Path tempDir = null;
    URI base = target;
    String described;
    if (base == null) {
      String store = backend;
      if (backend.equals("h2")) {
        tempDir = Files.createTempDirectory("coordinate-rest-load");
        store = tempDir.toString();
      }
      Coordinated coordinated = new Coordinated();
      new CommandLine(coordinated)
          .parseArgs("--backend", store, "--cborrpc", "127.0.0.1:0", "--http", "127.0.0.1:0");
      daemon = coordinated.start();
      base = URI.create("http://127.0.0.1:" + daemon.admin().port());
      described = "coordinated in this JVM over " + backend.replaceAll("//[^@/]*@", "//");
    } else {
      described = "daemon at " + base;
    }
    RemoteCoordinate.Settings settings = RemoteCoordinate.Settings.of(base);
    if (token != null) {
      settings = settings.withAdminToken(token);
    }
    System.out.printf(Locale.ROOT, "rest-load: %s; nproc %d; load average %s%n", described,
        Runtime.getRuntime().availableProcessors(), RpcLoad.loadAverage());
    List<String> rows = new ArrayList<>();
    try (RemoteCoordinate client = RemoteCoordinate.connect(settings)) {
      String ns = "rest-load-" + ProcessHandle.current().pid();
      Namespace namespace = client.namespace(ns);
      WorkSpec queued = namespace.setWorkSpec(Map.of("name", "queued"));
      long t0 = System.nanoTime();
      fill(queued, units);
      System.out.printf(Locale.ROOT, "queued %,d units through REST in %.1f s%n", units,
          (System.nanoTime() - t0) / 1e9);
      String specPath = base + "/api/v1/namespaces/" + ns + "/work-specs/queued";
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (String read : List.of("meta", "counts")) {
        for (int c : connections) {
          rows.add(reads(http, URI.create(specPath + "/" + read), read, c));
        }
      }
      int run = 0;
      for (int c : connections) {
        for (int b : batches) {
          rows.add(drain(namespace, c, b, ++run));
        }
      }
      namespace.destroy();
    } finally {
      if (daemon != null) {
        daemon.stop();
      }
      if (tempDir != null) {
        SqlStores.deleteTree(tempDir);
      }
    }
    System.out.println();
    System.out.println("| what | clients | batch | requests | req/s | units/s | p50 µs | p99 µs |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    rows.forEach(System.out::println);
    return 0;
  }

  private static void fill(WorkSpec spec, int count) {
    for (int from = 0; from < count; from += ADD_CHUNK) {
      List<NewWorkUnit> chunk = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + ADD_CHUNK); i++) {
        chunk.add(NewWorkUnit.of(BenchSupport.key(i), BenchSupport.UNIT_DATA));
      }
      spec.addWorkUnits(chunk);
    }
  }

  /** {@code c} clients GET {@code uri} back to back for {@link #seconds}. */
  private String reads(HttpClient http, URI uri, String what, int c) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
    if (token != null) {
      request = HttpRequest.newBuilder(uri).GET().header("Authorization", "Bearer " + token).build();
    }
    HttpRequest req = request;
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<long[]> parts = new ArrayList<>();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int i = 0; i < c; i++) {
        futures.add(pool.submit(() -> {
          long[] lat = new long[1 << 16];
          int n = 0;
          while (System.nanoTime() < end) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
              throw new IllegalStateException(uri + " answered " + r.statusCode());
            }
            if (n == lat.length) {
              lat = Arrays.copyOf(lat, n * 2);
            }
            lat[n++] = System.nanoTime() - t;
          }
          return Arrays.copyOf(lat, n);
        }));
      }
      for (Future<long[]> f : futures) {
        parts.add(f.get());
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all = RpcLoad.merge(parts);
    String row = String.format(Locale.ROOT, "| GET %s | %d | - | %,d | %,.0f | - | %.0f | %.0f |",
        what, c, all.length, all.length / elapsed, RpcLoad.percentile(all, 0.5), RpcLoad.percentile(all, 0.99));
    System.out.println(row);
    return row;
  }

  /** {@code c} workers lease {@code b} units at a time from a fresh spec until it is empty. */
  private String drain(Namespace namespace, int c, int b, int run) throws Exception {
    String name = "drain-" + run;
    WorkSpec spec = namespace.setWorkSpec(Map.of("name", name));
    fill(spec, drainUnits);
    AtomicInteger finished = new AtomicInteger();
    List<long[]> parts = new ArrayList<>();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int i = 0; i < c; i++) {
        Worker worker = namespace.worker("worker-" + run + "-" + i);
        futures.add(pool.submit(() -> {
          long[] lat = new long[1024];
          int n = 0;
          AttemptRequest request = AttemptRequest.of(b).withWorkSpecs(name);
          while (true) {
            long t = System.nanoTime();
            List<Attempt> attempts = worker.requestAttempts(request);
            if (n == lat.length) {
              lat = Arrays.copyOf(lat, n * 2);
            }
            lat[n++] = System.nanoTime() - t;
            if (attempts.isEmpty()) {
              return Arrays.copyOf(lat, n);
            }
            for (Attempt a : attempts) {
              a.finish(null);
              finished.incrementAndGet();
            }
          }
        }));
      }
      for (Future<long[]> f : futures) {
        parts.add(f.get());
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (finished.get() != drainUnits) {
      throw new IllegalStateException(
          "finished " + finished.get() + " units of " + drainUnits + " in " + name);
    }
    long[] all = RpcLoad.merge(parts);
    String row = String.format(Locale.ROOT,
        "| get_work + finish | %d | %d | %,d | %,.0f | %,.0f | %.0f | %.0f |", c, b, all.length,
        (all.length + drainUnits) / elapsed, drainUnits / elapsed, RpcLoad.percentile(all, 0.5),
        RpcLoad.percentile(all, 0.99));
    System.out.println(row);
    return row;
  }
}
