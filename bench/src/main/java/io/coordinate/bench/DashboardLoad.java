package io.coordinate.bench;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.cache.CacheSettings;
import io.coordinate.cache.CachingCoordinate;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.rest.AdminServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * How fast the dashboard ({@code /ui/}) shows a big queue: the time from navigation until the
 * page has drawn its first counts, and until its first full refresh (workers and failures too),
 * over repeated loads in headless Chromium, with {@code --units} units queued (a million by
 * default) spread over {@code --specs} specs, some finished and failed, and a small worker tree
 * holding leases.
 *
 * <p>The store is filled in this JVM and served by an {@link AdminServer} over it, wired as the
 * daemon wires it (a SQL store behind the name cache): {@code --backend memory}, {@code h2} (a
 * temporary embedded store) or {@code pg} (the database of {@code COORDINATE_BENCH_PG_URL}, in a
 * schema of its own that is dropped first). Needs {@code /usr/bin/chromium} and {@code
 * /usr/bin/chromedriver}. Run {@code bench/dashboard-load --help} for the options; the figures are
 * in {@code docs/dashboard.md}.
 */
@CommandLine.Command(
    name = "dashboard-load",
    mixinStandardHelpOptions = true,
    description = "Measures the dashboard's page load with a big queue, in headless Chromium.")
public final class DashboardLoad implements Callable<Integer> {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  /** The schema this tool owns on PostgreSQL (dropped and re-created on every run). */
  static final String PG_SCHEMA = "coordinate_dashboard_bench";
  /** Units a worker leases at a time while the set-up finishes and fails units. */
  private static final int LEASE_BATCH = 100;

  @CommandLine.Option(
      names = "--backend",
      defaultValue = "h2",
      description = "memory, h2 (a temporary embedded store) or pg (default: h2)")
  String backend;

  @CommandLine.Option(
      names = {"-n", "--units"},
      defaultValue = "1000000",
      description = "units queued (default: 1000000)")
  long units;

  @CommandLine.Option(
      names = "--specs",
      defaultValue = "1",
      description = "work specs the units are spread over (default: 1)")
  int specs;

  @CommandLine.Option(
      names = "--finished",
      defaultValue = "1000",
      description = "units of the first spec finished before measuring (default: 1000)")
  int finished;

  @CommandLine.Option(
      names = "--failed",
      defaultValue = "50",
      description = "units of the first spec failed, with a traceback (default: 50)")
  int failed;

  @CommandLine.Option(
      names = "--workers",
      defaultValue = "8",
      description = "child workers of one parent, each holding two leases (default: 8)")
  int workers;

  @CommandLine.Option(
      names = "--loads",
      defaultValue = "9",
      description = "page loads measured, after one unmeasured warm-up load (default: 9)")
  int loads;

  @CommandLine.Option(
      names = "--explain",
      description = "also print each API request of the last page load with its duration")
  boolean explain;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DashboardLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    SqlStores.Opened sql = switch (backend) {
      case "memory" -> null;
      case "h2" -> SqlStores.open("h2");
      case "pg" -> SqlStores.openPostgres(SqlStores.pgUrl(), PG_SCHEMA);
      default -> throw new CommandLine.ParameterException(
          new CommandLine(this), "unknown backend " + backend + " (memory, h2 or pg)");
    };
    Coordinate coordinate = sql == null
        ? MemoryCoordinate.create()
        : CachingCoordinate.wrap(sql.coordinate(), CacheSettings.DEFAULT);
    System.out.printf(Locale.ROOT, "dashboard-load: %s; nproc %d; load average %s%n", backend,
        Runtime.getRuntime().availableProcessors(), RpcLoad.loadAverage());
    Path profile = Files.createTempDirectory("coordinate-dashboard-load");
    String ns = "dashboard-load";
    try (AdminServer server = new AdminServer(AdminServer.Settings.loopback(coordinate)).start()) {
      Namespace namespace = coordinate.namespace(ns);
      long t0 = System.nanoTime();
      List<WorkSpec> queues = prepare(namespace);
      if (sql != null) {
        SqlStores.analyze(sql);
      }
      System.out.printf(Locale.ROOT, "queued %,d units in %d spec(s), %,d finished, %,d failed,"
              + " %d workers leasing, in %.1f s%n",
          units, specs, finished, failed, workers, (System.nanoTime() - t0) / 1e9);
      BenchSupport.settleHeap();
      URI page = URI.create("http://127.0.0.1:" + server.port() + "/ui/#ns=" + ns);
      measure(page, queues.getFirst(), profile);
      namespace.destroy();
    } finally {
      coordinate.close();
      if (sql != null) {
        sql.close();
      }
      SqlStores.deleteTree(profile);
    }
    return 0;
  }

  /** The specs with their units, some finished and failed, and workers holding leases. */
  private List<WorkSpec> prepare(Namespace namespace) {
    List<WorkSpec> queues = new ArrayList<>();
    long from = 0;
    for (int s = 0; s < specs; s++) {
      WorkSpec spec = namespace.setWorkSpec(Map.of("name", "queue-" + s));
      long count = units / specs + (s < units % specs ? 1 : 0);
      BenchSupport.fill(spec, from, count);
      from += count;
      queues.add(spec);
    }
    String first = queues.getFirst().name();
    Worker finisher = namespace.worker("finisher");
    lease(finisher, first, finished, true);
    lease(finisher, first, failed, false);
    Worker parent = namespace.worker("supervisor");
    for (int i = 0; i < workers; i++) {
      Worker child = namespace.worker("worker-" + i);
      child.setParent(parent);
      child.requestAttempts(AttemptRequest.of(2).withWorkSpecs(first));
    }
    return queues;
  }

  private static void lease(Worker worker, String spec, int count, boolean finish) {
    String traceback = "Traceback (most recent call last):\n"
        + "  File \"job.py\", line 42, in run\n"
        + "    fetch(url)\n"
        + "ConnectionError: connection refused";
    for (int done = 0; done < count; ) {
      int n = Math.min(LEASE_BATCH, count - done);
      List<Attempt> attempts = worker.requestAttempts(AttemptRequest.of(n).withWorkSpecs(spec));
      if (attempts.isEmpty()) {
        throw new IllegalStateException("no more units to lease in " + spec);
      }
      for (Attempt a : attempts) {
        if (finish) {
          a.finish(Map.of());
        } else {
          a.fail(Map.of("traceback", traceback));
        }
      }
      done += attempts.size();
    }
  }

  /** Loads the page {@link #loads} times (after a warm-up) and prints the figures. */
  private void measure(URI page, WorkSpec first, Path profile) {
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver browser = null;
    try {
      browser = new ChromeDriver(service, options(profile));
      double[] counts = new double[loads];
      double[] full = new double[loads];
      long[] requests = new long[loads];
      long expected = first.countWorkUnitStatus().get(WorkUnitStatus.AVAILABLE);
      for (int i = -1; i < loads; i++) {
        browser.get("about:blank");
        browser.get(page.toString());
        new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(5))
            .until(d -> mark(d, "coordinate:first-refresh") >= 0);
        String shown = browser.findElement(By.cssSelector(
                "tr[data-spec='" + first.name() + "'] [data-count=available]"))
            .getAttribute("data-value");
        if (Long.parseLong(shown) != expected) {
          throw new IllegalStateException("the page shows " + shown + " available, not " + expected);
        }
        if (i >= 0) {
          counts[i] = mark(browser, "coordinate:counts-rendered");
          full[i] = mark(browser, "coordinate:first-refresh");
          requests[i] = Long.parseLong(browser.findElement(By.id("updated"))
              .getAttribute("data-requests"));
        }
      }
      if (explain) {
        System.out.println("requests of the last load (ms from navigation: start +duration):");
        Object entries = ((JavascriptExecutor) browser).executeScript(
            "return performance.getEntriesByType('resource').map(e =>"
                + " Math.round(e.startTime) + ' +' + Math.round(e.duration) + '  '"
                + " + decodeURI(new URL(e.name).pathname + new URL(e.name).search));");
        ((List<?>) entries).forEach(e -> System.out.println("  " + e));
      }
      // Refreshes after the first: what the page costs while it stays open.
      double[] steady = new double[5];
      long steadyRequests = 0;
      String seen = browser.findElement(By.id("updated")).getAttribute("data-refreshes");
      for (int i = 0; i < steady.length; i++) {
        String before = seen;
        new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(20))
            .until(d -> !before.equals(d.findElement(By.id("updated")).getAttribute("data-refreshes")));
        var updated = browser.findElement(By.id("updated"));
        seen = updated.getAttribute("data-refreshes");
        steady[i] = Double.parseDouble(updated.getAttribute("data-duration-ms"));
        steadyRequests = Long.parseLong(updated.getAttribute("data-requests"));
      }
      System.out.println();
      System.out.println("| backend | units | specs | loads | counts drawn, median ms (min–max)"
          + " | first full refresh, median ms (requests) | later refresh, median ms (requests) |");
      System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
      System.out.printf(Locale.ROOT, "| %s | %,d | %d | %d | %.0f (%.0f–%.0f) | %.0f (%d) | %.0f (%d) |%n",
          backend, units, specs, loads, median(counts), min(counts), max(counts), median(full),
          requests[requests.length - 1], median(steady), steadyRequests);
    } finally {
      if (browser != null) {
        browser.quit();
      }
      service.stop();
    }
  }

  /** Headless Chromium with a fresh profile, driven by the system driver: no download, ever. */
  private static ChromeOptions options(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    return options;
  }

  /** When the page set this performance mark, in ms since navigation began; -1 if not yet. */
  private static double mark(WebDriver driver, String name) {
    Object t = ((JavascriptExecutor) driver).executeScript(
        "const m = performance.getEntriesByName(arguments[0], 'mark');"
            + " return m.length ? m[0].startTime : -1;", name);
    return ((Number) t).doubleValue();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(0);
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }
}
