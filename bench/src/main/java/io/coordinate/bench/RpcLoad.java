package io.coordinate.bench;

import io.coordinate.api.Coordinate;
import io.coordinate.api.data.ByteString;
import io.coordinate.cache.CacheSettings;
import io.coordinate.cache.CachingCoordinate;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.rpc.CborRpcServer;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A CBOR-RPC load generator: N work units drained by C connections, each a worker looping
 * get_work (max_jobs B, lease 300 s) and update_work_unit (status 4, finished) for every unit it
 * got, until get_work finds nothing. Reports units per second, the total time and the p50/p99 of
 * get_work's round trip, for every combination of the given connection counts and batch sizes.
 *
 * <p>It either targets a running daemon ({@code --target host:port}) or starts a {@link
 * CborRpcServer} in this process on a free port over the backend named by {@code --backend}:
 * {@code memory}; {@code h2} (an H2 file store in a new temporary directory); a directory (an H2
 * file store there); a {@code jdbc:} URL; or a {@code postgres://} URL, used in the schema {@code
 * --schema} (default {@value #DEFAULT_SCHEMA}), which is dropped and re-created first. With {@code
 * --cache on} that backend is wrapped in a {@link CachingCoordinate}, as the daemon does by default.
 *
 * <p>Over an in-process SQL backend it also reports the SQL statements the backend executed per
 * unit while the units were drained ({@link SqlCoordinate#statementsExecuted()}, read from the SQL
 * backend itself, beneath any cache); against a daemon or the memory backend that column is "-".
 *
 * <p>Every run uses a work spec of its own, removed afterwards. Before it removes it, the run checks
 * that every unit was handed out exactly once and that {@code count_work_units} reports all N
 * finished. Run {@code bench/rpc-load --help} for the options.
 */
public final class RpcLoad {
  static final String DEFAULT_SCHEMA = "coordinate_bench_rpc";

  /** Units per add_work_units call while setting up. */
  private static final int ADD_CHUNK = 1_000;

  private static final long FINISHED = 4;

  private RpcLoad() {}

  /** Command-line options. */
  private static final class Options {
    String target;
    String backend = "memory";
    String schema = DEFAULT_SCHEMA;
    int poolSize = SqlConfig.DEFAULT_POOL_SIZE;
    int units = 20_000;
    List<Integer> connections = List.of(1, 8, 64);
    List<Integer> batches = List.of(1, 10);
    long lease = 300;
    int repeat = 1;
    int warmupUnits = 5_000;
    boolean cache;
  }

  /** What one run measured. */
  record Result(
      int connections,
      int batch,
      int units,
      double addSeconds,
      double seconds,
      long getWorkCalls,
      double p50Micros,
      double p99Micros,
      double finishP50Micros,
      long statements,
      String loadBefore,
      String loadAfter) {
    /** {@link #statements} when the backend's statements cannot be counted. */
    static final long NOT_COUNTED = -1;

    double unitsPerSecond() {
      return units / seconds;
    }

    /** SQL statements per unit drained, or "-" where they are not counted. */
    String statementsPerUnit() {
      return statements == NOT_COUNTED
          ? "-"
          : String.format(Locale.ROOT, "%.1f", (double) statements / units);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("rpc-load: " + e.getMessage());
      System.err.println("Try: rpc-load --help");
      System.exit(2);
      return;
    }
    if (o == null) {
      return; // --help
    }
    String host;
    int port;
    Coordinate coordinate = null;
    LongSupplier statements = null; // the SQL backend's statement count, where there is one
    CborRpcServer server = null;
    Path tempDir = null;
    String described;
    if (o.target != null) {
      int colon = o.target.lastIndexOf(':');
      host = o.target.substring(0, colon);
      port = Integer.parseInt(o.target.substring(colon + 1));
      described = "daemon at " + o.target;
    } else {
      if (o.backend.equals("h2")) {
        tempDir = Files.createTempDirectory("coordinate-rpc-load");
        coordinate = SqlCoordinate.open(SqlConfig.h2File(tempDir).withPoolSize(o.poolSize));
      } else {
        coordinate = openBackend(o);
      }
      if (coordinate instanceof SqlCoordinate sql) {
        statements = sql::statementsExecuted; // the SQL backend's own count, beneath any cache
      }
      if (o.cache) {
        coordinate = CachingCoordinate.wrap(coordinate, CacheSettings.DEFAULT); // closes it too
      }
      server =
          CborRpcServer.start(
              coordinate,
              CborRpcServer.Settings.defaults().withAddress(new InetSocketAddress("127.0.0.1", 0)));
      host = "127.0.0.1";
      port = server.address().getPort();
      described =
          "in-process server on " + o.backend.replaceAll("//[^@/]*@", "//")
              + (o.cache ? " behind the cache" : "");
    }
    System.out.printf(
        "rpc-load: %s; %d units per run; nproc %d; load average %s%n",
        described, o.units, Runtime.getRuntime().availableProcessors(), loadAverage());
    List<Result> results = new ArrayList<>();
    try {
      int run = 0;
      if (o.warmupUnits > 0) {
        // Not reported: compiles the client's and the server's hot paths before the first run.
        Options w = new Options();
        w.units = o.warmupUnits;
        w.lease = o.lease;
        for (int b : o.batches) {
          run(host, port, w, 8, b, ++run, statements);
        }
        System.out.printf("warm-up done (%d units per batch size)%n", o.warmupUnits);
      }
      for (int r = 0; r < o.repeat; r++) {
        for (int c : o.connections) {
          for (int b : o.batches) {
            Result result = run(host, port, o, c, b, ++run, statements);
            results.add(result);
            System.out.printf(
                Locale.ROOT,
                "C=%d B=%d: %,.0f units/s, %.2f s, get_work p50 %.0f µs p99 %.0f µs (%d calls),"
                    + " update p50 %.0f µs, adds %.2f s, %s statements/unit; load %s -> %s%n",
                c, b, result.unitsPerSecond(), result.seconds(), result.p50Micros(),
                result.p99Micros(), result.getWorkCalls(), result.finishP50Micros(),
                result.addSeconds(), result.statementsPerUnit(), result.loadBefore(),
                result.loadAfter());
          }
        }
      }
    } finally {
      if (server != null) {
        server.close();
      }
      if (coordinate != null) {
        coordinate.close();
      }
      if (tempDir != null) {
        SqlStores.deleteTree(tempDir);
      }
    }
    System.out.println();
    System.out.println("| connections | batch | units | units/s | total s | get_work p50 µs"
        + " | get_work p99 µs | update p50 µs | stmts/unit | load avg (1 min) before → after |");
    System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "| %d | %d | %,d | %,.0f | %.2f | %.0f | %.0f | %.0f | %s | %s → %s |%n",
          r.connections(), r.batch(), r.units(), r.unitsPerSecond(), r.seconds(), r.p50Micros(),
          r.p99Micros(), r.finishP50Micros(), r.statementsPerUnit(), first(r.loadBefore()),
          first(r.loadAfter()));
    }
  }

  private static Coordinate openBackend(Options o) {
    String b = o.backend;
    if (b.equals("memory")) {
      return MemoryCoordinate.create();
    }
    if (b.startsWith("postgres://") || b.startsWith("postgresql://")
        || b.startsWith("jdbc:postgresql:")) {
      SqlConfig config = SqlConfig.of(b).withSchema(o.schema).withPoolSize(o.poolSize);
      SqlStores.execute(config, "DROP SCHEMA IF EXISTS " + o.schema + " CASCADE");
      return SqlCoordinate.open(config);
    }
    return SqlCoordinate.open(SqlConfig.of(b).withPoolSize(o.poolSize)); // jdbc:h2:… or a directory
  }

  /**
   * One run: set up a spec with the units, drain it with {@code c} connections, check, remove.
   * {@code statements}, where not null, counts the backend's SQL statements over the drain.
   */
  private static Result run(
      String host, int port, Options o, int c, int b, int runNo, LongSupplier statements)
      throws Exception {
    String spec = "rpc-load-" + ProcessHandle.current().pid() + "-" + runNo;
    double addSeconds;
    try (RpcClient admin = new RpcClient(host, port)) {
      admin.callPair("set_work_spec", Map.of("name", spec));
      long t0 = System.nanoTime();
      for (int from = 0; from < o.units; from += ADD_CHUNK) {
        List<Object> chunk = new ArrayList<>();
        for (int i = from; i < Math.min(o.units, from + ADD_CHUNK); i++) {
          chunk.add(List.of(key(i), Map.of("i", (long) i, "url", "https://example.com/" + i)));
        }
        admin.callPair("add_work_units", spec, chunk);
      }
      addSeconds = (System.nanoTime() - t0) / 1e9;
    }

    Set<ByteString> seen = ConcurrentHashMap.newKeySet();
    AtomicLong duplicates = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(c);
    CountDownLatch go = new CountDownLatch(1);
    List<long[]> getWorkTimes = new ArrayList<>();
    List<long[]> finishTimes = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < c; i++) {
      String worker = spec + "-worker-" + i;
      LongList gets = new LongList();
      LongList finishes = new LongList();
      threads.add(
          Thread.ofVirtual()
              .name(worker)
              .start(
                  () -> {
                    boolean counted = false;
                    try (RpcClient client = new RpcClient(host, port)) {
                      ready.countDown();
                      counted = true;
                      go.await();
                      drain(client, worker, spec, b, o.lease, gets, finishes, seen, duplicates);
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                      if (!counted) {
                        ready.countDown(); // a connection that failed must not hold up the start
                      }
                    } finally {
                      synchronized (getWorkTimes) {
                        getWorkTimes.add(gets.toArray());
                        finishTimes.add(finishes.toArray());
                      }
                    }
                  }));
    }
    ready.await();
    String loadBefore = loadAverage();
    long statementsBefore = statements == null ? 0 : statements.getAsLong();
    long start = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long drainStatements =
        statements == null
            ? Result.NOT_COUNTED
            : statements.getAsLong() - statementsBefore;
    String loadAfter = loadAverage();
    if (failure.get() != null) {
      throw new IllegalStateException("run C=" + c + " B=" + b + " failed", failure.get());
    }

    try (RpcClient admin = new RpcClient(host, port)) {
      if (duplicates.get() > 0 || seen.size() != o.units) {
        throw new IllegalStateException(
            "C=" + c + " B=" + b + ": " + seen.size() + " distinct units leased of " + o.units
                + ", " + duplicates.get() + " handed out twice");
      }
      Object counts = admin.callPair("count_work_units", spec);
      Object finished = counts instanceof Map<?, ?> m ? m.get(FINISHED) : null;
      if (!Long.valueOf(o.units).equals(finished)) {
        throw new IllegalStateException(
            "C=" + c + " B=" + b + ": count_work_units says " + counts + ", expected "
                + o.units + " finished");
      }
      admin.callPair("del_work_spec", spec);
    }

    long[] gets = merge(getWorkTimes);
    long[] finishes = merge(finishTimes);
    return new Result(
        c, b, o.units, addSeconds, seconds, gets.length, percentile(gets, 0.50),
        percentile(gets, 0.99), percentile(finishes, 0.50), drainStatements, loadBefore,
        loadAfter);
  }

  /** One connection's worker loop; records round trips in nanoseconds. */
  private static void drain(
      RpcClient client,
      String worker,
      String spec,
      int batch,
      long lease,
      LongList gets,
      LongList finishes,
      Set<ByteString> seen,
      AtomicLong duplicates)
      throws IOException {
    Map<String, Object> options = Map.of("max_jobs", (long) batch, "lease_time", lease);
    Map<String, Object> finish = Map.of("status", FINISHED);
    while (true) {
      long t0 = System.nanoTime();
      Object value = client.callPair("get_work", worker, options);
      gets.add(System.nanoTime() - t0);
      List<ReplyDecoder.Tup> units = workUnits(value);
      if (units.isEmpty()) {
        return;
      }
      for (ReplyDecoder.Tup unit : units) {
        Object specName = unit.items().get(0);
        String name = specName instanceof ByteString bs ? bs.toUtf8() : (String) specName;
        if (!spec.equals(name)) {
          throw new IllegalStateException("get_work handed out a unit of another spec: " + name);
        }
        ByteString key = (ByteString) unit.items().get(1);
        if (!seen.add(key)) {
          duplicates.incrementAndGet();
        }
        long t1 = System.nanoTime();
        Object ok = client.callPair("update_work_unit", spec, key, finish);
        finishes.add(System.nanoTime() - t1);
        if (!Boolean.TRUE.equals(ok)) {
          throw new IllegalStateException("update_work_unit answered " + ok);
        }
      }
    }
  }

  /** get_work's value: one (spec, key, data) tuple when max_jobs is 1, else a list of them. */
  private static List<ReplyDecoder.Tup> workUnits(Object value) {
    List<ReplyDecoder.Tup> units = new ArrayList<>();
    if (value instanceof ReplyDecoder.Tup t) {
      if (t.items().get(0) != null) {
        units.add(t);
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        units.add((ReplyDecoder.Tup) item);
      }
    } else {
      throw new IllegalStateException("get_work answered " + value);
    }
    return units;
  }

  /** The key of unit {@code i}, a byte string as the Python client sends keys. */
  private static ByteString key(int i) {
    return ByteString.utf8(String.format("u%012d", i));
  }

  static long[] merge(List<long[]> parts) {
    long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
    Arrays.sort(all);
    return all;
  }

  /** The {@code q} quantile of sorted nanoseconds, in microseconds (nearest rank). */
  static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e3;
  }

  /** The 1, 5 and 15 minute load averages, or "?" where /proc is missing. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String first(String load) {
    int space = load.indexOf(' ');
    return space < 0 ? load : load.substring(0, space);
  }

  private static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println(HELP);
        return null;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--target" -> {
          if (!v.matches(".+:\\d+")) {
            throw new IllegalArgumentException("--target must be HOST:PORT: " + v);
          }
          o.target = v;
        }
        case "--backend" -> o.backend = v;
        case "--schema" -> o.schema = v;
        case "--pool-size" -> o.poolSize = positive(a, v);
        case "-n", "--units" -> o.units = positive(a, v);
        case "-c", "--connections" -> o.connections = list(a, v);
        case "-b", "--batch" -> o.batches = list(a, v);
        case "--lease" -> o.lease = positive(a, v);
        case "--repeat" -> o.repeat = positive(a, v);
        case "--warmup" -> o.warmupUnits = v.equals("0") ? 0 : positive(a, v);
        case "--cache" -> o.cache = onOff(a, v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (o.cache && o.target != null) {
      throw new IllegalArgumentException(
          "--cache on needs a server in this process; a daemon has its own --[no-]cache");
    }
    return o;
  }

  static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " needs a positive number: " + value);
  }

  private static boolean onOff(String option, String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException(option + " must be on or off: " + value);
    };
  }

  static List<Integer> list(String option, String value) {
    List<Integer> values = new ArrayList<>();
    for (String part : value.split(",")) {
      values.add(positive(option, part.trim()));
    }
    return values;
  }

  private static final String HELP =
      """
      Usage: bench/rpc-load [--target HOST:PORT | --backend BACKEND] [options]

      Drains N work units through C CBOR-RPC connections, each looping get_work (max_jobs B)
      and update_work_unit (status 4) per unit, and reports units/s, the total time and the
      p50/p99 round trip of get_work, for every C and B given. Over a SQL backend in this
      process it also reports the SQL statements executed per unit drained (stmts/unit).

        --target HOST:PORT   a running coordinated (nothing else is started)
        --backend BACKEND    start a server in this process over: memory (default), h2 (an H2
                             file store in a temporary directory), a directory (H2 file store
                             there), a jdbc: URL, or a postgres://user:pw@host:port/db URL
        --schema NAME        PostgreSQL schema, dropped and re-created first
                             (default %s)
        --pool-size N        SQL connection pool size (default %d)
        --cache on|off       put the caching backend in front of BACKEND, as the daemon does
                             by default (default off; not with --target)
        -n, --units N        units per run (default 20000)
        -c, --connections L  comma-separated connection counts (default 1,8,64)
        -b, --batch L        comma-separated max_jobs values (default 1,10)
        --lease SECONDS      lease_time of get_work (default 300)
        --repeat R           run the whole matrix R times (default 1)
        --warmup N           units of an unreported warm-up run per batch size, 8 connections
                             (default 5000; 0: none)
      """
          .formatted(DEFAULT_SCHEMA, SqlConfig.DEFAULT_POOL_SIZE);

  /** A growable array of longs, to record round trips without boxing. */
  static final class LongList {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
