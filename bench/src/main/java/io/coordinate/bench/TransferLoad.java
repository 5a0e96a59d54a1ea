package io.coordinate.bench;

import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Coordinate;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import io.coordinate.rest.AdminServer;
import io.coordinate.transfer.ExportReader;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Export and import rates over the REST API, as {@code coordinate export} and {@code coordinate
 * import} drive them: fills a namespace of one store with units (1% of them finished or failed,
 * so their last attempts travel too), streams its export to a file, and imports the file into a
 * fresh store of another kind, in batches of 5,000 units, each one request and one transaction.
 *
 * <p>Run: {@code bench/launch TransferLoad FROM TO [UNITS]} where FROM and TO are {@code h2} or
 * {@code pg} ({@value SqlStores#PG_URL_ENV} names the database; the two sides use schemas of their
 * own). Prints one markdown row.
 */
public final class TransferLoad {
  private static final int ADD_CHUNK = 10_000;
  private static final int IMPORT_BATCH = 5_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TransferLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: bench/launch TransferLoad FROM TO [UNITS]  (FROM, TO: h2 or pg)");
      System.exit(2);
    }
    int units = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    Path file = Files.createTempFile("coordinate-export", ".jsonl");
    try (SqlStores.Opened from = open(args[0], "coordinate_transfer_from");
        SqlStores.Opened to = open(args[1], "coordinate_transfer_to");
        AdminServer source = new AdminServer(AdminServer.Settings.loopback(from.coordinate()))
            .start();
        AdminServer target = new AdminServer(AdminServer.Settings.loopback(to.coordinate()))
            .start()) {
      fill(from.coordinate(), units);
      SqlStores.analyze(from);

      long t0 = System.nanoTime();
      HttpResponse<Path> exported = HTTP.send(
          HttpRequest.newBuilder(url(source, "/api/v1/namespaces/bench/export")).build(),
          HttpResponse.BodyHandlers.ofFile(file));
      double exportSeconds = (System.nanoTime() - t0) / 1e9;
      check(exported.statusCode() == 200, "export answered " + exported.statusCode());

      send(target, "PUT", "/api/v1/maintenance", "{\"on\":true,\"reason\":\"import\"}");
      long t1 = System.nanoTime();
      int requests = 0;
      try (InputStream in = Files.newInputStream(file);
          ExportReader reader = new ExportReader(in)) {
        for (ExportReader.Batch b = reader.next(IMPORT_BATCH); !b.lines().isEmpty();
            b = reader.next(IMPORT_BATCH)) {
          send(target, "POST", "/api/v1/namespaces/bench/import?position=" + b.firstLine(),
              String.join("\n", b.lines()) + "\n");
          requests++;
        }
      }
      double importSeconds = (System.nanoTime() - t1) / 1e9;
      long imported =
          to.coordinate().namespace("bench").workSpec("s").countWorkUnitStatus().total();
      check(imported == units, "imported " + imported + " of " + units + " units");

      System.out.printf(
          "| %s → %s | %,d | %.0f MiB | %.1f s | %,.0f | %.1f s | %,.0f | %d |%n",
          args[0], args[1], units, Files.size(file) / 1048576.0, exportSeconds,
          units / exportSeconds, importSeconds, units / importSeconds, requests);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static SqlStores.Opened open(String store, String pgSchema) {
    return store.equals("pg")
        ? SqlStores.openPostgres(SqlStores.pgUrl(), pgSchema)
        : SqlStores.open(store);
  }

  /** The namespace to move: units with data, 1% of them finished or failed. */
  private static void fill(Coordinate c, int units) {
    WorkSpec spec = c.namespace("bench").setWorkSpec(Map.of("name", "s", "priority", 1L));
    for (int from = 0; from < units; from += ADD_CHUNK) {
      List<NewWorkUnit> chunk = new ArrayList<>(ADD_CHUNK);
      for (int i = from; i < Math.min(units, from + ADD_CHUNK); i++) {
        chunk.add(NewWorkUnit.of(String.format("unit-%08d", i),
            Map.of("path", "/data/in/" + i, "size", (long) i * 7)));
      }
      spec.addWorkUnits(chunk);
    }
    Worker w = c.namespace("bench").worker("bench-worker");
    int done = 0;
    while (done < units / 100) {
      for (var a : w.requestAttempts(AttemptRequest.of(100))) {
        if (done++ % 2 == 0) {
          a.finish(Map.of("output", (long) done));
        } else {
          a.fail(Map.of("traceback", "Traceback (most recent call last): ... " + done));
        }
      }
    }
  }

  private static URI url(AdminServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static void send(AdminServer server, String method, String path, String body)
      throws Exception {
    HttpResponse<String> r = HTTP.send(
        HttpRequest.newBuilder(url(server, path))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    check(r.statusCode() == 200, method + " " + path + " answered " + r.statusCode() + ": "
        + r.body());
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
